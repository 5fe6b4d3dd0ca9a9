// Test-only hooks: ways for the failure tests to stop, pause or kill a run at a known point
// without timing, driven by environment variables. The variables are read only by
// engine/test_hooks.cpp, which is linked into the test executable `alliance-sim-test` (and the
// unit tests) alone; everything else, the release `alliance-sim` included, gets the no-op
// versions of engine/test_hooks_off.cpp (part of asim_engine), so no release binary reads or even
// names them. An executable that lists engine/test_hooks.cpp among its own sources gets the real
// hooks: its own object then defines these functions and the linker never takes
// test_hooks_off.o out of the library.
#pragma once

namespace asim {

// With ASIM_TEST_PAUSE_BEFORE_RENAME=<milliseconds>: announces "asim: paused before rename" on
// stderr and sleeps that long (AtomicOutput::commit calls it just before the rename), so a test
// can kill the process while the .partial is complete but not yet published.
void test_pause_before_rename();

// With ASIM_TEST_PAUSE_BEFORE_LISTEN=<milliseconds>: announces "asim: paused before listen" on
// stderr and sleeps that long (`serve` calls it after its banner, before its accept loop
// starts), so a test can stop the server in that window.
void test_pause_before_listen();

// With ASIM_TEST_SIGNAL_AFTER_SCENARIOS=<n>: the process sends itself the signal named by
// ASIM_TEST_SIGNAL (INT or TERM; default INT) once <n> scenarios have finished.
void test_signal_after_scenarios(int finished_scenarios);

// With ASIM_TEST_MPI_KILL_RANK="R:N" in the MPI master's environment, the first work item handed
// to worker rank R once N replicates are written comes with the order to die (SIGKILL, as a lost
// node); with "R:N:TERM" rank R instead sends itself SIGTERM as it starts the item.
struct TestKillHook {
  int rank = -1;  // -1: no hook
  long after_written = 0;
  bool terminate = false;
};
TestKillHook test_mpi_kill_hook();

}  // namespace asim
