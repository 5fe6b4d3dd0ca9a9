// What `alliance-sim run` is asked to do, shared by the single-process run (run_command.cpp)
// and the distributed run (distributed_run.cpp): the loaded scenarios and sweep points in file
// order, the daily-series options, the output path and the closing summary.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "apps/run_command.hpp"
#include "engine/atomic_output.hpp"
#include "engine/config.hpp"
#include "engine/errors.hpp"
#include "models/model_params.hpp"
#include "models/result_file.hpp"
#include "models/run_size.hpp"

namespace asim {

struct LoadedScenario {
  Scenario scenario;
  ModelParams params;
};

// A sweep: its scenario (after --set) and its design. Points are made one at a time when they
// run (sweep_point), so memory does not grow with the number of points.
struct SweepRun {
  Scenario base;
  std::size_t position = 0;  // where its points run among the run's scenarios (file order)
  SweepDesignRecord record;
};

// Point `point` (0-based) of a sweep as a scenario: the scenario's values (after --set) with the
// point's parameters set on top, origin "sweep point N", checked by the model like any scenario.
LoadedScenario sweep_point(const SweepRun& sweep, std::size_t point);

struct LoadedRun {
  std::vector<LoadedScenario> scenarios;  // the ordinary scenarios, in file order
  std::optional<SweepRun> sweep;          // at most one sweep per run
  std::vector<std::string> notes;         // deprecated keys used (Scenario::notes), all scenarios

  std::size_t points() const { return sweep ? sweep->record.points.size() : 0; }
  std::size_t size() const { return scenarios.size() + points(); }
  bool is_point(std::size_t i) const {
    return sweep && i >= sweep->position && i < sweep->position + points();
  }
  // The i-th scenario to run: file order, with a sweep's points where its file stood.
  LoadedScenario at(std::size_t i) const {
    if (is_point(i)) return sweep_point(*sweep, i - sweep->position);
    return scenarios[sweep && i >= sweep->position ? i - points() : i];
  }
  std::string name_at(std::size_t i) const {
    if (is_point(i)) return sweep->record.points[i - sweep->position];
    return scenarios[sweep && i >= sweep->position ? i - points() : i].scenario.name;
  }
  int replicates_at(std::size_t i) const {
    if (is_point(i)) return static_cast<int>(sweep->base.values.get("run.replicates"));
    return scenarios[sweep && i >= sweep->position ? i - points() : i].params.replicates;
  }
};

LoadedRun load_scenarios(const std::vector<std::string>& files,
                         const std::vector<std::string>& overrides, int replicates, long long seed);
RunOptions parse_daily(const std::string& spec);
// The run's output options: --daily, and --group-series (default: no, a lean file; the groups'
// daily series cost more to compress and write than simulating the waves beside them).
RunOptions run_options(const RunRequest& req);
// The request's output, or results/<first scenario>.h5 (creating results/) when none is given.
std::string output_path(const RunRequest& request, const LoadedRun& loaded);
// The summary table, the sweep line, the throughput line (`where`: "on 2 threads") and the
// file written; nothing with --quiet.
void print_run_summary(const RunRequest& request, const LoadedRun& loaded,
                       const std::string& output, bool replacing, double youth_days, double seconds,
                       const std::string& where, int threads);

void check_threads(const RunRequest& request);  // --threads in [1, 4096] (0: all cores)
// --resume needs the output's .partial.
void check_resume(const RunRequest& request, const AtomicOutput& atomic);
// After SIGINT/SIGTERM: keeps the .partial, says what it holds and returns 128 + signal.
// `finished_scenarios`: how many scenarios the .partial holds complete (-1: not known).
int report_interrupted(AtomicOutput& atomic, const std::string& output,
                       int finished_scenarios = -1);
std::string progress_label(const LoadedRun& loaded);
// The .partial of an interrupted run, opened for --resume: checked read-only first and kept, with
// a clear ConfigError, when it cannot be opened.
ResultWriter open_for_resume(AtomicOutput& atomic, const std::string& command_line);
// The run's .partial: created afresh, or with `resume` opened by open_for_resume.
ResultWriter open_run_file(AtomicOutput& atomic, const std::string& command_line, bool resume);
// The pieces of open_for_resume for callers that construct the writer in place: the read-only
// probe, and the error that keeps the .partial.
void probe_for_resume(const AtomicOutput& atomic);
ConfigError resume_failure(AtomicOutput& atomic, const std::exception& cause);
// Refuses (ConfigError) a run that needs more memory than is available or a larger result file
// than the output directory has room for, before anything is allocated or written.
RunSize check_size(const LoadedRun& loaded, const RunOptions& options, int threads,
                   const std::string& output);
// "expected result file: at most 12 MB (...)", printed before a run that is not --quiet.
std::string expected_size_line(const RunSize& size, const RunOptions& options);
// The run in this process alone (no MPI).
int run_single_process(const RunRequest& request);

}  // namespace asim
