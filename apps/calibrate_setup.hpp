// What `alliance-sim calibrate` is asked to do (docs/calibration.md): the free parameters with
// their uniform prior ranges and the ABC-SMC settings, read from the scenario's [calibrate]
// table and/or a --free file of the same form:
//
//   [calibrate]
//   particles = 200                 # accepted particles per generation
//   generations = 4                 # generation 0 (the prior) included
//   replicates_per_particle = 2     # replicates simulated for each particle
//   quantile = 0.5                  # next tolerance: this quantile of the distances
//   min_acceptance = 0.05           # stop when a generation accepts fewer of its simulations
//
//   [calibrate.free]
//   rater.youth_sd = [0.05, 0.5]    # registry name = [lower, upper], inside the registry range
//
// A --free file's values replace the scenario's, key by key; command-line options replace both.
// Every error is a ConfigError naming file:line, key, value and the allowed range.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/params.hpp"

namespace asim {

struct FreeParameter {
  std::string name;
  std::size_t index = 0;  // in the registry
  double lower = 0, upper = 0;
  std::string unit;
};

struct CalibrationSpec {
  std::vector<FreeParameter> free;
  std::optional<int> particles, generations, replicates_per_particle;
  std::optional<double> quantile, min_acceptance;
  std::string text;  // the [calibrate] tables read, as TOML (stored in the calibration file)
};

// Reads the [calibrate] table of a TOML file (a scenario or a --free file) into `spec`;
// `required` says whether the table must be there.
void read_calibrate_table(const std::string& path, const Registry& registry, CalibrationSpec& spec,
                          bool required);
// The same from text (tests).
void read_calibrate_text(const std::string& text, const std::string& display,
                         const Registry& registry, CalibrationSpec& spec, bool required);

}  // namespace asim
