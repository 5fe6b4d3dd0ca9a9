// Determinism contract (docs/architecture.md §3): a result depends only on (scenario, seed,
// replicate). 1 thread and 4 threads — with living groups split over tasks — give identical
// result files; another seed gives a different file.
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include "apps/run_loop.hpp"
#include "engine/h5_compare.hpp"
#include "models/result_file.hpp"
#include "tests/support.hpp"

using namespace asim;

namespace {

// One scenario written through the command line's run loop (apps/run_loop.hpp).
void write_run(const std::string& path, int threads, const std::vector<std::string>& overrides,
               int group_grain) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const auto& o : overrides) loader.apply_override(s, o);
  LoadedRun run;
  run.scenarios.push_back({s, make_model_params(s.values)});
  RunOptions options;
  options.daily.fill(true);
  options.group_grain = group_grain;
  ResultWriter writer(path, "test");
  RunLoop loop(writer, run, options, false, true);
  tbb::task_arena arena(threads);
  REQUIRE(run_in_process(loop, options, arena, [] { return false; }));
  writer.close();
}

const std::vector<std::string> kSmall = {"run.replicates=4", "cohort.size=40",
                                         "cohort.burn_in_days=30", "institution.open_groups=5",
                                         "institution.closed_groups=4"};

}  // namespace

TEST_CASE("1 thread and 4 threads give identical result files", "[determinism]") {
  test::TempDir dir;
  write_run(dir.file("one.h5"), 1, kSmall, 0);
  write_run(dir.file("four.h5"), 4, kSmall, 1);  // one living group per task
  CHECK(h5::compare_files(dir.file("one.h5"), dir.file("four.h5")) == "");
}

TEST_CASE("a different seed gives a different result file", "[determinism]") {
  test::TempDir dir;
  auto other = kSmall;
  other.push_back("run.seed=7");
  write_run(dir.file("a.h5"), 2, kSmall, 0);
  write_run(dir.file("b.h5"), 2, other, 0);
  const std::string diff = h5::compare_files(dir.file("a.h5"), dir.file("b.h5"));
  CHECK(diff != "");
}

TEST_CASE("the comparison notices a change in one value", "[determinism]") {
  test::TempDir dir;
  write_run(dir.file("a.h5"), 1, kSmall, 0);
  auto changed = kSmall;
  changed.push_back("rater.srs_noise=0.0801");  // a measurement-only change
  write_run(dir.file("b.h5"), 1, changed, 0);
  CHECK(h5::compare_files(dir.file("a.h5"), dir.file("b.h5")) != "");
}

namespace {
// A file with one variable-length string dataset, written after `padding` strings of heap data
// so that the same text lands at different places in the file's heap.
void write_strings(const std::string& path, const std::vector<std::string>& values, int padding) {
  h5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  h5::Handle type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.id(), H5T_VARIABLE);
  auto write = [&](const char* name, const std::vector<std::string>& text) {
    const hsize_t n = text.size();
    h5::Handle space(H5Screate_simple(1, &n, nullptr));
    h5::Handle ds(
        H5Dcreate2(file.id(), name, type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    std::vector<const char*> ptrs;
    for (const auto& t : text) ptrs.push_back(t.c_str());
    H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data());
  };
  if (padding > 0) {
    write("padding", std::vector<std::string>(static_cast<std::size_t>(padding), "padding text"));
    H5Ldelete(file.id(), "padding", H5P_DEFAULT);
  }
  write("points", values);
}
}  // namespace

TEST_CASE("the comparison reads variable-length strings as text, not as pointers",
          "[determinism]") {
  test::TempDir dir;
  write_strings(dir.file("a.h5"), {"sweep-0001", "sweep-0002"}, 0);
  write_strings(dir.file("b.h5"), {"sweep-0001", "sweep-0002"}, 50);
  write_strings(dir.file("c.h5"), {"sweep-0001", "sweep-0003"}, 0);
  CHECK(h5::compare_files(dir.file("a.h5"), dir.file("b.h5")) == "");
  CHECK(h5::compare_files(dir.file("a.h5"), dir.file("c.h5")) == "points: contents differ");
}
