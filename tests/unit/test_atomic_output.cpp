// engine/atomic_output: results appear under the final name only when complete, an earlier
// result is never destroyed, and bad output paths are refused before any work; stop signals.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>

#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using asim::AtomicOutput;
using asim::ConfigError;
using asim::RuntimeFailure;

namespace {

using asim::test::TempDir;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

template <class F>
std::string config_error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

// Sets an environment variable for the scope of one test.
struct ScopedEnv {
  std::string name;
  ScopedEnv(std::string n, const char* value) : name(std::move(n)) {
    ::setenv(name.c_str(), value, 1);
  }
  ~ScopedEnv() { ::unsetenv(name.c_str()); }
};

}  // namespace

TEST_CASE("atomic output: an existing result is refused without --overwrite and left untouched",
          "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("x.h5");
  const std::string earlier = std::string("earlier result \0\x89HDF bytes", 25);
  write_text(final_path, earlier);
  const std::string msg = config_error_of([&] { AtomicOutput out(final_path, false); });
  CHECK_THAT(msg, Catch::Contains(final_path + " exists") && Catch::Contains("--overwrite"));
  CHECK(read_text(final_path) == earlier);
  CHECK_FALSE(fs::exists(final_path + ".partial"));
}

TEST_CASE("atomic output: commit renames the partial to the final name", "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  AtomicOutput out(final_path, false);
  CHECK(out.final_path() == final_path);
  CHECK(out.partial_path() == final_path + ".partial");
  CHECK_FALSE(out.partial_exists());
  write_text(out.partial_path(), "complete result");
  CHECK(out.partial_exists());
  CHECK_FALSE(fs::exists(final_path));  // nothing under the final name before commit
  out.commit();
  CHECK(out.committed());
  CHECK(read_text(final_path) == "complete result");
  CHECK_FALSE(fs::exists(out.partial_path()));
  CHECK_THROWS_AS(out.commit(), RuntimeFailure);  // only once
}

TEST_CASE("atomic output: with --overwrite, commit replaces the earlier result",
          "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  write_text(final_path, "old");
  {
    AtomicOutput out(final_path, true);
    write_text(out.partial_path(), "new");
    CHECK(read_text(final_path) == "old");  // untouched until commit
    out.commit();
  }
  CHECK(read_text(final_path) == "new");
  CHECK_FALSE(fs::exists(final_path + ".partial"));
}

TEST_CASE("atomic output: without commit the partial is removed and the earlier result kept",
          "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  write_text(final_path, "earlier result");
  {
    AtomicOutput out(final_path, true);
    write_text(out.partial_path(), "half a result");
    REQUIRE(fs::exists(out.partial_path()));
    // leaves scope as after an exception in the run
  }
  CHECK_FALSE(fs::exists(final_path + ".partial"));
  CHECK(read_text(final_path) == "earlier result");
}

TEST_CASE("atomic output: keep_partial leaves the partial for --resume", "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  {
    AtomicOutput out(final_path, false);
    write_text(out.partial_path(), "two of three scenarios");
    out.keep_partial();
  }
  CHECK(read_text(final_path + ".partial") == "two of three scenarios");
  CHECK_FALSE(fs::exists(final_path));

  // The next run sees the stale partial; it is not removed by construction.
  AtomicOutput again(final_path, false);
  CHECK(again.partial_exists());
  CHECK(read_text(again.partial_path()) == "two of three scenarios");
  write_text(again.partial_path(), "three of three scenarios");
  again.commit();
  CHECK(read_text(final_path) == "three of three scenarios");
}

