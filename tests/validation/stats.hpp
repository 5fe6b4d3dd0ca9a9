// Small statistics toolkit for the stylized-fact validation tests (tests/validation/test_*.cpp):
// additive accumulators (moments, bivariate moments, OLS normal equations) that a replicate sink
// fills without keeping any ReplicateResult, the delete-one-replicate jackknife for standard
// errors that respect the clustering of youths within a replicate (shared groups, mentors and
// climate), paired replicate differences for common-random-number comparisons, and logistic
// regression with a likelihood-ratio test. At the end, a helper that runs a scenario (the
// built-in baseline plus "key=value" overrides, its fixed run.seed) replicate by replicate.
#pragma once
#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "models/model_params.hpp"
#include "models/scenarios.hpp"
#include "models/simulation.hpp"

namespace asim::vstats {

// A point estimate with its standard error.
struct Estimate {
  double value = 0, se = 0;
  double lower(double z) const { return value - z * se; }
  double upper(double z) const { return value + z * se; }
};

// --- accumulators: add values, combine with += and -= (for leaving one replicate out) ---------

// One variable: count, sum, sum of squares.
struct Moments {
  double n = 0, sum = 0, sumsq = 0;
  void add(double x) {
    n += 1;
    sum += x;
    sumsq += x * x;
  }
  void add_if(double x) {  // skips NaN (not measured)
    if (!std::isnan(x)) add(x);
  }
  Moments& operator+=(const Moments& o) {
    n += o.n, sum += o.sum, sumsq += o.sumsq;
    return *this;
  }
  Moments& operator-=(const Moments& o) {
    n -= o.n, sum -= o.sum, sumsq -= o.sumsq;
    return *this;
  }
  double mean() const { return sum / n; }
  double var() const { return (sumsq - sum * sum / n) / (n - 1); }
  double sd() const { return std::sqrt(var()); }
};

// Two variables: what a Pearson correlation needs.
struct Bivariate {
  double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  void add(double x, double y) {
    n += 1, sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
  }
  void add_if(double x, double y) {  // only pairs where both were measured
    if (!std::isnan(x) && !std::isnan(y)) add(x, y);
  }
  Bivariate& operator+=(const Bivariate& o) {
    n += o.n, sx += o.sx, sy += o.sy, sxx += o.sxx, syy += o.syy, sxy += o.sxy;
    return *this;
  }
  Bivariate& operator-=(const Bivariate& o) {
    n -= o.n, sx -= o.sx, sy -= o.sy, sxx -= o.sxx, syy -= o.syy, sxy -= o.sxy;
    return *this;
  }
  double r() const {
    const double cxy = sxy - sx * sy / n, cxx = sxx - sx * sx / n, cyy = syy - sy * sy / n;
    return cxy / std::sqrt(cxx * cyy);
  }
};

// Ordinary least squares y = b0 + sum_j b_j x_j through the normal equations: only X'X, X'y,
// y'y and n are kept, so rows can be added one by one and accumulators summed or subtracted.
class Ols {
 public:
  explicit Ols(int predictors = 1)
      : xtx_(Eigen::MatrixXd::Zero(predictors + 1, predictors + 1)),
        xty_(Eigen::VectorXd::Zero(predictors + 1)) {}
  int predictors() const { return static_cast<int>(xty_.size()) - 1; }
  double n() const { return n_; }

  void add(double y, std::initializer_list<double> x) {
    Eigen::VectorXd row(xty_.size());
    row(0) = 1.0;
    Eigen::Index j = 1;
    for (double v : x) row(j++) = v;
    xtx_.noalias() += row * row.transpose();
    xty_ += y * row;
    yty_ += y * y;
    n_ += 1;
  }
  Ols& operator+=(const Ols& o) {
    xtx_ += o.xtx_, xty_ += o.xty_, yty_ += o.yty_, n_ += o.n_;
    return *this;
  }
  Ols& operator-=(const Ols& o) {
    xtx_ -= o.xtx_, xty_ -= o.xty_, yty_ -= o.yty_, n_ -= o.n_;
    return *this;
  }

