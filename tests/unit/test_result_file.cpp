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
    run_replicates(model, options, 0, 3,
                   [&](ReplicateResult&& r) {
                     writer.write_replicate(r);
                     kept.push_back(std::move(r));
                   },
                   {});
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
  const Scenario again =
      loader.load_text(h5::get_attr_string(g.id(), "resolved_toml"), "stored.toml");
  CHECK(again.values.values() == s.values.values());

  h5::Handle day = h5::open_dataset(g.id(), "youth/waves/wave");
  std::vector<std::int32_t> days;
  h5::read_all(day.id(), days);
  CHECK(days == std::vector<std::int32_t>{14, 91, 182, 273});
  CHECK(h5::get_attr_strings(day.id(), "names") ==
        std::vector<std::string>{"first", "3m", "6m", "9m"});

  for (const auto& m : kWaveMeasures) {
    h5::Handle ds = h5::open_dataset(g.id(), "youth/waves/" + std::string(m.name));
    CHECK(h5::shape(ds.id()) == std::vector<hsize_t>{3, 25, 4});
    // CF attributes: a UDUNITS unit ("1" for scores), the meaning, the instrument's range.
    CHECK(h5::get_attr_string(ds.id(), "units") == "1");
    CHECK(h5::get_attr_string(ds.id(), "long_name") == m.meaning);
    if (m.unit.find('-') != std::string_view::npos)  // a range; counts and flags have none
      CHECK(h5::get_attr_string(ds.id(), "scale") == m.unit);
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
  for (const auto& fld : kStaticFields)
    CHECK(h5::exists(g.id(), "youth/static/" + std::string(fld.name)));
  for (const auto& fld : kOutcomeFields)
    CHECK(h5::exists(g.id(), "outcomes/" + std::string(fld.name)));
  for (const auto& v : kGroupVars) CHECK(h5::exists(g.id(), "groups/daily/" + std::string(v.name)));
  CHECK(h5::exists(g.id(), "youth/daily/alliance"));
  CHECK_FALSE(h5::exists(g.id(), "youth/daily/bond"));
  h5::Handle events = h5::open_dataset(g.id(), "events/kind");
  std::size_t expected_events = 0;
  for (const auto& r : kept) expected_events += r.events.size();
  CHECK(h5::shape(events.id())[0] == expected_events);

  // netCDF-4 layout: every dimension of every dataset has a scale, and that scale lives in the
  // dataset's own group (netCDF resolves a dimension in the group or its ancestors; xarray,
  // opening one group, finds the coordinates there).
  const auto parent = [](hid_t obj) {
    char name[512];
    H5Iget_name(obj, name, sizeof name);
    const std::string path(name);
    return path.substr(0, path.rfind('/'));
  };
  std::size_t datasets = 0;
  for (const char* section : {"youth/waves", "youth/static", "youth/daily", "outcomes", "groups",
                              "groups/daily", "events", "peers/edges"}) {
    h5::Handle sec = h5::open_group(g.id(), section);
    for (const auto& name : h5::list_children(sec.id())) {
      if (!h5::exists(sec.id(), name) || name == "daily") continue;
      h5::Handle ds = h5::open_dataset(sec.id(), name);
      if (h5::is_scale(ds.id())) {
        CHECK(h5::shape(ds.id()).size() == 1);
        continue;
      }
      ++datasets;
      const auto rank = h5::shape(ds.id()).size();
      for (unsigned dim = 0; dim < rank; ++dim) {
        INFO(section << "/" << name << " dimension " << dim);
        CHECK(H5DSget_num_scales(ds.id(), dim) == 1);
        std::string scale_parent;
        H5DSiterate_scales(
            ds.id(), dim, nullptr,
            [](hid_t, unsigned, hid_t scale, void* out) -> herr_t {
              char n[512];
              H5Iget_name(scale, n, sizeof n);
              *static_cast<std::string*>(out) = n;
              return 1;
            },
            &scale_parent);
        CHECK(scale_parent.substr(0, scale_parent.rfind('/')) == parent(ds.id()));
      }
      for (const char* a : {"units", "long_name", "description"}) CHECK(h5::has_attr(ds.id(), a));
      CHECK(h5::get_attr_string(ds.id(), "units").find("since") == std::string::npos);
    }
  }
  CHECK(datasets == kWaveMeasures.size() + kStaticFields.size() + 1 + kOutcomeFields.size() + 1 +
                        kGroupVars.size() + 6 + 7);
  // Coded variables carry CF flags with the variable's own type.
  {
    h5::Handle reason = h5::open_dataset(g.id(), "outcomes/exit_reason");
    CHECK(h5::get_attr_ints(reason.id(), "flag_values") ==
          std::vector<std::int64_t>{0, 1, 2, 3, 4});
    CHECK(h5::get_attr_string(reason.id(), "flag_meanings") ==
          "in_care planned_discharge drop-out absconded transferred");
    h5::Handle attr(H5Aopen(reason.id(), "flag_values", H5P_DEFAULT));
    h5::Handle type(H5Aget_type(attr.id()));
    CHECK(H5Tget_size(type.id()) == 1);
    h5::Handle kind = h5::open_dataset(g.id(), "events/kind");
    CHECK(h5::get_attr_string(kind.id(), "flag_meanings").rfind("admission rupture", 0) == 0);
    h5::Handle age = h5::open_dataset(g.id(), "youth/static/age");
    CHECK(h5::get_attr_string(age.id(), "units") == "year");
    h5::Handle exit_day = h5::open_dataset(g.id(), "outcomes/exit_day");
    CHECK(h5::get_attr_string(exit_day.id(), "units") == "day");
  }
  // The coordinates of the events table and the group series number the rows and days written.
  {
    h5::Handle ev = h5::open_dataset(g.id(), "events/event");
    std::vector<std::int32_t> index;
    h5::read_all(ev.id(), index);
    REQUIRE(index.size() == expected_events);
    for (std::size_t i = 0; i < index.size(); ++i)
      REQUIRE(index[i] == static_cast<std::int32_t>(i));
    h5::Handle day_coord = h5::open_dataset(g.id(), "groups/daily/day");
    h5::Handle occupancy = h5::open_dataset(g.id(), "groups/daily/occupancy");
    CHECK(h5::shape(day_coord.id())[0] == h5::shape(occupancy.id())[2]);
  }

  // The ego networks at the waves: one row per tie of a measured youth, as the replicates hold
  // them, numbered by their coordinate; a tie's partner is the other youth of the group.
  {
    std::vector<PeerEdge> expected;
    std::vector<std::int32_t> expected_replicate;
    for (const auto& r : kept)
      for (const PeerEdge& e : r.peer_edges) {
        expected.push_back(e);
        expected_replicate.push_back(r.replicate);
      }
    CHECK_FALSE(expected.empty());
    std::vector<std::int32_t> replicate, wave, day, youth, partner, partner_cohort, index;
    std::vector<std::int8_t> tie;
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/replicate").id(), replicate);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/wave").id(), wave);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/day").id(), day);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/youth").id(), youth);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/partner").id(), partner);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/partner_cohort").id(), partner_cohort);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/tie").id(), tie);
    h5::read_all(h5::open_dataset(g.id(), "peers/edges/edge").id(), index);
    REQUIRE(tie.size() == expected.size());
    REQUIRE(index.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      const PeerEdge& e = expected[i];
      REQUIRE(index[i] == static_cast<std::int32_t>(i));
      REQUIRE(replicate[i] == expected_replicate[i]);
      REQUIRE(wave[i] == e.wave);
      REQUIRE(day[i] == e.day);
      REQUIRE(youth[i] == e.youth);
      REQUIRE(partner[i] == e.partner);
      REQUIRE(partner_cohort[i] == e.partner_cohort);
      REQUIRE(tie[i] == e.tie);
      REQUIRE((e.tie == kTieFriendship || e.tie == kTieConflict));
      REQUIRE(e.youth != e.partner_cohort);
    }
    h5::Handle t = h5::open_dataset(g.id(), "peers/edges/tie");
    CHECK(h5::get_attr_string(t.id(), "flag_meanings") == "friendship conflict");
  }

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
  CHECK_THROWS_WITH(ResultFile(dir.file("new.h5")),
                    Catch::Contains("schema_version " + std::to_string(kSchemaVersion + 1) +
                                    " is not supported"));
  {
    h5::Handle f = h5::create_file(dir.file("foreign.h5"));
    h5::create_group(f.id(), "data");
  }
  CHECK_THROWS_AS(ResultFile(dir.file("foreign.h5")), ConfigError);
}