TEST_CASE("atomic output: bad output paths are refused with the path named", "[atomic_output]") {
  TempDir dir;
  const std::string missing_dir = dir.file("no-such-dir");
  CHECK_THAT(config_error_of([&] { AtomicOutput out(missing_dir + "/x.h5", false); }),
             Catch::Contains(missing_dir) && Catch::Contains("does not exist"));
  CHECK_FALSE(fs::exists(missing_dir));  // not created

  const std::string subdir = dir.file("results");
  fs::create_directory(subdir);
  CHECK_THAT(config_error_of([&] { AtomicOutput out(subdir, true); }),
             Catch::Contains(subdir) && Catch::Contains("is a directory"));
  CHECK(fs::is_directory(subdir));

  const std::string plain = dir.file("plain.txt");
  write_text(plain, "a file, not a directory");
  CHECK_THAT(config_error_of([&] { AtomicOutput out(plain + "/x.h5", false); }),
             Catch::Contains(plain) && Catch::Contains("not a directory"));

  CHECK_THROWS_AS(AtomicOutput("", false), ConfigError);

  // Permission checks cannot be exercised as root, which may write anywhere.
  if (::geteuid() != 0) {
    const std::string locked = dir.file("locked");
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    CHECK_THAT(config_error_of([&] { AtomicOutput out(locked + "/x.h5", false); }),
               Catch::Contains(locked) && Catch::Contains("not writable"));
    fs::permissions(locked, fs::perms::owner_all);
  }
}

TEST_CASE("atomic output: commit without a partial file fails and publishes nothing",
          "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  AtomicOutput out(final_path, false);
  CHECK_THROWS_AS(out.commit(), RuntimeFailure);
  CHECK_FALSE(out.committed());
  CHECK_FALSE(fs::exists(final_path));
}

TEST_CASE("atomic output: a result that appeared during the run is not replaced",
          "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  {
    AtomicOutput out(final_path, false);
    write_text(out.partial_path(), "this run");
    write_text(final_path, "another run got there first");
    CHECK_THROWS_AS(out.commit(), RuntimeFailure);
  }
  CHECK(read_text(final_path) == "another run got there first");
  CHECK(read_text(final_path + ".partial") == "this run");  // kept, not lost
}

TEST_CASE("atomic output: the test pause hook announces itself before the rename",
          "[atomic_output]") {
  TempDir dir;
  const std::string final_path = dir.file("run.h5");
  ScopedEnv env("ASIM_TEST_PAUSE_BEFORE_RENAME", "0");
  std::ostringstream captured;
  std::streambuf* old = std::cerr.rdbuf(captured.rdbuf());
  try {
    AtomicOutput out(final_path, false);
    write_text(out.partial_path(), "result");
    out.commit();
  } catch (...) {
    std::cerr.rdbuf(old);
    throw;
  }
  std::cerr.rdbuf(old);
  CHECK(captured.str() == "asim: paused before rename\n");
  CHECK(read_text(final_path) == "result");
}

TEST_CASE("stop signals: SIGINT and SIGTERM request a stop; a second SIGINT is the default",
          "[atomic_output]") {
  asim::clear_stop_for_test();
  CHECK_FALSE(asim::stop_requested());
  CHECK(asim::stop_signal() == 0);

  asim::request_stop_for_test(SIGTERM);
  CHECK(asim::stop_requested());
  CHECK(asim::stop_signal() == SIGTERM);
  asim::clear_stop_for_test();
  CHECK_FALSE(asim::stop_requested());

  // Real signals, delivered synchronously to this thread by raise(). The previous handlers
  // (Catch2's) are restored afterwards.
  struct sigaction old_int {
  }, old_term{};
  ::sigaction(SIGINT, nullptr, &old_int);
  ::sigaction(SIGTERM, nullptr, &old_term);
  asim::install_stop_handlers();

  REQUIRE(std::raise(SIGTERM) == 0);
  CHECK(asim::stop_signal() == SIGTERM);
  asim::clear_stop_for_test();

  REQUIRE(std::raise(SIGINT) == 0);
  CHECK(asim::stop_signal() == SIGINT);
  struct sigaction now {};
  ::sigaction(SIGINT, nullptr, &now);
  CHECK(now.sa_handler == SIG_DFL);  // the next Ctrl-C ends the process
  ::sigaction(SIGTERM, nullptr, &now);
  CHECK(now.sa_handler != SIG_DFL);  // SIGTERM stays handled

  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  asim::clear_stop_for_test();
}
