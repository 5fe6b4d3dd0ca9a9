// Statistics for the analyses of result files (see statistics.hpp for the conventions).
#include "analysis/statistics.hpp"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/compare.hpp"

namespace asim::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Complete pairs of (x, y).
void complete_pairs(std::span<const double> x, std::span<const double> y, std::vector<double>& xs,
                    std::vector<double>& ys) {
  if (x.size() != y.size()) throw StatsError("correlation: the two variables differ in length");
  xs.clear();
  ys.clear();
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i]) && !std::isnan(y[i])) {
      xs.push_back(x[i]);
      ys.push_back(y[i]);
    }
}

// Pearson's r of complete data (no NaN); NaN when a variable is constant or n < 3.
double pearson_r(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  if (n < 3) return kNaN;
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / static_cast<double>(n);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (!(sxx > 0) || !(syy > 0)) return kNaN;
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

Correlation finish_correlation(double r, long n, double fisher_variance_numerator) {
  Correlation c;
  c.n = n;
  c.r = r;
  c.ci_low = c.ci_high = c.p = kNaN;
  if (std::isnan(r)) return c;
  if (std::abs(r) >= 1.0) {
    c.ci_low = c.ci_high = r;
    c.p = 0;
    return c;
  }
  if (n > 3) {
    const double z = std::atanh(r);
    const double half = kZ975 * std::sqrt(fisher_variance_numerator / static_cast<double>(n - 3));
    c.ci_low = std::tanh(z - half);
    c.ci_high = std::tanh(z + half);
  }
  const double df = static_cast<double>(n - 2);
  c.p = two_sided_p(r * std::sqrt(df / (1 - r * r)), df);
  return c;
}

// (X'X)^-1 from a column-pivoted QR of X (full column rank checked by the caller):
// X P = Q R, so X'X = P R'R P' and (X'X)^-1 = P R^-1 R^-T P'.
Eigen::MatrixXd inverse_cross_product(const Eigen::ColPivHouseholderQR<Eigen::MatrixXd>& qr) {
  const Eigen::Index k = qr.cols();
  const Eigen::MatrixXd r = qr.matrixR().topLeftCorner(k, k).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd r_inv =
      r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(k, k));
  const Eigen::MatrixXd inner = r_inv * r_inv.transpose();
  const auto& perm = qr.colsPermutation();
  return perm * inner * perm.transpose();
}

Eigen::MatrixXd design(const Eigen::MatrixXd& X, bool intercept, std::vector<std::string>& names) {
  if (static_cast<Eigen::Index>(names.size()) != X.cols())
    throw StatsError("regression: " + std::to_string(names.size()) + " names for " +
                     std::to_string(X.cols()) + " predictors");
  if (!X.allFinite()) throw StatsError("regression: the predictors contain NaN or infinity");
  if (!intercept) return X;
  Eigen::MatrixXd D(X.rows(), X.cols() + 1);
  D.col(0).setOnes();
  D.rightCols(X.cols()) = X;
  names.insert(names.begin(), "(intercept)");
  return D;
}

double sample_sd(const Eigen::VectorXd& v) {
  if (v.size() < 2) return kNaN;
  const double m = v.mean();
  return std::sqrt((v.array() - m).square().sum() / static_cast<double>(v.size() - 1));
}

// log(1 + exp(x)) without overflow.
double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

double logit_log_likelihood(const Eigen::VectorXd& eta, const Eigen::VectorXd& y) {
  double ll = 0;
  for (Eigen::Index i = 0; i < eta.size(); ++i) ll += y(i) * eta(i) - softplus(eta(i));
  return ll;
}

}  // namespace

// ---- one variable --------------------------------------------------------------------------

Descriptives describe(std::span<const double> x) {
  Descriptives d;
  double sum = 0;
  for (double v : x) {
    if (std::isnan(v)) {
      ++d.missing;
    } else {
      sum += v;
      ++d.n;
    }
  }
  d.mean = d.n ? sum / static_cast<double>(d.n) : kNaN;
  if (d.n < 2) {
    d.sd = kNaN;
    return d;
  }
  double ss = 0;
  for (double v : x)
    if (!std::isnan(v)) ss += (v - d.mean) * (v - d.mean);
  d.sd = std::sqrt(ss / static_cast<double>(d.n - 1));
  return d;
}

double quantile(std::span<const double> x, double p) {
  if (!(p >= 0 && p <= 1)) throw StatsError("quantile: p must be in [0, 1]");
  std::vector<double> v;
  for (double a : x)
    if (!std::isnan(a)) v.push_back(a);
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

std::vector<double> average_ranks(std::span<const double> x) {
  std::vector<double> ranks(x.size(), kNaN);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    // Positions i..j (0-based) share ranks i+1..j+1: their average.
    const double rank = (static_cast<double>(i + 1) + static_cast<double>(j + 1)) / 2.0;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = rank;
    i = j + 1;
  }
  return ranks;
}

