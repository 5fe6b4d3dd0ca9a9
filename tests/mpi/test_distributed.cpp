// Distributed runs (mpirun -n K alliance-sim run): the result file is identical to the
// single-process run's (docs/architecture.md §3.3), a killed rank leaves no file under the final
// name, and --resume completes the work into the identical file.
#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/h5.hpp"
#include "engine/h5_compare.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

// CI runs as root: Open MPI refuses that without these two variables. --oversubscribe: more
// ranks than the machine's cores.
// An `environment` that sets ASIM_TEST_* runs the executable built with the test hooks.
std::string mpirun(int ranks, const std::string& environment = "") {
  const bool hooks = environment.find("ASIM_TEST_") != std::string::npos;
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 " + environment + " " +
         std::string(ASIM_MPIEXEC) + " --oversubscribe -n " + std::to_string(ranks) + " " +
         (hooks ? cli_with_hooks() : cli());
}

// Ten scenarios of three replicates: the baseline and a sweep of nine points, with one daily
// series. 120 living groups make a replicate take about a tenth of a second, so that every rank
// gets work; the whole run takes a few seconds.
const std::string kRun =
    " --replicates 3 --set cohort.size=30 --set cohort.burn_in_days=20 --set "
    "institution.open_groups=80 --set institution.closed_groups=40 --daily alliance";
const std::string kQuick = kRun + " --quiet";
// Six replicates of the small default institution each (a hundredth of a second a replicate).
const std::string kSmall =
    " --replicates 6 --set cohort.size=30 --set cohort.burn_in_days=20 --daily alliance";

std::string scenario_files(const TempDir& dir) {
  const auto sweep = dir.write("sweep.toml",
                               "inherit = \"builtin:baseline\"\n[scenario]\nname = \"caseload\"\n"
                               "[sweep]\ndesign = \"lhs\"\npoints = 9\n"
                               "[sweep.parameters]\n\"mentor.caseload\" = { min = 4, max = 12 }\n");
  return " " + std::string(ASIM_SOURCE_DIR) + "/scenarios/baseline.toml " + sweep;
}

// The youth-days a run reports having simulated ("simulated 1.2e+06 youth-days in ...").
double youth_days(const std::string& output) {
  const auto at = output.find("simulated ");
  return at == std::string::npos ? -1 : std::stod(output.substr(at + 10));
}

int complete_scenarios(const std::string& path) {
  asim::h5::Handle f = asim::h5::open_file_read(path);
  asim::h5::Handle scenarios = asim::h5::open_group(f.id(), "scenarios");
  int complete = 0;
  for (const auto& name : asim::h5::list_children(scenarios.id())) {
    asim::h5::Handle g = asim::h5::open_group(scenarios.id(), name);
    complete += asim::h5::get_attr_int(g.id(), "complete") == 1;
  }
  return complete;
}

}  // namespace

TEST_CASE("mpirun -n 2 and -n 3 write the file of a single-process run", "[mpi]") {
  TempDir dir;
  const std::string files = scenario_files(dir);
  auto single = run_command(cli() + " run" + files + " -o " + dir.file("single.h5") + kQuick);
  INFO(single.output);
  REQUIRE(single.status == 0);
  for (int ranks : {2, 3}) {
    const std::string out = dir.file("ranks" + std::to_string(ranks) + ".h5");
    auto r = run_command(mpirun(ranks) + " run" + files + " -o " + out + kQuick + " --threads 1");
    INFO("ranks " << ranks << ": " << r.output);
    REQUIRE(r.status == 0);
    CHECK_FALSE(fs::exists(out + ".partial"));
    CHECK(asim::h5::compare_files(dir.file("single.h5"), out) == "");
  }
  // The comparison sees a difference when there is one: another seed gives another file.
  auto other = run_command(mpirun(2) + " run" + files + " -o " + dir.file("seed2.h5") + kQuick +
                           " --seed 2");
  REQUIRE(other.status == 0);
  CHECK(asim::h5::compare_files(dir.file("single.h5"), dir.file("seed2.h5")) != "");
}

