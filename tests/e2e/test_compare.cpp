// compare: paired differences over replicates with 95 % confidence intervals (common random
// numbers), the unpaired (Welch) interval beside them, and the command line around it.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>

#include "analysis/compare.hpp"
#include "analysis/result_reader.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

const std::string kSmall = " --replicates 8 --set cohort.size=60 --set cohort.burn_in_days=60 --quiet";

// Baseline and a caseload-5 scenario; `other_seed` gives the second scenario a seed of its own.
std::string run_pair(const TempDir& dir, const std::string& name, bool other_seed) {
  const auto other = dir.write(
      name + "-caseload.toml",
      "inherit = \"builtin:baseline\"\n[scenario]\nname = \"caseload-5\"\n[mentor]\ncaseload = 5\n" +
          std::string(other_seed ? "[run]\nseed = 977\n" : ""));
  const auto out = dir.file(name + ".h5");
  const auto r = run_command(cli() + " run " + ASIM_SOURCE_DIR + "/scenarios/baseline.toml " + other +
                             " -o " + out + kSmall);
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

}  // namespace

TEST_CASE("t quantiles are the tabulated ones", "[compare]") {
  // Two-sided 95 % critical values of Student's t (any statistics table).
  CHECK(asim::t_quantile_975(1) == Approx(12.7062047).epsilon(1e-7));
  CHECK(asim::t_quantile_975(7) == Approx(2.36462425).epsilon(1e-7));
  CHECK(asim::t_quantile_975(30) == Approx(2.04227246).epsilon(1e-7));
  CHECK(std::isnan(asim::t_quantile_975(0)));
}

TEST_CASE("with the same seed the difference is paired: mean of replicate differences +/- t s/sqrt(n)",
          "[compare][crn]") {
  TempDir dir;
  const asim::ResultFile file(run_pair(dir, "same", false));
  const auto base = asim::replicate_metrics(file, "baseline");
  const auto other = asim::replicate_metrics(file, "caseload-5");
  const auto rows = asim::compare_scenarios(file, "baseline", {});
  const auto& names = asim::comparison_metrics();
  REQUIRE(rows.size() == names.size());
  double paired_width = 0, unpaired_width = 0;
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
    if (md.var > 0) CHECK(d.replicates_unpaired_equivalent == Approx(8 * (ma.var + mb.var) / md.var));
    paired_width += d.ci_high - d.ci_low;
    unpaired_width += 2 * d.unpaired_half_width;
  }
  // Common random numbers pay off: both scenarios meet the same referrals and draws, so their
  // replicate means move together and the paired intervals are narrower than Welch's on the
  // same replicates (here about half as wide in total; a fixed seed, so no flakiness).
  CHECK(paired_width < 0.8 * unpaired_width);
}

TEST_CASE("with different seeds the comparison falls back to the unpaired Welch interval", "[compare][crn]") {
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
    const auto m = static_cast<std::size_t>(std::find(names.begin(), names.end(), d.metric) - names.begin());
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

TEST_CASE("compare prints a table, CSV and JSON, and names bad baselines and outcomes", "[compare][cli]") {
  TempDir dir;
  const auto out = run_pair(dir, "cli", false);
  const auto table = run_command(cli() + " compare " + out);
  INFO(table.output);
  CHECK(table.status == 0);
  CHECK(table.output.find("caseload-5 vs baseline (8 replicates, paired: same seed, common random numbers)") !=
        std::string::npos);
  for (const auto& m : asim::comparison_metrics()) CHECK(table.output.find(m) != std::string::npos);

  const auto csv = run_command(cli() + " compare " + out + " --csv --outcome favourable_pct,dropout_pct");
  CHECK(csv.status == 0);
  CHECK(csv.output.rfind("scenario,outcome,replicates,paired,baseline,value,difference,ci_low,ci_high,", 0) == 0);
  CHECK(count_lines(csv.output) == 3);
  CHECK(csv.output.find("\ncaseload-5,dropout_pct,8,1,") != std::string::npos);

  const auto json = run_command(cli() + " compare " + out + " --json --outcome motivation_6m");
  CHECK(json.status == 0);
  CHECK(json.output.find("\"outcome\": \"motivation_6m\"") != std::string::npos);
  CHECK(json.output.find("\"paired\": true") != std::string::npos);

  // The other scenario as baseline flips the sign of every difference.
  const auto flipped = run_command(cli() + " compare " + out + " --csv --baseline caseload-5 --outcome dropout_pct");
  CHECK(flipped.status == 0);
  CHECK(flipped.output.find("\nbaseline,dropout_pct,8,1,") != std::string::npos);

  const auto bad_baseline = run_command(cli() + " compare " + out + " --baseline nope");
  CHECK(bad_baseline.status == 2);
  CHECK(bad_baseline.output.find("no scenario 'nope' (scenarios: baseline, caseload-5)") != std::string::npos);
  const auto bad_outcome = run_command(cli() + " compare " + out + " --outcome alliance");
  CHECK(bad_outcome.status == 2);
  CHECK(bad_outcome.output.find("--outcome alliance: unknown outcome (allowed: alliance_youth_first") !=
        std::string::npos);
  const auto missing = run_command(cli() + " compare " + dir.file("missing.h5"));
  CHECK(missing.status == 2);
  CHECK_FALSE(fs::exists(dir.file("missing.h5")));
}