Proportion proportion(long successes, long n) {
  Proportion p;
  p.n = n;
  p.successes = successes;
  if (n <= 0) {
    p.p = p.ci_low = p.ci_high = kNaN;
    return p;
  }
  const double nn = static_cast<double>(n), ph = static_cast<double>(successes) / nn,
               z2 = kZ975 * kZ975;
  const double centre = (ph + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ975 * std::sqrt(ph * (1 - ph) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  p.p = ph;
  p.ci_low = std::max(0.0, centre - half);
  p.ci_high = std::min(1.0, centre + half);
  return p;
}

Rate poisson_rate(long events, double exposure) {
  Rate r;
  r.events = events;
  r.exposure = exposure;
  if (!(exposure > 0) || events < 0) {
    r.rate = r.ci_low = r.ci_high = kNaN;
    return r;
  }
  const double d = static_cast<double>(events);
  r.rate = d / exposure;
  r.ci_low = events == 0
                 ? 0.0
                 : boost::math::quantile(boost::math::chi_squared(2 * d), 0.025) / 2 / exposure;
  r.ci_high = boost::math::quantile(boost::math::chi_squared(2 * d + 2), 0.975) / 2 / exposure;
  return r;
}

// ---- two variables -------------------------------------------------------------------------

Correlation pearson(std::span<const double> x, std::span<const double> y) {
  std::vector<double> xs, ys;
  complete_pairs(x, y, xs, ys);
  return finish_correlation(pearson_r(xs, ys), static_cast<long>(xs.size()), 1.0);
}

Correlation spearman(std::span<const double> x, std::span<const double> y) {
  std::vector<double> xs, ys;
  complete_pairs(x, y, xs, ys);
  const auto rx = average_ranks(xs), ry = average_ranks(ys);
  return finish_correlation(pearson_r(rx, ry), static_cast<long>(xs.size()), 1.06);
}

EffectSize cohens_d(std::span<const double> a, std::span<const double> b) {
  const Descriptives da = describe(a), db = describe(b);
  EffectSize e;
  e.n_a = da.n;
  e.n_b = db.n;
  e.mean_a = da.mean;
  e.mean_b = db.mean;
  e.difference = da.mean - db.mean;
  e.pooled_sd = e.d = e.ci_low = e.ci_high = kNaN;
  if (da.n < 2 || db.n < 2) return e;
  const double na = static_cast<double>(da.n), nb = static_cast<double>(db.n);
  e.pooled_sd = std::sqrt(((na - 1) * da.sd * da.sd + (nb - 1) * db.sd * db.sd) / (na + nb - 2));
  if (!(e.pooled_sd > 0)) return e;
  e.d = e.difference / e.pooled_sd;
  const double se = std::sqrt((na + nb) / (na * nb) + e.d * e.d / (2 * (na + nb)));
  e.ci_low = e.d - kZ975 * se;
  e.ci_high = e.d + kZ975 * se;
  return e;
}

// ---- regression ----------------------------------------------------------------------------

std::vector<std::size_t> complete_rows(const std::vector<std::span<const double>>& columns) {
  std::vector<std::size_t> rows;
  if (columns.empty()) return rows;
  const std::size_t n = columns.front().size();
  for (const auto& c : columns)
    if (c.size() != n) throw StatsError("complete_rows: columns differ in length");
  for (std::size_t i = 0; i < n; ++i) {
    bool ok = true;
    for (const auto& c : columns) ok = ok && !std::isnan(c[i]);
    if (ok) rows.push_back(i);
  }
  return rows;
}

std::vector<double> standardise(std::span<const double> x) {
  const Descriptives d = describe(x);
  if (!(d.sd > 0))
    throw StatsError("standardise: the variable is constant or has fewer than 2 values");
  std::vector<double> z(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) z[i] = (x[i] - d.mean) / d.sd;
  return z;
}

OlsFit ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::vector<std::string> names,
           bool intercept) {
  if (X.rows() != y.size()) throw StatsError("ols: X and y differ in rows");
  if (!y.allFinite()) throw StatsError("ols: y contains NaN or infinity");
  const Eigen::MatrixXd D = design(X, intercept, names);
  const Eigen::Index n = D.rows(), k = D.cols();
  if (n <= k)
    throw StatsError("ols: " + std::to_string(n) + " cases for " + std::to_string(k) +
                     " parameters");
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(D);
  if (qr.rank() < k) throw StatsError("ols: the predictors are collinear (rank-deficient design)");
  OlsFit f;
  f.terms = std::move(names);
  f.n = static_cast<long>(n);
  f.df_residual = static_cast<long>(n - k);
  f.coef = qr.solve(y);
  const Eigen::VectorXd residual = y - D * f.coef;
  const double rss = residual.squaredNorm();
  const double df = static_cast<double>(f.df_residual);
  f.sigma = std::sqrt(rss / df);
  f.se = (f.sigma * f.sigma * inverse_cross_product(qr).diagonal()).array().sqrt();
  f.t = f.coef.array() / f.se.array();
  f.p.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) f.p(j) = two_sided_p(f.t(j), df);
  // R^2 about the mean with an intercept, about zero without one (as R's summary.lm).
  const double tss = intercept ? (y.array() - y.mean()).square().sum() : y.squaredNorm();
  f.r2 = tss > 0 ? 1 - rss / tss : kNaN;
  const double df_model_free = static_cast<double>(n - (intercept ? 1 : 0));
  f.adj_r2 = 1 - (1 - f.r2) * df_model_free / df;
  const double sd_y = sample_sd(y);
  f.standardised.resize(k);
  for (Eigen::Index j = 0; j < k; ++j)
    f.standardised(j) = (intercept && j == 0) ? kNaN : f.coef(j) * sample_sd(D.col(j)) / sd_y;
  return f;
}

