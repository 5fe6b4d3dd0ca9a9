// The statistics of calibration targets: see calibration_stats.hpp.
#include "analysis/calibration_stats.hpp"

#include <cmath>
#include <limits>

#include "analysis/analyse.hpp"
#include "analysis/statistics.hpp"

namespace asim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Codes of schema_version 1 (docs/hdf5-schema.md), as in analyse.cpp.
constexpr int kExitInCare = 0, kExitPlanned = 1, kExitDropout = 2, kExitAbsconded = 3,
              kExitTransferred = 4;

const std::vector<std::string> kRated{"alliance_youth",    "alliance_mentor", "alliance_parent",
                                      "alliance_observer", "motivation",      "problems"};
const std::vector<std::string> kLatent{"alliance_true", "motivation_true", "problems_true",
                                       "engagement_true"};
const std::vector<std::string> kRaters{"youth", "mentor", "parent", "observer"};
const std::vector<std::string> kExitReasons{"any",         "planned",   "dropout",  "absconded",
                                            "transferred", "premature", "unplanned"};
const std::vector<std::string> kExitDays{"30", "91", "182", "273"};
const std::vector<std::string> kGroupsAll{"all",           "open",          "closed",
                                          "externalising", "internalising", "mixed"};
const char* const kProfileNames[] = {"externalising", "internalising", "mixed"};
const char* const kSettingNames[] = {"open", "closed"};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A subgroup of the panel's youths: everyone, a setting or a problem profile.
struct Subgroup {
  std::string by, group;
  std::vector<bool> mask;
};

std::vector<Subgroup> subgroups(const Panel& p) {
  const auto& setting = p.field("setting");
  const auto& profile = p.field("profile");
  const std::size_t M = setting.size();
  std::vector<Subgroup> out;
  out.push_back({"all", "all", std::vector<bool>(M, true)});
  for (int s = 0; s < 2; ++s) {
    Subgroup g{"setting", kSettingNames[s], std::vector<bool>(M)};
    for (std::size_t k = 0; k < M; ++k) g.mask[k] = setting[k] == s;
    out.push_back(std::move(g));
  }
  for (int f = 0; f < 3; ++f) {
    Subgroup g{"profile", kProfileNames[f], std::vector<bool>(M)};
    for (std::size_t k = 0; k < M; ++k) g.mask[k] = profile[k] == f;
    out.push_back(std::move(g));
  }
  return out;
}

std::vector<double> subset(const std::vector<double>& x, const std::vector<bool>& mask) {
  std::vector<double> out;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (mask[k]) out.push_back(x[k]);
  return out;
}

bool has_reason(int reason, const std::string& which) {
  if (which == "any") return reason != kExitInCare;
  if (which == "planned") return reason == kExitPlanned;
  if (which == "dropout") return reason == kExitDropout;
  if (which == "absconded") return reason == kExitAbsconded;
  if (which == "transferred") return reason == kExitTransferred;
  if (which == "premature") return reason == kExitDropout || reason == kExitAbsconded;
  return reason == kExitDropout || reason == kExitAbsconded || reason == kExitTransferred;
}

// Share of the youths of each subgroup who left care for a reason by a day since admission.
Table exits_table(const Panel& p, const std::vector<Subgroup>& groups) {
  Table t{"exits",
          "Exits by reason: share of the youths who left care by a day since admission",
          {"premature = drop-out or absconding; unplanned = premature or transfer; any = every "
           "exit. Follow-up ends at the last wave."},
          {"scenario", "by", "group", "reason", "day", "n", "exits", "pct"},
          {},
          true};
  const auto& reason = p.field("exit_reason");
  const auto& exit_day = p.field("exit_day");
  for (const auto& g : groups)
    for (const auto& which : kExitReasons)
      for (const auto& day_text : kExitDays) {
        const double day = std::stod(day_text);
        long n = 0, exits = 0;
        for (std::size_t k = 0; k < reason.size(); ++k) {
          if (!g.mask[k] || std::isnan(reason[k])) continue;
          ++n;
          const int r = static_cast<int>(reason[k]);
          if (r != kExitInCare && has_reason(r, which) && !std::isnan(exit_day[k]) &&
              exit_day[k] <= day)
            ++exits;
        }
        t.rows.push_back(
            {text(p.scenario), text(g.by), text(g.group), text(which),
             count(static_cast<long long>(day)), count(n), count(exits),
             num(n ? 100.0 * static_cast<double>(exits) / static_cast<double>(n) : kNaN)});
      }
  return t;
}

