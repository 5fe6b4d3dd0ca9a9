// The command line end to end: exit codes, messages, files written or left alone.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <thread>

#include "engine/h5.hpp"
#include "engine/h5_compare.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {
const std::string kQuick =
    " --replicates 2 --set cohort.size=30 --set cohort.burn_in_days=20 --quiet";
}

TEST_CASE("run writes a result file that inspect can read", "[cli]") {
  TempDir dir;
  const auto out = dir.file("r.h5");
  auto r = run_command(cli() + " run -o " + out +
                       " --replicates 2 --set cohort.size=30 --set cohort.burn_in_days=20");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
  CHECK(r.output.find("alliance (youth)") != std::string::npos);
  CHECK(r.output.find("youth-days/s") != std::string::npos);
  auto i = run_command(cli() + " inspect " + out);
  INFO(i.output);
  CHECK(i.status == 0);
  CHECK(i.output.find("scenario baseline") != std::string::npos);
  CHECK(i.output.find("schema_version  2") != std::string::npos);
  CHECK(i.output.find("alliance_youth[2,30,4]") != std::string::npos);
}

TEST_CASE("an existing result is kept unless --overwrite is given", "[cli]") {
  TempDir dir;
  const auto out = dir.write("r.h5", "earlier result");
  auto r = run_command(cli() + " run -o " + out + kQuick);
  CHECK(r.status == 2);
  CHECK(r.output.find("exists; pass --overwrite") != std::string::npos);
  CHECK(read_text(out) == "earlier result");
  auto o = run_command(cli() + " run -o " + out + kQuick + " --overwrite");
  INFO(o.output);
  CHECK(o.status == 0);
  CHECK(read_text(out) != "earlier result");
}

