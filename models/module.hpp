// What a module of the model is made of (docs/contributing.md §A). A daily process is one module:
// a header models/processes/<name>.hpp and its file models/processes/<name>.cpp. The header
// declares a module type, listed once in the schedule (models/schedule.hpp), with
//   name      the step's name (docs/ODD.md §3, bench/README.md),
//   run       its daily kernel over one tile of living groups,
// and, where it has them,
//   Params    its part of ModelParams: the fields its registry rows bind,
//   Beds      its part of BedState: its per-bed arrays (Slice), listed by `arrays()`,
//   register_params(ParamRows&)   its registry rows (name, default, range, unit, meaning,
//                                 source),
//   admit(ctx, g, bed, referral)  the values of its per-bed fields for a youth admitted to a bed
//                                 (after the core of admit_youth, models/processes/admission.cpp),
//   purpose   its own random-number purpose (the third counter word), a number after the core's
//             (models/state.hpp enum Purpose) that no other module uses.
// ModelParams and BedState inherit every module's part in the schedule's order; the registry
// and admit_youth call every module's hooks in that order.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "engine/params.hpp"

namespace asim {

struct ModelParams;
struct Group;
struct Tile;
struct TileContext;
struct DayContext;
struct Referral;

// A group's fixed-length array of one field: a view of part of the group's state block
// (Group::resize), so that all of a group's per-bed and per-slot arrays lie in one contiguous
// heap block the day loop streams through (bench/README.md: at national scale the day loop is
// bound by the memory traffic of separate small heap blocks).
template <class T>
class Slice {
 public:
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::vector<T> copy() const { return std::vector<T>(begin(), end()); }
  void bind(T* data, std::size_t size) { data_ = data, size_ = size; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

// A module's registry rows: each binds a TOML name to a field of the module's Params (a member
// pointer of the part converts to one of ModelParams), with default, inclusive range, unit,
// one-line meaning and source; `cls` shows it among classroom mode's controls. Defined in
// models/parameters.cpp.
class ParamRows {
 public:
  explicit ParamRows(BoundRegistry<ModelParams>& r) : r_(r) {}
  void real(const char* name, double ModelParams::*f, double def, double lo, double hi,
            const char* unit, const char* meaning, const char* source, bool cls = false);
  void integer(const char* name, int ModelParams::*f, double def, double lo, double hi,
               const char* unit, const char* meaning, const char* source, bool cls = false);
  void boolean(const char* name, bool ModelParams::*f, bool def, const char* meaning,
               const char* source, bool cls = false);
  BoundRegistry<ModelParams>& registry() { return r_; }

 private:
  BoundRegistry<ModelParams>& r_;
};
inline constexpr const char* kAssume = "assumption";

// The modules of the day, in order (models/schedule.hpp).
template <class... M>
struct ModuleList {};

// A module's parts, or an empty part of its own where it has none (distinct types, so that
// several modules without a part can all be bases).
template <class M>
struct NoPart {
  static auto arrays() { return std::tuple<>{}; }
};
template <class M>
struct params_part {
  using type = NoPart<M>;
};
template <class M>
requires requires {
  typename M::Params;
}
struct params_part<M> {
  using type = typename M::Params;
};
template <class M>
struct beds_part {
  using type = NoPart<M>;
};
template <class M>
requires requires {
  typename M::Beds;
}
struct beds_part<M> {
  using type = typename M::Beds;
};

template <class L>
struct ParamsOf;
template <class... M>
struct ParamsOf<ModuleList<M...>> : params_part<M>::type... {
  static void register_all(ParamRows& rows) {
    (
        [&] {
          if constexpr (requires { M::register_params(rows); }) M::register_params(rows);
        }(),
        ...);
  }
};

template <class L>
struct BedsOf;
template <class... M>
struct BedsOf<ModuleList<M...>> : beds_part<M>::type... {
  // Every module's per-bed arrays, in the schedule's order.
  auto arrays() {
    return std::tuple_cat(static_cast<typename beds_part<M>::type&>(*this).arrays()...);
  }
};

// Calls every module's admission hook, in the schedule's order.
template <class... M, class... A>
void admit_modules(ModuleList<M...>, A&... args) {
  (
      [&] {
        if constexpr (requires { M::admit(args...); }) M::admit(args...);
      }(),
      ...);
}

// Every module's own purpose is after the core's last and used once (checked in models/state.hpp).
template <class M>
constexpr std::uint32_t purpose_of() {
  if constexpr (requires { M::purpose; })
    return M::purpose;
  else
    return 0;
}
template <class... M>
constexpr bool purposes_distinct(ModuleList<M...>, std::uint32_t core_last) {
  constexpr std::uint32_t p[] = {purpose_of<M>()..., 0};
  for (std::size_t i = 0; i < sizeof...(M); ++i) {
    if (p[i] == 0) continue;
    if (p[i] <= core_last) return false;
    for (std::size_t j = i + 1; j < sizeof...(M); ++j)
      if (p[j] == p[i]) return false;
  }
  return true;
}

}  // namespace asim