// Open minus closed for every rated and latent measure at every wave.
Table setting_difference_table(const Panel& p) {
  Table t{"setting_difference",
          "Open minus closed settings, by measure and wave",
          {"d: Cohen's d (pooled SD of the two settings); every youth measured at the wave."},
          {"scenario", "measure", "wave", "n_open", "n_closed", "mean_open", "mean_closed",
           "sd_open", "sd_closed", "difference", "d"},
          {},
          true};
  const auto& setting = p.field("setting");
  std::vector<bool> open(setting.size()), closed(setting.size());
  for (std::size_t k = 0; k < setting.size(); ++k)
    open[k] = setting[k] == 0, closed[k] = setting[k] == 1;
  for (const auto& m : concat(kRated, kLatent))
    for (std::size_t w = 0; w < p.waves; ++w) {
      const auto x = p.at_wave(m, w);
      const auto a = subset(x, open), b = subset(x, closed);
      const auto da = stats::describe(a), db = stats::describe(b);
      const auto d = stats::cohens_d(a, b);
      t.rows.push_back({text(p.scenario), text(m), text(p.wave_names[w]), count(da.n), count(db.n),
                        num(da.mean), num(db.mean), num(da.sd), num(db.sd), num(da.mean - db.mean),
                        num(d.d)});
    }
  return t;
}

// Descriptives of every rated and latent measure in every subgroup.
Table subgroups_table(const Panel& p, const std::vector<Subgroup>& groups) {
  Table t{"subgroups",
          "Descriptives of rated and latent measures by setting and problem profile",
          {"Latent measures (*_true) are the model's truth on the rating's scale."},
          {"scenario", "measure", "by", "group", "wave", "n", "mean", "sd"},
          {},
          true};
  for (const auto& m : concat(kRated, kLatent))
    for (std::size_t w = 0; w < p.waves; ++w) {
      const auto x = p.at_wave(m, w);
      for (const auto& g : groups) {
        const auto d = stats::describe(subset(x, g.mask));
        t.rows.push_back({text(p.scenario), text(m), text(g.by), text(g.group),
                          text(p.wave_names[w]), count(d.n), num(d.mean), num(d.sd)});
      }
    }
  return t;
}

// How well each informant's rating reflects the latent alliance.
Table validity_table(const Panel& p) {
  Table t{"validity",
          "Correlation of each informant's alliance rating with the latent alliance",
          {"An instrument with reliability rho correlates at most sqrt(rho) with the truth."},
          {"scenario", "rater", "wave", "n", "r"},
          {},
          true};
  for (const auto& rater : kRaters)
    for (std::size_t w = 0; w < p.waves; ++w) {
      const auto c =
          stats::pearson(p.at_wave("alliance_" + rater, w), p.at_wave("alliance_true", w));
      t.rows.push_back(
          {text(p.scenario), text(rater), text(p.wave_names[w]), count(c.n), num(c.r)});
    }
  return t;
}

std::vector<std::string> measure_wave_names(const std::vector<std::string>& measures,
                                            const std::vector<std::string>& waves) {
  std::vector<std::string> out;
  for (const auto& m : measures)
    for (const auto& w : waves) out.push_back(m + "_" + w);
  return out;
}

const std::vector<std::string> kCorrelationX{"alliance_youth", "alliance_mentor", "alliance_parent",
                                             "alliance_observer"};
