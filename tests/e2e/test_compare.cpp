// compare: paired differences over replicates with 95 % confidence intervals (common random
// numbers), the unpaired (Welch) interval beside them, the plain-language summary before the
// technical table (better/worse from each outcome's meaning, ranked by size), and the command
// line around it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/plain_summary.hpp"
#include "analysis/result_reader.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

const std::string kSmall =
    " --replicates 8 --set cohort.size=60 --set cohort.burn_in_days=60 --quiet";

// Baseline and a caseload-5 scenario; `other_seed` gives the second scenario a seed of its own.
std::string run_pair(const TempDir& dir, const std::string& name, bool other_seed) {
  const auto other = dir.write(name + "-caseload.toml",
                               "inherit = \"builtin:baseline\"\n[scenario]\nname = "
                               "\"caseload-5\"\n[mentor]\ncaseload = 5\n" +
                                   std::string(other_seed ? "[run]\nseed = 977\n" : ""));
  const auto out = dir.file(name + ".h5");
  const auto r = run_command(cli() + " run " + ASIM_SOURCE_DIR + "/scenarios/baseline.toml " +
                             other + " -o " + out + kSmall);
  INFO(r.output);
  REQUIRE(r.status == 0);
  return out;
}

struct Moments {
  double mean = 0, var = 0;
};
Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.mean += x;
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.var += (x - m.mean) * (x - m.mean);
  m.var /= static_cast<double>(v.size() - 1);
  return m;
}

std::size_t count_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A difference as compare_scenarios makes it, for the summary's functions.
asim::Difference difference(const std::string& scenario, const std::string& metric, double diff,
                            double lo, double hi, double size) {
  asim::Difference d;
  d.scenario = scenario;
  d.metric = metric;
  d.baseline_scenario = "baseline";
  d.replicates = 8;
  d.paired = true;
  d.difference = diff;
  d.ci_low = lo;
  d.ci_high = hi;
  d.effect_size = size;
  return d;
}

// Cells of one CSV line, with "quoted" cells (which may hold commas) unquoted.
std::vector<std::string> csv_cells(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"')
        cells.back() += '"', ++i;
      else
        quoted = !quoted;
    } else if (c == ',' && !quoted) {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  return cells;
}

}  // namespace

TEST_CASE("t quantiles are the tabulated ones", "[compare]") {
  // Two-sided 95 % critical values of Student's t (any statistics table).
  CHECK(asim::t_quantile_975(1) == Approx(12.7062047).epsilon(1e-7));
  CHECK(asim::t_quantile_975(7) == Approx(2.36462425).epsilon(1e-7));
  CHECK(asim::t_quantile_975(30) == Approx(2.04227246).epsilon(1e-7));
  CHECK(std::isnan(asim::t_quantile_975(0)));
}

TEST_CASE(
    "with the same seed the difference is paired: mean of replicate differences +/- t s/sqrt(n)",
    "[compare][crn]") {
  TempDir dir;
  const asim::ResultFile file(run_pair(dir, "same", false));
  const auto base = asim::replicate_metrics(file, "baseline");
  const auto other = asim::replicate_metrics(file, "caseload-5");
  const auto rows = asim::compare_scenarios(file, "baseline", {});
  const auto& names = asim::comparison_metrics();
  REQUIRE(rows.size() == names.size());
  std::vector<double> ratios;
  for (std::size_t m = 0; m < names.size(); ++m) {
    INFO(names[m]);
    const auto& d = rows[m];
    CHECK(d.metric == names[m]);
    CHECK(d.paired);
    REQUIRE(base[m].size() == 8);
    std::vector<double> diff(8);
    for (std::size_t r = 0; r < 8; ++r) diff[r] = other[m][r] - base[m][r];
    const Moments md = moments(diff), ma = moments(base[m]), mb = moments(other[m]);
    const double half = 2.3646242515927849 * std::sqrt(md.var / 8);
    CHECK(d.replicates == 8);
    CHECK(d.difference == Approx(md.mean).margin(1e-12));
    CHECK(d.ci_low == Approx(md.mean - half).margin(1e-12));
    CHECK(d.ci_high == Approx(md.mean + half).margin(1e-12));
    // Replicates an unpaired design needs for the paired width: n (var_a + var_b) / var_d.
    if (md.var > 0)
      CHECK(d.replicates_unpaired_equivalent == Approx(8 * (ma.var + mb.var) / md.var));
    if (d.unpaired_half_width > 0)
      ratios.push_back((d.ci_high - d.ci_low) / (2 * d.unpaired_half_width));
  }
  // Common random numbers pay off: both scenarios meet the same referrals and draws, so their
  // replicate means move together and the paired intervals are narrower than Welch's on the
  // same replicates: the median ratio is about one half (a fixed seed, so no flakiness). The
  // exit percentages of a 60-youth cohort gain least: friends' leaving couples the youths'
  // exits, so a small change of policy moves many of them.
  REQUIRE(ratios.size() > names.size() / 2);
  std::sort(ratios.begin(), ratios.end());
  CHECK(ratios[ratios.size() / 2] < 0.8);
}

