// `alliance-sim calibrate SCENARIO.toml --targets FILE [--free FILE] -o calib.h5`: fits the
// scenario's free parameters to literature targets by ABC-SMC (analysis/abc_smc.hpp) and
// writes a calibration file (apps/calibration_file.hpp). docs/calibration.md describes it.
#pragma once
#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "analysis/abc_smc.hpp"
#include "analysis/targets.hpp"
#include "apps/calibrate_setup.hpp"
#include "engine/params.hpp"

namespace asim {

struct CalibrateRequest {
  std::string scenario_file;  // empty: the built-in baseline
  std::string targets_file, free_file, output;
  std::vector<std::string> overrides;  // --set key=value
  long long seed = -1;                 // -1: the scenario's run.seed
  int threads = 0;                     // 0: all cores
  std::optional<int> particles, generations, replicates_per_particle;
  std::optional<double> quantile, min_acceptance;
  bool quiet = false, overwrite = false, resume = false, list_statistics = false;
  std::string command_line;
};

// Returns the exit status: 0 done, 128 + signal when interrupted (the .partial is kept).
// ConfigError (exit 2) for bad input, RuntimeFailure (exit 1) for failures.
int calibrate_command(const CalibrateRequest& request);

// The statistic catalogue as text (calibrate --list-statistics).
std::string statistic_listing();

// The model as an ABC simulator: each call simulates `replicates` replicates of the scenario
// with the free parameters set to theta, at a seed that depends only on (seed, generation)
// (common random numbers within a generation), and returns each target's statistic (NaN where
// not estimable or the parameters are not a valid model). `youth_days` (may be null) counts the
// youth-days simulated.
AbcSimulator model_simulator(const ParamValues& base, const std::vector<FreeParameter>& free,
                             const TargetSet& targets, int replicates, long long seed,
                             std::atomic<double>* youth_days = nullptr);

// The plain-language summary of a calibration: how well each target fits and how much each
// parameter's range narrowed.
struct CalibrationRecord;
std::string calibration_summary(const CalibrationRecord& record);

}  // namespace asim
