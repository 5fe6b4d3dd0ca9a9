// Calibration targets (targets/*.toml, docs/calibration.md): figures from the literature that
// the model is fitted to. Each target names a statistic of the catalogue
// (analysis/calibration_stats.hpp), the row it means, the figure, its uncertainty and a source:
//
//   [[target]]
//   name = "youth_mentor_agreement_3m"
//   statistic = "agreement.r"
//   where = { wave = "3m", rater_a = "youth", rater_b = "mentor" }
//   value = 0.32
//   tolerance = 0.05          # or se = 0.03: one of the two, > 0
//   weight = 1                # optional, default 1, >= 0
//   bound = "both"            # optional: "upper" or "lower" for a one-sided figure (below)
//   source = "Roest et al. (cross-informant meta-analysis, youth care)"
//   note = "pooled over the treatment"   # optional
//
// A one-sided target is a figure the model's statistic can only undercount (bound = "upper": the
// simulated value should not exceed it) or only overcount ("lower": not fall below it), e.g. a
// share of whole stays against the model's share within its nine-month follow-up, which counts
// only the endings before the 9-month wave. On the allowed side its standardised error is 0.
//
// Every error is a ConfigError naming file:line, the key, the value and what is allowed, with
// "did you mean" hints for statistics, keys and key values.
#pragma once
#include <string>
#include <vector>

#include "analysis/calibration_stats.hpp"

namespace asim {

// Which side of its value a target bounds (see above).
enum class TargetBound { kBoth, kUpper, kLower };
const char* target_bound_name(TargetBound b);  // "both", "upper", "lower"
// The bound of a name; ConfigError for another name.
TargetBound target_bound_of(const std::string& name);
// (simulated - value) / uncertainty, or 0 on the allowed side of a one-sided target.
double standardised_error(double simulated, double value, double uncertainty, TargetBound bound);

struct Target {
  std::string name, statistic, table, column;
  KeyValues where;
  double value = 0;
  double uncertainty = 0;  // se or tolerance: the scale of a standardised error
  bool is_se = false;      // uncertainty given as `se` (else `tolerance`)
  double weight = 1;
  TargetBound bound = TargetBound::kBoth;
  std::string source, note;
  unsigned line = 0;  // of the [[target]] header, for messages
};

struct TargetSet {
  std::string path;  // as given (for messages)
  std::string text;  // the file's text, verbatim (stored in calibration files)
  std::vector<Target> targets;
  // "path:line: target 'name'" for messages about target i.
  std::string where(std::size_t i) const;
};

// Reads and checks a targets file against the catalogue for these waves.
TargetSet load_targets(const std::string& path, const std::vector<std::string>& wave_names);
TargetSet parse_targets(const std::string& text, const std::string& display_path,
                        const std::vector<std::string>& wave_names);

// Each target's simulated value from the statistic tables of one simulation; NaN where the
// simulation could not estimate it (e.g. no closed youth left at 9 months). ConfigError naming
// the target's file:line when its row does not exist at all (a key combination the table never
// has, e.g. by = "setting", group = "mixed").
std::vector<double> evaluate_targets(const TargetSet& set, const std::vector<Table>& tables);

// Standardised error (simulated - value) / uncertainty of each target (0 on the allowed side of
// a one-sided target).
std::vector<double> standardised_errors(const TargetSet& set, const std::vector<double>& simulated);
// The ABC distance: sum of weight * standardised error^2 over the targets; +infinity when a
// target with positive weight is NaN.
double target_distance(const TargetSet& set, const std::vector<double>& simulated);

}  // namespace asim