TEST_CASE("with different seeds the comparison falls back to the unpaired Welch interval",
          "[compare][crn]") {
  TempDir dir;
  const asim::ResultFile file(run_pair(dir, "diff", true));
  const auto base = asim::replicate_metrics(file, "baseline");
  const auto other = asim::replicate_metrics(file, "caseload-5");
  const auto rows = asim::compare_scenarios(file, "baseline", {"alliance_youth_6m", "dropout_pct"});
  REQUIRE(rows.size() == 2);
  const auto& names = asim::comparison_metrics();
  for (const auto& d : rows) {
    INFO(d.metric);
    CHECK_FALSE(d.paired);
    const auto m =
        static_cast<std::size_t>(std::find(names.begin(), names.end(), d.metric) - names.begin());
    const Moments ma = moments(base[m]), mb = moments(other[m]);
    const double se = std::sqrt(ma.var / 8 + mb.var / 8);
    const double df = std::pow(se, 4) / (std::pow(ma.var / 8, 2) / 7 + std::pow(mb.var / 8, 2) / 7);
    CHECK(d.difference == Approx(mb.mean - ma.mean).margin(1e-12));
    CHECK(d.ci_high - d.difference == Approx(asim::t_quantile_975(df) * se).margin(1e-12));
    CHECK(d.difference - d.ci_low == Approx(d.unpaired_half_width).margin(1e-12));
  }
  const auto table = run_command(cli() + " compare " + file.path());
  CHECK(table.status == 0);
  CHECK(table.output.find("unpaired: different seeds") != std::string::npos);
}

TEST_CASE("compare prints a table, CSV and JSON, and names bad baselines and outcomes",
          "[compare][cli]") {
  TempDir dir;
  const auto out = run_pair(dir, "cli", false);
  const auto table = run_command(cli() + " compare " + out);
  INFO(table.output);
  CHECK(table.status == 0);
  CHECK(table.output.find(
            "caseload-5 vs baseline (8 replicates, paired: same seed, common random numbers)") !=
        std::string::npos);
  for (const auto& m : asim::comparison_metrics()) CHECK(table.output.find(m) != std::string::npos);

  const auto csv =
      run_command(cli() + " compare " + out + " --csv --outcome favourable_pct,dropout_pct");
  CHECK(csv.status == 0);
  CHECK(csv.output.rfind(
            "scenario,outcome,replicates,paired,baseline,value,difference,ci_low,ci_high,", 0) ==
        0);
  CHECK(count_lines(csv.output) == 3);
  CHECK(csv.output.find("\ncaseload-5,dropout_pct,8,1,") != std::string::npos);

  const auto json = run_command(cli() + " compare " + out + " --json --outcome motivation_6m");
  CHECK(json.status == 0);
  CHECK(json.output.find("\"outcome\": \"motivation_6m\"") != std::string::npos);
  CHECK(json.output.find("\"paired\": true") != std::string::npos);

  // The other scenario as baseline flips the sign of every difference.
  const auto flipped =
      run_command(cli() + " compare " + out + " --csv --baseline caseload-5 --outcome dropout_pct");
  CHECK(flipped.status == 0);
  CHECK(flipped.output.find("\nbaseline,dropout_pct,8,1,") != std::string::npos);

  const auto bad_baseline = run_command(cli() + " compare " + out + " --baseline nope");
  CHECK(bad_baseline.status == 2);
  CHECK(bad_baseline.output.find("no scenario 'nope' (scenarios: baseline, caseload-5)") !=
        std::string::npos);
  const auto bad_outcome = run_command(cli() + " compare " + out + " --outcome alliance");
  CHECK(bad_outcome.status == 2);
  CHECK(bad_outcome.output.find(
            "--outcome alliance: unknown outcome (allowed: alliance_youth_first") !=
        std::string::npos);
  const auto missing = run_command(cli() + " compare " + dir.file("missing.h5"));
  CHECK(missing.status == 2);
  CHECK_FALSE(fs::exists(dir.file("missing.h5")));
}