const std::vector<std::string> kCorrelationY{"motivation", "problems", "parent_outcome"};

// Pearson r of each informant's alliance at each wave with the favourable outcome and with the
// youth's motivation and problems and the parent's own outcome at each wave.
Table correlation_table(const Panel& p) {
  Table t{"correlation",
          "Alliance ratings and outcomes: Pearson r over the youths with both values",
          {"x: <rater alliance>_<wave>; y: favourable, or <measure>_<wave>."},
          {"scenario", "x", "y", "n", "r"},
          {},
          true};
  const auto& favourable = p.field("favourable");
  for (const auto& xm : kCorrelationX)
    for (std::size_t wx = 0; wx < p.waves; ++wx) {
      const auto x = p.at_wave(xm, wx);
      const std::string xname = xm + "_" + p.wave_names[wx];
      const auto c = stats::pearson(x, favourable);
      t.rows.push_back({text(p.scenario), text(xname), text("favourable"), count(c.n), num(c.r)});
      for (const auto& ym : kCorrelationY)
        for (std::size_t wy = 0; wy < p.waves; ++wy) {
          const auto cy = stats::pearson(x, p.at_wave(ym, wy));
          t.rows.push_back({text(p.scenario), text(xname), text(ym + "_" + p.wave_names[wy]),
                            count(cy.n), num(cy.r)});
        }
    }
  return t;
}

bool cell_matches(const Cell& cell, const std::string& value) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s == value;
  if (const auto* n = std::get_if<long long>(&cell)) return std::to_string(*n) == value;
  return false;
}

}  // namespace

PanelRequest statistic_panel_request() {
  PanelRequest r;
  r.wave_measures = concat(kRated, kLatent);
  r.wave_measures.push_back("parent_outcome");
  r.static_fields = {"setting", "profile"};
  r.outcome_fields = {"exit_reason", "exit_day", "favourable"};
  return r;
}

std::vector<Table> statistic_tables(const Panel& p) {
  std::vector<Table> tables = analyse_panel(p);
  const auto groups = subgroups(p);
  tables.push_back(exits_table(p, groups));
  tables.push_back(setting_difference_table(p));
  tables.push_back(subgroups_table(p, groups));
  tables.push_back(validity_table(p));
  tables.push_back(correlation_table(p));
  return tables;
}

