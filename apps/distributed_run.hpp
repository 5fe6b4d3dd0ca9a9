// `mpirun -n K alliance-sim run ...`: the (scenario x replicate) work of a run shared out between
// K ranks with dynamic load balancing, into one result file identical to a single-process run
// (design and failure handling: docs/cluster.md).
//
// Rank 0 is the master and the only writer: it hands out work items (a block of replicates of
// one scenario or sweep point) to whichever rank asks next, simulates items itself on a thread
// of its own, receives finished replicates (chunks already compressed by the rank that
// simulated them) and writes them to <out>.partial in exactly the order a single process
// would, then renames the file. Workers never touch the file system.
#pragma once
#include "apps/run_command.hpp"

namespace asim {

// Initialises MPI; with one rank it is the ordinary run. Same exit statuses as run_command;
// 1 when a worker rank reported a failure (the .partial keeps the finished scenarios).
int run_distributed(const RunRequest& request);

}  // namespace asim