TEST_CASE("the summary says better or worse from each outcome's meaning, not from the sign",
          "[compare][summary]") {
  using asim::Better;
  // The one table of which direction is better.
  CHECK(asim::outcome_meaning("dropout_pct").better == Better::Lower);
  CHECK(asim::outcome_meaning("absconded_pct").better == Better::Lower);
  CHECK(asim::outcome_meaning("premature_exit_pct").better == Better::Lower);
  CHECK(asim::outcome_meaning("problems_9m").better == Better::Lower);
  CHECK(asim::outcome_meaning("incidents").better == Better::Lower);
  CHECK(asim::outcome_meaning("coercive_measures").better == Better::Lower);
  CHECK(asim::outcome_meaning("favourable_pct").better == Better::Higher);
  CHECK(asim::outcome_meaning("alliance_youth_day_30").better == Better::Higher);
  CHECK(asim::outcome_meaning("alliance_mentor_3m").better == Better::Higher);
  CHECK(asim::outcome_meaning("motivation_6m").better == Better::Higher);
  CHECK(asim::outcome_meaning("ruptures").better == Better::Neither);
  CHECK(asim::outcome_meaning("something_else").better == Better::Neither);
  // Every outcome compare reports is in the table (an unknown name gets itself as its label).
  for (const auto& m : asim::comparison_metrics()) {
    INFO(m);
    CHECK(asim::outcome_meaning(m).short_label != m);
  }
  CHECK(asim::outcome_meaning("alliance_youth_3m").words ==
        "alliance rated by the youth, 3 months");
  CHECK(asim::outcome_meaning("problems_day_30").words == "problems, day 30");

  // Lower drop-out is better: a negative difference whose interval excludes 0.
  const auto drop = difference("caseload-5", "dropout_pct", -2.5, -3.2, -1.9, -0.06);
  CHECK(asim::verdict(drop) == "better");
  CHECK(asim::change_words(drop) == "2.5 percentage points lower [1.9, 3.2]");
  CHECK(asim::how_sure(drop) == "clear, at fixed parameters");
  // The same negative difference of an outcome where higher is better is worse.
  const auto fav = difference("caseload-5", "favourable_pct", -2.5, -3.2, -1.9, -0.07);
  CHECK(asim::verdict(fav) == "worse");
  // More problems: worse; fewer incidents: better, said as counts.
  CHECK(asim::verdict(difference("s", "problems_9m", 0.8, 0.2, 1.4, 0.1)) == "worse");
  const auto inc = difference("s", "incidents", -0.25, -0.4, -0.1, -0.1);
  CHECK(asim::verdict(inc) == "better");
  CHECK(asim::change_words(inc) == "0.25 fewer per youth [0.10, 0.40]");
  // An interval that spans 0: no clear difference, whichever way the point estimate goes.
  const auto unclear = difference("caseload-5", "alliance_youth_6m", 0.05, -0.02, 0.11, 0.08);
  CHECK(asim::verdict(unclear) == "no clear difference");
  CHECK(asim::change_words(unclear) == "0.05 points higher [0.02 lower to 0.11 higher]");
  CHECK(asim::how_sure(unclear) == "not clear");
  CHECK(asim::verdict(difference("s", "dropout_pct", -1.0, -2.0, 0.5, -0.02)) ==
        "no clear difference");
  // An outcome with no better direction gets no judgement.
  CHECK(asim::verdict(difference("s", "ruptures", 0.04, 0.01, 0.07, 0.05)) == "higher");

  // Runs over posterior draws: the verdict reads the interval over the draws (which includes
  // parameter uncertainty), and "how sure" is the share of draws with the stated sign, in words.
  auto post = difference("s", "dropout_pct", -2.0, -2.6, -1.4, -0.05);  // Monte Carlo CI: clear
  post.posterior_draws = 30;
  post.param_low = -4.0;
  post.param_high = 0.3;  // over the draws: spans 0
  post.p_sign = 29.0 / 30;
  CHECK(asim::verdict(post) == "no clear difference");
  CHECK(asim::how_sure(post) == "very likely (29 of 30 draws)");
  CHECK(asim::change_words(post) == "2.0 percentage points lower [0.3 higher to 4.0 lower]");
  post.param_high = -0.2;
  post.p_sign = 1.0;
  CHECK(asim::verdict(post) == "better");
  // (k + 1/2) / (K + 1): all of 30 draws is "very likely", all of 100 "virtually certain".
  CHECK(asim::how_sure(post) == "very likely (30 of 30 draws)");
  post.posterior_draws = 100;
  CHECK(asim::how_sure(post) == "virtually certain (100 of 100 draws)");
  post.posterior_draws = 3;
  CHECK(asim::how_sure(post) == "likely (3 of 3 draws)");
  post.posterior_draws = 20;
  post.p_sign = 0.7;
  CHECK(asim::how_sure(post) == "likely (14 of 20 draws)");
  post.p_sign = 0.5;
  CHECK(asim::how_sure(post) == "about as likely as not (10 of 20 draws)");
}

