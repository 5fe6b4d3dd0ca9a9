// Sobol indices (analysis/sensitivity) against the Ishigami function, whose indices are known in
// closed form, on the Saltelli design that engine/sweep makes: the estimators, the design's
// A, B, AB_i structure and the bootstrap intervals are checked together.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "analysis/sensitivity.hpp"
#include "engine/sweep.hpp"

using namespace asim;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kA = 7.0, kB = 0.1;  // the usual Ishigami constants (Ishigami & Homma 1990)

double ishigami(double x1, double x2, double x3) {
  return std::sin(x1) + kA * std::sin(x2) * std::sin(x2) + kB * std::pow(x3, 4) * std::sin(x1);
}

// Exact partial variances for x_i ~ U(-pi, pi) (Sobol' & Levitan 1999; Saltelli et al. 2008).
struct Exact {
  double S[3], ST[3];
};
Exact ishigami_exact() {
  const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double V = kA * kA / 8 + kB * pi4 / 5 + kB * kB * pi8 / 18 + 0.5;
  const double V1 = 0.5 * std::pow(1 + kB * pi4 / 5, 2), V2 = kA * kA / 8, V3 = 0;
  const double V13 = kB * kB * pi8 * (1.0 / 18 - 1.0 / 50);
  return {{V1 / V, V2 / V, V3 / V}, {(V1 + V13) / V, V2 / V, V13 / V}};
}

Registry ishigami_registry() {
  Registry r;
  for (const char* name : {"ishigami.x1", "ishigami.x2", "ishigami.x3"}) {
    ParamSpec s;
    s.name = name;
    s.type = ParamType::Real;
    s.default_value = 0;
    s.min = -kPi;
    s.max = kPi;
    s.meaning = "input of the Ishigami function";
    s.source = "test";
    r.add(s);
  }
  return r;
}

SweepSpec ishigami_spec(std::size_t base_samples) {
  SweepSpec spec;
  spec.design = SweepDesign::Saltelli;
  spec.points = base_samples;
  for (std::size_t i = 0; i < 3; ++i) {
    SweepParameter p;
    p.index = i;
    p.name = "ishigami.x" + std::to_string(i + 1);
    p.min = -kPi;
    p.max = kPi;
    spec.parameters.push_back(p);
  }
  return spec;
}

SobolEstimate ishigami_estimate(std::size_t base_samples, std::size_t bootstrap) {
  const Registry registry = ishigami_registry();
  const SweepSpec spec = ishigami_spec(base_samples);
  const auto design = make_design(spec, registry, 1);
  std::vector<double> outputs;
  for (const auto& x : design) outputs.push_back(ishigami(x[0], x[1], x[2]));
  return sobol_indices(outputs, base_samples, {"x1", "x2", "x3"}, bootstrap);
}

}  // namespace

TEST_CASE("The exact Ishigami indices are the published ones", "[sensitivity]") {
  const Exact e = ishigami_exact();
  CHECK(e.S[0] == Approx(0.3139).margin(5e-5));
  CHECK(e.S[1] == Approx(0.4424).margin(5e-5));
  CHECK(e.S[2] == 0.0);
  CHECK(e.ST[0] == Approx(0.5576).margin(5e-5));
  CHECK(e.ST[1] == Approx(0.4424).margin(5e-5));
  CHECK(e.ST[2] == Approx(0.2437).margin(5e-5));
}

TEST_CASE("Sobol indices of the Ishigami function match the exact values", "[sensitivity]") {
  // N = 8192 base samples (40960 evaluations). Tolerance: the bootstrap treats the rows as
  // independent draws, so its 95 % half-widths (0.02 for S_i, 0.01 to 0.03 for S_Ti here) are
  // the Monte Carlo error scale at this N; Sobol points converge faster than independent draws,
  // so the estimates must lie within 0.02 of the exact values (measured: within 0.0011). The
  // design and the bootstrap seed are fixed, so the test is deterministic: it cannot flake.
  const Exact exact = ishigami_exact();
  const SobolEstimate est = ishigami_estimate(8192, 1000);
  REQUIRE(est.indices.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const SobolIndex& x = est.indices[i];
    INFO("x" << i + 1 << ": S_i " << x.first << " [" << x.first_low << ", " << x.first_high
             << "] exact " << exact.S[i] << "; S_Ti " << x.total << " [" << x.total_low << ", "
             << x.total_high << "] exact " << exact.ST[i]);
    CHECK(x.first == Approx(exact.S[i]).margin(0.02));
    CHECK(x.total == Approx(exact.ST[i]).margin(0.02));
    // The 95 % intervals cover the exact values...
    CHECK(x.first_low <= exact.S[i]);
    CHECK(exact.S[i] <= x.first_high);
    CHECK(x.total_low <= exact.ST[i]);
    CHECK(exact.ST[i] <= x.total_high);
    // ... and are informative: narrow enough to tell the three inputs apart.
    CHECK(x.first_high - x.first_low < 0.1);
    CHECK(x.total_high - x.total_low < 0.1);
  }
  // Total variance: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.845.
  CHECK(est.variance == Approx(13.8446).epsilon(0.02));
}