TEST_CASE(
    "replicates' small slices are gathered into shared chunks: every row reads back, also after a "
    "flush in the middle and after an interrupted scenario",
    "[result_file]") {
  // 400 youths: every wave measure, static field and outcome is gathered (wave measures 10
  // replicates a chunk, 6 400 bytes each, so the second chunk holds 3 and is padded). 3 000
  // youths: only the one-byte fields are (3 000 bytes a replicate); the rest are chunks of their
  // own, in the same replicate's list of chunks.
  struct Case {
    int youths, reps, open_groups;
  };
  const Case c = GENERATE(Case{400, 13, 0}, Case{3000, 5, 40});
  const bool interrupted = GENERATE(false, true);
  CAPTURE(c.youths, interrupted);
  test::TempDir dir;
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  loader.apply_override(s, "cohort.size=" + std::to_string(c.youths));
  loader.apply_override(s, "cohort.burn_in_days=10");
  if (c.open_groups > 0) {
    loader.apply_override(s, "institution.open_groups=" + std::to_string(c.open_groups));
    loader.apply_override(s, "institution.closed_groups=20");
  }
  const Model model(make_model_params(s.values));
  const RunOptions options;
  const int written = interrupted ? c.reps - 1 : c.reps;
  std::vector<ReplicateResult> kept;
  {
    ResultWriter writer(dir.file("g.h5"), "alliance-sim run test");
    writer.begin_scenario(s, model, options, c.reps);
    run_replicates(model, options, 0, written,
                   [&](ReplicateResult&& r) {
                     ResultWriter::compress(r, options);  // as the worker threads do
                     writer.write_replicate(r);
                     kept.push_back(std::move(r));
                     // A flush writes the gathered chunks so far; the full chunk replaces them.
                     if (kept.size() == 4) writer.flush();
                   },
                   {});
    if (!interrupted) writer.end_scenario();
    writer.close();  // an interrupted run closes the file with its scenario open
  }
  REQUIRE(kept.size() == static_cast<std::size_t>(written));
  h5::Handle f = h5::open_file_read(dir.file("g.h5"));
  h5::Handle g = h5::open_group(f.id(), "scenarios/baseline");
  CHECK(h5::get_attr_int(g.id(), "complete") == (interrupted ? 0 : 1));
  CHECK(h5::get_attr_int(g.id(), "replicates_written") == written);
  const std::size_t N = static_cast<std::size_t>(c.youths), W = 4,
                    R = static_cast<std::size_t>(c.reps);
  // Replicates per chunk: slices under 8 KiB gathered into chunks of up to 64 KiB.
  const auto per_chunk = [&](std::size_t slice_bytes) -> hsize_t {
    return slice_bytes < 8192 ? std::min<std::size_t>(R, 65536 / slice_bytes) : 1;
  };
  const auto first_chunk_dim = [](hid_t ds, int rank) {
    h5::Handle dcpl(H5Dget_create_plist(ds));
    std::vector<hsize_t> chunk(static_cast<std::size_t>(rank));
    REQUIRE(H5Pget_chunk(dcpl.id(), rank, chunk.data()) == rank);
    return chunk[0];
  };
  for (const auto& m : kWaveMeasures) {
    h5::Handle ds = h5::open_dataset(g.id(), "youth/waves/" + std::string(m.name));
    CHECK(first_chunk_dim(ds.id(), 3) == per_chunk(N * W * 4));
    std::vector<float> values;
    h5::read_all(ds.id(), values);
    REQUIRE(values.size() == R * N * W);
    const auto idx = static_cast<std::size_t>(&m - kWaveMeasures.data());
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < N * W; ++i) {
        const float got = values[r * N * W + i];
        if (r >= kept.size()) {  // never written: the fill value
          REQUIRE(std::isnan(got));
          continue;
        }
        const float expected = kept[r].wave_values[idx][i];
        REQUIRE(((std::isnan(expected) && std::isnan(got)) || expected == got));
      }
  }
  // Static fields and outcomes, each in its own type (NaN stored as -1 in integer fields).
  const auto check_fields = [&](const auto& catalogue, const char* section, auto values_of) {
    for (const auto& fld : catalogue) {
      INFO(section << "/" << fld.name);
      h5::Handle ds = h5::open_dataset(g.id(), std::string(section) + "/" + std::string(fld.name));
      const std::size_t size = fld.type == FieldType::I8 ? 1 : 4;
      CHECK(first_chunk_dim(ds.id(), 2) == per_chunk(N * size));
      std::vector<double> values;
      const auto read = [&](auto typed) {
        h5::read_all(ds.id(), typed);
        values.assign(typed.begin(), typed.end());
      };
      if (fld.type == FieldType::I8)
        read(std::vector<std::int8_t>{});
      else if (fld.type == FieldType::I32)
        read(std::vector<std::int32_t>{});
      else
        read(std::vector<float>{});
      REQUIRE(values.size() == R * N);
      const auto idx = static_cast<std::size_t>(&fld - catalogue.data());
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < N; ++i) {
          const double got = values[r * N + i];
          double expected = fld.type == FieldType::F32 ? std::nan("") : 0.0;  // the fill value
          if (r < kept.size()) {
            const double v = values_of(kept[r])[idx][i];
            expected = std::isnan(v) && fld.type != FieldType::F32
                           ? -1.0
                           : static_cast<double>(static_cast<float>(v));
          }
          INFO("replicate " << r << " youth " << i);
          REQUIRE(((std::isnan(expected) && std::isnan(got)) || expected == got));
        }
    }
  };
  check_fields(kStaticFields, "youth/static",
               [](const ReplicateResult& r) { return r.static_values; });
  check_fields(kOutcomeFields, "outcomes",
               [](const ReplicateResult& r) { return r.outcome_values; });
  // Every event and ego-network edge of the replicates written, also when interrupted.
  std::size_t events = 0, edges = 0;
  for (const auto& r : kept) events += r.events.size(), edges += r.peer_edges.size();
  CHECK(h5::shape(h5::open_dataset(g.id(), "events/kind").id())[0] == events);
  CHECK(h5::shape(h5::open_dataset(g.id(), "events/event").id())[0] == events);
  CHECK(h5::shape(h5::open_dataset(g.id(), "peers/edges/tie").id())[0] == edges);
}
