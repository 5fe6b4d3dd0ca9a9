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

// IntegerList: a list of whole numbers, each in [min, max], at least one, strictly increasing
// (e.g. waves.days). TextList: a list of strings that names the elements of another list
// parameter (`labels`), e.g. waves.names for waves.days. Lists are not sweepable.
enum class ParamType { Real, Integer, Boolean, Choice, IntegerList, TextList };

struct ParamSpec {
  std::string
      name;  // dotted, e.g. "mentor.caseload"; the part before the last dot is its TOML table
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

// What a list parameter adds to its ParamSpec (whose default_value is then the default list's
// length).
struct ListSpec {
  std::vector<double> default_list;        // IntegerList: the default elements
  std::vector<std::string> default_texts;  // TextList: the default strings
  // TextList: the IntegerList parameter whose elements these strings name, one each. Setting
  // that list in a file (or --set) without this one resets this one to its empty form (the
  // consumer's default names), so names never outlive the list they were written for.
  std::string labels;
};

bool is_list(const ParamSpec& spec);

// A deprecated key kept working in scenario files and --set: it sets one element of a list
// parameter (e.g. waves.month3_day sets the second element of waves.days). Not a parameter of
// its own: `params` lists it under "Deprecated keys", resolved parameters never show it.
struct ParamAlias {
  std::string name;
  std::size_t target = 0;   // index of the IntegerList parameter
  std::size_t element = 0;  // which element it sets (0-based); the list must have that many
  std::string note;         // e.g. "the 3-month wave"
};

class Registry {
 public:
  // Declares a parameter; throws std::logic_error on a duplicate name or a default outside its
  // range.
  std::size_t add(ParamSpec spec, ListSpec list = {});
  const ListSpec& list_spec(std::size_t i) const { return lists_[i]; }
  // Declares a deprecated alias for one element of the IntegerList parameter `target`.
  void add_alias(std::string name, std::string_view target, std::size_t element, std::string note);
  std::optional<std::size_t> index(std::string_view name) const;
  const ParamAlias* alias(std::string_view name) const;
  const std::vector<ParamAlias>& aliases() const { return aliases_; }
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
  // Lists: empty when allowed, else the reason ("is empty: ...", "is not strictly increasing:
  // 91 then 90", "has 800 outside [1, 730]"); and the TOML form, [14, 91] or ["a", "b"].
  std::string check_list(std::size_t i, const std::vector<double>& list) const;
  std::string check_texts(std::size_t i, const std::vector<std::string>& texts) const;
  std::string format_list(std::size_t i, const std::vector<double>& list) const;
  std::string format_texts(const std::vector<std::string>& texts) const;
  // The default value as TOML text, lists included.
  std::string default_text(std::size_t i) const;

  // The parameter listing: plain text table and the Markdown of docs/parameters.md.
  std::string table() const;
  std::string markdown() const;

 private:
  std::vector<ParamSpec> specs_;
  std::vector<ListSpec> lists_;  // one per spec; empty for scalars
  std::vector<ParamAlias> aliases_;
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
  // List parameters (get(i) is then the length); callers validate with Registry::check_list
  // or check_texts first.
  const std::vector<double>& list(std::size_t i) const { return lists_[i]; }
  const std::vector<std::string>& texts(std::size_t i) const { return texts_[i]; }
  void set_list(std::size_t i, std::vector<double> list, std::string origin);
  void set_texts(std::size_t i, std::vector<std::string> texts, std::string origin);
  // The fully resolved parameters as TOML text, one table per group, origin in comments.
  std::string to_toml() const;
  const std::vector<double>& values() const { return values_; }

 private:
  const Registry* registry_ = nullptr;
  std::vector<double> values_;
  std::vector<std::vector<double>> lists_;
  std::vector<std::vector<std::string>> texts_;
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
  void integer_list(ParamSpec spec, std::vector<double> defaults, std::vector<int> P::*field) {
    spec.type = ParamType::IntegerList;
    bind_values(std::move(spec), {std::move(defaults), {}, {}},
                [field](P& p, const ParamValues& values, std::size_t i) {
                  const auto& list = values.list(i);
                  (p.*field).assign(list.begin(), list.end());
                });
  }
  // `labels`: the IntegerList parameter whose elements these texts name (ListSpec::labels).
  void text_list(ParamSpec spec, std::vector<std::string> defaults, std::string labels,
                 std::vector<std::string> P::*field) {
    spec.type = ParamType::TextList;
    bind_values(
        std::move(spec), {{}, std::move(defaults), std::move(labels)},
        [field](P& p, const ParamValues& values, std::size_t i) { p.*field = values.texts(i); });
  }
  void alias(std::string name, std::string_view target, std::size_t element, std::string note) {
    registry_.add_alias(std::move(name), target, element, std::move(note));
  }
  const Registry& registry() const { return registry_; }
  P make(const ParamValues& values) const {
    P p{};
    for (std::size_t i = 0; i < setters_.size(); ++i) setters_[i](p, values, i);
    return p;
  }

 private:
  void bind(ParamSpec spec, std::function<void(P&, double)> setter) {
    bind_values(std::move(spec), {},
                [setter = std::move(setter)](P& p, const ParamValues& values, std::size_t i) {
                  setter(p, values.get(i));
                });
  }
  void bind_values(ParamSpec spec, ListSpec list,
                   std::function<void(P&, const ParamValues&, std::size_t)> setter) {
    registry_.add(std::move(spec), std::move(list));
    setters_.push_back(std::move(setter));
  }
  Registry registry_;
  std::vector<std::function<void(P&, const ParamValues&, std::size_t)>> setters_;
};

}  // namespace asim
