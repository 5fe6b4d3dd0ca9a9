// The plain-language summary of a scenario comparison, for readers who are not statisticians
// (policymakers): which scenarios make which outcomes better or worse, by how much and how sure,
// in words instead of signs. `alliance-sim compare` prints it before its technical table, and
// `alliance-sim report` opens with it.
//
// It rests on one table, kOutcomeMeanings in plain_summary.cpp: for every outcome compare
// reports, its plain name, its unit, and which direction is better, taken from the outcome's
// definition (models/results.hpp, docs/hdf5-schema.md): higher alliance, motivation and
// favourable outcome are better; lower problems, drop-out, absconding, incidents and coercive
// measures are better. Mentor changes, ruptures and repairs are pathways with no better
// direction (a change can end a poor match; a rupture needs contact, and a repaired one can
// strengthen the alliance), so they get no verdict.
#pragma once
#include <string>
#include <vector>

#include "analysis/compare.hpp"

namespace asim {

enum class Better { Higher, Lower, Neither };
enum class OutcomeUnit { ScalePoints, PercentagePoints, PerYouth };

struct OutcomeMeaning {
  std::string words;        // plain name: "alliance rated by the youth, 3 months"
  std::string short_label;  // for chart titles: "youth alliance 3m (points)"
  OutcomeUnit unit = OutcomeUnit::ScalePoints;
  Better better = Better::Neither;
  int decimals = 2;  // of the change in the summary
};

// The meaning of one of compare's outcome names (comparison_metrics()); a wave outcome is named
// by its wave ("3m" -> "3 months", "day_30" -> "day 30"). An unknown name gets itself as words
// and Better::Neither.
OutcomeMeaning outcome_meaning(const std::string& metric);

// "higher", "lower" or "neither": which direction of the outcome counts as better.
const char* better_direction(Better b);

// The interval a verdict is read from: with posterior draws (run --posterior), the central 95 %
// of the effect over the draws, which includes parameter uncertainty; else the 95 % CI.
double verdict_low(const Difference& d);
double verdict_high(const Difference& d);

// "better" or "worse" when that interval lies wholly on one side of 0 (the direction from
// outcome_meaning), "no clear difference" when it spans 0 or is unknown; for an outcome with no
// better direction, "higher" or "lower" (or "no clear difference").
std::string verdict(const Difference& d);

// The change in words, in the outcome's unit, with the interval of verdict_low/high:
// "2.5 percentage points lower [1.9, 3.2]", "0.05 points higher [0.02 lower to 0.11 higher]".
std::string change_words(const Difference& d);

// How sure, in words. With posterior draws: how probable it is that the effect goes the way the
// change states, on the IPCC likelihood scale (Mastrandrea et al. 2010): at least 99 %
// "virtually certain", 90 % "very likely", 66 % "likely", 33 % "about as likely as not", else
// "unlikely", from the k of K draws with that sign (p_sign) as (k + 1/2) / (K + 1) (Jeffreys'
// prior: 20 of 20 draws give 0.98, "very likely", not certainty): "very likely (29 of 30
// draws)". Without draws: "clear, at fixed parameters" when the 95 % CI lies on one side of 0,
// else "not clear".
std::string how_sure(const Difference& d);

// One row of the summary: rows[row] of the comparison.
struct SummaryRow {
  std::size_t rank = 0;  // 1, 2, ...
  std::size_t row = 0;   // index into the differences
  std::string outcome, change, verdict, how_sure;
  double size = 0;  // |effect_size|, NaN when unknown
};

// The ranked summary of `rows` (compare_scenarios' differences), outcomes with a better
// direction only. The ranking rule: differences with a verdict of better or worse first, then
// those with no clear difference; within each, by the size of the effect, |effect_size| (the
// difference in standard deviations of the outcome among the baseline's youths, Glass's delta),
// largest first, unknown sizes last; ties keep compare's order.
std::vector<SummaryRow> plain_summary(const std::vector<Difference>& rows);

// The summary as text, with a heading and the sentences that say how to read it.
std::string format_plain_summary(const std::vector<Difference>& rows);

// Plain names of the outcomes among `rows` that have no better direction (pathways), in order.
std::vector<std::string> outcomes_without_direction(const std::vector<Difference>& rows);

// The sentences under the summary (how it is ranked, what "how sure" means), one per entry;
// compare prints them and the report shows them.
std::vector<std::string> summary_notes(const std::vector<Difference>& rows);

}  // namespace asim
