// ABC-SMC (analysis/abc_smc.hpp) tested as the method literature tests it: on a model with a
// known posterior, for determinism across threads, and its weighted summaries and resampling on
// hand-computed cases.
#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/abc_smc.hpp"
#include "engine/rng.hpp"

namespace {

// Normal mean with known variance: y_1..y_n ~ N(theta, 1), n = 4, observed mean 1.0, flat prior
// on [-5, 5]. The posterior is N(1.0, 1/n) (sd 0.5; the truncation at +-5 is 8 sd away). The
// summary statistic is the sample mean, simulated as theta + N(0, 1/sqrt(n)) with noise keyed
// by (generation, slot, attempt): independent simulations, as the method assumes.
constexpr double kObserved = 1.0, kPosteriorSd = 0.5;

asim::AbcSimulator normal_mean_simulator() {
  return [](const std::vector<double>& theta, const asim::SimulationKey& key) {
    const asim::Rng rng(777, static_cast<std::uint32_t>(key.generation));
    const auto u = rng.uniforms(static_cast<std::uint32_t>(key.slot),
                                static_cast<std::uint32_t>(key.attempt), 9);
    const double z = std::sqrt(-2.0 * std::log(u[0])) * std::cos(6.283185307179586 * u[1]);
    return std::vector<double>{theta[0] + kPosteriorSd * z};
  };
}

asim::AbcDistance normal_mean_distance() {
  return [](const std::vector<double>& s) { return (s[0] - kObserved) * (s[0] - kObserved); };
}

}  // namespace

TEST_CASE("ABC-SMC recovers a known normal posterior", "[calibration]") {
  asim::AbcSettings settings;
  settings.particles = 1000;
  settings.generations = 9;
  settings.quantile = 0.5;
  settings.min_acceptance = 0.01;
  settings.seed = 42;
  asim::AbcSmc abc({{"theta", -5, 5}}, settings, normal_mean_simulator(), normal_mean_distance());
  REQUIRE(abc.run([] { return false; }) == asim::AbcSmc::Step::Added);
  REQUIRE(abc.generations().size() == 9);
  const auto& last = abc.generations().back();
  std::vector<double> theta;
  for (const auto& t : last.theta) theta.push_back(t[0]);
  const auto s = asim::weighted_summary(theta, last.weight);
  const double h = std::sqrt(last.tolerance);  // accepted |s - y| <= h
  WARN("posterior mean " << s.mean << ", sd " << s.sd << " (exact 1.0, 0.5); final |s - y| <= " << h
                         << ", ESS " << last.ess());
  // The ABC posterior is the exact one convolved with the acceptance window; by the last
  // generation the window adds under 1 % to the variance (h^2/3 < 0.0025 against 0.25).
  CHECK(h < 0.1);
  // Stated tolerance: mean within 0.06 (about 3 Monte Carlo SE of 0.5/sqrt(ESS ~ 500)), sd
  // within 10 %, and the 95 % interval within 0.12 of 1.0 -+ 0.98.
  CHECK(s.mean == Approx(kObserved).margin(0.06));
  CHECK(s.sd == Approx(kPosteriorSd).epsilon(0.10));
  CHECK(s.q025 == Approx(kObserved - 1.959964 * kPosteriorSd).margin(0.12));
  CHECK(s.q975 == Approx(kObserved + 1.959964 * kPosteriorSd).margin(0.12));
  // The schedule tightens, every generation's weights sum to 1, ESS is reported and positive.
  for (std::size_t g = 1; g < abc.generations().size(); ++g) {
    const auto& gen = abc.generations()[g];
    CHECK(gen.tolerance < abc.generations()[g - 1].tolerance);
    double sum = 0;
    for (double w : gen.weight) sum += w;
    CHECK(sum == Approx(1.0));
    CHECK(gen.ess() > 100);
    CHECK(gen.ess() <= 1000.0 + 1e-9);
    CHECK(gen.simulations >= 1000);
  }
}

