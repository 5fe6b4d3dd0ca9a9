// Nothing lost: the command line under signals, kills, a file-size limit, a full disk and bad
// output paths. Each case checks the exit status, the message, that nothing appears under the
// final name, that an earlier result is intact, and what happens to the .partial
// (docs/architecture.md §6.2: kept after SIGINT/SIGTERM for --resume, removed after any other
// failure; after SIGKILL nothing can remove it, and --resume refuses it without damaging it).
#include <sys/mount.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"
#include "tests/fault/child.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using namespace asim::test;

namespace {

const std::string kEarlier = "earlier result: must survive every failure";

// A small scenario `name` and a long one: the long one runs for minutes, so a signal sent
// after the small one finished lands in the middle of the run.
std::string small_scenario(const TempDir& dir, const std::string& name) {
  return dir.write(name + ".toml", "inherit = \"builtin:baseline\"\n[scenario]\nname = \"" + name +
                                       "\"\n[run]\nreplicates = 2\n[cohort]\nsize = 50\n");
}
std::string long_scenario(const TempDir& dir, const std::string& name) {
  return dir.write(name + ".toml", "inherit = \"builtin:baseline\"\n[scenario]\nname = \"" + name +
                                       "\"\n[run]\nreplicates = 5000\n[cohort]\nsize = 200\n");
}

// A small run (4 replicates of 400 youths) for the output-path cases.
std::vector<std::string> quick_run(const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"run", "-o", out, "--replicates", "4", "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "SIGINT and SIGTERM mid-run stop cleanly, keep the earlier file and the finished "
    "scenarios for --resume",
    "[fault][signal]") {
  const int sig = GENERATE(SIGINT, SIGTERM);
  const std::string sig_name = sig == SIGINT ? "SIGINT" : "SIGTERM";
  TempDir dir;
  const std::string out = dir.write("r.h5", kEarlier);
  const std::string a = small_scenario(dir, "a"), b = long_scenario(dir, "b");
  Child run({"run", a, b, "-o", out, "--overwrite", "--threads", "1"}, dir.file("log"));
  // Progress lines count replicates over both scenarios: past 2, scenario a is finished.
  REQUIRE(run.wait_for_output([](const std::string& o) { return replicates_done(o) > 2; }));
  run.signal(sig);
  const int status = run.wait();
  const std::string output = run.output();
  INFO(output);
  CHECK(status == 128 + sig);
  CHECK(contains(output, "alliance-sim: interrupted by " + sig_name +
                             "; finished scenarios are kept in " + out + ".partial; the earlier " +
                             out + " is untouched"));
  CHECK(read_text(out) == kEarlier);
  REQUIRE(fs::exists(out + ".partial"));
  double a_alliance = 0;
  {
    const asim::ResultFile partial(out + ".partial");
    const auto done = partial.summarise("a");
    CHECK(done.complete);
    CHECK(done.replicates_written == 2);
    a_alliance = done.alliance_youth[1];
    for (const auto& name : partial.scenarios())
      if (name == "b") CHECK_FALSE(partial.summarise("b").complete);
  }
  // --resume completes it: scenario a is kept, b (now short) is run.
  dir.write("b.toml",
            "inherit = \"builtin:baseline\"\n[scenario]\nname = \"b\"\n[run]\n"
            "replicates = 2\n[cohort]\nsize = 50\n");
  const auto resumed = run_command(cli() + " run " + a + " " + b + " -o " + out +
                                   " --overwrite --resume --threads 1 --quiet");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK_FALSE(fs::exists(out + ".partial"));
  const asim::ResultFile final_file(out);
  CHECK(final_file.summarise("a").complete);
  CHECK(final_file.summarise("a").alliance_youth[1] == a_alliance);
  CHECK(final_file.summarise("b").complete);
}

TEST_CASE("SIGINT before any scenario finished says so, and the progress line says stopped",
          "[fault][signal]") {
  TempDir dir;
  const std::string out = dir.file("r.h5");
  Child run({"run", long_scenario(dir, "b"), "-o", out, "--threads", "1"}, dir.file("log"));
  REQUIRE(run.wait_for_output([](const std::string& o) { return replicates_done(o) > 0; }));
  run.signal(SIGINT);
  const int status = run.wait();
  const std::string output = run.output();
  INFO(output);
  CHECK(status == 128 + SIGINT);
  CHECK(contains(output, "alliance-sim: interrupted by SIGINT; no scenario had finished: " + out +
                             ".partial holds only the replicates written so far, and --resume "
                             "runs the scenario again from its first replicate"));
  CHECK_FALSE(contains(output, "finished scenarios are kept"));
  CHECK(contains(output, "stopped after "));
  CHECK_FALSE(contains(output, "done in "));
}

TEST_CASE(
    "SIGKILL mid-run leaves nothing under the final name; --resume refuses the broken "
    ".partial without damaging it",
    "[fault][signal]") {
  TempDir dir;
  const std::string out = dir.file("k.h5");
  const std::string b = long_scenario(dir, "b");
  {
    Child run({"run", b, "-o", out, "--threads", "1"}, dir.file("log"));
    REQUIRE(run.wait_for_output([](const std::string& o) { return replicates_done(o) >= 1; }));
    run.signal(SIGKILL);
    CHECK(run.wait() == 128 + SIGKILL);
  }
  CHECK_FALSE(fs::exists(out));
  REQUIRE(fs::exists(out + ".partial"));  // nothing can remove it after SIGKILL
  const std::string killed = read_text(out + ".partial");
  const auto resume = run_command(cli() + " run " + b + " -o " + out + " --resume --threads 1");
  INFO(resume.output);
  // HDF5 keeps metadata in memory until a file is closed, so a file killed mid-run does not
  // open; --resume says so, keeps the file as it was, and exits with 2.
  CHECK(resume.status == 2);
  CHECK(contains(resume.output, "--resume: " + out + ".partial cannot be opened to complete it"));
  CHECK(contains(resume.output, "run without --resume to start afresh"));
  CHECK(read_text(out + ".partial") == killed);
  CHECK_FALSE(fs::exists(out));
  // Starting afresh replaces the broken .partial.
  const auto fresh = run_command(cli() + " run -o " + out + " --replicates 2 --quiet");
  CHECK(fresh.status == 0);
  CHECK(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
}

TEST_CASE("SIGKILL after the data is written, before the rename, publishes nothing",
          "[fault][signal]") {
  TempDir dir;
  const std::string out = dir.write("r.h5", kEarlier);
  ChildOptions options;
  options.env = {{"ASIM_TEST_PAUSE_BEFORE_RENAME", "600000"}};
  {
    Child run(quick_run(out, {"--overwrite"}), dir.file("log"), options);
    REQUIRE(run.wait_for_output(
        [](const std::string& o) { return contains(o, "asim: paused before rename"); }));
    run.signal(SIGKILL);
    CHECK(run.wait() == 128 + SIGKILL);
  }
  CHECK(read_text(out) == kEarlier);
  // The .partial is complete and closed, so --resume publishes it without running anything.
  REQUIRE(fs::exists(out + ".partial"));
  const auto resume = run_command(cli() + " run -o " + out +
                                  " --replicates 4 --threads 1 --overwrite --resume --quiet");
  INFO(resume.output);
  CHECK(resume.status == 0);
  CHECK(asim::ResultFile(out).summarise("baseline").complete);
}

TEST_CASE("a file-size limit gives a write error, exit 1, no final file, the earlier intact",
          "[fault][disk]") {
  TempDir dir;
  const std::string out = dir.write("r.h5", kEarlier);
  ChildOptions options;
  options.file_size_limit = 1 << 18;  // 256 KiB; the result file is several times that
  // SIGXFSZ is not ignored here: alliance-sim ignores it itself, so the limit gives EFBIG
  // instead of killing the process.
  Child run(quick_run(out, {"--overwrite"}), dir.file("log"), options);
  const int status = run.wait();
  const std::string output = run.output();
  INFO(output);
  CHECK(status == 1);
  CHECK(contains(output, "alliance-sim: failed: " + out + ".partial:"));
  CHECK(contains(output, "(HDF5: file write failed: File too large)"));
  CHECK_FALSE(contains(output, "errno ="));  // HDF5's raw dump is reduced to the reason
  CHECK(read_text(out) == kEarlier);
  CHECK_FALSE(fs::exists(out + ".partial"));
}

TEST_CASE("a disk that fills during the run gives a write error and loses nothing",
          "[fault][disk]") {
  if (::geteuid() != 0) {
    WARN("not root: cannot mount a small file system; the full-disk case is not run");
    return;
  }
  TempDir dir;
  const fs::path disk = dir.path() / "disk";
  fs::create_directories(disk);
  if (::mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=512m") != 0) {
    WARN("mount of a tmpfs refused (" << std::strerror(errno)
                                      << "); the full-disk case is not run");
    return;
  }
  struct Unmount {
    fs::path path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{disk};
  const std::string out = (disk / "r.h5").string();
  std::ofstream(out) << kEarlier;
  Child run({"run", "-o", out, "--replicates", "200", "--threads", "1", "--overwrite"},
            dir.file("log"));
  // Once the .partial exists, stop the run, fill the disk, and let it go on into a full disk.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(300);
  while (!fs::exists(out + ".partial") && run.running() &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  run.signal(SIGSTOP);
  REQUIRE(fs::exists(out + ".partial"));
  {
    std::ofstream filler(disk / "filler", std::ios::binary);
    const std::string block(1 << 20, 'x');
    while (filler.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    }
  }
  run.signal(SIGCONT);
  const int status = run.wait();
  const std::string output = run.output();
  INFO(output);
  CHECK(status == 1);
  CHECK(contains(output, "No space left on device"));
  CHECK(read_text(out) == kEarlier);
  CHECK_FALSE(fs::exists(out + ".partial"));
}

TEST_CASE("bad output paths are refused before any work, with the path named", "[fault][paths]") {
  TempDir dir;
  // Missing directory (not created).
  auto missing = run_command(cli() + " run -o " + dir.file("nope/x.h5") + " --quiet");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output,
             Catch::Contains(dir.file("nope") + ": output directory does not exist"));
  CHECK_FALSE(fs::exists(dir.file("nope")));
  // The output path is a directory, with and without a trailing slash.
  fs::create_directories(dir.file("out.h5"));
  auto directory = run_command(cli() + " run -o " + dir.file("out.h5") + " --quiet --overwrite");
  CHECK(directory.status == 2);
  CHECK_THAT(directory.output,
             Catch::Contains(dir.file("out.h5") + ": is a directory; give a file name, e.g. " +
                             dir.file("out.h5") + "/results.h5"));
  auto slash = run_command(cli() + " run -o " + dir.path().string() + "/ --quiet");
  CHECK(slash.status == 2);
  CHECK_THAT(slash.output,
             Catch::Contains(dir.path().string() + "/: is a directory, not a file name"));
  // A symbolic link where the .partial goes is not written through.
  const std::string victim = dir.write("victim.txt", "not ours to overwrite");
  fs::create_symlink(victim, dir.file("s.h5.partial"));
  auto link = run_command(cli() + " run -o " + dir.file("s.h5") + " --replicates 2 --quiet");
  CHECK(link.status == 2);
  CHECK_THAT(link.output, Catch::Contains(dir.file("s.h5.partial") +
                                          ": exists and is not a regular file (a symbolic link)"));
  CHECK(read_text(victim) == "not ours to overwrite");
  CHECK_FALSE(fs::exists(dir.file("s.h5")));
}

TEST_CASE("a read-only output directory is refused and the earlier file kept", "[fault][paths]") {
  TempDir dir;
  ChildOptions options;
  options.as_nobody = ::geteuid() == 0;  // root writes anywhere; the user nobody does not
  if (options.as_nobody) {
    // nobody must be able to enter the test directory and run the binary.
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec);
    Child probe({"--version"}, dir.file("probe.log"), options);
    if (probe.wait() != 0) {
      WARN("the user nobody cannot run " << cli()
                                         << " (a directory on its path is closed to "
                                            "others); the read-only case is not run");
      return;
    }
  }
  const fs::path ro = dir.path() / "ro";
  fs::create_directories(ro);
  const std::string out = (ro / "r.h5").string();
  std::ofstream(out) << kEarlier;
  fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                          fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  Child run(quick_run(out, {"--overwrite"}), dir.file("log"), options);
  const int status = run.wait();
  const std::string output = run.output();
  INFO(output);
  CHECK(status == 2);
  CHECK(contains(output, ro.string() + ": output directory is not writable: Permission denied"));
  CHECK(read_text(out) == kEarlier);
  CHECK_FALSE(fs::exists(out + ".partial"));
  fs::permissions(ro, fs::perms::owner_all);
}
