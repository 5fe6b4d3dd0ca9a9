// The statistics a researcher computes from result files: descriptives, correlations with
// Fisher-z intervals, Cohen's d, OLS and logistic regression with standard errors, likelihood-
// ratio tests, Kaplan-Meier survival, and pooling an estimate over simulation replicates.
//
// Conventions (each function says more):
//   - NaN means "missing" everywhere. Functions of one variable skip NaN; functions of two or
//     more use complete cases (pairwise for correlations, listwise for regressions via
//     complete_rows()).
//   - 95 % intervals use the normal quantile 1.959964 unless a t quantile is named.
//   - A model that cannot be estimated (too few cases, a constant or collinear predictor,
//     perfect separation) throws StatsError; analyses catch it and report the estimate as
//     missing, so one bad replicate does not stop a report.
// Known answers for every function are in tests/unit/test_statistics.cpp.
#pragma once
#include <Eigen/Dense>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace asim::stats {

inline constexpr double kZ975 = 1.959963984540054;  // standard normal 97.5 % quantile

struct StatsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---- one variable --------------------------------------------------------------------------

struct Descriptives {
  long n = 0;               // non-missing values
  long missing = 0;         // NaN values
  double mean = 0, sd = 0;  // sd: sample SD (n - 1); NaN when n < 2 (mean NaN when n = 0)
};
Descriptives describe(std::span<const double> x);

// Sample quantile, linear interpolation between order statistics (Hyndman-Fan type 7, R's
// default); NaN skipped; NaN when nothing is left. p in [0, 1].
double quantile(std::span<const double> x, double p);

// Ranks 1..n of the non-NaN values, ties given the average of the ranks they span; NaN stays
// NaN.
std::vector<double> average_ranks(std::span<const double> x);

// Proportion with the Wilson score 95 % interval (better than Wald near 0 and 1).
struct Proportion {
  long n = 0, successes = 0;
  double p = 0, ci_low = 0, ci_high = 0;
};
Proportion proportion(long successes, long n);

// Event rate = events / exposure with the exact (Garwood) Poisson 95 % interval:
// [chi2_{0.025}(2 d) / 2, chi2_{0.975}(2 d + 2) / 2] / exposure.
struct Rate {
  long events = 0;
  double exposure = 0, rate = 0, ci_low = 0, ci_high = 0;
};
Rate poisson_rate(long events, double exposure);

// ---- two variables -------------------------------------------------------------------------

struct Correlation {
  long n = 0;                      // complete pairs
  double r = 0;                    // NaN when n < 3 or a variable is constant
  double ci_low = 0, ci_high = 0;  // Fisher-z 95 % interval; NaN when n < 4
  double p = 0;                    // two-sided, t = r sqrt((n-2)/(1-r^2)) with n-2 df
};
// Pearson's r on complete pairs; CI tanh(atanh(r) +- 1.96 / sqrt(n - 3)).
Correlation pearson(std::span<const double> x, std::span<const double> y);
// Spearman's rho: Pearson's r of the average ranks (ties handled exactly, not by the
// 1 - 6 sum d^2 / (n (n^2 - 1)) shortcut, which is wrong with ties); ranks of the complete pairs.
// CI on the Fisher-z scale with the Fieller, Hartley & Pearson (1957) variance 1.06 / (n - 3).
Correlation spearman(std::span<const double> x, std::span<const double> y);

// Cohen's d of two groups: (mean_a - mean_b) / pooled SD, pooled SD =
// sqrt(((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2)); NaN skipped in each group.
// The 95 % interval uses the large-sample SE sqrt((n_a+n_b)/(n_a n_b) + d^2 / (2 (n_a+n_b)))
// (Hedges & Olkin 1985). For two ratings of the same youths pass the complete pairs: with
// n_a = n_b the pooled SD is sqrt((s_a^2 + s_b^2)/2), i.e. d_av, the standardised mean
// difference on the scale of the ratings (not d_z, which divides by the SD of the differences).
struct EffectSize {
  long n_a = 0, n_b = 0;
  double mean_a = 0, mean_b = 0, difference = 0, pooled_sd = 0, d = 0, ci_low = 0, ci_high = 0;
};
EffectSize cohens_d(std::span<const double> a, std::span<const double> b);

// ---- regression ----------------------------------------------------------------------------

// Indices of the rows where every column is non-NaN (listwise deletion).
std::vector<std::size_t> complete_rows(const std::vector<std::span<const double>>& columns);
// (x - mean) / SD over the given values (sample SD); throws StatsError if the SD is 0 or NaN.
std::vector<double> standardise(std::span<const double> x);