TEST_CASE("the summary ranks clear differences first, then by standardised size",
          "[compare][summary]") {
  const std::vector<asim::Difference> rows{
      difference("a", "alliance_youth_6m", 0.05, -0.02, 0.11, 0.30),  // 0: unclear, large
      difference("a", "dropout_pct", -2.5, -3.2, -1.9, -0.06),        // 1: better, small
      difference("a", "ruptures", 0.04, 0.01, 0.07, 0.90),            // 2: pathway: not listed
      difference("b", "favourable_pct", -3.0, -5.0, -1.0, -0.20),     // 3: worse, larger
      difference("b", "motivation_6m", 0.01, -0.01, 0.03, 0.02),      // 4: unclear, small
      difference("b", "incidents", -0.2, -0.3, -0.1, std::nan("")),   // 5: better, size unknown
  };
  const auto summary = asim::plain_summary(rows);
  REQUIRE(summary.size() == 5);
  std::vector<std::size_t> order;
  for (const auto& r : summary) order.push_back(r.row);
  CHECK(order == std::vector<std::size_t>{3, 1, 5, 0, 4});
  for (std::size_t i = 0; i < summary.size(); ++i) CHECK(summary[i].rank == i + 1);
  CHECK(summary[0].verdict == "worse");
  CHECK(summary[0].size == Approx(0.20));
  CHECK(summary[3].verdict == "no clear difference");

  // As text: the rows in rank order, and the pathway named as not judged.
  const auto text = asim::format_plain_summary(rows);
  INFO(text);
  const auto fav = text.find("favourable outcome");
  const auto drop = text.find("drop-out");
  const auto inc = text.find("incidents");
  const auto all = text.find("alliance rated by the youth, 6 months");
  const auto mot = text.find("treatment motivation, 6 months");
  REQUIRE(fav != std::string::npos);
  CHECK(fav < drop);
  CHECK(drop < inc);
  CHECK(inc < all);
  CHECK(all < mot);
  CHECK(text.find("3.0 percentage points lower [1.0, 5.0]") != std::string::npos);
  CHECK(text.find("Not judged better or worse, and so not listed: alliance ruptures") !=
        std::string::npos);
  CHECK(text.find("0.2 counts as a small effect") != std::string::npos);
}

