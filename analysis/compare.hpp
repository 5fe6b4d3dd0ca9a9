// Scenario comparison from a result file: per-replicate outcome metrics, paired differences
// against a baseline scenario with 95 % confidence intervals over replicates. When both
// scenarios were run with the same seed, replicate r of each saw the same youths and the same
// draws (common random numbers), so differences are paired; the unpaired (Welch) interval is
// reported beside it to show what common random numbers save.
#pragma once
#include <limits>
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"

namespace asim {

// Names of the metrics compare can report for a scenario, in table order: youth-rated alliance
// at every wave, mentor-rated alliance at the settled wave, motivation at the later waves,
// problems at the last wave (wave roles and name suffixes: analysis/panel.hpp), then the
// outcomes (favourable_pct, ...) and pathways (mentor_changes, ...).
std::vector<std::string> comparison_metrics(const ResultFile& file, const std::string& scenario);
// The same for the study's four waves (first, 3m, 6m, 9m): the default scenario's names.
const std::vector<std::string>& comparison_metrics();

// Per-replicate values of every metric for one scenario, [metric][replicate], in the order of
// comparison_metrics(file, scenario).
std::vector<std::vector<double>> replicate_metrics(const ResultFile& file,
                                                   const std::string& scenario);
// The standard deviation of every metric among one scenario's youths, pooled within replicates
// (the square root of the mean within-replicate variance), in the same order. For the %
// outcomes each youth counts 0 or 100; for the counts, the youth's count.
std::vector<double> youth_sd_metrics(const ResultFile& file, const std::string& scenario);

struct Difference {
  std::string scenario, metric;
  std::string baseline_scenario;               // the scenario compared against
  std::string scenario_label, baseline_label;  // sweep points' parameter values, else empty
  int replicates = 0;                          // replicate pairs used
  bool paired = false;                         // same seed: common random numbers
  double baseline = 0, value = 0, difference = 0;
  double ci_low = 0, ci_high = 0;             // 95 % CI of the difference (paired when `paired`)
  double unpaired_half_width = 0;             // Welch 95 % half-width at the same replicates
  double replicates_unpaired_equivalent = 0;  // replicates an unpaired design needs for this width
  // Runs over posterior draws (`run --posterior calib.h5 --draws K`, /posterior in the file):
  // the effect in each draw (mean over the draw's replicates) varies with the parameters and
  // with chance. 0 draws: an ordinary run, and the fields below are unset.
  int posterior_draws = 0;
  std::string posterior_file;            // the calibration file the draws came from
  double param_low = 0, param_high = 0;  // 2.5 % and 97.5 % quantiles of the draws' effects
  double param_share = 0;  // share of the draws' effect variance due to the parameters (0-1)
  double p_sign = 0;       // share of the draws whose effect has the sign of `difference`
  // The size of the effect on a common scale, for ranking (analysis/plain_summary.hpp): the
  // outcome's standard deviation among the baseline's youths (pooled within replicates; for a %
  // outcome, of the youth's 0/100 value), and the difference in those units (Glass's delta).
  // NaN when the baseline's youths do not vary.
  double baseline_sd = std::numeric_limits<double>::quiet_NaN();
  double effect_size = std::numeric_limits<double>::quiet_NaN();
};

// The posterior draws a result file was run over (group /posterior), if any.
struct PosteriorRun {
  int draws = 0, replicates_per_draw = 0;
  std::string calibration_file;
};
PosteriorRun posterior_run(const ResultFile& file);

// The baseline of a comparison: `requested` when given (ConfigError naming the scenarios when
// there is no such scenario); else "baseline" when the file has it; else, for a sweep, its first
// design point; else the file's first scenario. `why` (when not null) says how it was chosen.
std::string resolve_baseline(const ResultFile& file, const std::string& requested,
                             std::string* why = nullptr);

// `baseline` as for resolve_baseline. Throws ConfigError for an unknown scenario or metric, or a
// requested metric (`metrics`) that a scenario lacks (it measured at other waves). With no
// metrics requested, a scenario is compared on the metrics it shares with the baseline; `notes`
// (when not null) gets one line per scenario naming those left out.
std::vector<Difference> compare_scenarios(const ResultFile& file, const std::string& baseline,
                                          const std::vector<std::string>& metrics,
                                          std::vector<std::string>* notes = nullptr);

// The technical table, with a sentence for each term a non-statistician may not know.
std::string format_comparison_table(const std::vector<Difference>& rows);
// CSV and JSON: a row per difference. After the columns above (and the posterior columns of a
// run over posterior draws) come outcome_label (the plain name), better_direction (higher,
// lower or neither: which direction of the outcome is better), verdict (better, worse, no clear
// difference; higher or lower for an outcome with no better direction) and effect_size (see
// analysis/plain_summary.hpp).
std::string format_comparison_csv(const std::vector<Difference>& rows);
std::string format_comparison_json(const std::vector<Difference>& rows);

// Two-sided 95 % quantile of Student's t with `df` degrees of freedom.
double t_quantile_975(double df);

}  // namespace asim
