// `alliance-sim analyse`: the researcher's statistics, computed from a result file.
//
//   descriptives      per measure (youth-, mentor-, parent-, observer-rated alliance,
//                     motivation, problems), setting and wave: n, missing, mean, SD
//   agreement         informant agreement at each wave: Pearson and Spearman r with Fisher-z
//                     CIs, mean difference and Cohen's d of every pair of raters
//   alliance_outcome  correlation of youth-rated alliance (each wave, change first -> last wave)
//                     with the favourable outcome
//   logistic          favourable on youth and mentor alliance at the second wave (3m), alone
//                     and together;
//   lr_tests          likelihood-ratio tests of adding the second perspective;
//   median_split      favourable % in the four youth x mentor median-split subgroups
//   clpm              cross-lagged panel paths of youth alliance and motivation between
//                     consecutive waves after the first (3m/6m/9m; with two waves, the two),
//                     by setting, per replicate (clpm_replicates) and pooled over replicates
//   survival          Kaplan-Meier S(t) of time to premature exit (drop-out or absconding;
//                     other exits censored) by setting and by problem profile
//   hazard            premature exits per 1000 youth-days by tertile of first-wave alliance
//
// The scenario's waves are those of its file, any number (wave roles: analysis/panel.hpp).
//   trajectories      youth- and mentor-rated alliance per wave: mean of the replicate means,
//                     its CI and the central 95 % of the replicate means (the report's bands)
//   survival_curve    every step of the Kaplan-Meier curves of survival (the report's curves;
//                     in CSV/JSON, and in text only with --table)
//   peer_change       change in latent problems from intake to the last wave measured, by the
//                     share of acting-out friends at the settled wave (3m), also within groups
//                     of above- and at-or-below-median understaffing where the file has the
//                     group series (groups/daily/understaffed)
//   co_absconding     absconding exits of youths with a ran_off_together event
//   integration       friends and youths without a friend in the living group by wave
//   (the peer tables are empty for a file without the peer measures; co_absconding and the
//   understaffing strata need the file, so analyse_panel leaves them out)
//
// Everything is read from the file by its documented name (docs/hdf5-schema.md) through
// analysis/panel.hpp, with shapes checked; a file that lacks a name gives a ConfigError naming
// it. Only the first `replicates_written` replicates of a scenario are used. Every youth of
// every replicate is one observation, except in clpm, which fits each replicate and pools.
#pragma once
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"
#include "analysis/tables.hpp"

namespace asim {

struct Analysis {
  std::string file;
  std::vector<Table> tables;
};

// Runs every analysis on every scenario (or only `scenario`). Tables hold the rows of all
// scenarios, each row starting with the scenario name.
Analysis analyse(const ResultFile& file, const std::string& scenario = "");

struct Panel;
// The same tables for one scenario's youth data already in memory (analysis/panel.hpp), e.g.
// a calibration's simulated replicates: the panel needs analysis_wave_measures() and the fields
// setting, profile, exit_reason, exit_day and favourable.
std::vector<Table> analyse_panel(const Panel& panel);
const std::vector<std::string>& analysis_wave_measures();

// Names of the tables analyse() produces, in order.
const std::vector<std::string>& analysis_table_names();

// Output (see tables.hpp). `only` names one table or is empty for all.
inline std::string format_analysis_text(const Analysis& a, const std::string& only = "") {
  return format_tables_text("analysis of " + a.file, a.tables, only);
}
inline std::string format_analysis_csv(const Analysis& a, const std::string& only = "") {
  return format_tables_csv(a.tables, only);
}
inline std::string format_analysis_json(const Analysis& a, const std::string& only = "") {
  return format_tables_json(a.file, a.tables, only);
}

}  // namespace asim
