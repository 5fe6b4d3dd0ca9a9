// The result file round trip: what the writer puts in is what a reader gets back, under the
// documented names, with the schema attributes, units and dimension scales.
#include <hdf5_hl.h>
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/result_reader.hpp"
#include "engine/errors.hpp"
#include "models/result_file.hpp"
#include "tests/support.hpp"

using namespace asim;

TEST_CASE("a result file holds what was written, under the documented names", "[result_file]") {
  test::TempDir dir;
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const char* o : {"run.replicates=3", "cohort.size=25", "cohort.burn_in_days=10"})
    loader.apply_override(s, o);
  const Model model(make_model_params(s.values));
  RunOptions options;
  options.daily[kDailyAlliance] = true;
  std::vector<ReplicateResult> kept;
  {
    ResultWriter writer(dir.file("r.h5"), "alliance-sim run test");
    writer.begin_scenario(s, model, options, 3);
    run_replicates(model, options, 0, 3, [&](ReplicateResult&& r) {
      writer.write_replicate(r);
      kept.push_back(std::move(r));
    }, {});
    writer.end_scenario();
    writer.close();
  }
  REQUIRE(kept.size() == 3);
  h5::Handle f = h5::open_file_read(dir.file("r.h5"));
  CHECK(h5::get_attr_int(f.id(), "schema_version") == kSchemaVersion);
  CHECK(h5::get_attr_string(f.id(), "command_line") == "alliance-sim run test");
  for (const char* a : {"generator", "git_commit", "created_utc"}) CHECK(h5::has_attr(f.id(), a));
  h5::Handle g = h5::open_group(f.id(), "scenarios/baseline");
  CHECK(h5::get_attr_int(g.id(), "complete") == 1);
  CHECK(h5::get_attr_int(g.id(), "replicates") == 3);
  CHECK(h5::get_attr_int(g.id(), "seed") == model.params().seed);
  // The stored resolved TOML reads back to the same parameter values.
  const Scenario again = loader.load_text(h5::get_attr_string(g.id(), "resolved_toml"), "stored.toml");
  CHECK(again.values.values() == s.values.values());

  h5::Handle day = h5::open_dataset(g.id(), "waves/day");
  std::vector<std::int32_t> days;
  h5::read_all(day.id(), days);
  CHECK(days == std::vector<std::int32_t>{14, 91, 182, 273});
  CHECK(h5::get_attr_strings(day.id(), "names") == std::vector<std::string>{"first", "3m", "6m", "9m"});

  for (const auto& m : kWaveMeasures) {
    h5::Handle ds = h5::open_dataset(g.id(), "youth/waves/" + std::string(m.name));
    CHECK(h5::shape(ds.id()) == std::vector<hsize_t>{3, 25, 4});
    CHECK(h5::get_attr_string(ds.id(), "units") == m.unit);
    CHECK(H5DSis_attached(ds.id(), day.id(), 2) > 0);
    std::vector<float> values;
    h5::read_all(ds.id(), values);
    const auto idx = static_cast<std::size_t>(&m - kWaveMeasures.data());
    for (std::size_t r = 0; r < 3; ++r)
      for (std::size_t i = 0; i < 100; ++i) {
        const float expected = kept[r].wave_values[idx][i], got = values[r * 100 + i];
        REQUIRE(((std::isnan(expected) && std::isnan(got)) || expected == got));
      }
  }
  for (const auto& fld : kStaticFields) CHECK(h5::exists(g.id(), "youth/static/" + std::string(fld.name)));
  for (const auto& fld : kOutcomeFields) CHECK(h5::exists(g.id(), "outcomes/" + std::string(fld.name)));
  for (const auto& v : kGroupVars) CHECK(h5::exists(g.id(), "groups/daily/" + std::string(v.name)));
  CHECK(h5::exists(g.id(), "youth/daily/alliance"));
  CHECK_FALSE(h5::exists(g.id(), "youth/daily/bond"));
  h5::Handle events = h5::open_dataset(g.id(), "events/kind");
  std::size_t expected_events = 0;
  for (const auto& r : kept) expected_events += r.events.size();
  CHECK(h5::shape(events.id())[0] == expected_events);

  // The analysis reader agrees with the writer.
  const ResultFile file(dir.file("r.h5"));
  const ScenarioSummary sum = file.summarise("baseline");
  double total = 0;
  long n = 0;
  for (const auto& r : kept)
    for (int c = 0; c < 25; ++c) {
      const float v = r.wave_values[kAllianceYouth][static_cast<std::size_t>(c * 4)];
      if (!std::isnan(v)) total += v, ++n;
    }
  CHECK(sum.alliance_youth[0] == Approx(total / n).epsilon(1e-9));
}

TEST_CASE("a result file of a newer schema is refused with a clear message", "[result_file]") {
  test::TempDir dir;
  {
    h5::Handle f = h5::create_file(dir.file("new.h5"));
    h5::set_attr_int(f.id(), "schema_version", kSchemaVersion + 1);
    h5::create_group(f.id(), "scenarios");
  }
  CHECK_THROWS_WITH(ResultFile(dir.file("new.h5")), Catch::Contains("schema_version 2 is not supported"));
  {
    h5::Handle f = h5::create_file(dir.file("foreign.h5"));
    h5::create_group(f.id(), "data");
  }
  CHECK_THROWS_AS(ResultFile(dir.file("foreign.h5")), ConfigError);
}