TEST_CASE("Sobol estimates converge as the base sample grows", "[sensitivity]") {
  // A coarse design is further from the exact values than a fine one (a test of the estimator
  // on the design, not of one lucky N): the summed absolute error shrinks from N=256 to N=8192.
  const Exact exact = ishigami_exact();
  auto error = [&](std::size_t n) {
    const auto est = ishigami_estimate(n, 0);
    double sum = 0;
    for (std::size_t i = 0; i < 3; ++i)
      sum += std::abs(est.indices[i].first - exact.S[i]) +
             std::abs(est.indices[i].total - exact.ST[i]);
    return sum;
  };
  CHECK(error(8192) < error(256));
}

TEST_CASE("The bootstrap is deterministic and resamples base rows", "[sensitivity]") {
  const auto a = ishigami_estimate(256, 200);
  const auto b = ishigami_estimate(256, 200);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(a.indices[i].first_low == b.indices[i].first_low);
    CHECK(a.indices[i].total_high == b.indices[i].total_high);
    CHECK(a.indices[i].first_low <= a.indices[i].first_high);
  }
  const auto none = ishigami_estimate(256, 0);
  CHECK(std::isnan(none.indices[0].first_low));
  CHECK(none.indices[0].first == a.indices[0].first);
}

TEST_CASE("Sobol indices of simple models", "[sensitivity]") {
  // f = x1 only: S_1 = S_T1 = 1, the others 0 (exactly, since AB_2 and AB_3 leave f unchanged).
  const std::size_t N = 1024;
  const Registry registry = ishigami_registry();
  const auto design = make_design(ishigami_spec(N), registry, 1);
  std::vector<double> only_x1, constant;
  for (const auto& x : design) {
    only_x1.push_back(10 + x[0]);  // an offset must not matter
    constant.push_back(3.0);
  }
  const auto est = sobol_indices(only_x1, N, {"a", "b", "c"}, 100);
  CHECK(est.indices[0].total == Approx(1.0).margin(0.05));
  CHECK(est.indices[0].first == Approx(1.0).margin(0.05));
  CHECK(est.indices[1].first == 0.0);
  CHECK(est.indices[1].total == 0.0);
  CHECK(est.indices[2].total == 0.0);
  // A constant outcome has no variance to share out: NaN, not a division by zero.
  const auto flat = sobol_indices(constant, N, {"a", "b", "c"}, 10);
  CHECK(flat.variance == 0.0);
  CHECK(std::isnan(flat.indices[0].first));
  CHECK(std::isnan(flat.indices[0].total_high));
  // The outputs must have the Saltelli shape N * (k + 2).
  CHECK_THROWS_AS(sobol_indices(std::vector<double>(11), 2, {"a", "b", "c"}),
                  std::invalid_argument);
}

TEST_CASE("The sensitivity table ranks only when noise allows, and marks levers not told apart",
          "[sensitivity]") {
  asim::SensitivityReport r;
  r.outcome = "favourable_pct";
  r.points = 24;
  r.replicates = 10;
  r.estimate.base_samples = 4;
  r.estimate.variance = 1;
  // a and b overlap (0.30 <= 0.35), b and c do not (0.20 < 0.25).
  r.estimate.indices = {{"a", 0.4, 0.2, 0.6, 0.5, 0.30, 0.70},
                        {"b", 0.3, 0.1, 0.5, 0.3, 0.25, 0.35},
                        {"c", 0.1, 0.0, 0.2, 0.1, 0.05, 0.20}};
  r.noise_share = 0.2;
  r.rankable = true;
  const std::string ranked = asim::format_sensitivity_table(r);
  INFO(ranked);
  CHECK(ranked.find("CANNOT RANK") == std::string::npos);
  CHECK(ranked.find("the\n  lever that matters most first") != std::string::npos);
  const auto line_of = [&](const std::string& text, const std::string& lever) {
    const auto at = text.find("\n  " + lever + " ");
    return text.substr(at + 1, text.find('\n', at + 1) - at - 1);
  };
  CHECK(line_of(ranked, "a").find("~ next (CIs overlap)") != std::string::npos);
  CHECK(line_of(ranked, "b").find("~ next") == std::string::npos);
  CHECK(line_of(ranked, "c").find("~ next") == std::string::npos);

  r.noise_share = 0.6;
  r.rankable = false;
  r.replicates_needed = 135;
  const std::string noisy = asim::format_sensitivity_table(r);
  INFO(noisy);
  CHECK(noisy.find("CANNOT RANK THE LEVERS: replicate noise is 60% of the variance") !=
        std::string::npos);
  CHECK(noisy.find("About 135 replicates per point (now 10)") != std::string::npos);
  CHECK(noisy.find("lever that matters most") == std::string::npos);
  CHECK(noisy.find("~ next") == std::string::npos);

  // One replicate per point: the noise is unknown, so there is no ranking either.
  r.noise_share = std::nan("");
  r.replicates = 1;
  r.replicates_needed = 0;
  const std::string unknown = asim::format_sensitivity_table(r);
  INFO(unknown);
  CHECK(unknown.find("CANNOT RANK THE LEVERS: with one replicate per point the replicate noise is "
                     "unknown") != std::string::npos);
}
