// waves.days and waves.names, the model's list parameters: accepted forms, every bad list and its
// message (file:line, key, value, allowed range), the deprecated four keys of earlier versions,
// the reset of names when the days change, --set, sweeps refusing lists, and the model and
// result writer following the number of waves.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/errors.hpp"
#include "models/model_params.hpp"
#include "models/scenarios.hpp"
#include "models/simulation.hpp"
#include "tests/support.hpp"

using namespace asim;

namespace {

Scenario load(std::string_view text) {
  return model_scenario_loader().load_text(text, "w.toml");
}

std::string load_error(std::string_view text) {
  try {
    load(text);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

std::string override_error(std::initializer_list<std::string> sets, std::string_view text = "") {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_text(text, "w.toml");
  try {
    for (const auto& o : sets) loader.apply_override(s, o);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

const std::string kRange = "a list of whole numbers in [1, 730], at least one, strictly increasing";

}  // namespace

TEST_CASE("waves.days and waves.names default to the four waves of the study", "[waves]") {
  const ModelParams p = make_model_params(load("").values);
  CHECK(p.wave_days == std::vector<int>{14, 91, 182, 273});
  CHECK(p.wave_names == std::vector<std::string>{"first", "3m", "6m", "9m"});
  CHECK(Model(p).follow_up_days() == 274);
}

TEST_CASE("Any number of waves loads; names default to day N", "[waves]") {
  const Scenario two = load("[waves]\ndays = [30, 120]\n");
  ModelParams p = make_model_params(two.values);
  CHECK(p.wave_days == std::vector<int>{30, 120});
  CHECK(p.wave_names.empty());  // reset: the days were set without names
  CHECK(wave_names(p) == std::vector<std::string>{"day 30", "day 120"});
  CHECK(Model(p).follow_up_days() == 121);

  const Scenario six = load(
      "[waves]\ndays = [7, 30, 60, 91, 182, 365]\nnames = [\"a\", \"b\", \"c\", \"d\", \"e\", "
      "\"f\"]\n");
  p = make_model_params(six.values);
  CHECK(p.wave_days.size() == 6);
  CHECK(wave_names(p)[5] == "f");
  CHECK(Model(p).follow_up_days() == 366);

  const Scenario one = load("waves.days = [1]\n");
  CHECK(make_model_params(one.values).wave_days == std::vector<int>{1});
}

TEST_CASE("Bad wave lists name file, line, key, value and the allowed range", "[waves]") {
  CHECK(load_error("[waves]\ndays = []\n") ==
        "w.toml:2: waves.days = [] is empty: list at least one whole number in [1, 730]");
  CHECK(load_error("[waves]\ndays = [14, 91, 90, 273]\n") ==
        "w.toml:2: waves.days = [14, 91, 90, 273] is not strictly increasing: 91 then 90 "
        "(allowed: " +
            kRange + ")");
  CHECK(load_error("[waves]\ndays = [14, 14]\n") ==
        "w.toml:2: waves.days = [14, 14] is not strictly increasing: 14 then 14 (allowed: " +
            kRange + ")");
  CHECK(load_error("\n[waves]\ndays = [14, 91, 800]\n") ==
        "w.toml:3: waves.days = [14, 91, 800] has 800 outside [1, 730]");
  CHECK(load_error("[waves]\ndays = [0, 91]\n") ==
        "w.toml:2: waves.days = [0, 91] has 0 outside [1, 730]");
  CHECK(load_error("[waves]\ndays = [14, 91.5]\n") ==
        "w.toml:2: waves.days = [14, 91.5] has 91.5, not a whole number");
  CHECK(load_error("[waves]\ndays = 14\n") ==
        "w.toml:2: waves.days = 14 has the wrong type: expected " + kRange +
            ", e.g. waves.days = [14, 91, 182, 273]");
  CHECK(load_error("[waves]\ndays = [\"14\"]\n")
            .rfind("w.toml:2: waves.days = [\"14\"] has the wrong type", 0) == 0);
  CHECK(load_error("[waves]\nnames = [\"a\", \"a\", \"b\", \"c\"]\n") ==
        "w.toml:2: waves.names = [\"a\", \"a\", \"b\", \"c\"] names \"a\" twice");
  CHECK(load_error("[waves]\nnames = [\"a\", \"\", \"b\", \"c\"]\n") ==
        "w.toml:2: waves.names = [\"a\", \"\", \"b\", \"c\"] has an empty name");
  CHECK(load_error("[waves]\ndays = [14, 91]\nnames = [\"a\", \"b\", \"c\"]\n") ==
        "w.toml:3: waves.names = [\"a\", \"b\", \"c\"] has 3 names but waves.days = [14, 91] "
        "(w.toml:2) has 2 elements: give one name each, or [] for the default names");
}

TEST_CASE("The four keys of earlier versions still set the four waves", "[waves]") {
  const Scenario old = load(
      "[waves]\nfirst_impression_day = 10\nmonth3_day = 90\nmonth6_day = 180\nmonth9_day = 270\n");
  const ModelParams p = make_model_params(old.values);
  CHECK(p.wave_days == std::vector<int>{10, 90, 180, 270});
  CHECK(p.wave_names == std::vector<std::string>{"first", "3m", "6m", "9m"});  // kept
  // Each deprecated key leaves a note saying what to write instead.
  REQUIRE(old.notes.size() == 4);
  CHECK(old.notes[1] ==
        "w.toml:3: waves.month3_day is deprecated (element 2 of waves.days): write "
        "waves.days = [10, 90, 182, 273]");
  CHECK(load("[waves]\ndays = [10, 90, 180, 270]\n").notes.empty());
  // Setting one changes one element and leaves the others at their values.
  CHECK(make_model_params(load("waves.month6_day = 200\n").values).wave_days ==
        std::vector<int>{14, 91, 200, 273});
  // The same list written either way gives the same resolved parameters.
  const Scenario listed =
      load("[waves]\ndays = [10, 90, 180, 270]\nnames = [\"first\", \"3m\", \"6m\", \"9m\"]\n");
  CHECK(make_model_params(listed.values).wave_days == p.wave_days);

  CHECK(load_error("[waves]\nmonth3_day = 10\n") ==
        "w.toml:2: waves.month3_day = 10 (deprecated: element 2 of waves.days) makes waves.days = "
        "[14, 10, 182, 273], which is not strictly increasing: 14 then 10 (allowed: " +
            kRange + ")");
  CHECK(load_error("[waves]\nmonth9_day = 2000\n") ==
        "w.toml:2: waves.month9_day = 2000 is not a whole number in [1, 730] (deprecated: element "
        "4 of waves.days)");
  CHECK(load_error("[waves]\ndays = [14, 91]\nmonth3_day = 60\n") ==
        "w.toml:3: waves.month3_day (deprecated: element 2 of waves.days) is set beside "
        "waves.days (w.toml:2): remove it and give the whole list");
}

TEST_CASE("A deprecated key on a shorter inherited list is an error naming the list", "[waves]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("asim_waves_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string parent = (dir / "two.toml").string(), child = (dir / "child.toml").string();
  { std::ofstream(parent) << "[waves]\ndays = [30, 120]\n"; }
  { std::ofstream(child) << "inherit = \"two.toml\"\n[waves]\nmonth9_day = 300\n"; }
  std::string message;
  try {
    model_scenario_loader().load_file(child);
  } catch (const ConfigError& e) {
    message = e.what();
  }
  std::filesystem::remove_all(dir);
  CHECK(message == child +
                       ":3: waves.month9_day = 300 (deprecated: element 4 of waves.days) "
                       "cannot be used with waves.days = [30, 120] (" +
                       parent + ":2), which has 2 elements: set waves.days instead");
}

TEST_CASE("Inherited names are kept only with the days they name", "[waves]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("asim_waves_names_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const char* text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  write("named.toml", "[waves]\ndays = [30, 120]\nnames = [\"early\", \"late\"]\n");
  const std::string keeps = write("keeps.toml", "inherit = \"named.toml\"\nmentor.caseload = 5\n");
  const std::string resets =
      write("resets.toml", "inherit = \"named.toml\"\nwaves.days = [30, 200]\n");
  const ScenarioLoader loader = model_scenario_loader();
  const ModelParams kept = make_model_params(loader.load_file(keeps).values);
  const ModelParams reset = make_model_params(loader.load_file(resets).values);
  std::filesystem::remove_all(dir);
  CHECK(kept.wave_names == std::vector<std::string>{"early", "late"});
  CHECK(reset.wave_names.empty());
  CHECK(wave_names(reset) == std::vector<std::string>{"day 30", "day 200"});
}

TEST_CASE("Overrides (--set) take wave lists and the deprecated keys", "[waves]") {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  loader.apply_override(s, "waves.days=[20, 100]");
  ModelParams p = make_model_params(s.values);
  CHECK(p.wave_days == std::vector<int>{20, 100});
  CHECK(p.wave_names.empty());
  loader.apply_override(s, "waves.names=[\"in\", \"out\"]");
  CHECK(make_model_params(s.values).wave_names == std::vector<std::string>{"in", "out"});

  Scenario old = loader.load_builtin("baseline");
  loader.apply_override(old, "waves.month3_day=95");
  CHECK(make_model_params(old.values).wave_days == std::vector<int>{14, 95, 182, 273});
  REQUIRE(old.notes.size() == 1);
  CHECK(old.notes[0] ==
        "--set: waves.month3_day is deprecated (element 2 of waves.days): write "
        "waves.days = [14, 95, 182, 273]");

  CHECK(override_error({"waves.days=[91, 14]"}) ==
        "--set waves.days=[91, 14]: waves.days = [91, 14] is not strictly increasing: 91 then 14 "
        "(allowed: " +
            kRange + ")");
  CHECK(override_error({"waves.days=14"}) ==
        "--set waves.days=14: waves.days = 14 has the wrong type: expected " + kRange +
            ", e.g. waves.days = [14, 91, 182, 273]");
  CHECK(override_error({"waves.names=[\"a\"]"}) ==
        "--set: waves.names = [\"a\"] has 1 name but waves.days = [14, 91, 182, 273] (default) has "
        "4 elements: give one name each, or [] for the default names");
}

TEST_CASE("Sweeps refuse list parameters", "[waves]") {
  CHECK(load_error("[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"waves.days\" = [[14, 91], "
                   "[30, 120]]\n") ==
        "w.toml:4: sweep waves.days = [[14, 91], [30, 120]]: waves.days is a list parameter and "
        "cannot be swept; write one scenario file per list (e.g. waves.days = [14, 91, 182, 273]) "
        "and run them together");
  CHECK(load_error(
            "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"waves.month3_day\" = [80, 91]\n") ==
        "w.toml:4: sweep waves.month3_day = [80, 91]: waves.month3_day is a deprecated key for "
        "element 2 of waves.days, a list parameter, which cannot be swept; write one scenario "
        "file per list and run them together");
}

TEST_CASE("The resolved parameters write the lists and read back", "[waves]") {
  const Scenario s = load("[waves]\ndays = [7, 30, 60, 91, 182, 365]\n");
  const std::string toml = s.values.to_toml();
  CHECK(toml.find("days = [7, 30, 60, 91, 182, 365]  # w.toml:2\n") != std::string::npos);
  CHECK(toml.find("names = []  # w.toml:2 (waves.days set without waves.names)\n") !=
        std::string::npos);
  const Scenario back = load(toml);
  CHECK(make_model_params(back.values).wave_days == make_model_params(s.values).wave_days);
  CHECK(make_model_params(back.values).wave_names.empty());
}

TEST_CASE("A replicate measures at every wave of the list", "[waves]") {
  for (const char* days : {"[20, 60]", "[7, 30, 60, 91, 120, 150]"}) {
    const ModelParams p =
        test::baseline_params({std::string("waves.days=") + days, "cohort.size=40",
                               "cohort.burn_in_days=30", "run.replicates=1"});
    const Model model(p);
    RunOptions options;
    const ReplicateResult r = model.run_replicate(0, options);
    const int W = static_cast<int>(p.wave_days.size());
    CHECK(r.waves == W);
    CHECK(r.follow_up_days == p.wave_days.back() + 1);
    CHECK(r.wave_values[kAllianceYouth].size() == static_cast<std::size_t>(r.cohort * W));
    // Every youth is admitted on a day the first wave follows, so it is measured there unless
    // gone; most are measured at the first wave and some at the last.
    int first = 0, last = 0;
    for (int c = 0; c < r.cohort; ++c) {
      first += !std::isnan(r.wave_values[kAllianceYouth][static_cast<std::size_t>(c * W)]);
      last += !std::isnan(r.wave_values[kAllianceYouth][static_cast<std::size_t>(c * W + W - 1)]);
    }
    CHECK(first > r.cohort / 2);
    CHECK(last > 0);
  }
}
