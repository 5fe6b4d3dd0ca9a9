// Calibration inputs: targets files and [calibrate] tables are checked before anything runs, and
// every mistake is a ConfigError naming file:line, the key, the value and what is allowed, with
// "did you mean" hints (docs/calibration.md, docs/errors.md).
#include <catch2/catch.hpp>

#include "analysis/targets.hpp"
#include "apps/calibrate_setup.hpp"
#include "apps/calibration_panel.hpp"
#include "engine/errors.hpp"
#include "models/model_params.hpp"
#include "tests/support.hpp"

using asim::ConfigError;

namespace {

const std::string kGood = R"(# two targets
[[target]]
name = "youth_first_mean"
statistic = "descriptives.mean"
where = { measure = "alliance_youth", setting = "all", wave = "first" }
value = 3.9
tolerance = 0.1
source = "van Benthem et al. 2021"

[[target]]
name = "agreement_3m"
statistic = "agreement.r"
where = { wave = "3m", rater_a = "youth", rater_b = "mentor" }
value = 0.32
se = 0.02
weight = 2
source = "Roest et al."
)";

// The message of the ConfigError that parsing `text` throws ("" if none).
std::string target_error(const std::string& text) {
  try {
    asim::parse_targets(text, "t.toml", asim::calibration_wave_names());
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string free_error(const std::string& text) {
  asim::CalibrationSpec spec;
  try {
    asim::read_calibrate_text(text, "f.toml", asim::model_registry().registry(), spec, true);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a targets file is read with its values, uncertainties, weights and rows",
          "[calibration]") {
  const auto set = asim::parse_targets(kGood, "t.toml", asim::calibration_wave_names());
  REQUIRE(set.targets.size() == 2);
  const auto& a = set.targets[0];
  CHECK(a.table == "descriptives");
  CHECK(a.column == "mean");
  CHECK(a.value == 3.9);
  CHECK(a.uncertainty == 0.1);
  CHECK_FALSE(a.is_se);
  CHECK(a.weight == 1);
  CHECK(a.line == 2);  // the [[target]] header
  CHECK(a.where ==
        asim::KeyValues{{"measure", "alliance_youth"}, {"setting", "all"}, {"wave", "first"}});
  const auto& b = set.targets[1];
  CHECK(b.is_se);
  CHECK(b.weight == 2);
  CHECK(set.where(1) == "t.toml:10: target 'agreement_3m'");
  // The distance: weight * ((simulated - value) / uncertainty)^2, summed.
  CHECK(asim::target_distance(set, {4.1, 0.36}) == Approx(4.0 + 2 * 4.0));
  CHECK(std::isinf(asim::target_distance(set, {4.1, std::nan("")})));
}

TEST_CASE("a one-sided target counts only a simulated value on its far side", "[calibration]") {
  // The first target as an upper bound (a figure the model can only undercount), the second as
  // a lower bound.
  const std::string text =
      replace(replace(kGood, "tolerance = 0.1", "tolerance = 0.1\nbound = \"upper\""), "se = 0.02",
              "se = 0.02\nbound = \"lower\"");
  const auto set = asim::parse_targets(text, "t.toml", asim::calibration_wave_names());
  CHECK(set.targets[0].bound == asim::TargetBound::kUpper);
  CHECK(set.targets[1].bound == asim::TargetBound::kLower);
  // Below an upper bound and above a lower one: no distance at all.
  CHECK(asim::target_distance(set, {3.5, 0.5}) == 0.0);
  // Beyond them: as a two-sided target would count it.
  CHECK(asim::target_distance(set, {4.1, 0.28}) == Approx(4.0 + 2 * 4.0));
  const auto z = asim::standardised_errors(set, {4.1, 0.5});
  CHECK(z[0] == Approx(2.0));
  CHECK(z[1] == 0.0);
  CHECK(std::isinf(asim::target_distance(set, {std::nan(""), 0.5})));  // NaN stays NaN
  // A bound that is not one of the three names the file, the line and the allowed names.
  const auto e =
      target_error(replace(kGood, "tolerance = 0.1", "tolerance = 0.1\nbound = \"uper\""));
  CHECK_THAT(e, Catch::Contains("t.toml:8"));
  CHECK_THAT(e, Catch::Contains("bound = \"uper\" is not one of both, upper, lower"));
  CHECK_THAT(e, Catch::Contains("did you mean 'upper'"));
}

TEST_CASE("the shipped literature targets parse, each citing a source", "[calibration]") {
  const auto set = asim::load_targets(std::string(ASIM_SOURCE_DIR) + "/targets/literature.toml",
                                      asim::calibration_wave_names());
  CHECK(set.targets.size() >= 20);
  for (const auto& t : set.targets) {
    INFO(t.name);
    CHECK(t.source.size() > 5);
    CHECK(t.uncertainty > 0);
  }
}

TEST_CASE("an unknown statistic names the file and line and suggests the nearest",
          "[calibration]") {
  const auto e = target_error(replace(kGood, "\"agreement.r\"", "\"agreement.rr\""));
  CHECK_THAT(e, Catch::Contains("t.toml:12: statistic = \"agreement.rr\" is not a statistic"));
  CHECK_THAT(e, Catch::Contains("did you mean 'agreement.r'"));
  CHECK_THAT(target_error(replace(kGood, "\"descriptives.mean\"", "\"descriptive.mean\"")),
             Catch::Contains("did you mean 'descriptives.mean'"));
}

TEST_CASE("bad keys and values of a target are errors with file:line, key, value and range",
          "[calibration]") {
  CHECK_THAT(
      target_error(replace(kGood, "wave = \"3m\"", "wave = \"3mo\"")),
      Catch::Contains(
          "t.toml:13: where.wave = \"3mo\" is not one of first, 3m, 6m, 9m (did you mean '3m'"));
  CHECK_THAT(target_error(replace(kGood, "tolerance = 0.1", "tolerence = 0.1")),
             Catch::Contains(
                 "t.toml:7: unknown key 'tolerence' in [[target]] (did you mean 'tolerance'?)"));
  CHECK_THAT(target_error(replace(kGood, "tolerance = 0.1", "tolerance = -0.1")),
             Catch::Contains("t.toml:7: tolerance = -0.1 is outside (0, inf)"));
  CHECK_THAT(target_error(replace(kGood, "se = 0.02", "se = 0.02\ntolerance = 0.1")),
             Catch::Contains("gives both se and tolerance"));
  CHECK_THAT(target_error(replace(kGood, "weight = 2", "weight = -1")),
             Catch::Contains("t.toml:16: weight = -1 is outside [0, inf)"));
  CHECK_THAT(target_error(replace(kGood, "value = 3.9", "value = \"high\"")),
             Catch::Contains("t.toml:6: value = \"high\" is not a number"));
  CHECK_THAT(
      target_error(replace(kGood, "setting = \"all\", ", "")),
      Catch::Contains(
          "t.toml:5: target 'youth_first_mean': where lacks setting (one of all, open, closed)"));
  CHECK_THAT(target_error(replace(kGood, "measure = \"alliance_youth\"", "informant = \"youth\"")),
             Catch::Contains("where: 'informant' is not a key of descriptives.mean"));
  CHECK_THAT(target_error(replace(kGood, "source = \"Roest et al.\"", "")),
             Catch::Contains("t.toml:10: [[target]] lacks source"));
  CHECK_THAT(target_error(replace(kGood, "name = \"agreement_3m\"", "name = \"youth_first_mean\"")),
             Catch::Contains("is used by an earlier target"));
  CHECK_THAT(target_error("[[target]\n"), Catch::Contains("t.toml:1:"));
  CHECK_THAT(target_error("[[targets]]\nname = \"x\"\n"), Catch::Contains("did you mean 'target'"));
}

TEST_CASE("free parameters: registry names within registry ranges", "[calibration]") {
  asim::CalibrationSpec spec;
  asim::read_calibrate_text(
      "[calibrate]\nparticles = 50\n[calibrate.free]\nrater.youth_sd = [0.05, 0.5]\n"
      "\"alliance.base\" = [1, 2]\n",
      "f.toml", asim::model_registry().registry(), spec, true);
  REQUIRE(spec.free.size() == 2);
  CHECK(spec.free[0].name == "rater.youth_sd");
  CHECK(spec.free[0].lower == 0.05);
  CHECK(spec.free[1].name == "alliance.base");
  CHECK(spec.particles == 50);

  CHECK_THAT(
      free_error("[calibrate.free]\nrater.youth_sd = [0.05, 1.5]\n"),
      Catch::Contains("f.toml:2: calibrate.free: rater.youth_sd = [0.05, 1.5] is outside the "
                      "parameter's range [0, 1]"));
  CHECK_THAT(
      free_error("[calibrate.free]\nrater.youth_sdd = [0.05, 0.5]\n"),
      Catch::Contains("f.toml:2: calibrate.free: unknown parameter 'rater.youth_sdd' (did you mean "
                      "'rater.youth_sd'"));
  CHECK_THAT(free_error("[calibrate.free]\nrater.youth_sd = [0.5, 0.05]\n"),
             Catch::Contains("lower must be below upper"));
  CHECK_THAT(free_error("[calibrate.free]\ncohort.size = [40, 100]\n"),
             Catch::Contains("cohort.size is an integer parameter"));
  CHECK_THAT(
      free_error("[calibrate]\nparticle = 5\n"),
      Catch::Contains("f.toml:2: unknown key calibrate.particle (did you mean 'particles'?)"));
  CHECK_THAT(free_error("[calibrate]\nquantile = 1.5\n"),
             Catch::Contains("f.toml:2: calibrate.quantile = 1.5 is outside (0, 1]"));
  CHECK_THAT(free_error("[run]\nseed = 1\n"), Catch::Contains("f.toml: no [calibrate] table"));
}

TEST_CASE("calibrate exits 2 naming file and line for bad targets or free parameters",
          "[calibration]") {
  asim::test::TempDir dir;
  const auto targets = dir.write("bad.toml", replace(kGood, "\"agreement.r\"", "\"agreement.rr\""));
  const auto good = dir.write("good.toml", kGood);
  const auto free = dir.write("free.toml", "[calibrate.free]\nrater.youth_sd = [0.05, 2]\n");
  auto r = asim::test::run_command(asim::test::cli() + " calibrate --targets " + targets +
                                   " --free " + free + " -o " + dir.file("c.h5"));
  CHECK(r.status == 2);
  CHECK_THAT(r.output,
             Catch::Contains(free + ":2: calibrate.free: rater.youth_sd = [0.05, 2] is outside"));
  const auto free_ok =
      dir.write("free-ok.toml", "[calibrate.free]\nrater.youth_sd = [0.05, 0.5]\n");
  r = asim::test::run_command(asim::test::cli() + " calibrate --targets " + targets + " --free " +
                              free_ok + " -o " + dir.file("c.h5"));
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Catch::Contains(targets + ":12: statistic = \"agreement.rr\""));
  // No free parameter at all.
  r = asim::test::run_command(asim::test::cli() + " calibrate --targets " + good + " -o " +
                              dir.file("c.h5"));
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Catch::Contains("no free parameters"));
  CHECK_FALSE(std::filesystem::exists(dir.file("c.h5")));
  CHECK_FALSE(std::filesystem::exists(dir.file("c.h5.partial")));
}

TEST_CASE("a scenario's own [calibrate] table: validate and run ignore it, calibrate reads it",
          "[calibration]") {
  asim::test::TempDir dir;
  const auto targets = dir.write("t.toml", kGood);
  const auto scenario =
      dir.write("s.toml",
                "[scenario]\nname = \"small\"\n[cohort]\nsize = 40\nburn_in_days = 20\n"
                "[calibrate]\nparticles = 6\ngenerations = 2\nreplicates_per_particle = 1\n"
                "[calibrate.free]\nrater.youth_sd = [0.05, 0.5]\n");
  auto v = asim::test::run_command(asim::test::cli() + " validate " + scenario);
  INFO(v.output);
  CHECK(v.status == 0);
  auto r = asim::test::run_command(asim::test::cli() + " calibrate " + scenario + " --targets " +
                                   targets + " -o " + dir.file("c.h5"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Catch::Contains("Calibration of scenario 'small'"));
  CHECK_THAT(r.output, Catch::Contains("2 generations of 6 particles"));
  CHECK_THAT(r.output, Catch::Contains("rater.youth_sd: "));
  // --particles on the command line replaces the table's value.
  r = asim::test::run_command(asim::test::cli() + " calibrate " + scenario + " --targets " +
                              targets + " --particles 4 --quiet -o " + dir.file("d.h5"));
  REQUIRE(r.status == 0);
  const auto bad = dir.write(
      "bad.toml", "[scenario]\nname = \"bad\"\n[calibrate.free]\nrater.youth_sd = [0, 3]\n");
  r = asim::test::run_command(asim::test::cli() + " calibrate " + bad + " --targets " + targets +
                              " -o " + dir.file("e.h5"));
  CHECK(r.status == 2);
  CHECK_THAT(r.output,
             Catch::Contains(bad + ":4: calibrate.free: rater.youth_sd = [0, 3] is outside"));
}
