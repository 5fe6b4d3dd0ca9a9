// The MPI work dispenser of a distributed run (distributed_run.cpp), beside the run loop
// (run_loop.hpp) whose scenarios it hands out: work items of a block of replicates of one
// scenario, in the order the run loop writes them. No MPI here; the master sends the items.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace asim {

struct WorkItem {
  std::size_t scenario = 0;  // index into the run's scenarios (LoadedRun::at)
  int first = 0, count = 0;  // replicates [first, first + count)
};

// Hands out work items in the order a single process runs them (scenario by scenario, replicate
// by replicate), at most `window` replicates ahead of what the writer has written, so the
// finished replicates the master holds for in-order writing stay bounded.
class WorkDispenser {
 public:
  WorkDispenser(std::vector<std::size_t> scenarios, std::vector<int> replicates)
      : scenarios_(std::move(scenarios)), replicates_(std::move(replicates)) {
    std::int64_t at = 0;
    for (int r : replicates_) {
      offsets_.push_back(at);
      at += r;
    }
    total_ = at;
  }
  std::int64_t total() const { return total_; }
  bool exhausted() const { return next_ >= scenarios_.size(); }
  // The next item of up to `capacity` replicates, or nothing (exhausted, or the window is full).
  std::optional<WorkItem> next(int capacity, std::int64_t written, std::int64_t window) {
    while (!exhausted() && replicate_ >= replicates_[next_]) {
      ++next_;
      replicate_ = 0;
    }
    if (exhausted() || offsets_[next_] + replicate_ >= written + window) return std::nullopt;
    WorkItem item{scenarios_[next_], replicate_,
                  std::min(std::max(capacity, 1), replicates_[next_] - replicate_)};
    index_of_[item.scenario] = next_;
    replicate_ += item.count;
    return item;
  }
  // Position of (scenario, replicate) in writing order.
  std::int64_t position(std::size_t scenario, int replicate) const {
    return offsets_[index_of_.at(scenario)] + replicate;
  }
  const std::vector<std::size_t>& scenarios() const { return scenarios_; }
  const std::vector<int>& replicates() const { return replicates_; }

 private:
  std::vector<std::size_t> scenarios_;  // the scenarios to run (indices into LoadedRun)
  std::vector<int> replicates_;
  std::vector<std::int64_t> offsets_;
  std::map<std::size_t, std::size_t> index_of_;
  std::int64_t total_ = 0;
  std::size_t next_ = 0;
  int replicate_ = 0;
};

// How many replicates past the last one written may be handed out: four times the replicates
// all ranks simulate at once, so that a slow item does not leave the others idle, and at least
// 16. It bounds what the master holds in memory for in-order writing (docs/cluster.md).
inline std::int64_t dispense_window(int ranks, int threads_per_rank) {
  return std::max<std::int64_t>(16, 4 * static_cast<std::int64_t>(ranks) * threads_per_rank);
}

}  // namespace asim
