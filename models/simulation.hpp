// One replicate of the institution, day by day: who is admitted to which free bed in a short
// ordered phase, then the admissions and the daily processes of every living group in parallel
// (groups share nothing within a day).
#pragma once
#include <array>
#include <functional>
#include <memory>
#include <vector>

#include "models/processes.hpp"

namespace asim {

// A replicate that has not admitted and followed its whole cohort after this many simulated
// days stops with an error (too many youths for the beds).
inline constexpr int kMaxSimulationDays = 200000;

class Model {
 public:
  // Validates relations between parameters (wave order, at least one group, shares adding up);
  // throws ConfigError naming the parameters.
  explicit Model(const ModelParams& params);
  const ModelParams& params() const { return p_; }
  int group_count() const { return p_.open_groups + p_.closed_groups; }
  // Days since admission of the measurement waves (waves.days), increasing; the follow-up
  // ends the day after the last wave.
  const std::vector<int>& wave_days() const { return p_.wave_days; }
  int follow_up_days() const { return p_.wave_days.back() + 1; }
  // Deterministic: depends only on (params, replicate), never on threads.
  // `storage`: a finished result whose buffers are reused (their contents are discarded), so
  // that a run of many replicates does not map and zero fresh memory for each one.
  ReplicateResult run_replicate(int replicate, const RunOptions& options,
                                ReplicateResult storage = {}) const;

 private:
  ModelParams p_;
};

// One replicate stepped a day at a time: run_replicate drives it to the end of follow-up,
// classroom mode (models/classroom.hpp) steps it live. The model must outlive it.
class ReplicateRun {
 public:
  ReplicateRun(const Model& model, int replicate, const RunOptions& options,
               ReplicateResult storage = {});
  ~ReplicateRun();
  ReplicateRun(const ReplicateRun&) = delete;
  ReplicateRun& operator=(const ReplicateRun&) = delete;
  // Simulates the next day. Returns true once the cohort is admitted and followed up (the end
  // of a run); stepping on is allowed and simulates further days of the same institution.
  bool step_day();
  int day() const;  // days simulated so far
  const std::vector<Group>& groups() const;
  const ReplicateResult& result() const;  // what is recorded so far (result().days days)
  ReplicateResult take_result();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Runs replicates [first, first+count) of one scenario in parallel (within the current TBB arena)
// and hands each result to `sink` in replicate order, holding at most a few results at once.
// Stops early (returns false) when `stop` says so; finished replicates have been handed over.
// `finish`, when given, runs on each result in the parallel stage (e.g. compressing its chunks).
bool run_replicates(const Model& model, const RunOptions& options, int first, int count,
                    const std::function<void(ReplicateResult&&)>& sink,
                    const std::function<bool()>& stop,
                    const std::function<void(ReplicateResult&)>& finish = {});

}  // namespace asim
