// The parameter registry: every parameter is declared exactly once (name, type, default,
// allowed range, unit, meaning, source). TOML validation, --set overrides, `alliance-sim params`,
// docs/parameters.md, the provenance stored in result files and the classroom controls all read it.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace asim {

// A TOML basic string: quoted, with quotes, backslashes and control characters escaped.
std::string toml_quote(std::string_view text);

// Up to `max` of `candidates` closest to `name` by edit distance, of the whole dotted name or of
// its last component, nearest first: the "did you mean" hints of scenario keys
// (Registry::suggestions), calibration targets' statistics and free parameters.
std::vector<std::string> suggest_names(std::string_view name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max = 3);
// " (did you mean 'a', 'b' or 'c'?)" for the names given, "" for none.
std::string did_you_mean_hint(const std::vector<std::string>& names);

enum class ParamType { Real, Integer, Boolean, Choice };

struct ParamSpec {
  std::string name;  // dotted, e.g. "mentor.caseload"; the part before the last dot is its TOML table
  ParamType type = ParamType::Real;
  double default_value = 0.0;
  double min = 0.0;  // inclusive bounds; Boolean: [0, 1]; Choice: [0, choices.size()-1]
  double max = 0.0;
  std::vector<std::string> choices;  // Choice only: labels, stored value is the index
  std::string unit;                  // "" for dimensionless, e.g. "youths", "1/year", "days"
  std::string meaning;               // one line
  std::string source;                // citation (a study or docs/evidence.md §), or "assumption"
  bool classroom = false;            // shown as a control in classroom mode
};

class Registry {
 public:
  // Declares a parameter; throws std::logic_error on a duplicate name or a default outside its range.
  std::size_t add(ParamSpec spec);
  std::optional<std::size_t> index(std::string_view name) const;
  const ParamSpec& spec(std::size_t i) const { return specs_[i]; }
  const std::vector<ParamSpec>& specs() const { return specs_; }
  std::size_t size() const { return specs_.size(); }

  // Up to `max` registered names closest to `name` (edit distance), for "did you mean" hints.
  std::vector<std::string> suggestions(std::string_view name, std::size_t max = 3) const;
  // Empty when `value` is allowed for parameter i, else the reason, e.g. "is outside [1, 30]".
  std::string check(std::size_t i, double value) const;
  // Human/TOML form of a value: 8, 0.25, true, "closed".
  std::string format_value(std::size_t i, double value) const;
  // Allowed range as text: "[1, 30]", "true or false", "one of \"open\", \"closed\"".
  std::string range_text(std::size_t i) const;

  // The parameter listing: plain text table and the Markdown of docs/parameters.md.
  std::string table() const;
  std::string markdown() const;

 private:
  std::vector<ParamSpec> specs_;
};

// Values for every registered parameter, with where each came from (for provenance).
class ParamValues {
 public:
  ParamValues() = default;
  explicit ParamValues(const Registry& registry);  // all defaults, origin "default"
  const Registry& registry() const { return *registry_; }
  double get(std::size_t i) const { return values_[i]; }
  double get(std::string_view name) const;  // throws std::out_of_range for an unknown name
  const std::string& origin(std::size_t i) const { return origins_[i]; }
  // Sets without checking; callers validate with Registry::check first.
  void set(std::size_t i, double value, std::string origin);
  void set(std::string_view name, double value, std::string origin);
  // The fully resolved parameters as TOML text, one table per group, origin in comments.
  std::string to_toml() const;
  const std::vector<double>& values() const { return values_; }

 private:
  const Registry* registry_ = nullptr;
  std::vector<double> values_;
  std::vector<std::string> origins_;
};

// Binds registry entries to fields of a plain parameter struct P, so model code reads typed
// fields in the hot loop while the registry stays the only place metadata is declared.
template <class P>
class BoundRegistry {
 public:
  void real(ParamSpec spec, double P::*field) {
    spec.type = ParamType::Real;
    bind(std::move(spec), [field](P& p, double v) { p.*field = v; });
  }
  void integer(ParamSpec spec, int P::*field) {
    spec.type = ParamType::Integer;
    bind(std::move(spec), [field](P& p, double v) { p.*field = static_cast<int>(v); });
  }
  void boolean(ParamSpec spec, bool P::*field) {
    spec.type = ParamType::Boolean;
    spec.min = 0;
    spec.max = 1;
    bind(std::move(spec), [field](P& p, double v) { p.*field = v != 0.0; });
  }
  void choice(ParamSpec spec, int P::*field) {
    spec.type = ParamType::Choice;
    spec.min = 0;
    spec.max = static_cast<double>(spec.choices.size()) - 1;
    bind(std::move(spec), [field](P& p, double v) { p.*field = static_cast<int>(v); });
  }
  const Registry& registry() const { return registry_; }
  P make(const ParamValues& values) const {
    P p{};
    for (std::size_t i = 0; i < setters_.size(); ++i) setters_[i](p, values.get(i));
    return p;
  }

 private:
  void bind(ParamSpec spec, std::function<void(P&, double)> setter) {
    registry_.add(std::move(spec));
    setters_.push_back(std::move(setter));
  }
  Registry registry_;
  std::vector<std::function<void(P&, double)>> setters_;
};

}  // namespace asim
