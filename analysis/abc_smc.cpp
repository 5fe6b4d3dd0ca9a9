// ABC-SMC: see abc_smc.hpp.
#include "analysis/abc_smc.hpp"

#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "engine/rng.hpp"

namespace asim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kTwoPi = 6.283185307179586;
// Purposes of the Philox counter (the fourth word is the draw index).
constexpr std::uint32_t kPurposePrior = 1, kPurposeAncestor = 2, kPurposeKernel = 3,
                        kPurposeResample = 4;

// The attempt number of the simulations that re-score the previous generation's particles.
constexpr int kRescoreAttempt = 0x7fffffff;

// Tries at proposing a point inside the prior box before an attempt counts as failed.
constexpr int kMaxKernelTries = 1000;

double quantile_of(std::vector<double> x, double p) {
  x.erase(std::remove_if(x.begin(), x.end(), [](double v) { return !std::isfinite(v); }), x.end());
  if (x.empty()) return kInf;
  std::sort(x.begin(), x.end());
  const double h = p * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

// Weighted covariance of the particles (K x K, row-major) and its lower Cholesky factor of
// twice it, with a tiny ridge so that a degenerate generation still perturbs.
std::vector<double> kernel_cholesky(const AbcGeneration& g, const std::vector<AbcPrior>& priors) {
  const std::size_t K = priors.size(), N = g.theta.size();
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(K));
  for (std::size_t i = 0; i < N; ++i)
    for (std::size_t k = 0; k < K; ++k)
      mean(static_cast<Eigen::Index>(k)) += g.weight[i] * g.theta[i][k];
  Eigen::MatrixXd cov =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(K), static_cast<Eigen::Index>(K));
  double sum_w2 = 0;
  for (std::size_t i = 0; i < N; ++i) {
    Eigen::VectorXd d(static_cast<Eigen::Index>(K));
    for (std::size_t k = 0; k < K; ++k)
      d(static_cast<Eigen::Index>(k)) = g.theta[i][k] - mean(static_cast<Eigen::Index>(k));
    cov += g.weight[i] * d * d.transpose();
    sum_w2 += g.weight[i] * g.weight[i];
  }
  // Unbiased weighted covariance (reliability weights).
  if (sum_w2 < 1) cov /= (1 - sum_w2);
  cov *= 2.0;
  for (std::size_t k = 0; k < K; ++k) {
    const double range = priors[k].upper - priors[k].lower;
    cov(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)) += 1e-10 * range * range;
  }
  const Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() != Eigen::Success)
    throw std::runtime_error("ABC-SMC: kernel covariance is not positive definite");
  const Eigen::MatrixXd L = llt.matrixL();
  std::vector<double> out(K * K);
  for (std::size_t r = 0; r < K; ++r)
    for (std::size_t c = 0; c < K; ++c)
      out[r * K + c] = L(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
  return out;
}

// Log of sum_j W_j phi(theta; theta_j, L L') without the constant (it cancels in normalising).
double log_kernel_mixture(const std::vector<double>& theta, const AbcGeneration& previous,
                          const std::vector<double>& chol) {
  const std::size_t K = theta.size();
  std::vector<double> terms;
  terms.reserve(previous.theta.size());
  std::vector<double> y(K);
  for (std::size_t j = 0; j < previous.theta.size(); ++j) {
    if (previous.weight[j] <= 0) continue;
    // Solve L y = theta - theta_j by forward substitution.
    double q = 0;
    for (std::size_t r = 0; r < K; ++r) {
      double s = theta[r] - previous.theta[j][r];
      for (std::size_t c = 0; c < r; ++c) s -= chol[r * K + c] * y[c];
      y[r] = s / chol[r * K + r];
      q += y[r] * y[r];
    }
    terms.push_back(std::log(previous.weight[j]) - 0.5 * q);
  }
  const double m = *std::max_element(terms.begin(), terms.end());
  double s = 0;
  for (double t : terms) s += std::exp(t - m);
  return m + std::log(s);
}

}  // namespace

double AbcGeneration::ess() const {
  double s = 0, s2 = 0;
  for (double w : weight) s += w, s2 += w * w;
  return s2 > 0 ? s * s / s2 : 0.0;
}

