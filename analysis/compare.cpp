// Paired scenario comparison (see compare.hpp).
#include "analysis/compare.hpp"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <sstream>

#include "analysis/panel.hpp"
#include "analysis/plain_summary.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim {

namespace {

struct Stats {
  double mean = 0, var = 0;
  int n = 0;
};

Stats stats(const std::vector<double>& v) {
  Stats s;
  for (double x : v)
    if (!std::isnan(x)) {
      s.mean += x;
      ++s.n;
    }
  if (s.n == 0) return {std::nan(""), std::nan(""), 0};
  s.mean /= s.n;
  for (double x : v)
    if (!std::isnan(x)) s.var += (x - s.mean) * (x - s.mean);
  s.var = s.n > 1 ? s.var / (s.n - 1) : std::nan("");
  return s;
}

std::string fmt(double v, int decimals = 3) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  // A value that rounds to zero prints as 0.000, not -0.000.
  if (buf[0] == '-' && std::strspn(buf + 1, "0.") == std::strlen(buf + 1)) return buf + 1;
  return buf;
}

}  // namespace

double t_quantile_975(double df) {
  if (!(df > 0)) return std::nan("");
  boost::math::students_t dist(df);
  return boost::math::quantile(dist, 0.975);
}

namespace {

// The outcomes after the wave measures, in table order.
const std::vector<std::string> kOutcomeMetrics = {
    "favourable_pct", "dropout_pct", "absconded_pct", "premature_exit_pct", "mentor_changes",
    "ruptures",       "repairs",     "incidents",     "coercive_measures"};

// Which wave each wave metric reads, for W waves with these suffixes (compare.hpp).
struct WaveMetric {
  std::string name;
  int measure;  // 0 alliance_youth, 1 alliance_mentor, 2 motivation, 3 problems
  std::size_t wave;
};

std::vector<WaveMetric> wave_metrics(const std::vector<std::string>& suffixes) {
  const std::size_t W = suffixes.size();
  std::vector<WaveMetric> out;
  if (W == 0) return out;
  for (std::size_t w = 0; w < W; ++w) out.push_back({"alliance_youth_" + suffixes[w], 0, w});
  out.push_back({"alliance_mentor_" + suffixes[settled_wave(W)], 1, settled_wave(W)});
  for (std::size_t w : later_waves(W)) out.push_back({"motivation_" + suffixes[w], 2, w});
  out.push_back({"problems_" + suffixes[W - 1], 3, W - 1});
  return out;
}

// The wave suffixes of a scenario, from its wave coordinate.
std::vector<std::string> scenario_wave_suffixes(const ResultFile& file,
                                                const std::string& scenario) {
  PanelRequest layout;
  layout.replicates = 0;
  const Panel p = read_panel(file, scenario, layout);
  return wave_suffixes(p.wave_names, p.wave_days);
}

std::vector<std::string> metric_names(const std::vector<std::string>& suffixes) {
  std::vector<std::string> names;
  for (const auto& m : wave_metrics(suffixes)) names.push_back(m.name);
  names.insert(names.end(), kOutcomeMetrics.begin(), kOutcomeMetrics.end());
  return names;
}

std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

}  // namespace

const std::vector<std::string>& comparison_metrics() {
  static const std::vector<std::string> names = metric_names({"first", "3m", "6m", "9m"});
  return names;
}

std::vector<std::string> comparison_metrics(const ResultFile& file, const std::string& scenario) {
  return metric_names(scenario_wave_suffixes(file, scenario));
}

// The first of the pathway metrics: per-youth counts of what happened on the way (mentor
// changes, ruptures and repairs, incidents, coercion), shown after the outcomes so that a
// reader sees why an outcome moved (e.g. less contact: fewer chances to rupture).
const std::string& first_pathway_metric() {
  static const std::string name = "mentor_changes";
  return name;
}

