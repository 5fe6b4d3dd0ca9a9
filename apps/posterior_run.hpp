// `alliance-sim run --posterior calib.h5 --draws K`: every scenario runs over K draws of a
// calibration's posterior (docs/calibration.md), R replicates each, so that `compare` and
// `report` can give each policy effect an interval that includes parameter uncertainty. Draw k
// runs replicates [k R, (k + 1) R) of every scenario with the same parameters and the same
// random numbers (common random numbers across scenarios, as always); the draws, their
// parameter values and each replicate's draw are recorded in the result file's /posterior group
// (docs/hdf5-schema.md).
#pragma once
#include <tbb/task_arena.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "apps/run_loop.hpp"
#include "apps/run_plan.hpp"

namespace asim {

struct PosteriorDraws {
  std::string file;  // the calibration file
  std::string calibration_git_commit, calibration_created_utc;
  std::vector<std::string> names;           // free parameters (registry names)
  std::vector<std::size_t> index;           // ... their registry indices
  std::vector<int> particles;               // [draw]: particle of the last generation
  std::vector<std::vector<double>> values;  // [draw][parameter]
  int replicates_per_draw = 1;
  int draws() const { return static_cast<int>(particles.size()); }
};

// Reads a complete calibration file and draws K particles of its last generation by weight
// (systematic resampling keyed by `seed`: deterministic). ConfigError when the file is not a
// complete calibration or names a parameter this build does not have.
PosteriorDraws load_posterior_draws(const std::string& path, int draws, std::uint32_t seed,
                                    int replicates_per_draw);

// With --posterior: the draws, and `loaded` reloaded to run draws x replicates per scenario
// (run.replicates = K R). nullopt without --posterior. ConfigError for --draws without
// --posterior, a sweep, or scenarios of different run.replicates without --replicates.
std::optional<PosteriorDraws> prepare_posterior(const RunRequest& request, LoadedRun& loaded);

// Simulates replicates [first, first + count) of a scenario, each with its draw's parameters
// (a block may span draws), handing each to `sink` in order; false when `stop` ended it early.
// Used by the MPI ranks (distributed_run.cpp).
bool simulate_item(tbb::task_arena& arena, const LoadedRun& loaded, const PosteriorDraws& draws,
                   std::size_t scenario, int first, int count, const RunOptions& options,
                   const std::function<bool()>& stop,
                   const std::function<void(ReplicateResult&&)>& sink);

// The scenario's parameters with draw k's values set (origin "posterior draw k of FILE").
ModelParams draw_params(const Scenario& scenario, const PosteriorDraws& draws, int k);

// run_in_process over the draws: each scenario left in `loop` runs draw after draw.
bool run_posterior_in_process(RunLoop& loop, const LoadedRun& loaded, const PosteriorDraws& draws,
                              const RunOptions& options, tbb::task_arena& arena,
                              const std::function<bool()>& stop);

// Writes (or replaces) the /posterior group of a finished result file (the .partial, before it
// is committed).
void write_posterior_group(const std::string& path, const PosteriorDraws& draws);

}  // namespace asim
