// Design matrices of parameter sweeps (see sweep.hpp and docs/sweeps.md).
#include "engine/sweep.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "engine/rng.hpp"

namespace asim {
namespace {

// The Latin hypercube's draws use their own Philox key (seed, kDesignStream): replicate numbers
// are at most 100000, so no replicate of the simulation shares this stream.
constexpr std::uint32_t kDesignStream = 0xFFFFFFFFu;
// Purposes of the design's draws; entity = dimension.
constexpr std::uint32_t kLhsPermutation = 1, kLhsJitter = 2;

std::size_t saturating_multiply(std::size_t a, std::size_t b) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a)
    return std::numeric_limits<std::size_t>::max();
  return a * b;
}

// The top 53 bits of a 64-bit Sobol coordinate as a double in [0, 1): exact, never 1.
double sobol_unit(std::uint64_t coordinate) {
  return static_cast<double>(coordinate >> 11) * 0x1p-53;
}

// `count` points of a `dimension`-dimensional Sobol sequence without its point 0 (the corner of
// the cube, which would put every parameter at its minimum at once; Saltelli et al. 2010 leave
// it out too). Boost's sobol_engine already starts at the next point, (1/2, ..., 1/2), which the
// unit tests check; `skip` leaves out that many more.
std::vector<std::vector<double>> sobol_points(std::size_t count, std::size_t dimension,
                                              std::size_t skip = 0) {
  boost::random::sobol generator(dimension);
  if (skip) generator.discard(static_cast<boost::uintmax_t>(skip) * dimension);
  std::vector<std::vector<double>> out(count, std::vector<double>(dimension));
  for (auto& point : out)
    for (auto& u : point) u = sobol_unit(generator());
  return out;
}

std::vector<std::vector<double>> latin_hypercube(std::size_t n, std::size_t dimension,
                                                 std::uint32_t seed) {
  const Rng rng(seed, kDesignStream);
  std::vector<std::vector<double>> out(n, std::vector<double>(dimension));
  std::vector<std::size_t> stratum(n);
  for (std::size_t j = 0; j < dimension; ++j) {
    const auto dim = static_cast<std::uint32_t>(j);
    // Fisher-Yates with Boost's uniform_int_distribution (the same on every platform, unlike
    // std::uniform_int_distribution): point i lies in stratum stratum[i] of dimension j.
    std::iota(stratum.begin(), stratum.end(), std::size_t{0});
    StreamEngine shuffle(rng, dim, 0, kLhsPermutation);
    for (std::size_t i = n; i > 1; --i) {
      boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
      std::swap(stratum[i - 1], stratum[pick(shuffle)]);
    }
    // Jitter within the stratum: Rng uniforms lie in the open interval (0, 1), so a point never
    // sits on a stratum's edge.
    StreamEngine jitter(rng, dim, 0, kLhsJitter);
    for (std::size_t i = 0; i < n; ++i)
      out[i][j] = (static_cast<double>(stratum[i]) + jitter.uniform()) / static_cast<double>(n);
  }
  return out;
}

double map_to_range(const ParamSpec& spec, const SweepParameter& p, double u) {
  if (spec.type == ParamType::Integer) {
    const double whole = p.min + std::floor(u * (p.max - p.min + 1.0));
    return std::min(whole, p.max);
  }
  return std::min(p.min + u * (p.max - p.min), p.max);
}

}  // namespace

std::string_view design_name(SweepDesign design) {
  switch (design) {
    case SweepDesign::Grid:
      return "grid";
    case SweepDesign::Lhs:
      return "lhs";
    case SweepDesign::Sobol:
      return "sobol";
    case SweepDesign::Saltelli:
      return "saltelli";
  }
  return "grid";
}

std::optional<SweepDesign> parse_design_name(std::string_view name) {
  for (SweepDesign d :
       {SweepDesign::Grid, SweepDesign::Lhs, SweepDesign::Sobol, SweepDesign::Saltelli})
    if (design_name(d) == name) return d;
  return std::nullopt;
}

std::size_t sweep_size(const SweepSpec& spec) {
  switch (spec.design) {
    case SweepDesign::Grid: {
      if (spec.parameters.empty()) return 0;
      std::size_t n = 1;
      for (const auto& p : spec.parameters) n = saturating_multiply(n, p.values.size());
      return n;
    }
    case SweepDesign::Lhs:
    case SweepDesign::Sobol:
      return spec.points;
    case SweepDesign::Saltelli:
      return saturating_multiply(spec.points, spec.parameters.size() + 2);
  }
  return 0;
}

std::vector<std::vector<double>> unit_design(const SweepSpec& spec, std::uint32_t seed) {
  const std::size_t k = spec.parameters.size();
  switch (spec.design) {
    case SweepDesign::Grid:
      return {};
    case SweepDesign::Lhs:
      return latin_hypercube(spec.points, k, seed);
    case SweepDesign::Sobol:
      return sobol_points(spec.points, k);
    case SweepDesign::Saltelli: {
      // A and B from one 2k-dimensional Sobol sequence (first k columns A, last k columns B), as
      // Saltelli et al. (2010, section 3) recommend: the two matrices are then independent
      // low-discrepancy samples. Runs: A, B, then AB_i = A with column i taken from B. The
      // point (1/2, ..., 1/2) is skipped as well: there A = B, so that row would carry no
      // information about any parameter.
      const std::size_t N = spec.points;
      const auto base = sobol_points(N, 2 * k, 1);
      std::vector<std::vector<double>> out;
      out.reserve(N * (k + 2));
      for (const auto& row : base)
        out.emplace_back(row.begin(), row.begin() + static_cast<long>(k));
      for (const auto& row : base) out.emplace_back(row.begin() + static_cast<long>(k), row.end());
      for (std::size_t i = 0; i < k; ++i)
        for (std::size_t j = 0; j < N; ++j) {
          std::vector<double> mixed = out[j];
          mixed[i] = out[N + j][i];
          out.push_back(std::move(mixed));
        }
      return out;
    }
  }
  return {};
}

std::vector<std::vector<double>> make_design(const SweepSpec& spec, const Registry& registry,
                                             std::uint32_t seed) {
  const std::size_t k = spec.parameters.size();
  if (sweep_size(spec) > kMaxSweepPoints)
    throw std::invalid_argument("make_design: more than kMaxSweepPoints points");
  if (spec.design == SweepDesign::Grid) {
    const std::size_t n = sweep_size(spec);
    std::vector<std::vector<double>> out(n, std::vector<double>(k));
    for (std::size_t point = 0; point < n; ++point) {
      // Mixed-radix digits of the point number, last parameter fastest.
      std::size_t rest = point;
      for (std::size_t j = k; j-- > 0;) {
        const auto& values = spec.parameters[j].values;
        out[point][j] = values[rest % values.size()];
        rest /= values.size();
      }
    }
    return out;
  }
  auto out = unit_design(spec, seed);
  for (auto& point : out)
    for (std::size_t j = 0; j < k; ++j)
      point[j] =
          map_to_range(registry.spec(spec.parameters[j].index), spec.parameters[j], point[j]);
  return out;
}

std::string sweep_point_name(std::size_t number, std::size_t total_points) {
  const std::size_t width = std::max<std::size_t>(4, std::to_string(total_points).size());
  std::string digits = std::to_string(number);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return "sweep-" + digits;
}

}  // namespace asim