struct OlsFit {
  std::vector<std::string> terms;  // "(intercept)" first when fitted, then the predictors
  Eigen::VectorXd coef, se, t, p;  // p: two-sided, Student t with df_residual
  // coef_j * sd(x_j) / sd(y): the coefficient had every variable been standardised (NaN for
  // the intercept).
  Eigen::VectorXd standardised;
  long n = 0, df_residual = 0;
  double r2 = 0, adj_r2 = 0, sigma = 0;  // sigma: residual SD, sqrt(RSS / df_residual)
};
// Ordinary least squares by column-pivoted Householder QR of the design (no normal equations,
// so collinearity is detected rather than amplified); Cov(b) = sigma^2 (X'X)^-1 from R^-1.
// X holds the predictors only (n x k, no NaN); an intercept column is added when `intercept`.
// Throws StatsError when n <= parameters or the design is rank-deficient.
OlsFit ols(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, std::vector<std::string> names,
           bool intercept = true);

struct LogitFit {
  std::vector<std::string> terms;
  Eigen::VectorXd coef, se, z, p;               // Wald z and two-sided normal p
  Eigen::VectorXd odds_ratio, or_low, or_high;  // exp(coef), exp(coef +- 1.96 se)
  long n = 0;
  double log_likelihood = 0;
  double deviance = 0;  // -2 log L (binary data: the saturated model has log L = 0)
  int iterations = 0;
};
// Logistic regression of y (0/1) on X by Newton-Raphson (= IRLS for the canonical logit link)
// from coef = 0, until the change in log L is below 1e-10 (relative) and the step below 1e-8;
// SE from the inverse observed information (X' W X)^-1 at the estimate.
// Throws StatsError when y is not 0/1, n <= parameters, the design is rank-deficient, or the
// iteration does not converge in 100 steps (typically perfect separation: the MLE is infinite).
LogitFit logistic(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                  std::vector<std::string> names, bool intercept = true);

struct LrTest {
  double chi2 = 0;
  int df = 0;
  double p = 0;
};
// Likelihood-ratio test of a reduced model nested in a full model fitted to the same cases:
// chi2 = 2 (log L_full - log L_reduced) on (parameters_full - parameters_reduced) df, p from
// boost::math::chi_squared. Throws StatsError if the models were fitted to different numbers
// of cases or the full model has no more parameters. Nesting itself is the caller's promise.
LrTest likelihood_ratio(const LogitFit& reduced, const LogitFit& full);

// Upper tail P(X > x) of chi-square(df).
double chi_squared_upper(double x, double df);
// Two-sided p of a Student t statistic; df = infinity gives the normal.
double two_sided_p(double t, double df);

// ---- survival ------------------------------------------------------------------------------

struct SurvivalStep {
  double time = 0;
  long at_risk = 0, events = 0, censored = 0;
  double survival = 1;
  double se = 0;                   // Greenwood: S(t) sqrt(sum d / (n (n - d)))
  double ci_low = 1, ci_high = 1;  // log-log 95 % interval (stays in [0, 1])
};
struct SurvivalCurve {
  long n = 0, events = 0;
  std::vector<SurvivalStep> steps;  // one per distinct time (event or censoring), ascending

  // S(t) and its SE and interval: the last step at or before t (right-continuous); 1 before the
  // first event. at_risk = subjects with time >= t (still under observation at t).
  SurvivalStep at(double t) const;
};
// Kaplan-Meier product-limit estimate. event[i] = 1 for an event at time[i], 0 for censoring
// at time[i]; a subject censored at t is at risk at t (events happen before censoring at the
// same time, the usual convention). NaN times are skipped.
SurvivalCurve kaplan_meier(std::span<const double> time, std::span<const int> event);

// ---- replicates ----------------------------------------------------------------------------

// An estimate pooled over simulation replicates. Replicates are independent samples of the same
// simulated population, so the spread of the per-replicate estimates already contains each
// replicate's sampling error: the pooled estimate is their mean and its SE is
// between-replicate SD / sqrt(R), with a t(R - 1) interval. This is Rubin's rules without the
// within-replicate term: Rubin's total variance W + (1 + 1/R) B is for imputations of one data
// set, where B alone misses the sampling error; here adding W would count it twice. The mean
// within-replicate SE is reported beside it: it should be close to the between-replicate SD
// when the per-replicate standard errors are right. NaN estimates (replicates where the model
// could not be fitted) are left out and counted.
struct Pooled {
  int replicates = 0;  // estimates used
  int skipped = 0;     // NaN estimates left out
  double estimate = 0, between_sd = 0, se = 0, ci_low = 0, ci_high = 0;
  double mean_within_se = 0;  // NaN when no within SEs were given
};
Pooled pool_replicates(std::span<const double> estimates, std::span<const double> within_se = {});

}  // namespace asim::stats