LogitFit logistic(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                  std::vector<std::string> names, bool intercept) {
  if (X.rows() != y.size()) throw StatsError("logistic: X and y differ in rows");
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (y(i) != 0.0 && y(i) != 1.0) throw StatsError("logistic: the outcome must be 0 or 1");
  const Eigen::MatrixXd D = design(X, intercept, names);
  const Eigen::Index n = D.rows(), k = D.cols();
  if (n <= k)
    throw StatsError("logistic: " + std::to_string(n) + " cases for " + std::to_string(k) +
                     " parameters");
  if (Eigen::ColPivHouseholderQR<Eigen::MatrixXd>(D).rank() < k)
    throw StatsError("logistic: the predictors are collinear (rank-deficient design)");

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(k);
  Eigen::VectorXd eta = D * beta;
  double ll = logit_log_likelihood(eta, y);
  constexpr int kMaxIterations = 100;
  int iteration = 0;
  bool converged = false;
  Eigen::MatrixXd information(k, k);
  while (iteration < kMaxIterations) {
    ++iteration;
    const Eigen::ArrayXd prob = 1.0 / (1.0 + (-eta.array()).exp());
    const Eigen::ArrayXd w = prob * (1 - prob);
    const Eigen::VectorXd score = D.transpose() * (y.array() - prob).matrix();
    information = D.transpose() * (D.array().colwise() * w).matrix();
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(information);
    if (ldlt.info() != Eigen::Success) break;
    Eigen::VectorXd step = ldlt.solve(score);
    // Newton steps increase log L for this concave problem; halve a step that overshoots.
    double ll_new = logit_log_likelihood(D * (beta + step), y);
    for (int halving = 0; halving < 30 && ll_new < ll; ++halving) {
      step /= 2;
      ll_new = logit_log_likelihood(D * (beta + step), y);
    }
    beta += step;
    eta = D * beta;
    const double change = std::abs(ll_new - ll);
    ll = ll_new;
    if (change <= 1e-10 * (std::abs(ll) + 0.1) &&
        step.lpNorm<Eigen::Infinity>() <= 1e-8 * (1 + beta.lpNorm<Eigen::Infinity>())) {
      converged = true;
      break;
    }
  }
  if (!converged || !beta.allFinite())
    throw StatsError("logistic: no convergence in " + std::to_string(kMaxIterations) +
                     " Newton steps (perfect separation? the estimate is then infinite)");
  if (eta.lpNorm<Eigen::Infinity>() > 30)
    throw StatsError("logistic: fitted probabilities of 0 or 1 (quasi-complete separation)");
  // Information at the final estimate.
  const Eigen::ArrayXd prob = 1.0 / (1.0 + (-eta.array()).exp());
  information = D.transpose() * (D.array().colwise() * (prob * (1 - prob))).matrix();
  const Eigen::MatrixXd cov = information.inverse();

  LogitFit f;
  f.terms = std::move(names);
  f.n = static_cast<long>(n);
  f.iterations = iteration;
  f.coef = beta;
  f.se = cov.diagonal().array().sqrt();
  f.z = f.coef.array() / f.se.array();
  f.p.resize(k);
  for (Eigen::Index j = 0; j < k; ++j)
    f.p(j) = two_sided_p(f.z(j), std::numeric_limits<double>::infinity());
  f.odds_ratio = f.coef.array().exp();
  f.or_low = (f.coef.array() - kZ975 * f.se.array()).exp();
  f.or_high = (f.coef.array() + kZ975 * f.se.array()).exp();
  f.log_likelihood = ll;
  f.deviance = -2 * ll;
  return f;
}

double chi_squared_upper(double x, double df) {
  if (std::isnan(x) || !(df > 0)) return kNaN;
  if (x <= 0) return 1.0;
  return boost::math::cdf(boost::math::complement(boost::math::chi_squared(df), x));
}

