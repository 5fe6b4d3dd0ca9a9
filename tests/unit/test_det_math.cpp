// engine/det_math.hpp: the model's exp and log are accurate, and a loop the compiler vectorises
// (for whichever instruction set this build picked) gives the same bits as one call at a time.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/det_math.hpp"
#include "engine/rng.hpp"
#include "models/processes.hpp"  // ASIM_VECTOR_CLONES

namespace {

// Distance in units in the last place between a double and a long double reference.
double ulps(double got, long double want) {
  const double w = static_cast<double>(want);
  if (got == w) return 0;
  const double ulp = std::nextafter(std::fabs(w), INFINITY) - std::fabs(w);
  return static_cast<double>(std::fabs(static_cast<long double>(got) - want) / ulp);
}

// Deterministic inputs spread over [lo, hi].
std::vector<double> spread(double lo, double hi, int n) {
  std::vector<double> x(static_cast<std::size_t>(n));
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  for (auto& v : x) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    v = lo + (hi - lo) * static_cast<double>(s >> 11) * 0x1p-53;
  }
  return x;
}

// Kept out of line so that the loops below are compiled (and vectorised) as loops, in the same
// instruction-set clones as the model's kernels (models/processes.hpp ASIM_VECTOR_CLONES): the
// one this processor runs is compared with single calls.
ASIM_VECTOR_CLONES __attribute__((noinline)) void exp_all(const double* x, double* y, int n) {
  for (int i = 0; i < n; ++i) y[i] = asim::model_exp(x[i]);
}

}  // namespace

TEST_CASE("model_exp is within 2 ulp of exp over the model's range", "[det_math]") {
  double worst = 0;
  for (double x : spread(-700, 700, 200000))
    worst = std::max(worst, ulps(asim::model_exp(x), expl(x)));
  for (double x : spread(-1, 1, 200000)) worst = std::max(worst, ulps(asim::model_exp(x), expl(x)));
  CHECK(worst <= 2.0);
  CHECK(asim::model_exp(0.0) == 1.0);
  CHECK(asim::model_exp(1.0) == Approx(2.718281828459045).epsilon(1e-15));
  CHECK(asim::model_exp(-800.0) == asim::model_exp(-708.0));  // clamped, finite, positive
  CHECK(asim::model_exp(-800.0) > 0.0);
  CHECK(std::isfinite(asim::model_exp(800.0)));
  CHECK(std::isnan(asim::model_exp(std::nan(""))));
}

TEST_CASE("model_log_unit gives model_log's bits for every uniform", "[det_math]") {
  // The uniforms of Rng::to_unit: (w + 0.5) 2^-32 for 32-bit words w, the extremes included.
  for (const std::uint32_t w :
       {0u, 1u, 2u, 0x7fffffffu, 0x80000000u, 0xb504f333u, 0xb504f334u, 0xfffffffeu, 0xffffffffu}) {
    const double u = asim::Rng::to_unit(w);
    CHECK(std::bit_cast<std::uint64_t>(asim::model_log_unit(u)) ==
          std::bit_cast<std::uint64_t>(asim::model_log(u)));
  }
  std::mt19937_64 gen(7);
  int differ = 0;
  for (int i = 0; i < 200000; ++i) {
    const double u = asim::Rng::to_unit(static_cast<std::uint32_t>(gen()));
    differ += asim::model_log_unit(u) != asim::model_log(u);
  }
  CHECK(differ == 0);
}

TEST_CASE("model_log is within 2 ulp of log and inverts model_exp", "[det_math]") {
  double worst = 0;
  for (double e : spread(-300, 300, 100000)) {  // log-uniform over 1e-300 .. 1e300
    const double x = std::pow(10.0, e);
    worst = std::max(worst, ulps(asim::model_log(x), logl(x)));
  }
  for (double x : spread(1e-9, 1.0, 200000))
    worst = std::max(worst, ulps(asim::model_log(x), logl(x)));
  for (double x : spread(0.5, 2.0, 200000))
    worst = std::max(worst, ulps(asim::model_log(x), logl(x)));
  CHECK(worst <= 2.0);
  CHECK(asim::model_log(1.0) == 0.0);
  CHECK(asim::model_log(asim::model_exp(3.0)) == Approx(3.0).epsilon(1e-15));
  CHECK(asim::model_log(0x1p-1060) == Approx(-1060 * std::log(2.0)).epsilon(1e-14));  // subnormal
  CHECK(std::isinf(asim::model_log(0.0)));
  CHECK(std::isnan(asim::model_log(-1.0)));
}

TEST_CASE("model_exp gives the same bits in a vectorised loop as call by call", "[det_math]") {
  const auto x = spread(-50, 50, 4099);
  std::vector<double> y(x.size());
  exp_all(x.data(), y.data(), static_cast<int>(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i) {
    volatile double xi = x[i];  // one call, not part of any vector loop
    REQUIRE(y[i] == asim::model_exp(xi));
  }
}
