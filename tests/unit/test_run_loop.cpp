// The one run loop of `alliance-sim run` (apps/run_loop.hpp) and the MPI work dispenser beside
// it (apps/work_dispenser.hpp): writing order, resume, and the dispenser's window.
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>

#include "apps/run_loop.hpp"
#include "apps/work_dispenser.hpp"
#include "engine/errors.hpp"
#include "engine/h5_compare.hpp"
#include "tests/support.hpp"

using namespace asim;
using namespace asim::test;

namespace {

// Two small scenarios of three replicates each.
LoadedRun two_scenarios() {
  const ScenarioLoader loader = model_scenario_loader();
  LoadedRun run;
  for (const std::string name : {"first", "second"}) {
    Scenario s = loader.load_builtin("baseline");
    s.name = name;
    for (const std::string o : {"run.replicates=3", "cohort.size=20", "cohort.burn_in_days=10",
                                "institution.open_groups=2", "institution.closed_groups=1"})
      loader.apply_override(s, o);
    if (name == "second") loader.apply_override(s, "run.seed=7");
    run.scenarios.push_back({s, make_model_params(s.values)});
  }
  return run;
}

}  // namespace

TEST_CASE(
    "the run loop writes every scenario, and a resumed run keeps the finished ones and gives "
    "the same file",
    "[run_loop]") {
  TempDir dir;
  const LoadedRun run = two_scenarios();
  const RunOptions options;
  tbb::task_arena arena(2);
  {
    ResultWriter writer(dir.file("whole.h5"), "test");
    RunLoop loop(writer, run, options, false, true);
    CHECK(loop.todo().size() == 2);
    CHECK(run_in_process(loop, options, arena, [] { return false; }));
    CHECK(loop.finished_scenarios() == 2);
    CHECK(loop.youth_days() > 0);
    writer.close();
  }
  // A run stopped after the first scenario, then resumed.
  {
    ResultWriter writer(dir.file("part.h5"), "test");
    RunLoop loop(writer, run, options, false, true);
    CHECK_FALSE(
        run_in_process(loop, options, arena, [&] { return loop.finished_scenarios() == 1; }));
    CHECK(loop.finished_scenarios() == 1);
    writer.close();
  }
  {
    ResultWriter writer(dir.file("part.h5"), "test", ResultWriter::Resume{});
    RunLoop loop(writer, run, options, true, true);
    CHECK(loop.kept_scenarios() == 1);
    REQUIRE(loop.todo() == std::vector<std::size_t>{1});
    CHECK(run_in_process(loop, options, arena, [] { return false; }));
    writer.close();
  }
  CHECK(h5::compare_files(dir.file("whole.h5"), dir.file("part.h5")) == "");
}

TEST_CASE("the run loop refuses a replicate out of writing order", "[run_loop]") {
  TempDir dir;
  const LoadedRun run = two_scenarios();
  const RunOptions options;
  ResultWriter writer(dir.file("r.h5"), "test");
  RunLoop loop(writer, run, options, false, true);
  ReplicateResult r;
  r.replicate = 1;  // replicate 0 comes first
  CHECK_THROWS_AS(loop.write(r), RuntimeFailure);
}

TEST_CASE("the work dispenser hands out items in writing order within its window", "[run_loop]") {
  WorkDispenser dispenser({0, 2}, {5, 3});
  CHECK(dispenser.total() == 8);
  const auto a = dispenser.next(4, 0, 16);
  REQUIRE(a);
  CHECK((a->scenario == 0 && a->first == 0 && a->count == 4));
  const auto b = dispenser.next(4, 0, 16);  // the rest of scenario 0 only
  REQUIRE(b);
  CHECK((b->scenario == 0 && b->first == 4 && b->count == 1));
  CHECK_FALSE(dispenser.next(4, 0, 5));  // 5 replicates out, none written: the window is full
  const auto c = dispenser.next(4, 0, 16);
  REQUIRE(c);
  CHECK((c->scenario == 2 && c->first == 0 && c->count == 3));
  CHECK(dispenser.position(2, 1) == 6);
  CHECK_FALSE(dispenser.next(4, 8, 16));
  CHECK(dispenser.exhausted());
  CHECK(dispense_window(3, 2) == 24);
  CHECK(dispense_window(1, 1) == 16);
}