TEST_CASE(
    "compare prints the summary first, then the technical table, and CSV and JSON give the "
    "verdicts",
    "[compare][summary][cli]") {
  TempDir dir;
  const auto out = run_pair(dir, "summary", false);
  const auto table = run_command(cli() + " compare " + out);
  INFO(table.output);
  REQUIRE(table.status == 0);
  const auto summary =
      table.output.find("Summary: what each scenario changes, compared with baseline");
  const auto technical = table.output.find("Technical table (for analysts):");
  const auto technical_rows = table.output.find("caseload-5 vs baseline (8 replicates");
  REQUIRE(summary != std::string::npos);
  REQUIRE(technical != std::string::npos);
  CHECK(summary < technical);
  CHECK(technical < technical_rows);
  // Words, not signs, in the summary; and every term of the technical table explained.
  const std::string plain = table.output.substr(summary, technical - summary);
  CHECK(plain.find("drop-out") != std::string::npos);
  CHECK(plain.find("dropout_pct") == std::string::npos);
  CHECK(plain.find("[-") == std::string::npos);
  for (const char* term : {"  replicates: ", "  paired, common random numbers: ", "  95% CI: ",
                           "  unpaired CI +/-: ", "  unpaired n: ", "  difference: "})
    CHECK(table.output.find(term, technical) != std::string::npos);

  // CSV: the columns of before, in their places, and the verdict columns after them.
  const auto csv = run_command(cli() + " compare " + out + " --csv");
  REQUIRE(csv.status == 0);
  CHECK(csv.output.rfind(
            "scenario,outcome,replicates,paired,baseline,value,difference,ci_low,ci_high,"
            "unpaired_half_width,replicates_unpaired_equivalent,baseline_scenario,"
            "scenario_label,baseline_label,outcome_label,better_direction,verdict,"
            "effect_size\n",
            0) == 0);
  std::stringstream lines(csv.output);
  std::string line;
  std::getline(lines, line);
  int rows = 0;
  while (std::getline(lines, line)) {
    const auto c = csv_cells(line);
    REQUIRE(c.size() == 18);
    ++rows;
    const double lo = std::stod(c[7]), hi = std::stod(c[8]);
    const std::string& direction = c[15];
    const std::string& verdict = c[16];
    INFO(line);
    // The verdict follows from the interval and the outcome's better direction.
    if (lo <= 0 && hi >= 0)
      CHECK(verdict == "no clear difference");
    else if (direction == "neither")
      CHECK(verdict == (lo > 0 ? "higher" : "lower"));
    else
      CHECK(verdict == ((lo > 0) == (direction == "higher") ? "better" : "worse"));
    CHECK(c[14] == asim::outcome_meaning(c[1]).words);
    // The summary holds the row: "<scenario>  <plain name>  <change>  <verdict>".
    if (direction != "neither") CHECK(plain.find("caseload-5  " + c[14]) != std::string::npos);
  }
  CHECK(rows == static_cast<int>(asim::comparison_metrics().size()));
  // The summary's rows, in its order: clear verdicts first, then by size, largest first.
  std::stringstream summary_lines(plain);
  std::vector<std::vector<std::string>> ranked;
  const std::regex gap("  +");
  for (std::string l; std::getline(summary_lines, l);) {
    if (l.empty() && !ranked.empty()) break;
    std::vector<std::string> cols(std::sregex_token_iterator(l.begin(), l.end(), gap, -1),
                                  std::sregex_token_iterator());
    if (cols.size() == 8 && cols[1] != "rank") ranked.push_back(cols);  // cols[0]: the indent
  }
  REQUIRE(ranked.size() == asim::comparison_metrics().size() - 3);  // less the 3 pathways
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    INFO(ranked[i][3] << ": " << ranked[i][5] << ", size " << ranked[i][7]);
    CHECK(ranked[i][1] == std::to_string(i + 1));
    if (i == 0) continue;
    const bool clear = ranked[i][5] != "no clear difference";
    const bool clear_before = ranked[i - 1][5] != "no clear difference";
    CHECK((clear_before || !clear));
    if (clear == clear_before && ranked[i][7] != "n/a")
      CHECK(std::stod(ranked[i - 1][7]) >= std::stod(ranked[i][7]));
  }
  const auto json = run_command(cli() + " compare " + out + " --json --outcome dropout_pct");
  REQUIRE(json.status == 0);
  CHECK(json.output.find("\"outcome_label\": \"drop-out\", \"better_direction\": \"lower\", "
                         "\"verdict\": \"") != std::string::npos);
}