TEST_CASE("bad scenario values give file, line, key, value and range with status 2", "[cli]") {
  TempDir dir;
  const auto bad = dir.write("bad.toml", "[mentor]\n\ncaseload = -3\n");
  const auto out = dir.file("r.h5");
  auto r = run_command(cli() + " run " + bad + " -o " + out + kQuick);
  CHECK(r.status == 2);
  CHECK(r.output.find("bad.toml:3") != std::string::npos);
  CHECK(r.output.find("mentor.caseload = -3 is outside [1, 30]") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
}

TEST_CASE("unknown keys get a did-you-mean hint", "[cli]") {
  TempDir dir;
  const auto bad = dir.write("typo.toml", "[mentor]\ncaseloud = 5\n");
  auto r = run_command(cli() + " validate " + bad);
  CHECK(r.status == 2);
  CHECK(r.output.find("mentor.caseload") != std::string::npos);
  auto s =
      run_command(cli() + " run --set mentor.caseload=99" + kQuick + " -o " + dir.file("x.h5"));
  CHECK(s.status == 2);
  CHECK(s.output.find("mentor.caseload = 99 is outside [1, 30]") != std::string::npos);
}

TEST_CASE("validate accepts every shipped scenario", "[cli]") {
  for (const auto& entry : fs::directory_iterator(fs::path(ASIM_SOURCE_DIR) / "scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    auto r = run_command(cli() + " validate " + entry.path().string());
    INFO(entry.path().string() << "\n" << r.output);
    CHECK(r.status == 0);
  }
}

TEST_CASE("usage errors exit with status 2 and every subcommand has --help", "[cli]") {
  CHECK(run_command(cli()).status == 2);
  CHECK(run_command(cli() + " frobnicate").status == 2);
  CHECK(run_command(cli() + " run --replicates 0").status == 2);
  CHECK(run_command(cli() + " run --daily nonsense --quiet").status == 2);
  for (const char* sub : {"run", "validate", "params", "inspect"}) {
    auto r = run_command(cli() + " " + sub + " --help");
    CHECK(r.status == 0);
    CHECK(r.output.find("Usage") != std::string::npos);
  }
}

TEST_CASE("inspect refuses foreign and missing files with status 2", "[cli]") {
  TempDir dir;
  const auto text = dir.write("notes.h5", "not hdf5 at all");
  auto r = run_command(cli() + " inspect " + text);
  CHECK(r.status == 2);
  CHECK(r.output.find("not an HDF5 file") != std::string::npos);
  auto m = run_command(cli() + " inspect " + dir.file("missing.h5"));
  CHECK(m.status == 2);
}

TEST_CASE("params lists the registry and docs/parameters.md matches it", "[cli]") {
  auto r = run_command(cli() + " params");
  CHECK(r.status == 0);
  CHECK(r.output.find("mentor.caseload") != std::string::npos);
  auto md = run_command(cli() + " params --markdown 2>/dev/null");
  REQUIRE(md.status == 0);
  const std::string doc = read_text(std::string(ASIM_SOURCE_DIR) + "/docs/parameters.md");
  INFO("regenerate with: build/apps/alliance-sim params --markdown > docs/parameters.md");
  CHECK(doc == md.output);
}

TEST_CASE("a kill before the rename leaves no file under the final name and the earlier one intact",
          "[cli][atomic]") {
  TempDir dir;
  const auto out = dir.write("r.h5", "earlier result");
  // The test-only pause makes the kill land after the data is written, before the rename.
  auto r = run_command("ASIM_TEST_PAUSE_BEFORE_RENAME=20000 timeout -s KILL 3 " + cli_with_hooks() +
                       " run -o " + out + kQuick + " --overwrite");
  CHECK(r.status == 128 + SIGKILL);
  CHECK(read_text(out) == "earlier result");
  // The same without an earlier file: nothing under the final name.
  const auto fresh = dir.file("fresh.h5");
  auto k = run_command("ASIM_TEST_PAUSE_BEFORE_RENAME=20000 timeout -s KILL 3 " + cli_with_hooks() +
                       " run -o " + fresh + kQuick);
  CHECK(k.status == 128 + SIGKILL);
  CHECK_FALSE(fs::exists(fresh));
}

TEST_CASE("SIGINT stops the run cleanly and keeps the earlier result", "[cli][atomic]") {
  TempDir dir;
  const auto out = dir.write("r.h5", "earlier result");
  // --foreground: one SIGINT, to the program only. Without it timeout signals the program and
  // then its whole process group, so the program gets two; the second, by design (a second
  // Ctrl-C kills at once), can end it before it reports (a flaky failure, 1 run in 4 here).
  auto r = run_command("timeout --foreground --preserve-status -s INT 2 " + cli() + " run -o " +
                       out + " --replicates 500 --set cohort.size=2000 --overwrite --threads 1");
  INFO(r.output);
  CHECK(r.status == 128 + SIGINT);
  CHECK(r.output.find("interrupted by SIGINT") != std::string::npos);
  CHECK(read_text(out) == "earlier result");
}

TEST_CASE("the same command twice gives identical files", "[cli][determinism]") {
  TempDir dir;
  auto a =
      run_command(cli() + " run -o " + dir.file("a.h5") + kQuick + " --daily alliance,rupture");
  auto b = run_command(cli() + " run -o " + dir.file("b.h5") + kQuick +
                       " --daily alliance,rupture --threads 1");
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(asim::h5::compare_files(dir.file("a.h5"), dir.file("b.h5")) == "");
}

TEST_CASE("run with --daily main records alliance, motivation and problems only", "[cli]") {
  TempDir dir;
  const std::string out = dir.file("m.h5");
  auto r = run_command(cli() + " run -o " + out + kQuick + " --daily main");
  INFO(r.output);
  REQUIRE(r.status == 0);
  asim::h5::Handle f = asim::h5::open_file_read(out);
  const std::string daily = "scenarios/baseline/youth/daily/";
  for (const char* v : {"alliance", "motivation", "problems"})
    CHECK(asim::h5::exists(f.id(), daily + v));
  for (const char* v : {"bond", "goals", "tasks", "rupture", "contact", "peer_standing"})
    CHECK_FALSE(asim::h5::exists(f.id(), daily + v));
}

TEST_CASE("a mistyped subcommand is named, with the nearest subcommand suggested", "[cli]") {
  const auto typo = run_command(cli() + " comapre x.h5");
  CHECK(typo.status == 2);
  CHECK(
      typo.output.find("'comapre' is not a subcommand of alliance-sim; did you mean 'compare'?") !=
      std::string::npos);
  CHECK(typo.output.find("subcommands: run, validate") != std::string::npos);
  const auto far = run_command(cli() + " frobnicate x");
  CHECK(far.status == 2);
  CHECK(far.output.find("'frobnicate' is not a subcommand") != std::string::npos);
  CHECK(far.output.find("did you mean") == std::string::npos);
  // A known subcommand and the global flags are untouched.
  CHECK(run_command(cli() + " --version").status == 0);
  CHECK(run_command(cli() + " params").status == 0);
}

TEST_CASE("an empty output file name is refused, not replaced by the default", "[cli]") {
  TempDir dir;
  const auto run = run_command("cd " + dir.path().string() + " && " + cli() + " run -o ''");
  CHECK(run.status == 2);
  CHECK(run.output.find("--output \"\": the file name is empty") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "results"));
  CHECK(run_command(cli() + " export x.h5 -o ''").status == 2);
  CHECK(run_command(cli() + " report x.h5 -o ''").status == 2);
}

TEST_CASE("the release binary carries no test hook, the test executable does", "[cli][hooks]") {
  // The ASIM_TEST_* hooks (engine/test_hooks.hpp) are linked only into alliance-sim-test.
  const auto release = run_command("strings " + cli());
  REQUIRE(release.status == 0);
  CHECK(release.output.find("ASIM_TEST_") == std::string::npos);
  // Without this the check above would also pass if strings found nothing at all.
  const auto test = run_command("strings " + cli_with_hooks());
  REQUIRE(test.status == 0);
  CHECK(test.output.find("ASIM_TEST_PAUSE_BEFORE_RENAME") != std::string::npos);
  CHECK(test.output.find("ASIM_TEST_MPI_KILL_RANK") != std::string::npos);
}
