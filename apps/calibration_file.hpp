// The calibration file of `alliance-sim calibrate` (docs/hdf5-schema.md, "Calibration files"):
// one HDF5 file in the project's netCDF-4 style (dimension scales, CF attributes, UTF-8
// strings, little-endian numbers) holding the targets, the free parameters and their priors,
// every generation of ABC-SMC (tolerance, effective sample size, simulations) with its
// particles (parameters, weights, distances, each target's simulated value), the posterior
// summaries and the provenance. The same layout is the .partial an interrupted calibration
// keeps (only the finished generations, attribute complete = 0) and --resume reads back.
#pragma once
#include <string>
#include <vector>

#include "analysis/abc_smc.hpp"

namespace asim {

struct CalibrationTargetRecord {
  std::string name, statistic, where, uncertainty_kind, source;
  double value = 0, uncertainty = 0, weight = 1;
  std::string bound = "both";  // both, upper or lower (analysis/targets.hpp TargetBound)
  // The target's standardised error at a simulated value (0 on a one-sided target's allowed
  // side).
  double z(double simulated) const;
};

struct CalibrationRecord {
  // Provenance.
  std::string command_line, scenario_name, scenario_source, scenario_text, resolved_toml,
      targets_path, targets_text, calibrate_text;
  long long seed = 0;
  int replicates_per_particle = 1;
  AbcSettings settings;
  // What was fitted.
  std::vector<AbcPrior> priors;
  std::vector<std::string> parameter_units;
  std::vector<CalibrationTargetRecord> targets;
  // The result.
  std::vector<AbcGeneration> generations;
  bool complete = false;
  std::string status;   // e.g. "complete: 4 generations" or "stopped: acceptance rate ..."
  std::string summary;  // the plain-language summary `calibrate` prints
};

// Writes (creating or truncating) the file.
void write_calibration_file(const std::string& path, const CalibrationRecord& record);
// Reads a calibration file (or its .partial); ConfigError naming the path when it is not one.
CalibrationRecord read_calibration_file(const std::string& path);

}  // namespace asim