namespace {

// Per-replicate means of every metric and, when `youth_sd` is not null, each metric's standard
// deviation among the youths, pooled within replicates (replicate_metrics, youth_sd_metrics).
std::vector<std::vector<double>> read_metrics(const ResultFile& file, const std::string& scenario,
                                              std::vector<double>* youth_sd) {
  h5::Handle g = h5::open_group(file.id(), "scenarios/" + scenario);
  const auto R = static_cast<std::size_t>(h5::get_attr_int(g.id(), "replicates_written"));
  const auto N = static_cast<std::size_t>(h5::get_attr_int(g.id(), "cohort_size"));
  const auto suffixes = scenario_wave_suffixes(file, scenario);
  const std::size_t W = suffixes.size();
  auto read = [&](const std::string& path, auto& out, bool waves) {
    h5::Handle ds = h5::open_dataset(g.id(), path);
    const auto shape = h5::shape(ds.id());
    if (shape.size() != (waves ? 3u : 2u) || shape[0] < R || shape[1] != N ||
        (waves && shape[2] != W))
      throw ConfigError(file.path() + ": " + scenario + "/" + path + " has an unexpected shape");
    if (waves)
      h5::read(ds.id(), out, {0, 0, 0}, {R, N, W});
    else
      h5::read(ds.id(), out, {0, 0}, {R, N});
  };
  std::vector<float> ay, am, mo, pr;
  std::vector<std::int32_t> reason, favourable, changes, ruptures, repairs, incidents, coercion;
  read("youth/waves/alliance_youth", ay, true);
  read("youth/waves/alliance_mentor", am, true);
  read("youth/waves/motivation", mo, true);
  read("youth/waves/problems", pr, true);
  read("outcomes/exit_reason", reason, false);
  read("outcomes/favourable", favourable, false);
  read("outcomes/mentor_changes", changes, false);
  read("outcomes/ruptures", ruptures, false);
  read("outcomes/repairs", repairs, false);
  read("outcomes/incidents", incidents, false);
  read("outcomes/coercive_measures", coercion, false);
  const auto metrics = wave_metrics(suffixes);
  const std::vector<float>* measures[] = {&ay, &am, &mo, &pr};
  const std::size_t names = metrics.size() + kOutcomeMetrics.size();
  std::vector<std::vector<double>> out(names, std::vector<double>(R, std::nan("")));
  // Youth-level variance per metric: sum over replicates of the within-replicate variance.
  std::vector<double> var_sum(names, 0.0);
  std::vector<int> var_n(names, 0);
  std::vector<double> youth(N);
  // Mean of youth[] without NaN, and (when asked) its variance added to metric m's pool.
  auto mean_of = [&](std::size_t m) {
    const Stats s = stats(youth);
    if (youth_sd && s.n > 1) var_sum[m] += s.var, ++var_n[m];
    return s.mean;
  };
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      const auto& v = *measures[metrics[m].measure];
      for (std::size_t i = 0; i < N; ++i) youth[i] = v[(r * N + i) * W + metrics[m].wave];
      out[m][r] = mean_of(m);
    }
    // The outcomes in kOutcomeMetrics' order: each youth's 0/100 or count.
    const std::function<double(std::size_t)> value[] = {
        [&](std::size_t k) { return 100.0 * favourable[k]; },
        [&](std::size_t k) { return 100.0 * (reason[k] == 2); },
        [&](std::size_t k) { return 100.0 * (reason[k] == 3); },
        [&](std::size_t k) { return 100.0 * (reason[k] == 2 || reason[k] == 3); },
        [&](std::size_t k) { return double(changes[k]); },
        [&](std::size_t k) { return double(ruptures[k]); },
        [&](std::size_t k) { return double(repairs[k]); },
        [&](std::size_t k) { return double(incidents[k]); },
        [&](std::size_t k) { return double(coercion[k]); }};
    static_assert(std::size(value) == 9);
    for (std::size_t m = 0; m < kOutcomeMetrics.size(); ++m) {
      for (std::size_t i = 0; i < N; ++i) youth[i] = value[m](r * N + i);
      out[metrics.size() + m][r] = mean_of(metrics.size() + m);
    }
  }
  if (youth_sd) {
    youth_sd->assign(names, std::nan(""));
    for (std::size_t m = 0; m < names; ++m)
      if (var_n[m] > 0) (*youth_sd)[m] = std::sqrt(var_sum[m] / var_n[m]);
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> replicate_metrics(const ResultFile& file,
                                                   const std::string& scenario) {
  return read_metrics(file, scenario, nullptr);
}

std::vector<double> youth_sd_metrics(const ResultFile& file, const std::string& scenario) {
  std::vector<double> sd;
  read_metrics(file, scenario, &sd);
  return sd;
}

std::string resolve_baseline(const ResultFile& file, const std::string& requested,
                             std::string* why) {
  const auto scenarios = file.scenarios();
  auto has = [&](const std::string& s) {
    return std::find(scenarios.begin(), scenarios.end(), s) != scenarios.end();
  };
  auto say = [&](std::string text) {
    if (why) *why = std::move(text);
  };
  if (!requested.empty()) {
    if (!has(requested)) {
      std::string known;
      const std::size_t shown = std::min<std::size_t>(scenarios.size(), 12);
      for (std::size_t i = 0; i < shown; ++i) known += (i ? ", " : "") + scenarios[i];
      if (shown < scenarios.size())
        known += ", ... (" + std::to_string(scenarios.size()) + " in all)";
      throw ConfigError(file.path() + ": no scenario '" + requested + "' (scenarios: " + known +
                        ")");
    }
    say("chosen with --baseline");
    return requested;
  }
  if (scenarios.empty()) throw ConfigError(file.path() + ": the file holds no scenarios");
  if (has("baseline")) {
    say("the scenario named baseline");
    return "baseline";
  }
  if (h5::exists(file.id(), file.sweep_points_path())) {
    h5::Handle points = h5::open_dataset(file.id(), file.sweep_points_path());
    const auto names = h5::read_string_dataset(points.id());
    if (!names.empty() && has(names.front())) {
      say("the sweep's first design point; --baseline NAME picks another");
      return names.front();
    }
  }
  say("the file's first scenario; --baseline NAME picks another");
  return scenarios.front();
}

PosteriorRun posterior_run(const ResultFile& file) {
  PosteriorRun p;
  if (!h5::exists(file.id(), "posterior")) return p;
  h5::Handle g = h5::open_group(file.id(), "posterior");
  p.draws = static_cast<int>(h5::get_attr_int(g.id(), "draws"));
  p.replicates_per_draw = static_cast<int>(h5::get_attr_int(g.id(), "replicates_per_draw"));
  p.calibration_file = h5::get_attr_string(g.id(), "calibration_file");
  if (p.draws < 1 || p.replicates_per_draw < 1)
    throw ConfigError(file.path() + ": /posterior has draws or replicates_per_draw below 1");
  return p;
}

namespace {

// Sample quantile, type 7 (R's default), of values without NaN.
double quantile7(std::vector<double> x, double p) {
  std::sort(x.begin(), x.end());
  const double h = p * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

// The effect in each posterior draw and what the draws say about it (see Difference).
void add_parameter_uncertainty(Difference& d, const std::vector<double>& diff,
                               const PosteriorRun& post) {
  const std::size_t R = static_cast<std::size_t>(post.replicates_per_draw);
  std::vector<double> effects;
  double within = 0;  // mean within-draw variance of one replicate's difference
  for (std::size_t k = 0; (k + 1) * R <= diff.size(); ++k) {
    const std::vector<double> draw(diff.begin() + static_cast<long>(k * R),
                                   diff.begin() + static_cast<long>((k + 1) * R));
    const Stats s = stats(draw);
    effects.push_back(s.mean);
    within += R > 1 ? s.var : 0.0;
  }
  if (effects.empty()) return;
  within /= static_cast<double>(effects.size());
  const Stats e = stats(effects);
  d.posterior_draws = static_cast<int>(effects.size());
  d.posterior_file = post.calibration_file;
  d.param_low = quantile7(effects, 0.025);
  d.param_high = quantile7(effects, 0.975);
  // Var(effect of a draw) = Var(parameters) + (chance within a draw) / R.
  const double chance = within / static_cast<double>(R);
  d.param_share = e.var > 0 ? std::clamp((e.var - chance) / e.var, 0.0, 1.0) : std::nan("");
  long same = 0;
  for (double x : effects) same += (x > 0) == (d.difference > 0) && x != 0;
  d.p_sign = static_cast<double>(same) / static_cast<double>(effects.size());
}

}  // namespace

std::vector<Difference> compare_scenarios(const ResultFile& file, const std::string& requested,
                                          const std::vector<std::string>& metrics,
                                          std::vector<std::string>* notes) {
  const PosteriorRun posterior = posterior_run(file);
  const auto scenarios = file.scenarios();
  const std::string baseline = resolve_baseline(file, requested);
  const std::string baseline_label = file.sweep_label(baseline);
  const auto names = comparison_metrics(file, baseline);
  std::vector<std::size_t> chosen;
  for (const auto& m : metrics) {
    const auto it = std::find(names.begin(), names.end(), m);
    if (it == names.end()) {
      // A wave outcome (alliance_youth_12m) of a wave the baseline does not have, or an unknown
      // name altogether.
      bool wave_outcome = false;
      for (const char* prefix : {"alliance_youth_", "alliance_mentor_", "motivation_", "problems_"})
        wave_outcome = wave_outcome || m.rfind(prefix, 0) == 0;
      throw ConfigError("--outcome " + m + ": " +
                        (wave_outcome
                             ? "not an outcome of baseline '" + baseline + "', whose waves are " +
                                   joined(scenario_wave_suffixes(file, baseline))
                             : std::string("unknown outcome")) +
                        " (allowed: " + joined(names) + ")");
    }
    chosen.push_back(static_cast<std::size_t>(it - names.begin()));
  }
  const bool all = chosen.empty();
  if (all)
    for (std::size_t m = 0; m < names.size(); ++m) chosen.push_back(m);

  auto seed_of = [&](const std::string& s) {
    h5::Handle g = h5::open_group(file.id(), "scenarios/" + s);
    return h5::get_attr_int(g.id(), "seed");
  };
  std::vector<double> base_sd;
  const auto base = read_metrics(file, baseline, &base_sd);
  std::vector<Difference> rows;
  for (const auto& s : scenarios) {
    if (s == baseline) continue;
    const auto other_names = comparison_metrics(file, s);
    const auto other = replicate_metrics(file, s);
    const bool same_seed = seed_of(s) == seed_of(baseline);
    const std::string label = file.sweep_label(s);
    std::vector<std::string> missing;
    for (std::size_t m : chosen) {
      // Scenarios measured at other waves share only the outcomes of the waves named alike.
      const auto found = std::find(other_names.begin(), other_names.end(), names[m]);
      if (found == other_names.end()) {
        if (!all)
          throw ConfigError("--outcome " + names[m] + ": scenario '" + s +
                            "' has no such outcome: its waves are " +
                            joined(scenario_wave_suffixes(file, s)) + ", the baseline's " +
                            joined(scenario_wave_suffixes(file, baseline)));
        missing.push_back(names[m]);
        continue;
      }
      const auto& theirs = other[static_cast<std::size_t>(found - other_names.begin())];
      const std::size_t R = std::min(base[m].size(), theirs.size());
      std::vector<double> diff(R), a(base[m].begin(), base[m].begin() + static_cast<long>(R)),
          b(theirs.begin(), theirs.begin() + static_cast<long>(R));
      for (std::size_t r = 0; r < R; ++r) diff[r] = b[r] - a[r];
      const Stats sa = stats(a), sb = stats(b), sd = stats(diff);
      Difference d;
      d.scenario = s;
      d.metric = names[m];
      d.baseline_scenario = baseline;
      d.scenario_label = label;
      d.baseline_label = baseline_label;
      d.replicates = sd.n;
      d.paired = same_seed;
      d.baseline = sa.mean;
      d.value = sb.mean;
      d.difference = sb.mean - sa.mean;
      // Welch interval: what independent (unpaired) replicates would give.
      const double se_u = std::sqrt(sa.var / sa.n + sb.var / sb.n);
      const double df_u = std::pow(se_u, 4) / (std::pow(sa.var / sa.n, 2) / (sa.n - 1) +
                                               std::pow(sb.var / sb.n, 2) / (sb.n - 1));
      d.unpaired_half_width = t_quantile_975(df_u) * se_u;
      if (same_seed) {
        const double half = t_quantile_975(sd.n - 1) * std::sqrt(sd.var / sd.n);
        d.ci_low = sd.mean - half;
        d.ci_high = sd.mean + half;
        d.replicates_unpaired_equivalent =
            sd.var > 0 ? sd.n * (sa.var + sb.var) / sd.var : std::nan("");
      } else {
        d.ci_low = d.difference - d.unpaired_half_width;
        d.ci_high = d.difference + d.unpaired_half_width;
        d.replicates_unpaired_equivalent = sd.n;
      }
      if (posterior.draws > 0 && same_seed) add_parameter_uncertainty(d, diff, posterior);
      d.baseline_sd = base_sd[m];
      if (base_sd[m] > 0) d.effect_size = d.difference / base_sd[m];
      rows.push_back(d);
    }
    if (!missing.empty() && notes)
      notes->push_back(s + " vs " + baseline + ": not compared (measured at other waves: " +
                       joined(scenario_wave_suffixes(file, s)) + " against " +
                       joined(scenario_wave_suffixes(file, baseline)) + "): " + joined(missing));
  }
  return rows;
}

std::string format_comparison_table(const std::vector<Difference>& rows) {
  std::ostringstream o;
  std::string current;
  for (const auto& d : rows) {
    if (d.scenario != current) {
      current = d.scenario;
      auto named = [](const std::string& name, const std::string& label) {
        return label.empty() ? name : name + " (" + label + ")";
      };
      o << "\n"
        << named(d.scenario, d.scenario_label) << " vs "
        << named(d.baseline_scenario, d.baseline_label) << " (" << d.replicates << " replicates, "
        << (d.paired ? "paired: same seed, common random numbers" : "unpaired: different seeds")
        << ")\n";
      char head[256];
      std::snprintf(head, sizeof head, "  %-22s %10s %10s %10s %23s %14s %12s\n", "outcome",
                    "baseline", "scenario", "difference", "95% CI", "unpaired CI +/-",
                    "unpaired n");
      o << head;
    }
    if (d.metric == first_pathway_metric()) o << "  pathways, per youth (why the outcomes move):\n";
    char line[320];
    std::snprintf(line, sizeof line, "  %-22s %10s %10s %10s %23s %14s %12s\n", d.metric.c_str(),
                  fmt(d.baseline).c_str(), fmt(d.value).c_str(), fmt(d.difference).c_str(),
                  ("[" + fmt(d.ci_low) + ", " + fmt(d.ci_high) + "]").c_str(),
                  fmt(d.unpaired_half_width).c_str(),
                  fmt(d.replicates_unpaired_equivalent, 0).c_str());
    o << line;
    if (d.posterior_draws > 0) {
      char pline[320];
      std::snprintf(pline, sizeof pline,
                    "  %-22s %10s %10s %10s %23s   %2.0f %% of it from parameters, P(sign) %.2f\n",
                    "  with parameters", "", "", "",
                    ("[" + fmt(d.param_low) + ", " + fmt(d.param_high) + "]").c_str(),
                    100 * d.param_share, d.p_sign);
      o << pline;
    }
  }
  for (const auto& d : rows)
    if (d.posterior_draws > 0) {
      o << "\n'with parameters': the interval includes parameter uncertainty from "
        << d.posterior_file << ", " << d.posterior_draws
        << " draws of its posterior: the central 95 % of the effect over the draws (each draw the\n"
           "mean of its replicates), the share of that spread the parameters cause (the rest is "
           "chance),\nand P(sign): the share of the draws in which the effect has the sign of the "
           "difference.\nThe 95 % CI beside the difference is the Monte Carlo uncertainty of the "
           "mean alone.\n";
      break;
    }
  if (!rows.empty()) {
    // A sentence for each term of the table, for readers who are not statisticians.
    const auto any = [&](bool paired) {
      return std::any_of(rows.begin(), rows.end(),
                         [&](const Difference& d) { return d.paired == paired; });
    };
    o << "\nHow to read the technical table:\n"
         "  outcome: the name that --outcome, --csv and --json use; the summary above says each "
         "in\n"
         "    words.\n"
         "  replicates: independent simulated runs of the whole institution, each with its own "
         "youths\n"
         "    and chance events; baseline and scenario are the means over them.\n";
    if (any(true))
      o << "  paired, common random numbers: both scenarios were run with the same seed, so "
           "replicate r\n"
           "    of each meets the same youths and the same chance events, and the difference is "
           "the\n"
           "    policy's effect rather than luck; it is averaged over the replicate pairs.\n";
    if (any(false))
      o << "  unpaired, different seeds: the scenarios met different youths, so the interval is "
           "Welch's,\n"
           "    the usual interval for the difference of two independent means with unequal "
           "spread.\n";
    o << "  difference: scenario minus baseline, in the outcome's unit (scale points, percentage "
         "points,\n"
         "    or per youth); whether higher is better depends on the outcome (see the summary "
         "above).\n"
         "  95% CI: the 95 % confidence interval of the difference: the range of true differences\n"
         "    (of infinitely many replicates) that these replicates are consistent with.\n"
         "  unpaired CI +/-: half the width of the interval that independent runs (different "
         "seeds,\n"
         "    no common random numbers) would give with the same number of replicates.\n"
         "  unpaired n: replicates per scenario that independent runs would need for a confidence\n"
         "    interval as narrow as the paired one.\n"
         "  pathways: a rupture needs contact, so a policy that cuts contact (fewer workers, "
         "larger\n"
         "    caseloads) can show fewer ruptures and repairs together with a weaker alliance; "
         "read\n"
         "    them beside the alliance rows (docs/ODD.md).\n";
  }
  return o.str();
}

std::string format_comparison_csv(const std::vector<Difference>& rows) {
  std::ostringstream o;
  o << "scenario,outcome,replicates,paired,baseline,value,difference,ci_low,ci_high,"
       "unpaired_half_width,replicates_unpaired_equivalent,baseline_scenario,scenario_label,"
       "baseline_label";
  const bool posterior = std::any_of(rows.begin(), rows.end(),
                                     [](const Difference& d) { return d.posterior_draws > 0; });
  // Runs over posterior draws add the parameter-uncertainty columns at the end.
  if (posterior)
    o << ",posterior_draws,param_ci_low,param_ci_high,param_share,p_sign,posterior_file";
  // The plain-language columns (analysis/plain_summary.hpp) last, so that the columns before
  // them keep their places.
  o << ",outcome_label,better_direction,verdict,effect_size\n";
  auto quoted = [](const std::string& text) {
    std::string q = "\"";
    for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (const auto& d : rows)
    o << d.scenario << "," << d.metric << "," << d.replicates << "," << (d.paired ? 1 : 0) << ","
      << fmt(d.baseline, 6) << "," << fmt(d.value, 6) << "," << fmt(d.difference, 6) << ","
      << fmt(d.ci_low, 6) << "," << fmt(d.ci_high, 6) << "," << fmt(d.unpaired_half_width, 6) << ","
      << fmt(d.replicates_unpaired_equivalent, 1) << "," << d.baseline_scenario << ","
      << quoted(d.scenario_label) << "," << quoted(d.baseline_label)
      << (posterior ? "," + std::to_string(d.posterior_draws) + "," + fmt(d.param_low, 6) + "," +
                          fmt(d.param_high, 6) + "," + fmt(d.param_share, 4) + "," +
                          fmt(d.p_sign, 4) + "," + quoted(d.posterior_file)
                    : std::string())
      << "," << quoted(outcome_meaning(d.metric).words) << ","
      << better_direction(outcome_meaning(d.metric).better) << "," << verdict(d) << ","
      << fmt(d.effect_size, 4) << "\n";
  return o.str();
}

std::string format_comparison_json(const std::vector<Difference>& rows) {
  std::ostringstream o;
  auto num = [](double v) { return std::isnan(v) ? std::string("null") : fmt(v, 6); };
  auto text = [](const std::string& s) {  // JSON string contents
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  };
  o << "[\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& d = rows[i];
    o << "  {\"scenario\": \"" << text(d.scenario) << "\", \"outcome\": \"" << d.metric
      << "\", \"replicates\": " << d.replicates << ", \"paired\": " << (d.paired ? "true" : "false")
      << ", \"baseline\": " << num(d.baseline) << ", \"value\": " << num(d.value)
      << ", \"difference\": " << num(d.difference) << ", \"ci_low\": " << num(d.ci_low)
      << ", \"ci_high\": " << num(d.ci_high)
      << ", \"unpaired_half_width\": " << num(d.unpaired_half_width)
      << ", \"replicates_unpaired_equivalent\": " << num(d.replicates_unpaired_equivalent)
      << ", \"baseline_scenario\": \"" << text(d.baseline_scenario) << "\", \"scenario_label\": \""
      << text(d.scenario_label) << "\", \"baseline_label\": \"" << text(d.baseline_label) << "\"";
    if (d.posterior_draws > 0)
      o << ", \"posterior_draws\": " << d.posterior_draws
        << ", \"param_ci_low\": " << num(d.param_low)
        << ", \"param_ci_high\": " << num(d.param_high)
        << ", \"param_share\": " << num(d.param_share) << ", \"p_sign\": " << num(d.p_sign)
        << ", \"posterior_file\": \"" << text(d.posterior_file) << "\"";
    o << ", \"outcome_label\": \"" << text(outcome_meaning(d.metric).words)
      << "\", \"better_direction\": \"" << better_direction(outcome_meaning(d.metric).better)
      << "\", \"verdict\": \"" << verdict(d) << "\", \"effect_size\": " << num(d.effect_size);
    o << "}" << (i + 1 < rows.size() ? "," : "") << "\n";
  }
  o << "]\n";
  return o.str();
}

}  // namespace asim
