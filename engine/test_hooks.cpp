// The test hooks of test_hooks.hpp, driven by ASIM_TEST_* environment variables. Linked only
// into test executables (alliance-sim-test, the unit tests); the release binary has the no-op
// versions of test_hooks_off.cpp.
#include "engine/test_hooks.hpp"

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

namespace asim {

namespace {

// Sleeps the milliseconds that `variable` gives, after saying "asim: paused before `point`".
void pause_from_environment(const char* variable, const char* point) {
  const char* value = std::getenv(variable);
  if (value == nullptr || *value == '\0') return;
  long milliseconds = 0;
  const char* end = value + std::strlen(value);
  const auto [ptr, ec] = std::from_chars(value, end, milliseconds);
  if (ec != std::errc() || ptr != end || milliseconds < 0) return;
  std::cerr << "asim: paused before " << point << std::endl;
  std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
}

}  // namespace

void test_pause_before_rename() {
  pause_from_environment("ASIM_TEST_PAUSE_BEFORE_RENAME", "rename");
}

void test_pause_before_listen() {
  pause_from_environment("ASIM_TEST_PAUSE_BEFORE_LISTEN", "listen");
}

void test_signal_after_scenarios(int finished_scenarios) {
  const char* value = std::getenv("ASIM_TEST_SIGNAL_AFTER_SCENARIOS");
  if (value == nullptr || *value == '\0') return;
  int after = 0;
  const char* end = value + std::strlen(value);
  const auto [ptr, ec] = std::from_chars(value, end, after);
  if (ec != std::errc() || ptr != end || after != finished_scenarios) return;
  const char* name = std::getenv("ASIM_TEST_SIGNAL");
  std::raise(name != nullptr && std::strcmp(name, "TERM") == 0 ? SIGTERM : SIGINT);
}

TestKillHook test_mpi_kill_hook() {
  TestKillHook hook;
  const char* value = std::getenv("ASIM_TEST_MPI_KILL_RANK");
  char how[8] = {};
  const int fields =
      value ? std::sscanf(value, "%d:%ld:%7s", &hook.rank, &hook.after_written, how) : 0;
  if (fields < 2) return {};
  hook.terminate = fields == 3 && std::string(how) == "TERM";
  return hook;
}

}  // namespace asim