double two_sided_p(double t, double df) {
  if (std::isnan(t) || std::isnan(df) || !(df > 0)) return kNaN;
  if (std::isinf(t)) return 0.0;
  const double a = std::abs(t);
  if (std::isinf(df))
    return 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), a));
  return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(df), a));
}

LrTest likelihood_ratio(const LogitFit& reduced, const LogitFit& full) {
  if (reduced.n != full.n)
    throw StatsError("likelihood-ratio test: the models were fitted to " +
                     std::to_string(reduced.n) + " and " + std::to_string(full.n) +
                     " cases; fit both to the same cases");
  const auto df = static_cast<int>(full.coef.size() - reduced.coef.size());
  if (df <= 0) throw StatsError("likelihood-ratio test: the full model must have more parameters");
  LrTest t;
  t.df = df;
  t.chi2 = std::max(0.0, 2 * (full.log_likelihood - reduced.log_likelihood));
  t.p = chi_squared_upper(t.chi2, df);
  return t;
}

// ---- survival ------------------------------------------------------------------------------

SurvivalCurve kaplan_meier(std::span<const double> time, std::span<const int> event) {
  if (time.size() != event.size())
    throw StatsError("kaplan_meier: times and events differ in length");
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < time.size(); ++i)
    if (!std::isnan(time[i])) order.push_back(i);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  SurvivalCurve c;
  c.n = static_cast<long>(order.size());
  long at_risk = c.n;
  double s = 1, greenwood = 0;
  for (std::size_t i = 0; i < order.size();) {
    SurvivalStep step;
    step.time = time[order[i]];
    step.at_risk = at_risk;
    std::size_t j = i;
    for (; j < order.size() && time[order[j]] == step.time; ++j) {
      if (event[order[j]])
        ++step.events;
      else
        ++step.censored;
    }
    if (step.events > 0) {
      const double n = static_cast<double>(at_risk), d = static_cast<double>(step.events);
      s *= 1 - d / n;
      greenwood += n > d ? d / (n * (n - d)) : std::numeric_limits<double>::infinity();
    }
    step.survival = s;
    step.se = s > 0 ? s * std::sqrt(greenwood) : kNaN;
    if (s >= 1) {
      step.ci_low = step.ci_high = 1;
    } else if (s <= 0) {
      step.ci_low = step.ci_high = kNaN;
      step.se = 0;
    } else {
      // log-log interval: log(-log S) +- 1.96 sqrt(greenwood) / |log S|.
      const double half = kZ975 * std::sqrt(greenwood) / std::abs(std::log(s));
      step.ci_low = std::pow(s, std::exp(half));
      step.ci_high = std::pow(s, std::exp(-half));
    }
    c.events += step.events;
    at_risk -= step.events + step.censored;
    c.steps.push_back(step);
    i = j;
  }
  return c;
}

SurvivalStep SurvivalCurve::at(double t) const {
  SurvivalStep out;
  out.time = t;
  out.at_risk = n;
  for (const auto& step : steps) {
    if (step.time > t) break;
    out.survival = step.survival;
    out.se = step.se;
    out.ci_low = step.ci_low;
    out.ci_high = step.ci_high;
    out.at_risk = step.at_risk - step.events - step.censored;
    if (step.time == t) {
      out.at_risk = step.at_risk;
      out.events = step.events;
      out.censored = step.censored;
    }
  }
  return out;
}

// ---- replicates ----------------------------------------------------------------------------

Pooled pool_replicates(std::span<const double> estimates, std::span<const double> within_se) {
  Pooled p;
  double sum = 0, within = 0;
  int within_n = 0;
  for (std::size_t i = 0; i < estimates.size(); ++i) {
    if (std::isnan(estimates[i])) {
      ++p.skipped;
      continue;
    }
    sum += estimates[i];
    ++p.replicates;
    if (i < within_se.size() && !std::isnan(within_se[i])) {
      within += within_se[i];
      ++within_n;
    }
  }
  p.mean_within_se = within_n ? within / within_n : kNaN;
  p.estimate = p.replicates ? sum / p.replicates : kNaN;
  p.between_sd = p.se = p.ci_low = p.ci_high = kNaN;
  if (p.replicates < 2) return p;
  double ss = 0;
  for (double e : estimates)
    if (!std::isnan(e)) ss += (e - p.estimate) * (e - p.estimate);
  p.between_sd = std::sqrt(ss / (p.replicates - 1));
  p.se = p.between_sd / std::sqrt(static_cast<double>(p.replicates));
  const double t = t_quantile_975(p.replicates - 1);
  p.ci_low = p.estimate - t * p.se;
  p.ci_high = p.estimate + t * p.se;
  return p;
}

}  // namespace asim::stats