TEST_CASE("ABC-SMC recovers a known beta posterior of a binomial rate", "[calibration]") {
  // 6 successes in 20 trials, uniform prior: the posterior is Beta(7, 15), mean 7/22, sd
  // sqrt(7 * 15 / (22^2 * 23)). Once the tolerance reaches 0 only exact matches are accepted, and
  // ABC's posterior is the exact one.
  constexpr int kTrials = 20, kSuccesses = 6;
  asim::AbcSettings settings;
  settings.particles = 1000;
  settings.generations = 6;
  settings.quantile = 0.3;  // the median of integer distances can stay at 1
  settings.min_acceptance = 0.01;
  settings.seed = 9;
  asim::AbcSmc abc(
      {{"rate", 0, 1}}, settings,
      [](const std::vector<double>& theta, const asim::SimulationKey& key) {
        const asim::Rng rng(31, static_cast<std::uint32_t>(key.generation));
        asim::StreamEngine e(rng, static_cast<std::uint32_t>(key.slot),
                             static_cast<std::uint32_t>(key.attempt), 5);
        int y = 0;
        for (int i = 0; i < kTrials; ++i) y += e.uniform() < theta[0];
        return std::vector<double>{static_cast<double>(y)};
      },
      [](const std::vector<double>& s) { return (s[0] - kSuccesses) * (s[0] - kSuccesses); });
  REQUIRE(abc.run([] { return false; }) == asim::AbcSmc::Step::Added);
  const auto& last = abc.generations().back();
  CHECK(last.tolerance == 0);
  std::vector<double> rate;
  for (const auto& t : last.theta) rate.push_back(t[0]);
  const auto s = asim::weighted_summary(rate, last.weight);
  const double mean = 7.0 / 22, sd = std::sqrt(7.0 * 15 / (22.0 * 22 * 23));
  WARN("rate: posterior mean " << s.mean << ", sd " << s.sd << " (exact " << mean << ", " << sd
                               << "), ESS " << last.ess());
  // Stated tolerance: mean within 0.02 (about 3 Monte Carlo SE), sd within 10 %.
  CHECK(s.mean == Approx(mean).margin(0.02));
  CHECK(s.sd == Approx(sd).epsilon(0.10));
}

TEST_CASE("ABC-SMC gives the same particles on 1 and 2 threads", "[calibration]") {
  asim::AbcSettings settings;
  settings.particles = 200;
  settings.generations = 4;
  settings.seed = 5;
  auto run = [&](int threads) {
    tbb::task_arena arena(threads);
    asim::AbcSmc abc(
        {{"theta", -5, 5}, {"nuisance", 0, 1}}, settings,
        [](const std::vector<double>& theta, const asim::SimulationKey& key) {
          auto s = normal_mean_simulator()(theta, key);
          s.push_back(theta[1]);
          return s;
        },
        normal_mean_distance());
    arena.execute([&] { abc.run([] { return false; }); });
    return abc.generations();
  };
  const auto a = run(1), b = run(2);
  REQUIRE(a.size() == b.size());
  for (std::size_t g = 0; g < a.size(); ++g) {
    CHECK(a[g].theta == b[g].theta);
    CHECK(a[g].weight == b[g].weight);
    CHECK(a[g].distance == b[g].distance);
    CHECK(a[g].simulations == b[g].simulations);
  }
}

TEST_CASE("ABC-SMC stops when a generation accepts too few simulations", "[calibration]") {
  asim::AbcSettings settings;
  settings.particles = 50;
  settings.generations = 30;
  settings.min_acceptance = 0.2;
  asim::AbcSmc abc({{"theta", -5, 5}}, settings, normal_mean_simulator(), normal_mean_distance());
  const auto step = abc.run([] { return false; });
  CHECK(step == asim::AbcSmc::Step::LowAcceptance);
  CHECK(abc.generations().size() < 30);
  CHECK(abc.generations().size() >= 2);
  // And a stop request abandons the generation under way.
  asim::AbcSmc stopped({{"theta", -5, 5}}, settings, normal_mean_simulator(),
                       normal_mean_distance());
  CHECK(stopped.run([] { return true; }) == asim::AbcSmc::Step::Stopped);
  CHECK(stopped.generations().empty());
}

TEST_CASE("weighted summaries and resampling", "[calibration]") {
  const std::vector<double> v{1, 2, 3, 4}, w{0.1, 0.2, 0.3, 0.4};
  const auto s = asim::weighted_summary(v, w);
  CHECK(s.mean == Approx(3.0));
  CHECK(s.sd == Approx(1.0));                      // E[x^2] = 10, mean^2 = 9
  CHECK(asim::weighted_quantile(v, w, 0.5) == 3);  // cumulative 0.1, 0.3, 0.6
  CHECK(asim::weighted_quantile(v, w, 0.05) == 1);
  CHECK(asim::weighted_quantile(v, w, 0.975) == 4);
  const auto draws = asim::resample_particles(w, 10, 3);
  REQUIRE(draws.size() == 10);
  int counts[4] = {};
  for (int d : draws) ++counts[d];
  CHECK(counts[0] == 1);  // systematic resampling: each drawn draws * weight times, +-1
  CHECK(counts[1] == 2);
  CHECK(counts[2] == 3);
  CHECK(counts[3] == 4);
  CHECK(asim::resample_particles(w, 10, 3) == draws);
}
