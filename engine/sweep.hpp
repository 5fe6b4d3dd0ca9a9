// Parameter sweeps declared in a scenario file ([sweep], docs/sweeps.md): the validated
// description (SweepSpec, filled by the scenario loader in engine/config.cpp) and the design
// matrix it stands for. A design is a pure function of (spec, registry, seed), so a sweep is as
// reproducible as a single run.
//
//   grid      Cartesian product of value lists, first parameter varying slowest.
//   lhs       Latin hypercube: each of `points` equal strata of every range holds one point.
//   sobol     Sobol low-discrepancy sequence (boost/random/sobol.hpp) without its point 0.
//   saltelli  the A, B, AB_1..AB_k design of Saltelli (2010) for first-order and total Sobol
//             indices: N = `points` base samples, N*(k+2) runs, in the order A, B, AB_1..AB_k;
//             A and B are the two halves of a 2k-dimensional Sobol sequence, from its point 2
//             (point 1 is (1/2, ..., 1/2), where A and B would coincide).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/params.hpp"

namespace asim {

enum class SweepDesign { Grid, Lhs, Sobol, Saltelli };

// "grid", "lhs", "sobol", "saltelli".
std::string_view design_name(SweepDesign design);
std::optional<SweepDesign> parse_design_name(std::string_view name);

// Largest number of runs (design points) a sweep may have; more is a configuration error.
inline constexpr std::size_t kMaxSweepPoints = 100000;

struct SweepParameter {
  std::size_t index = 0;       // into the registry
  std::string name;            // registry name, e.g. "mentor.caseload"
  std::vector<double> values;  // grid: the listed values (registry units; Choice: index)
  double min = 0, max = 0;     // lhs, sobol, saltelli: the range, inside the registry range
  std::string origin;          // "file:line" where the parameter is swept
};

struct SweepSpec {
  SweepDesign design = SweepDesign::Grid;
  std::size_t points = 0;                  // lhs, sobol: points; saltelli: base samples N; grid: 0
  std::optional<std::uint32_t> seed;       // lhs only; default: the scenario's run.seed
  std::vector<SweepParameter> parameters;  // in the order they appear in the file
  std::string origin;                      // "file:line" of the [sweep] table
};

// Number of runs the design has: product of the list lengths (grid), points (lhs, sobol),
// points * (k + 2) (saltelli). Saturates at SIZE_MAX instead of overflowing.
std::size_t sweep_size(const SweepSpec& spec);

// The design matrix [point][parameter], values ready to set (registry units: whole numbers for
// Integer parameters, 0/1 for Boolean, the choice index for Choice). `seed` keys the Latin
// hypercube's permutations and jitter; the other designs are deterministic without it.
//
// Ranges map the unit interval u in [0, 1) to min + u * (max - min); an Integer parameter gets
// min + floor(u * (max - min + 1)), so each whole number of [min, max] has the same share.
std::vector<std::vector<double>> make_design(const SweepSpec& spec, const Registry& registry,
                                             std::uint32_t seed);

// The unit-cube design before mapping to ranges, [point][parameter] in [0, 1): exposed for tests
// of stratification and of the Saltelli structure. Grid designs have no unit-cube form (empty).
std::vector<std::vector<double>> unit_design(const SweepSpec& spec, std::uint32_t seed);

// Name of the scenario group of a sweep's point `number` (1-based): sweep-0001, sweep-0002, ...
// zero-padded to at least four digits, and to the width of `total_points` when that is wider.
std::string sweep_point_name(std::size_t number, std::size_t total_points);

}  // namespace asim
