// The one per-scenario run loop of `alliance-sim run`: opening the .partial (afresh or for
// --resume), the sweep's design, keeping the scenarios an interrupted run finished, then for each
// scenario left begin -> write its replicates in order -> end, with progress and the youth-days
// count. The single-process run (run_command.cpp) simulates in this process (run_in_process);
// the MPI master (distributed_run.cpp) hands the same scenarios out with the WorkDispenser
// (work_dispenser.hpp) and writes what comes back through the same loop, so both write the same
// file. bench_throughput runs its workloads through it too.
#pragma once
#include <tbb/task_arena.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "apps/run_plan.hpp"
#include "engine/progress.hpp"
#include "models/result_file.hpp"

namespace asim {

class RunLoop {
 public:
  // `writer`: the .partial, created afresh or opened for --resume (open_run_file), kept by the
  // caller for as long as the loop. Writes the
  // sweep's design; with `resume`, keeps the scenarios finished in the file and leaves only the
  // others to run. `quiet`: no progress bar (Progress::detect).
  RunLoop(ResultWriter& writer, const LoadedRun& loaded, const RunOptions& options, bool resume,
          bool quiet);

  // The scenarios left to run, in writing order (indices into the LoadedRun), and the
  // replicates of each.
  const std::vector<std::size_t>& todo() const { return todo_; }
  const std::vector<int>& todo_replicates() const { return todo_replicates_; }
  std::size_t kept_scenarios() const { return loaded_.size() - todo_.size(); }
  // Scenarios complete in the file: kept on --resume plus those ended since.
  int finished_scenarios() const { return finished_scenarios_; }
  bool done() const { return next_ >= todo_.size(); }
  // The scenario written now or next (index into the LoadedRun) and its replicates.
  std::size_t current() const { return todo_[next_]; }
  int current_replicates() const { return todo_replicates_[next_]; }

  // Opens the next scenario's group, if not open yet, and returns its model.
  const Model& begin();
  // Writes the next replicate in writing order: opens the scenario's group before its first
  // replicate (begin) and ends it after its last (then returns true). Counts progress.
  // RuntimeFailure when `r` is not the replicate expected next.
  bool write(const ReplicateResult& r);

  ResultWriter& writer() { return writer_; }
  Progress& progress() { return progress_; }
  double youth_days() const { return youth_days_; }  // of the replicates written
  double simulated_days() const { return days_; }    // ... and their simulated days
  // Seconds since the loop was made.
  double seconds() const;

 private:
  ResultWriter& writer_;
  const LoadedRun& loaded_;
  const RunOptions& options_;
  std::vector<std::size_t> todo_;
  std::vector<int> todo_replicates_;
  int total_replicates_ = 0, replicates_done_ = 0, finished_scenarios_ = 0;
  std::size_t next_ = 0;        // index into todo_ of the scenario written now (or next)
  int replicate_ = 0;           // the replicate of it written next
  bool open_ = false;           // the scenario's group is begun and not yet ended
  std::optional<Model> model_;  // the model of the scenario begun last
  Progress progress_;
  double youth_days_ = 0, days_ = 0;
  std::chrono::steady_clock::time_point started_;
};

// Simulates replicates [first, first + count) of `model` in `arena`, each compressed for the
// writer in the parallel stage and handed to `sink` in replicate order. False when `stop` ended
// it early.
bool simulate_replicates(tbb::task_arena& arena, const Model& model, const RunOptions& options,
                         int first, int count, const std::function<bool()>& stop,
                         const std::function<void(ReplicateResult&&)>& sink);

// Simulates, in this process and in `arena`, every scenario left in `loop`, one after another,
// each replicate written as soon as it and those before it are done. False when `stop` (or
// SIGINT/SIGTERM, stop_requested) ended the run before every scenario was complete.
bool run_in_process(RunLoop& loop, const RunOptions& options, tbb::task_arena& arena,
                    const std::function<bool()>& stop);

}  // namespace asim
