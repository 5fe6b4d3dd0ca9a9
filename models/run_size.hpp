// What a run will need before it starts: memory for the replicates in flight and the size of
// the result file, estimated from the output catalogues (models/results.hpp) and the scenario's
// sizes, so that a run that cannot fit (a cohort of ten million youths with a hundred thousand
// replicates) is refused before anything is allocated or written, with both figures.
#pragma once
#include <cstdint>
#include <string>

#include "engine/system_memory.hpp"
#include "models/model_params.hpp"
#include "models/processes.hpp"

namespace asim {

struct RunSize {
  double memory_bytes = 0;  // peak, for the replicates in flight at once
  double output_bytes = 0;  // the result file, uncompressed (an upper bound of the compressed file)
  int in_flight = 0;        // replicates held in memory at once
};

// One scenario: `threads` worker threads run up to 2 * threads replicates at once (the
// pipeline's tokens, models/simulation.cpp), each holding its ReplicateResult twice (raw and
// compressed chunks) while it waits for the writer.
RunSize estimate_run_size(const ModelParams& p, const RunOptions& options, int threads);

// Several scenarios in one file: output sizes add up, memory is the largest of them.
void add_scenario(RunSize& total, const RunSize& scenario);

// Throws ConfigError naming both figures when the run needs more memory than `memory_available`
// or writes more than `disk_free` (either 0: not checked); `directory` is where the file goes.
void check_run_fits(const RunSize& size, double memory_available, double disk_free,
                    const std::string& directory);

}  // namespace asim
