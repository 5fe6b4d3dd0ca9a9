// Counter-based random streams: reproducible, distinct per counter and key, uniform.
#include <boost/random/normal_distribution.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "engine/rng.hpp"

using asim::Rng;
using asim::StreamEngine;

TEST_CASE("a draw is a pure function of key and counter", "[rng]") {
  const Rng a(42, 3), b(42, 3);
  CHECK(a.words(7, 100, 2, 0) == b.words(7, 100, 2, 0));
  CHECK(a.uniforms(7, 100, 2) == b.uniforms(7, 100, 2));
}

TEST_CASE("different seeds, replicates, entities, days and purposes give different words", "[rng]") {
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
    sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
  }
  const double cov = sxy / n - (sx / n) * (sy / n);
  const double r = cov / std::sqrt((sxx / n - (sx / n) * (sx / n)) * (syy / n - (sy / n) * (sy / n)));
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
  CHECK(seen.size() == 100);  // consecutive draws walk the counter
  CHECK(std::abs(sum / n) < 0.02);          // SE 0.0032
  CHECK(std::abs(sumsq / n - 1.0) < 0.03);  // SE of variance about 0.0045
}
