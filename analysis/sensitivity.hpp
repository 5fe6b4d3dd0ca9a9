// Variance-based sensitivity analysis (Sobol indices) from a Saltelli sweep: which policy lever
// matters most for an outcome, and how sure we are.
//
// The design (engine/sweep.hpp, docs/sweeps.md) runs N base rows in the order A, B, AB_1..AB_k,
// where AB_i is A with column i from B. With f the outcome at each run and V the variance of f
// over the 2N rows of A and B:
//   first order  S_i  = mean_j f(B)_j (f(AB_i)_j - f(A)_j) / V        (Saltelli et al. 2010)
//   total        S_Ti = mean_j (f(A)_j - f(AB_i)_j)^2 / (2 V)         (Jansen 1999)
// S_i is the share of the outcome's variance due to parameter i alone; S_Ti adds every
// interaction it takes part in. 95 % confidence intervals come from a percentile bootstrap over
// the N base rows (rows j resampled with replacement, A, B and every AB_i kept together).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"

namespace asim {

inline constexpr std::size_t kDefaultBootstrap = 1000;
inline constexpr std::uint64_t kBootstrapSeed = 20100101;  // fixed: the same file, the same CIs

struct SobolIndex {
  std::string parameter;
  double first = 0, first_low = 0, first_high = 0;  // S_i and its 95 % CI
  double total = 0, total_low = 0, total_high = 0;  // S_Ti and its 95 % CI
};

struct SobolEstimate {
  std::vector<SobolIndex> indices;  // one per parameter, in design column order
  double mean = 0, variance = 0;    // of the outcome over the rows of A and B
  std::size_t base_samples = 0, bootstrap = 0;
};

// `outputs` holds the outcome of every run in design order (A, B, AB_1..AB_k; N each), so its
// size must be N * (parameters.size() + 2); otherwise std::invalid_argument. A constant outcome
// (V = 0) gives NaN indices. `bootstrap` = 0 skips the intervals (NaN).
SobolEstimate sobol_indices(const std::vector<double>& outputs, std::size_t base_samples,
                            const std::vector<std::string>& parameters,
                            std::size_t bootstrap = kDefaultBootstrap,
                            std::uint64_t seed = kBootstrapSeed);

// /sweep of a result file (docs/sweeps.md), checked for consistency.
struct SweepDesignData {
  std::string design, source;
  std::vector<std::string> parameters, points;
  std::size_t base_samples = 0;
  std::vector<double> matrix;  // [point, parameter], row-major
};
// ConfigError naming the file when it holds no sweep or an inconsistent one.
SweepDesignData read_sweep_design(const ResultFile& file);

struct SensitivityReport {
  std::string file, outcome, source;
  std::size_t points = 0, replicates = 0;  // replicates: fewest written at any point
  double noise_share = 0;  // variance of the point means due to replicate noise / their variance
  SobolEstimate estimate;  // indices sorted by S_Ti, largest first
  // Whether the indices can rank the levers: replicate noise below half the design variance
  // (levers whose S_Ti intervals overlap are marked in the table, not ranked apart).
  // No ranking either when the noise is unknown (one replicate per point).
  // replicates_needed: replicates per point that would bring the noise to a tenth of the
  // variance over the design (0 when the noise is below that already; -1 when the levers cause
  // no variance above the noise at all).
  bool rankable = true;
  long long replicates_needed = 0;
};

// Sobol indices of `outcome` (a name of comparison_metrics(), e.g. favourable_pct) from the
// replicate means at each point of the file's Saltelli sweep. ConfigError when the file has no
// Saltelli sweep, a point is missing or incomplete, the outcome is unknown or missing.
SensitivityReport sensitivity_analysis(const ResultFile& file, const std::string& outcome,
                                       std::size_t bootstrap = kDefaultBootstrap);

std::string format_sensitivity_table(const SensitivityReport& report);
std::string format_sensitivity_csv(const SensitivityReport& report);
std::string format_sensitivity_json(const SensitivityReport& report);

}  // namespace asim