AbcSmc::AbcSmc(std::vector<AbcPrior> priors, AbcSettings settings, AbcSimulator simulate,
               AbcDistance distance)
    : priors_(std::move(priors)),
      settings_(settings),
      simulate_(std::move(simulate)),
      distance_(std::move(distance)) {
  if (priors_.empty()) throw std::invalid_argument("ABC-SMC: no free parameter");
  for (const auto& p : priors_)
    if (!(p.lower < p.upper))
      throw std::invalid_argument("ABC-SMC: prior of " + p.name + " has lower >= upper");
  if (settings_.particles < 2) throw std::invalid_argument("ABC-SMC: particles < 2");
  if (settings_.generations < 1) throw std::invalid_argument("ABC-SMC: generations < 1");
  if (!(settings_.quantile > 0 && settings_.quantile <= 1))
    throw std::invalid_argument("ABC-SMC: quantile outside (0, 1]");
  if (!(settings_.min_acceptance > 0 && settings_.min_acceptance <= 1))
    throw std::invalid_argument("ABC-SMC: min_acceptance outside (0, 1]");
}

std::vector<double> AbcSmc::propose(const AbcGeneration& previous, const std::vector<double>& chol,
                                    const SimulationKey& key) const {
  const std::size_t K = priors_.size();
  const Rng rng(settings_.seed, static_cast<std::uint32_t>(key.generation));
  const auto slot = static_cast<std::uint32_t>(key.slot);
  const auto attempt = static_cast<std::uint32_t>(key.attempt);
  std::vector<double> theta(K);
  if (key.generation == 0) {
    StreamEngine e(rng, slot, attempt, kPurposePrior);
    for (std::size_t k = 0; k < K; ++k)
      theta[k] = priors_[k].lower + e.uniform() * (priors_[k].upper - priors_[k].lower);
    return theta;
  }
  // Ancestor by weight (inverse CDF of one uniform).
  const double u = rng.uniforms(slot, attempt, kPurposeAncestor)[0];
  double cum = 0;
  std::size_t ancestor = previous.weight.size() - 1;
  for (std::size_t j = 0; j < previous.weight.size(); ++j) {
    cum += previous.weight[j];
    if (u < cum) {
      ancestor = j;
      break;
    }
  }
  StreamEngine e(rng, slot, attempt, kPurposeKernel);
  std::vector<double> z(K);
  for (int tries = 0; tries < kMaxKernelTries; ++tries) {
    for (std::size_t k = 0; k < K; ++k) {  // Box-Muller
      const double u1 = e.uniform(), u2 = e.uniform();
      z[k] = std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
    }
    bool inside = true;
    for (std::size_t r = 0; r < K; ++r) {
      double s = previous.theta[ancestor][r];
      for (std::size_t c = 0; c <= r; ++c) s += chol[r * K + c] * z[c];
      theta[r] = s;
      inside = inside && s >= priors_[r].lower && s <= priors_[r].upper;
    }
    if (inside) return theta;
  }
  return {};  // no proposal inside the prior: this attempt fails
}

void AbcSmc::run_job(AbcJob& job) const {
  job.simulated = simulate_(job.theta, job.key);
  job.distance = distance_(job.simulated);
}

void AbcSmc::evaluate(std::vector<AbcJob>& jobs) const {
  if (evaluator_) {
    evaluator_(jobs);
    return;
  }
  tbb::parallel_for(std::size_t{0}, jobs.size(), std::size_t{1},
                    [&](std::size_t k) { run_job(jobs[k]); });
}

