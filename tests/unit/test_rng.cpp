// Counter-based random streams: reproducible, distinct per counter and key, uniform.
#include <boost/random/normal_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

#include "engine/philox_batch.hpp"
#include "engine/rng.hpp"

using asim::Rng;
using asim::StreamEngine;

TEST_CASE("a draw is a pure function of key and counter", "[rng]") {
  const Rng a(42, 3), b(42, 3);
  CHECK(a.words(7, 100, 2, 0) == b.words(7, 100, 2, 0));
  CHECK(a.uniforms(7, 100, 2) == b.uniforms(7, 100, 2));
}

TEST_CASE("different seeds, replicates, entities, days and purposes give different words",
          "[rng]") {
  const Rng base(42, 3);
  const auto w = base.words(7, 100, 2, 0);
  CHECK(Rng(43, 3).words(7, 100, 2, 0) != w);
  CHECK(Rng(42, 4).words(7, 100, 2, 0) != w);
  CHECK(base.words(8, 100, 2, 0) != w);
  CHECK(base.words(7, 101, 2, 0) != w);
  CHECK(base.words(7, 100, 3, 0) != w);
  CHECK(base.words(7, 100, 2, 1) != w);
}

TEST_CASE("uniforms lie in (0, 1) with mean 1/2 and variance 1/12", "[rng]") {
  const Rng rng(1, 0);
  double sum = 0, sumsq = 0;
  const int n = 200000;  // 4 words per call -> 800k uniforms
  for (int i = 0; i < n; ++i)
    for (double u : rng.uniforms(static_cast<std::uint32_t>(i), 0, 1)) {
      REQUIRE(u > 0.0);
      REQUIRE(u < 1.0);
      sum += u;
      sumsq += u * u;
    }
  const double m = sum / (4.0 * n), var = sumsq / (4.0 * n) - m * m;
  // Standard error of the mean is sqrt(1/12/800000) = 3.2e-4; 5 SE keeps this from flaking.
  CHECK(std::abs(m - 0.5) < 1.6e-3);
  CHECK(std::abs(var - 1.0 / 12.0) < 1e-3);
}

TEST_CASE("neighbouring streams are uncorrelated", "[rng]") {
  const Rng rng(9, 0);
  const int n = 100000;
  double sxy = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.uniforms(static_cast<std::uint32_t>(i), 5, 2)[0];
    const double y = rng.uniforms(static_cast<std::uint32_t>(i + 1), 5, 2)[0];
    sx += x;
    sy += y;
    sxy += x * y;
    sxx += x * x;
    syy += y * y;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double r =
      cov / std::sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
  CHECK(std::abs(r) < 0.015);  // SE of r is 1/sqrt(n) = 0.0032; 4.7 SE
}

TEST_CASE("StreamEngine feeds Boost.Random distributions reproducibly", "[rng]") {
  const Rng rng(5, 1);
  StreamEngine e1(rng, 10, 20, 3), e2(rng, 10, 20, 3);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  std::set<double> seen;
  double sum = 0, sumsq = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double a = normal(e1), b = normal(e2);
    REQUIRE(a == b);
    sum += a;
    sumsq += a * a;
    if (i < 100) seen.insert(a);
  }
  CHECK(seen.size() == 100);                // consecutive draws walk the counter
  CHECK(std::abs(sum / n) < 0.02);          // SE 0.0032
  CHECK(std::abs(sumsq / n - 1.0) < 0.03);  // SE of variance about 0.0045
}

// engine/philox_batch.hpp: every instruction set this processor has gives exactly the words of
// Rng::uniforms, for batch lengths around the vector widths (8 and 16), tails included.
TEST_CASE("batched Philox equals Rng::uniforms bit for bit on every instruction set", "[rng]") {
  using asim::SimdLevel;
  const Rng rng(20261202u, 17u);
  std::vector<std::uint32_t> c0, c1;
  for (std::uint32_t i = 0; i < 41; ++i) {
    c0.push_back(i * 2654435761u);
    c1.push_back(0xFFFFFFFFu - i * 40503u);  // high bits set: the unsigned conversion matters
  }
  c0[3] = 0;
  c1[3] = 0;
  INFO("this processor: " << asim::simd_level_name(asim::simd_level()));
  for (SimdLevel level : {SimdLevel::kScalar, SimdLevel::kAvx2, SimdLevel::kAvx512}) {
    for (std::size_t n : {0u, 1u, 7u, 8u, 9u, 15u, 16u, 17u, 41u}) {
      INFO("level " << asim::simd_level_name(level) << ", n = " << n);
      std::vector<double> u[4];
      for (auto& v : u) v.assign(n + 1, -1.0);  // one past the end must stay untouched
      asim::philox_uniforms(level, rng.key(), c0.data(), c1.data(), 5u, 9u, n, u[0].data(),
                            u[1].data(), u[2].data(), u[3].data());
      for (std::size_t i = 0; i < n; ++i) {
        const auto want = rng.uniforms(c0[i], c1[i], 5u, 9u);
        for (int k = 0; k < 4; ++k) REQUIRE(u[k][i] == want[static_cast<std::size_t>(k)]);
      }
      for (const auto& v : u) CHECK(v[n] == -1.0);
    }
  }
}
