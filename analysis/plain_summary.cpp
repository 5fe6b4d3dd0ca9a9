// The plain-language summary of a comparison (see plain_summary.hpp).
#include "analysis/plain_summary.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace asim {

namespace {

// Which direction is better, per outcome of compare (analysis/compare.cpp, comparison_metrics),
// from the outcome's definition (models/results.hpp, docs/hdf5-schema.md). Wave outcomes are
// matched by their prefix; `words` and `short_label` then get the wave appended.
struct MeaningRow {
  const char* metric;  // a full name, or a prefix ending in '_' for the wave outcomes
  const char* words;
  const char* short_label;
  OutcomeUnit unit;
  Better better;
  int decimals;
};

// clang-format off
const MeaningRow kOutcomeMeanings[] = {
    // wave outcomes: mean over the youths in care at the wave
    {"alliance_youth_",  "alliance rated by the youth",   "youth alliance",  OutcomeUnit::ScalePoints, Better::Higher, 2},
    {"alliance_mentor_", "alliance rated by the mentor", "mentor alliance", OutcomeUnit::ScalePoints, Better::Higher, 2},
    {"motivation_",      "treatment motivation",         "motivation",      OutcomeUnit::ScalePoints, Better::Higher, 2},
    {"problems_",        "problems",                     "problems",        OutcomeUnit::ScalePoints, Better::Lower,  2},
    // outcomes at the end of follow-up: % of youths admitted
    {"favourable_pct",     "favourable outcome",                          "favourable (% points)",       OutcomeUnit::PercentagePoints, Better::Higher, 1},
    {"dropout_pct",        "drop-out",                                    "drop-out (% points)",         OutcomeUnit::PercentagePoints, Better::Lower,  1},
    {"absconded_pct",      "absconding",                                  "absconding (% points)",       OutcomeUnit::PercentagePoints, Better::Lower,  1},
    {"premature_exit_pct", "leaving care early (drop-out or absconding)", "premature exit (% points)",   OutcomeUnit::PercentagePoints, Better::Lower,  1},
    // pathways: per youth during follow-up
    {"mentor_changes",    "changes of mentor",   "mentor changes per youth",    OutcomeUnit::PerYouth, Better::Neither, 2},
    {"ruptures",          "alliance ruptures",   "ruptures per youth",          OutcomeUnit::PerYouth, Better::Neither, 2},
    {"repairs",           "repaired ruptures",   "repairs per youth",           OutcomeUnit::PerYouth, Better::Neither, 2},
    {"incidents",         "incidents",           "incidents per youth",         OutcomeUnit::PerYouth, Better::Lower,   2},
    {"coercive_measures", "coercive measures",   "coercive measures per youth", OutcomeUnit::PerYouth, Better::Lower,   2},
};
// clang-format on

// A wave's suffix in words: "3m" -> "3 months", "first" -> "first measurement",
// "day_30" -> "day 30", else the suffix with '_' as spaces.
std::string wave_words(const std::string& suffix) {
  if (suffix.size() > 1 && suffix.back() == 'm' &&
      std::all_of(suffix.begin(), suffix.end() - 1,
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return suffix.substr(0, suffix.size() - 1) + (suffix == "1m" ? " month" : " months");
  if (suffix == "first") return "first measurement";
  std::string out = suffix;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

bool rounds_to_zero(double v, int decimals) {
  return std::fabs(v) < 0.5 * std::pow(10.0, -decimals);
}

// "higher"/"lower", or "more"/"fewer" for counts per youth.
const char* direction_word(OutcomeUnit unit, bool up) {
  if (unit == OutcomeUnit::PerYouth) return up ? "more" : "fewer";
  return up ? "higher" : "lower";
}

std::string unit_words(OutcomeUnit unit) {
  switch (unit) {
    case OutcomeUnit::ScalePoints:
      return " points";
    case OutcomeUnit::PercentagePoints:
      return " percentage points";
    case OutcomeUnit::PerYouth:
      return "";
  }
  return "";
}

std::string likelihood_words(double p) {
  return p >= 0.99   ? "virtually certain"
         : p >= 0.90 ? "very likely"
         : p >= 0.66 ? "likely"
         : p >= 0.33 ? "about as likely as not"
                     : "unlikely";
}

}  // namespace

OutcomeMeaning outcome_meaning(const std::string& metric) {
  for (const auto& row : kOutcomeMeanings) {
    const std::string key = row.metric;
    OutcomeMeaning m;
    m.unit = row.unit;
    m.better = row.better;
    m.decimals = row.decimals;
    if (key.back() == '_') {
      if (metric.size() <= key.size() || metric.compare(0, key.size(), key) != 0) continue;
      const std::string wave = metric.substr(key.size());
      m.words = std::string(row.words) + ", " + wave_words(wave);
      m.short_label = std::string(row.short_label) + " " + wave + " (points)";
      return m;
    }
    if (metric != key) continue;
    m.words = row.words;
    m.short_label = row.short_label;
    return m;
  }
  OutcomeMeaning unknown;
  unknown.words = unknown.short_label = metric;
  return unknown;
}

const char* better_direction(Better b) {
  return b == Better::Higher ? "higher" : b == Better::Lower ? "lower" : "neither";
}

double verdict_low(const Difference& d) {
  return d.posterior_draws > 0 ? d.param_low : d.ci_low;
}
double verdict_high(const Difference& d) {
  return d.posterior_draws > 0 ? d.param_high : d.ci_high;
}

std::string verdict(const Difference& d) {
  const double lo = verdict_low(d), hi = verdict_high(d);
  const bool up = lo > 0, down = hi < 0;  // false for NaN
  if (!up && !down) return "no clear difference";
  const Better better = outcome_meaning(d.metric).better;
  if (better == Better::Neither) return up ? "higher" : "lower";
  return (up == (better == Better::Higher)) ? "better" : "worse";
}

std::string change_words(const Difference& d) {
  const OutcomeMeaning m = outcome_meaning(d.metric);
  const int k = m.decimals;
  if (std::isnan(d.difference)) return "not known";
  const bool up = d.difference >= 0;
  const double s = up ? 1 : -1;
  // The interval's ends as amounts in the stated direction, smaller first.
  double a = s * verdict_low(d), b = s * verdict_high(d);
  if (a > b) std::swap(a, b);
  const std::string unit = unit_words(m.unit);
  const std::string per = m.unit == OutcomeUnit::PerYouth ? " per youth" : "";
  std::string interval;
  if (std::isnan(a) || std::isnan(b))
    interval = "[interval not known]";
  else if (a > 0) {
    // More decimals where the near end would print as 0 (a clear change is never "[0.00, ...]").
    int ki = k;
    while (ki < k + 2 && rounds_to_zero(a, ki)) ++ki;
    interval = "[" + fixed(a, ki) + ", " + fixed(b, ki) + "]";
  } else {  // includes no change: the one end lies the other way (never printed as 0.00)
    int ki = k;
    while (ki < k + 2 && (rounds_to_zero(a, ki) || rounds_to_zero(b, ki))) ++ki;
    interval = "[" + fixed(-a, ki) + " " + direction_word(m.unit, !up) + " to " + fixed(b, ki) +
               " " + direction_word(m.unit, up) + "]";
  }
  if (rounds_to_zero(d.difference, k)) return "about the same " + interval;
  return fixed(std::fabs(d.difference), k) + unit + " " + direction_word(m.unit, up) + per + " " +
         interval;
}

std::string how_sure(const Difference& d) {
  if (d.posterior_draws > 0) {
    if (std::isnan(d.p_sign)) return "not known";
    // The words read (k + 1/2) / (K + 1), the posterior mean of the share under Jeffreys'
    // Beta(1/2, 1/2) prior, not k / K: 20 of 20 draws cannot show "at least 99 %".
    const double K = d.posterior_draws, k = std::round(d.p_sign * K);
    return likelihood_words((k + 0.5) / (K + 1)) + " (" + fixed(k, 0) + " of " + fixed(K, 0) +
           " draws)";
  }
  const bool clear = d.ci_low > 0 || d.ci_high < 0;
  return clear ? "clear, at fixed parameters" : "not clear";
}

std::vector<SummaryRow> plain_summary(const std::vector<Difference>& rows) {
  std::vector<SummaryRow> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Difference& d = rows[i];
    const OutcomeMeaning m = outcome_meaning(d.metric);
    if (m.better == Better::Neither) continue;
    SummaryRow r;
    r.row = i;
    r.outcome = m.words;
    r.change = change_words(d);
    r.verdict = verdict(d);
    r.how_sure = how_sure(d);
    r.size = std::fabs(d.effect_size);
    out.push_back(r);
  }
  auto group = [](const SummaryRow& r) { return r.verdict == "no clear difference" ? 1 : 0; };
  std::stable_sort(out.begin(), out.end(), [&](const SummaryRow& x, const SummaryRow& y) {
    if (group(x) != group(y)) return group(x) < group(y);
    const bool kx = !std::isnan(x.size), ky = !std::isnan(y.size);
    if (kx != ky) return kx;
    return kx && x.size > y.size;
  });
  for (std::size_t i = 0; i < out.size(); ++i) out[i].rank = i + 1;
  return out;
}

std::vector<std::string> outcomes_without_direction(const std::vector<Difference>& rows) {
  std::vector<std::string> names;
  for (const auto& d : rows) {
    const OutcomeMeaning m = outcome_meaning(d.metric);
    if (m.better == Better::Neither &&
        std::find(names.begin(), names.end(), m.words) == names.end())
      names.push_back(m.words);
  }
  return names;
}

std::vector<std::string> summary_notes(const std::vector<Difference>& rows) {
  std::vector<std::string> notes;
  const bool posterior = std::any_of(rows.begin(), rows.end(),
                                     [](const Difference& d) { return d.posterior_draws > 0; });
  const bool fixed_rows = std::any_of(rows.begin(), rows.end(),
                                      [](const Difference& d) { return d.posterior_draws == 0; });
  notes.push_back(
      "Better or worse follows what each outcome means: higher alliance, motivation and "
      "favourable outcome are better; lower problems, drop-out, absconding, incidents and "
      "coercive measures are better. \"No clear difference\": the interval includes no change.");
  notes.push_back(
      "Ranked: clear differences first, then the others; within each, by size, largest first. "
      "Size is the change divided by how much the outcome varies between the youths of the "
      "baseline (its standard deviation): 0.2 counts as a small effect, 0.5 as medium and 0.8 as "
      "large. Points are on the outcome's scale: alliance and motivation 1-5, problems 0-40.");
  if (posterior)
    notes.push_back(
        "Runs over posterior draws: the interval in brackets is the central 95 % of the effect "
        "over the draws of the calibration's parameters, so it includes what is uncertain about "
        "the parameters; \"how sure\" counts the draws in which the change goes the way stated, "
        "and says how likely that makes it (virtually certain: at least 99 %, very likely: 90 %, "
        "likely: 66 %, about as likely as not: 33 %; with k of K draws, read from "
        "(k + 0.5) / (K + 1), so that a few draws cannot make a change certain).");
  if (fixed_rows)
    notes.push_back(
        "The interval in brackets is the 95 % confidence interval of the average change over the "
        "replicates (simulated runs); \"clear, at fixed parameters\" means it lies wholly on one "
        "side of no change. It counts only the chance in the simulation, with the model's "
        "parameters taken as known; run with --posterior calib.h5 --draws K to include what is "
        "uncertain about them.");
  const auto pathways = outcomes_without_direction(rows);
  if (!pathways.empty()) {
    std::string list;
    for (const auto& p : pathways) list += (list.empty() ? "" : ", ") + p;
    notes.push_back("Not judged better or worse, and so not listed: " + list +
                    ". These are pathways through which a policy acts (a change of mentor can end "
                    "a poor match, and a repaired rupture can strengthen the alliance); the "
                    "technical table shows them.");
  }
  return notes;
}

std::string format_plain_summary(const std::vector<Difference>& rows) {
  std::ostringstream o;
  if (rows.empty()) return "";
  const auto summary = plain_summary(rows);
  std::vector<std::string> baselines;
  for (const auto& d : rows)
    if (std::find(baselines.begin(), baselines.end(), d.baseline_scenario) == baselines.end())
      baselines.push_back(d.baseline_scenario);
  o << "Summary: what each scenario changes, compared with "
    << (baselines.size() == 1 ? baselines.front() : std::string("its baseline")) << "\n\n";
  const std::vector<std::string> head{"rank",    "scenario", "outcome", "change [95 % interval]",
                                      "verdict", "how sure", "size"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : summary) {
    const Difference& d = rows[r.row];
    cells.push_back({std::to_string(r.rank), d.scenario, r.outcome, r.change, r.verdict, r.how_sure,
                     std::isnan(r.size) ? "n/a" : fixed(r.size, 2)});
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    width[c] = head[c].size();
    for (const auto& row : cells) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string text = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::size_t pad = width[c] - row[c].size();
      // rank and size right-aligned, the words left-aligned
      const bool right = c == 0 || c + 1 == row.size();
      text += (right ? std::string(pad, ' ') + row[c] : row[c] + std::string(pad, ' '));
      if (c + 1 < row.size()) text += "  ";
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    o << text << "\n";
  };
  line(head);
  for (const auto& row : cells) line(row);
  if (cells.empty()) o << "  (no outcome with a better direction was compared)\n";
  o << "\n";
  for (const auto& note : summary_notes(rows)) {
    // wrapped at 100 columns
    std::istringstream words(note);
    std::string word, current = "  ";
    for (bool first = true; words >> word; first = false) {
      if (!first && current.size() + 1 + word.size() > 100) {
        o << current << "\n";
        current = "    " + word;
      } else {
        current += (first ? "" : " ") + word;
      }
    }
    o << current << "\n";
  }
  return o.str();
}

}  // namespace asim
