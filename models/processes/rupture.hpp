// The ruptures module (models/module.hpp): ruptures of the alliance, their detection and repair
// (microsystem). Kernel, admission values and registry rows: models/processes/rupture.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_ruptures(const TileContext& ctx, Tile& t);

struct RupturesParams {
  double rupture_rate, rupture_externalising, rupture_autonomy, rupture_push, rupture_stress,
      rupture_incident, rupture_coercion, rupture_depth, depth_floor, tasks_share, repair_rate,
      repair_skill, repair_gain, rupture_erosion;
};

struct RupturesBeds {
  Slice<std::int32_t> rupture;            // RuptureState (models/state.hpp)
  Slice<float> rupture_drop;              // the bond lost in the open rupture
  Slice<std::int32_t> ruptures, repairs;  // counts since admission
  auto arrays() { return std::tie(rupture, rupture_drop, ruptures, repairs); }
};

struct Ruptures {
  static constexpr std::string_view name = "ruptures";
  static constexpr auto run = update_ruptures;
  using Params = RupturesParams;
  static void register_params(ParamRows& r);
  using Beds = RupturesBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