AbcSmc::Step AbcSmc::next_generation(const std::function<bool()>& stop,
                                     const std::function<void(int, long long)>& progress) {
  const int N = settings_.particles;
  const int t = static_cast<int>(generations_.size());
  AbcGeneration g;
  std::vector<double> chol;
  const AbcGeneration* previous = t > 0 ? &generations_.back() : nullptr;
  if (previous) {
    if (settings_.common_random_numbers) {
      if (stop && stop()) return Step::Stopped;
      std::vector<AbcJob> jobs(previous->theta.size());
      for (std::size_t i = 0; i < jobs.size(); ++i)
        jobs[i].theta = previous->theta[i], jobs[i].key = {t, static_cast<int>(i), kRescoreAttempt};
      evaluate(jobs);
      std::vector<double> rescored(jobs.size());
      for (std::size_t i = 0; i < jobs.size(); ++i) rescored[i] = jobs[i].distance;
      g.tolerance_simulations = static_cast<long long>(rescored.size());
      g.tolerance = quantile_of(rescored, settings_.quantile);
    } else {
      g.tolerance = quantile_of(previous->distance, settings_.quantile);
    }
    chol = kernel_cholesky(*previous, priors_);
  }
  g.theta.assign(static_cast<std::size_t>(N), {});
  g.distance.assign(static_cast<std::size_t>(N), kInf);
  g.simulated.assign(static_cast<std::size_t>(N), {});
  std::vector<char> filled(static_cast<std::size_t>(N), 0);
  const double budget = static_cast<double>(N) / settings_.min_acceptance;
  int accepted = 0;
  for (int round = 0; accepted < N; ++round) {
    if (stop && stop()) return Step::Stopped;
    if (static_cast<double>(g.simulations) >= budget) return Step::LowAcceptance;
    std::vector<int> open;
    for (int i = 0; i < N; ++i)
      if (!filled[static_cast<std::size_t>(i)]) open.push_back(i);
    // Proposals are cheap and made here, in order; the simulations go to the evaluator.
    std::vector<AbcJob> jobs;
    for (int i : open) {
      const SimulationKey key{t, i, round};
      auto theta = propose(previous ? *previous : g, chol, key);
      if (theta.empty()) continue;  // no proposal inside the prior: the attempt fails
      jobs.push_back(AbcJob{std::move(theta), key, {}, kInf});
    }
    evaluate(jobs);
    for (auto& job : jobs) {
      const double d = job.distance;
      if (d <= g.tolerance && std::isfinite(d)) {
        const auto s = static_cast<std::size_t>(job.key.slot);
        g.theta[s] = std::move(job.theta);
        g.simulated[s] = std::move(job.simulated);
        g.distance[s] = d;
        filled[s] = 1;
      }
    }
    g.simulations += static_cast<long long>(open.size());
    accepted = static_cast<int>(std::count(filled.begin(), filled.end(), 1));
    if (progress) progress(accepted, g.simulations);
  }
  // Importance weights.
  g.weight.assign(static_cast<std::size_t>(N), 1.0 / N);
  if (previous) {
    std::vector<double> logw(static_cast<std::size_t>(N));
    for (std::size_t i = 0; i < logw.size(); ++i)
      logw[i] = -log_kernel_mixture(g.theta[i], *previous, chol);
    const double m = *std::max_element(logw.begin(), logw.end());
    double s = 0;
    for (std::size_t i = 0; i < logw.size(); ++i) s += (g.weight[i] = std::exp(logw[i] - m));
    for (double& w : g.weight) w /= s;
  }
  generations_.push_back(std::move(g));
  return Step::Added;
}

AbcSmc::Step AbcSmc::run(const std::function<bool()>& stop,
                         const std::function<void(int, long long)>& progress,
                         const std::function<void(const AbcGeneration&)>& generation_done) {
  while (!complete()) {
    const Step s = next_generation(stop, progress);
    if (s != Step::Added) return s;
    if (generation_done) generation_done(generations_.back());
  }
  return Step::Added;
}

double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double p) {
  std::vector<std::size_t> order(values.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  double cum = 0;
  for (std::size_t i : order) {
    cum += weights[i];
    if (cum >= p * total) return values[i];
  }
  return order.empty() ? std::numeric_limits<double>::quiet_NaN() : values[order.back()];
}

WeightedSummary weighted_summary(const std::vector<double>& values,
                                 const std::vector<double>& weights) {
  WeightedSummary s;
  double total = 0, mean = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    total += weights[i], mean += weights[i] * values[i];
  mean /= total;
  double var = 0;
  for (std::size_t i = 0; i < values.size(); ++i)
    var += weights[i] * (values[i] - mean) * (values[i] - mean);
  s.mean = mean;
  s.sd = std::sqrt(var / total);
  s.q025 = weighted_quantile(values, weights, 0.025);
  s.q50 = weighted_quantile(values, weights, 0.5);
  s.q975 = weighted_quantile(values, weights, 0.975);
  return s;
}

std::vector<int> resample_particles(const std::vector<double>& weights, int draws,
                                    std::uint32_t seed) {
  const Rng rng(seed, 0);
  const double u = rng.uniforms(0, 0, kPurposeResample)[0];
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(draws));
  double cum = weights.empty() ? 0 : weights[0] / total;
  std::size_t j = 0;
  for (int k = 0; k < draws; ++k) {
    const double point = (static_cast<double>(k) + u) / draws;
    while (point > cum && j + 1 < weights.size()) cum += weights[++j] / total;
    out.push_back(static_cast<int>(j));
  }
  return out;
}

}  // namespace asim
