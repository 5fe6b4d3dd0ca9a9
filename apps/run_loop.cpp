// The one run loop: see run_loop.hpp.
#include "apps/run_loop.hpp"

#include <string>
#include <utility>

#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "engine/test_hooks.hpp"

namespace asim {

namespace {

int count_replicates(const LoadedRun& loaded) {
  int total = 0;
  for (std::size_t i = 0; i < loaded.size(); ++i) total += loaded.replicates_at(i);
  return total;
}

}  // namespace

RunLoop::RunLoop(ResultWriter& writer, const LoadedRun& loaded, const RunOptions& options,
                 bool resume, bool quiet)
    : writer_(writer),
      loaded_(loaded),
      options_(options),
      total_replicates_(count_replicates(loaded)),
      // A sweep's points are scenarios, so progress and ETA count replicates across every point.
      progress_(Progress::detect(quiet), progress_label(loaded),
                static_cast<std::size_t>(total_replicates_)),
      started_(std::chrono::steady_clock::now()) {
  if (loaded_.sweep) writer_.write_sweep_design(loaded_.sweep->record);
  for (std::size_t i = 0; i < loaded_.size(); ++i) {
    if (resume && writer_.keep_finished(loaded_.at(i).scenario, options_)) {
      replicates_done_ += loaded_.replicates_at(i);  // finished in the interrupted run
      ++finished_scenarios_;
      continue;
    }
    todo_.push_back(i);
    todo_replicates_.push_back(loaded_.replicates_at(i));
  }
}

const Model& RunLoop::begin() {
  if (done()) throw RuntimeFailure("run loop: no scenario left to begin");
  if (!open_) {
    // The previous scenario's model stays until here: its simulation may still hold it after
    // its last replicate was written.
    const LoadedScenario s = loaded_.at(todo_[next_]);
    model_.emplace(s.params);
    writer_.begin_scenario(s.scenario, *model_, options_, todo_replicates_[next_]);
    open_ = true;
  }
  return *model_;
}

bool RunLoop::write(const ReplicateResult& r) {
  begin();
  if (r.replicate != replicate_)
    throw RuntimeFailure("run loop: replicate " + std::to_string(r.replicate) +
                         " arrived where replicate " + std::to_string(replicate_) +
                         " was expected");
  writer_.write_replicate(r);
  youth_days_ += r.youth_days;
  days_ += r.days;
  progress_.update(static_cast<std::size_t>(++replicates_done_), youth_days_);
  if (++replicate_ < todo_replicates_[next_]) return false;
  writer_.end_scenario();
  open_ = false;
  ++finished_scenarios_;
  ++next_;
  replicate_ = 0;
  return true;
}

double RunLoop::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

bool simulate_replicates(tbb::task_arena& arena, const Model& model, const RunOptions& options,
                         int first, int count, const std::function<bool()>& stop,
                         const std::function<void(ReplicateResult&&)>& sink) {
  bool finished = false;
  arena.execute([&] {
    finished = run_replicates(model, options, first, count, sink, stop,
                              [&](ReplicateResult& r) { ResultWriter::compress(r, options); });
  });
  return finished;
}

bool run_in_process(RunLoop& loop, const RunOptions& options, tbb::task_arena& arena,
                    const std::function<bool()>& stop) {
  while (!loop.done()) {
    const std::size_t scenario = loop.current();
    const int replicates = loop.current_replicates();
    const Model& model = loop.begin();
    const bool finished = simulate_replicates(arena, model, options, 0, replicates, stop,
                                              [&](ReplicateResult&& r) { loop.write(r); });
    if (!finished || stop()) return false;
    test_signal_after_scenarios(static_cast<int>(scenario) + 1);  // test builds only
  }
  return true;
}

}  // namespace asim
