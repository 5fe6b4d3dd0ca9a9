// The release build's test hooks: they do nothing (see test_hooks.hpp; the real ones are in
// test_hooks.cpp, linked only into test executables).
#include "engine/test_hooks.hpp"

namespace asim {

void test_pause_before_rename() {}
void test_pause_before_listen() {}
void test_signal_after_scenarios(int) {}
TestKillHook test_mpi_kill_hook() {
  return {};
}

}  // namespace asim
