// ABC-SMC under mpirun (docs/calibration.md, "On a cluster"): every rank runs the same
// calibration, and the simulations of each round are shared out between the ranks and gathered
// on every rank, so that all ranks hold the same particles and rank 0 writes the file a single
// process writes. Built only with MPI.
#pragma once
#include <tbb/task_arena.h>

#include "analysis/abc_smc.hpp"
#include "engine/mpi_world.hpp"

namespace asim {

// Job j runs on rank j mod size (with TBB in `arena`); every rank's results are gathered on
// every rank (World::all_gather). A failure on any rank is raised on every rank (ConfigError for
// bad input, RuntimeFailure otherwise), so no rank waits for another. Call from the thread that
// made the World (MPI_THREAD_FUNNELED).
AbcEvaluator distributed_evaluator(mpi::World& world, tbb::task_arena& arena, const AbcSmc& abc);

}  // namespace asim