  struct Fit {
    Eigen::VectorXd b, se;          // raw coefficients, [0] the intercept
    Eigen::VectorXd beta, beta_se;  // standardised coefficients of the predictors, [j-1] for x_j
  };
  Fit fit() const {
    const Eigen::Index k = xty_.size();
    Fit f;
    const Eigen::MatrixXd inv = xtx_.ldlt().solve(Eigen::MatrixXd::Identity(k, k));
    f.b = inv * xty_;
    const double rss = yty_ - f.b.dot(xty_);
    const double s2 = rss / (n_ - static_cast<double>(k));
    f.se = (s2 * inv.diagonal()).cwiseSqrt();
    // Standardising y and every x_j (sample SDs) scales b_j and its SE by sd(x_j) / sd(y):
    // the same numbers as OLS on z-scores, with the same degrees of freedom.
    const double sd_y = std::sqrt((yty_ - xty_(0) * xty_(0) / n_) / (n_ - 1));
    f.beta.resize(k - 1);
    f.beta_se.resize(k - 1);
    for (Eigen::Index j = 1; j < k; ++j) {
      const double sd_x = std::sqrt((xtx_(j, j) - xtx_(0, j) * xtx_(0, j) / n_) / (n_ - 1));
      f.beta(j - 1) = f.b(j) * sd_x / sd_y;
      f.beta_se(j - 1) = f.se(j) * sd_x / sd_y;
    }
    return f;
  }