std::optional<double> lookup_statistic(const std::vector<Table>& tables, const std::string& table,
                                       const std::string& column, const KeyValues& where) {
  for (const auto& t : tables) {
    if (t.name != table) continue;
    auto index = [&](const std::string& c) -> std::optional<std::size_t> {
      for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i] == c) return i;
      return std::nullopt;
    };
    const auto value_col = index(column);
    if (!value_col) return std::nullopt;
    std::vector<std::pair<std::size_t, std::string>> keys;
    for (const auto& [c, v] : where) {
      const auto i = index(c);
      if (!i) return std::nullopt;
      keys.emplace_back(*i, v);
    }
    for (const auto& row : t.rows) {
      bool match = true;
      for (const auto& [i, v] : keys) match = match && cell_matches(row[i], v);
      if (!match) continue;
      const Cell& cell = row[*value_col];
      if (const auto* d = std::get_if<double>(&cell)) return *d;
      if (const auto* n = std::get_if<long long>(&cell)) return static_cast<double>(*n);
      return kNaN;  // NA: not estimable in this simulation
    }
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<StatisticDef> statistic_catalogue(const std::vector<std::string>& waves) {
  std::vector<StatisticDef> out;
  auto add = [&](const std::string& table, const std::vector<std::string>& columns,
                 const std::vector<StatisticKey>& keys, const std::string& meaning) {
    for (const auto& c : columns) out.push_back({table + "." + c, table, c, keys, meaning});
  };
  const std::vector<std::string> settings{"all", "open", "closed"};
  // analyse's tables (analysis/analyse.hpp), keyed as their rows are.
  add("descriptives", {"n", "missing", "mean", "sd"},
      {{"measure", kRated}, {"setting", settings}, {"wave", waves}},
      "rated measure by setting and wave (analyse table descriptives)");
  add("agreement", {"r", "rho", "mean_a", "mean_b", "difference", "d"},
      {{"wave", waves},
       {"rater_a", {"youth", "mentor", "parent"}},
       {"rater_b", {"mentor", "parent", "observer"}}},
      "agreement of two informants on the alliance; d = (a - b) / pooled SD (analyse table "
      "agreement; rater_a comes first in the order youth, mentor, parent, observer)");
  std::vector<std::string> predictors = measure_wave_names({"alliance_youth"}, waves);
  predictors.push_back("alliance_youth_change_first_9m");
  add("alliance_outcome", {"n", "favourable_pct", "r"}, {{"predictor", predictors}},
      "youth-rated alliance and the favourable outcome (analyse table alliance_outcome)");
  add("median_split", {"n", "favourable_pct"},
      {{"youth_alliance", {"weak", "strong"}}, {"mentor_alliance", {"weak", "strong"}}},
      "favourable % by median split of youth and mentor alliance at 3m");
  add("lr_tests", {"chi2"}, {{"reduced", {"youth", "mentor"}}},
      "likelihood-ratio chi2 of adding the other informant's rating at 3m");
  std::vector<std::string> paths;
  const std::vector<std::string> vars{"alliance_youth", "motivation"};
  for (const auto& [from, to] :
       std::vector<std::pair<std::string, std::string>>{{"3m", "6m"}, {"6m", "9m"}})
    for (const auto& o : vars)
      for (const auto& q : vars) paths.push_back(q + "_" + from + " -> " + o + "_" + to);
  add("clpm", {"estimate", "between_sd"},
      {{"setting", {"open", "closed", "closed-open"}}, {"path", paths}},
      "standardised cross-lagged panel path, pooled over replicates (analyse table clpm)");
  add("survival", {"survival", "at_risk"},
      {{"by", {"all", "setting", "profile"}}, {"group", kGroupsAll}, {"day", kExitDays}},
      "Kaplan-Meier share still in care without premature exit (analyse table survival)");
  add("hazard", {"hazard_per_1000"}, {{"tertile", {"low", "middle", "high", "all"}}},
      "premature exits per 1000 youth-days by tertile of first-wave alliance");
  add("trajectories", {"mean", "replicates_p2.5", "replicates_p97.5"},
      {{"measure", {"alliance_youth", "alliance_mentor"}}, {"wave", waves}},
      "mean of the replicates' mean ratings (analyse table trajectories)");
  // The calibration tables.
  add("exits", {"n", "pct"},
      {{"by", {"all", "setting", "profile"}},
       {"group", kGroupsAll},
       {"reason", kExitReasons},
       {"day", kExitDays}},
      "% of the youths who left care for the reason by the day since admission");
  add("setting_difference", {"mean_open", "mean_closed", "sd_open", "sd_closed", "difference", "d"},
      {{"measure", concat(kRated, kLatent)}, {"wave", waves}},
      "open minus closed: difference of means and Cohen's d");
  add("subgroups", {"n", "mean", "sd"},
      {{"measure", concat(kRated, kLatent)},
       {"by", {"all", "setting", "profile"}},
       {"group", kGroupsAll},
       {"wave", waves}},
      "rated or latent measure in a subgroup (setting or problem profile) at a wave");
  add("validity", {"r"}, {{"rater", kRaters}, {"wave", waves}},
      "correlation of an informant's alliance rating with the latent alliance");
  std::vector<std::string> ys{"favourable"};
  for (const auto& y : measure_wave_names(kCorrelationY, waves)) ys.push_back(y);
  add("correlation", {"r", "n"}, {{"x", measure_wave_names(kCorrelationX, waves)}, {"y", ys}},
      "Pearson r of an informant's alliance at a wave with an outcome");
  return out;
}

}  // namespace asim
