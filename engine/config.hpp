// Scenario files: TOML validated against the parameter registry, with inheritance and overrides.
// Every error is a ConfigError whose message names file, line, key, value and the allowed range:
//   scenarios/x.toml:12: mentor.caseload = -3 is outside [1, 30]
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/params.hpp"
#include "engine/sweep.hpp"

namespace asim {

struct Scenario {
  std::string name;         // [scenario] name, else the file stem ("baseline" for the built-in one)
  std::string question;     // [scenario] question: what the scenario answers (may be empty)
  std::string source_path;  // file it came from; "builtin:<name>" for embedded scenarios
  std::string text;         // the scenario file's own text, verbatim
  std::vector<std::string> inherit_chain;  // files inherited, nearest first
  ParamValues values;  // defaults <- inherited files (farthest first) <- this file <- --set
  std::optional<SweepSpec> sweep;  // this file's own [sweep] table (never inherited)
  // A sweep point's parameter values as a label, e.g. "mentor.caseload=5,
  // staff.annual_turnover=0.3"; empty for an ordinary scenario.
  std::string sweep_label;
  // Deprecated keys the scenario used, one line each ("x.toml:2: waves.month3_day is deprecated
  // (element 2 of waves.days): write waves.days = [14, 95, 182, 273]"), for validate and run.
  std::vector<std::string> notes;
};

// Embedded scenarios (compiled in from scenarios/*.toml at build time): name -> TOML text.
// Provided by the model library; "baseline" is the default scenario.
using EmbeddedLookup = std::string_view (*)(std::string_view name);  // empty view when unknown

class ScenarioLoader {
 public:
  ScenarioLoader(const Registry& registry, EmbeddedLookup embedded);
  // Reads a file. `inherit = "other.toml"` (a top-level key) resolves relative to the file's
  // directory; `inherit = "builtin:baseline"` names an embedded scenario. Cycles and missing
  // files are errors naming the chain.
  Scenario load_file(const std::string& path) const;
  // Reads an embedded scenario by name ("baseline").
  Scenario load_builtin(std::string_view name) const;
  // Reads TOML text as if it came from `display_path` (used by both of the above and by tests).
  Scenario load_text(std::string_view text, const std::string& display_path) const;
  // Applies `key=value` from --set (value in TOML syntax: 5, 0.3, true, "closed" or closed).
  void apply_override(Scenario& scenario, std::string_view assignment) const;

 private:
  const Registry* registry_;
  EmbeddedLookup embedded_;
};

}  // namespace asim