 private:
  Eigen::MatrixXd xtx_;
  Eigen::VectorXd xty_;
  double yty_ = 0, n_ = 0;
};

// --- standard errors over replicates ----------------------------------------------------------

// Per-replicate accumulators and their total. `without(r)` is the total over every replicate but
// r (r < 0: all of them), the input of a delete-one jackknife.
template <class Part>
struct PerReplicate {
  std::vector<Part> parts;
  Part total;
  PerReplicate(int replicates, const Part& zero)
      : parts(static_cast<std::size_t>(replicates), zero), total(zero) {}
  Part& operator[](int r) { return parts[static_cast<std::size_t>(r)]; }
  void close() {  // call once after the run: sums the parts
    for (const Part& p : parts) total += p;
  }
  Part without(int r) const {
    Part t = total;
    if (r >= 0) t -= parts[static_cast<std::size_t>(r)];
    return t;
  }
  int replicates() const { return static_cast<int>(parts.size()); }
};

// Delete-one-replicate jackknife. `stat(r)` computes the statistic without replicate r, and with
// every replicate for r = -1. Replicates are independent while youths within one share groups,
// mentors and climate, so this standard error is honest where a per-youth formula is too small.
template <class Stat>
Estimate jackknife(int replicates, Stat stat) {
  const double full = stat(-1);
  std::vector<double> loo(static_cast<std::size_t>(replicates));
  double mean = 0;
  for (int r = 0; r < replicates; ++r) mean += (loo[static_cast<std::size_t>(r)] = stat(r));
  mean /= replicates;
  double ss = 0;
  for (double v : loo) ss += (v - mean) * (v - mean);
  return {full, std::sqrt((replicates - 1.0) / replicates * ss)};
}

// Mean and t-based confidence interval of paired replicate differences b[r] - a[r] (the same
// seed and replicate index: common random numbers).
struct PairedDifference {
  double mean = 0, se = 0, half = 0;  // half-width of the confidence interval
  double lower() const { return mean - half; }
  double upper() const { return mean + half; }
};
inline PairedDifference paired_difference(const std::vector<double>& a,
                                          const std::vector<double>& b, double level = 0.95) {
  const std::size_t n = a.size();
  Moments m;
  for (std::size_t i = 0; i < n; ++i) m.add(b[i] - a[i]);
  const boost::math::students_t t(static_cast<double>(n) - 1);
  PairedDifference d;
  d.mean = m.mean();
  d.se = m.var() > 0 ? std::sqrt(m.var() / static_cast<double>(n)) : 0.0;
  d.half = boost::math::quantile(t, 0.5 + level / 2) * d.se;
  return d;
}

// --- logistic regression ----------------------------------------------------------------------

struct LogitFit {
  Eigen::VectorXd b, se;  // [0] the intercept
  double loglik = 0;
};
// Maximum likelihood by Newton-Raphson (IRLS). `columns` are the predictors, each as long as y.
inline LogitFit logistic_regression(const std::vector<const std::vector<double>*>& columns,
                                    const std::vector<double>& y) {
  const auto n = static_cast<Eigen::Index>(y.size());
  const auto k = static_cast<Eigen::Index>(columns.size()) + 1;
  Eigen::MatrixXd X(n, k);
  X.col(0).setOnes();
  for (Eigen::Index j = 1; j < k; ++j)
    X.col(j) =
        Eigen::Map<const Eigen::VectorXd>(columns[static_cast<std::size_t>(j - 1)]->data(), n);
  const Eigen::VectorXd Y = Eigen::Map<const Eigen::VectorXd>(y.data(), n);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  auto sigmoid = [](const Eigen::VectorXd& eta) -> Eigen::VectorXd {
    return eta.unaryExpr([](double e) { return 1.0 / (1.0 + std::exp(-e)); });
  };
  Eigen::MatrixXd info(k, k);
  for (int it = 0; it < 50; ++it) {
    const Eigen::VectorXd p = sigmoid(X * b);
    const Eigen::VectorXd w = p.array() * (1.0 - p.array());
    info = X.transpose() * w.asDiagonal() * X;
    const Eigen::VectorXd step = info.ldlt().solve(X.transpose() * (Y - p));
    b += step;
    if (step.cwiseAbs().maxCoeff() < 1e-10) break;
  }
  LogitFit f;
  f.b = b;
  const Eigen::VectorXd eta = X * b;
  const Eigen::VectorXd p = sigmoid(eta);
  const Eigen::VectorXd w = p.array() * (1.0 - p.array());
  info = X.transpose() * w.asDiagonal() * X;
  f.se = info.ldlt().solve(Eigen::MatrixXd::Identity(k, k)).diagonal().cwiseSqrt();
  for (Eigen::Index i = 0; i < n; ++i)
    f.loglik += Y(i) * std::log(p(i)) + (1.0 - Y(i)) * std::log1p(-p(i));
  return f;
}

// Likelihood-ratio test of nested logistic models: chi-square statistic and its p-value.
struct LikelihoodRatio {
  double chi2 = 0, p = 1;
};
inline LikelihoodRatio likelihood_ratio(const LogitFit& reduced, const LogitFit& full) {
  LikelihoodRatio lr;
  lr.chi2 = 2.0 * (full.loglik - reduced.loglik);
  const double df = static_cast<double>(full.b.size() - reduced.b.size());
  lr.p = boost::math::cdf(
      boost::math::complement(boost::math::chi_squared(df), std::max(0.0, lr.chi2)));
  return lr;
}

// --- running a scenario -----------------------------------------------------------------------

// The built-in baseline scenario (its fixed run.seed) with "key=value" overrides.
inline Model scenario_model(const std::vector<std::string>& overrides) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const auto& o : overrides) loader.apply_override(s, o);
  return Model(make_model_params(s.values));
}

// Runs replicates 0..replicates-1 in parallel and hands each result to `sink` in replicate order
// (serially). The sink must not throw or assert: it collects, the test asserts afterwards.
template <class Sink>
void for_each_replicate(const std::vector<std::string>& overrides, int replicates, Sink&& sink,
                        const RunOptions& options = {}) {
  const Model model = scenario_model(overrides);
  run_replicates(model, options, 0, replicates,
                 [&sink](ReplicateResult&& r) { sink(static_cast<const ReplicateResult&>(r)); },
                 {});
}

// A cohort member's value of a wave measure (NaN when not measured).
inline double wave_value(const ReplicateResult& r, WaveMeasure m, int youth, int wave) {
  return r.wave_values[m][static_cast<std::size_t>(youth * r.waves + wave)];
}

}  // namespace asim::vstats
