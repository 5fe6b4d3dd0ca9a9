// --resume completes an interrupted run: finished scenarios in <out>.partial are kept, unfinished
// ones run again, and the result is identical to an uninterrupted run.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>

#include "engine/h5.hpp"
#include "engine/h5_compare.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {
const std::string kQuick =
    " --replicates 3 --set cohort.size=30 --set cohort.burn_in_days=20 --quiet";

std::string two_scenarios(const TempDir& dir) {
  const auto other = dir.write(
      "other.toml",
      "inherit = \"builtin:baseline\"\n[scenario]\nname = \"other\"\n[mentor]\ncaseload = 5\n");
  return " " + std::string(ASIM_SOURCE_DIR) + "/scenarios/baseline.toml " + other;
}
}  // namespace

TEST_CASE("resume keeps finished scenarios and reruns unfinished ones", "[cli][resume]") {
  TempDir dir;
  const std::string files = two_scenarios(dir);
  REQUIRE(run_command(cli() + " run" + files + " -o " + dir.file("fresh.h5") + kQuick).status == 0);
  // An interrupted run: the same file as .partial, the second scenario unfinished.
  REQUIRE(run_command(cli() + " run" + files + " -o " + dir.file("x.h5") + kQuick).status == 0);
  fs::rename(dir.file("x.h5"), dir.file("out.h5.partial"));
  {
    asim::h5::Handle f = asim::h5::open_file_rw(dir.file("out.h5.partial"));
    asim::h5::Handle g = asim::h5::open_group(f.id(), "scenarios/other");
    asim::h5::set_attr_int(g.id(), "complete", 0);
    asim::h5::set_attr_int(g.id(), "replicates_written", 1);
  }
  auto r = run_command(cli() + " run" + files + " -o " + dir.file("out.h5") + kQuick + " --resume");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_FALSE(fs::exists(dir.file("out.h5.partial")));
  CHECK(asim::h5::compare_files(dir.file("fresh.h5"), dir.file("out.h5")) == "");
}

TEST_CASE("resume without an interrupted run is refused", "[cli][resume]") {
  TempDir dir;
  auto r = run_command(cli() + " run -o " + dir.file("none.h5") + kQuick + " --resume");
  CHECK(r.status == 2);
  CHECK(r.output.find("none.h5.partial not found") != std::string::npos);
}

TEST_CASE(
    "an interrupted sweep keeps its finished points and --resume gives the uninterrupted file",
    "[cli][resume][sweep]") {
  TempDir dir;
  const auto sweep =
      dir.write("grid.toml",
                "inherit = \"builtin:baseline\"\n[scenario]\nname = \"grid\"\n"
                "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n"
                "\"mentor.caseload\" = [5, 8]\n\"policy.routine_feedback\" = [false, true]\n");
  const std::string cmd = cli() + " run " + sweep + kQuick;
  REQUIRE(run_command(cmd + " -o " + dir.file("fresh.h5")).status == 0);
  for (const std::string sig : {"INT", "TERM"}) {
    INFO("SIG" << sig);
    const auto out = dir.file("out-" + sig + ".h5");
    // The test-only hook signals the process itself after the second of four points, so the
    // interruption lands at a known place without depending on timing.
    auto stopped = run_command("ASIM_TEST_SIGNAL=" + sig + " ASIM_TEST_SIGNAL_AFTER_SCENARIOS=2 " +
                               cli_with_hooks() + " run " + sweep + kQuick + " -o " + out);
    INFO(stopped.output);
    CHECK(stopped.status == 128 + (sig == "INT" ? SIGINT : SIGTERM));
    CHECK(stopped.output.find("interrupted by SIG" + sig) != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    REQUIRE(fs::exists(out + ".partial"));
    {
      asim::h5::Handle f = asim::h5::open_file_read(out + ".partial");
      for (const std::string point : {"sweep-0001", "sweep-0002"}) {
        asim::h5::Handle g = asim::h5::open_group(f.id(), "scenarios/" + point);
        CHECK(asim::h5::get_attr_int(g.id(), "complete") == 1);
      }
    }
    auto resumed = run_command(cmd + " -o " + out + " --resume");
    INFO(resumed.output);
    REQUIRE(resumed.status == 0);
    CHECK_FALSE(fs::exists(out + ".partial"));
    CHECK(asim::h5::compare_files(dir.file("fresh.h5"), out) == "");
  }
}