TEST_CASE("a killed rank leaves no file under the final name, and --resume completes it", "[mpi]") {
  TempDir dir;
  const std::string files = scenario_files(dir);
  const auto single = run_command(cli() + " run" + files + " -o " + dir.file("single.h5") + kSmall);
  REQUIRE(single.status == 0);
  const std::string out = dir.file("out.h5");
  // Rank 1 is killed (SIGKILL, holding an unfinished item) when it is handed work once 6
  // replicates are written, so the first scenario (6 replicates) is complete in the .partial
  // and the run cannot finish. It is handed work then: with two ranks of one thread the master
  // hands out at most 16 replicates past the last one written, so it runs out of the 60 only
  // after 44 are written, and rank 1 asks for work after every item until it runs out.
  auto killed = run_command(mpirun(2, "ASIM_TEST_MPI_KILL_RANK=1:6") + " run" + files + " -o " +
                            out + kSmall + " --quiet --threads 1");
  INFO(killed.output);
  REQUIRE(killed.status != 0);
  CHECK_FALSE(fs::exists(out));
  REQUIRE(fs::exists(out + ".partial"));
  const int kept = complete_scenarios(out + ".partial");
  CHECK(kept >= 1);
  CHECK(kept < 10);

  // Resume, here in a single process: only the unfinished scenarios run; the file is identical.
  auto resumed = run_command(cli() + " run" + files + " -o " + out + kSmall + " --resume");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  // The resumed run simulated only part of the work: fewer youth-days than the whole run.
  CHECK(youth_days(resumed.output) > 0);
  CHECK(youth_days(resumed.output) < youth_days(single.output));
  CHECK_FALSE(fs::exists(out + ".partial"));
  CHECK(asim::h5::compare_files(dir.file("single.h5"), out) == "");
}

TEST_CASE(
    "a signal to one worker alone ends the run with the .partial kept, and --resume completes it",
    "[mpi]") {
  TempDir dir;
  const std::string files = scenario_files(dir);
  const auto single = run_command(cli() + " run" + files + " -o " + dir.file("single.h5") + kSmall);
  REQUIRE(single.status == 0);
  const std::string out = dir.file("out.h5");
  // Rank 1 sends itself SIGTERM as it starts an item once 6 replicates are written (the test
  // hook; see the kill test for why it is handed work then). Rank 0 must learn that the item
  // stays unfinished rather than wait for it; `timeout` turns a hang into a failure here.
  auto stopped =
      run_command("timeout -s KILL 300 env " + mpirun(2, "ASIM_TEST_MPI_KILL_RANK=1:6:TERM") +
                  " run" + files + " -o " + out + kSmall + " --quiet --threads 1");
  INFO(stopped.output);
  REQUIRE(stopped.status != 0);
  CHECK(stopped.status != 128 + SIGKILL);
  CHECK(stopped.output.find("rank 1: interrupted by SIGTERM") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  REQUIRE(fs::exists(out + ".partial"));
  CHECK(complete_scenarios(out + ".partial") >= 1);
  auto resumed = run_command(cli() + " run" + files + " -o " + out + kSmall + " --resume");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK(asim::h5::compare_files(dir.file("single.h5"), out) == "");
}

TEST_CASE("a bad scenario under mpirun: exit status 2, the error said once, no file", "[mpi]") {
  TempDir dir;
  const auto bad = dir.write("bad.toml", "[mentor]\ncaseload = -3\n");
  auto r = run_command(mpirun(2) + " run " + bad + " -o " + dir.file("bad.h5") + " --quiet");
  INFO(r.output);
  CHECK(r.status == 2);
  const auto first = r.output.find("mentor.caseload");
  REQUIRE(first != std::string::npos);
  CHECK(r.output.find("mentor.caseload", first + 1) == std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("bad.h5")));
  CHECK_FALSE(fs::exists(dir.file("bad.h5.partial")));
}

TEST_CASE("the cluster batch script runs, resumes after a lost rank, and then has nothing to do",
          "[mpi]") {
  TempDir dir;
  scenario_files(dir);  // writes sweep.toml
  const std::string sweep = dir.file("sweep.toml");
  REQUIRE(
      run_command(cli() + " run " + sweep + " -o " + dir.file("single.h5") + kSmall + " --quiet")
          .status == 0);
  // Outside Slurm the script launches mpirun; as an array task it is run again until complete.
  const std::string script =
      "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "
      "THREADS=1 ALLIANCE_SIM=" +
      cli_with_hooks() + " bash " + std::string(ASIM_SOURCE_DIR) +
      "/scripts/cluster/sweep.sbatch " + sweep + " " + dir.file("out.h5") + kSmall + " --quiet";
  // The first task loses rank 1 once the first point's 6 replicates are written (see above);
  // the next one resumes with three ranks instead of two.
  auto first = run_command("ASIM_TEST_MPI_KILL_RANK=1:6 RANKS=2 " + script);
  INFO(first.output);
  CHECK(first.status != 0);
  CHECK(first.output.find("submit again to resume") != std::string::npos);
  CHECK_FALSE(fs::exists(dir.file("out.h5")));
  auto second = run_command("RANKS=3 " + script);
  INFO(second.output);
  CHECK(second.status == 0);
  CHECK(asim::h5::compare_files(dir.file("single.h5"), dir.file("out.h5")) == "");
  auto third = run_command("RANKS=2 " + script);
  CHECK(third.status == 0);
  CHECK(third.output.find("is complete") != std::string::npos);
}
