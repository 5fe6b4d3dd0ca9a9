// analysis/statistics: every function against a known answer, a textbook data set or a closed
// form. Published values were also checked with R 4.2 (lm, glm, cor.test) on this machine:
//   Anscombe (1973) quartet I      lm(y1 ~ x1), cor.test(x1, y1)
//   mtcars (Henderson & Velleman)  lm(mpg ~ wt + hp)
//   Challenger O-rings, 23 flights glm(failure ~ temperature, binomial) (Dalal et al. 1989)
//   Freireich et al. (1963) 6-MP   Kaplan-Meier with Greenwood SE (Kleinbaum & Klein, ch. 2)
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "analysis/statistics.hpp"

using namespace asim::stats;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::vector<double> kAnscombeX{10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5};
const std::vector<double> kAnscombeY1{8.04, 6.95, 7.58,  8.81, 8.33, 9.96,
                                      7.24, 4.26, 10.84, 4.82, 5.68};

Eigen::MatrixXd column(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}
Eigen::VectorXd vec(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

// Challenger: launch temperature (F) and whether any O-ring was damaged.
const std::vector<double> kTemperature{53, 57, 58, 63, 66, 67, 67, 67, 68, 69, 70, 70,
                                       70, 70, 72, 73, 75, 75, 76, 76, 78, 79, 81};
const std::vector<double> kFailure{1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1,
                                   0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0};

// Binary log-likelihood, written out independently of the library.
double log_lik(const Eigen::MatrixXd& D, const Eigen::VectorXd& y, const Eigen::VectorXd& b) {
  double ll = 0;
  for (Eigen::Index i = 0; i < D.rows(); ++i) {
    const double p = 1 / (1 + std::exp(-D.row(i).dot(b)));
    ll += y(i) ? std::log(p) : std::log(1 - p);
  }
  return ll;
}

}  // namespace

TEST_CASE("descriptives count missing values and use the n-1 SD", "[statistics]") {
  const std::vector<double> x{2, 4, 4, kNaN, 4, 5, 5, 7, 9, kNaN};
  const auto d = describe(x);
  CHECK(d.n == 8);
  CHECK(d.missing == 2);
  CHECK(d.mean == Approx(5.0));
  CHECK(d.sd == Approx(std::sqrt(32.0 / 7.0)));  // sum of squares 32 about the mean 5
  const std::vector<double> one{3.0, kNaN};
  CHECK(std::isnan(describe(one).sd));
  CHECK(std::isnan(describe(std::vector<double>{kNaN}).mean));
}

TEST_CASE("quantiles interpolate like R's type 7", "[statistics]") {
  const std::vector<double> x{1, 2, 3, 4, 10, kNaN};
  CHECK(quantile(x, 0.5) == Approx(3.0));
  CHECK(quantile(x, 0.25) == Approx(2.0));
  CHECK(quantile(x, 1.0 / 3.0) == Approx(2.333333333));  // R: quantile(c(1,2,3,4,10), 1/3)
  CHECK(quantile(x, 0.9) == Approx(7.6));
  CHECK(quantile(x, 0.0) == 1.0);
  CHECK(quantile(x, 1.0) == 10.0);
}

TEST_CASE("average ranks give tied values the mean of their ranks", "[statistics]") {
  const std::vector<double> x{3, 1, 4, 1, 5, kNaN, 4, 4};
  const auto r = average_ranks(x);
  // sorted: 1 1 3 4 4 4 5 -> ranks 1.5 1.5 3 5 5 5 7
  CHECK(r[0] == 3.0);
  CHECK(r[1] == 1.5);
  CHECK(r[3] == 1.5);
  CHECK(r[2] == 5.0);
  CHECK(r[6] == 5.0);
  CHECK(r[7] == 5.0);
  CHECK(r[4] == 7.0);
  CHECK(std::isnan(r[5]));
}

TEST_CASE("Pearson's r and its Fisher-z interval on Anscombe's quartet I", "[statistics]") {
  const auto c = pearson(kAnscombeX, kAnscombeY1);
  CHECK(c.n == 11);
  CHECK(c.r == Approx(0.8164205).epsilon(1e-6));
  // R cor.test: 95 % CI 0.4243912 0.9506933, t = 4.2415 on 9 df, p = 0.00217.
  CHECK(c.ci_low == Approx(0.4243912).epsilon(1e-5));
  CHECK(c.ci_high == Approx(0.9506933).epsilon(1e-5));
  CHECK(c.p == Approx(0.002169629).epsilon(1e-5));
  // Missing values are dropped pairwise: adding NaN rows changes nothing.
  auto x = kAnscombeX, y = kAnscombeY1;
  x.push_back(kNaN);
  y.push_back(3.0);
  x.push_back(2.0);
  y.push_back(kNaN);
  const auto c2 = pearson(x, y);
  CHECK(c2.n == 11);
  CHECK(c2.r == Approx(c.r));
}

TEST_CASE("Spearman's rho uses average ranks for ties (hand computation)", "[statistics]") {
  // x ranks 1, 2.5, 2.5, 4, 5; y = (2, 1, 3, 3, 5) ranks 2, 1, 3.5, 3.5, 5.
  // Deviations from the mean rank 3: dx = (-2, -.5, -.5, 1, 2), dy = (-1, -2, .5, .5, 2);
  // sum dx dy = 7.25, sum dx^2 = sum dy^2 = 9.5, rho = 7.25 / 9.5 = 0.763157... (R agrees).
  // The no-ties shortcut 1 - 6 sum d^2 / (n (n^2 - 1)) would give 1 - 27/120 = 0.775.
  const std::vector<double> x{1, 2, 2, 3, 4}, y{2, 1, 3, 3, 5};
  const auto s = spearman(x, y);
  CHECK(s.n == 5);
  CHECK(s.r == Approx(7.25 / 9.5).epsilon(1e-12));
  CHECK(s.r != Approx(0.775));
  // Fieller's Fisher-z variance 1.06 / (n - 3).
  const double half = 1.959963984540054 * std::sqrt(1.06 / 2.0);
  CHECK(s.ci_low == Approx(std::tanh(std::atanh(7.25 / 9.5) - half)));
  CHECK(s.ci_high == Approx(std::tanh(std::atanh(7.25 / 9.5) + half)));
  // A monotone but non-linear relation: rho = 1, Pearson below 1.
  const std::vector<double> a{1, 2, 3, 4, 5, 6}, b{1, 4, 9, 16, 25, 36000};
  CHECK(spearman(a, b).r == Approx(1.0));
  CHECK(pearson(a, b).r < 0.8);
}

TEST_CASE("a constant variable has no correlation", "[statistics]") {
  const std::vector<double> x{1, 2, 3, 4}, y{2, 2, 2, 2};
  CHECK(std::isnan(pearson(x, y).r));
  CHECK(std::isnan(spearman(x, y).r));
}

TEST_CASE("Cohen's d divides by the pooled SD", "[statistics]") {
  const std::vector<double> a{1, 2, 3, 4, 5}, b{3, 4, 5, 6, 7};
  const auto e = cohens_d(a, b);
  CHECK(e.difference == Approx(-2.0));
  CHECK(e.pooled_sd == Approx(std::sqrt(2.5)));
  CHECK(e.d == Approx(-2.0 / std::sqrt(2.5)));
  // Unequal groups: (2, 4, 6) mean 4 var 4; (1, 3) mean 2 var 2; pooled var (2*4 + 1*2) / 3.
  const std::vector<double> c{2, 4, 6, kNaN}, d{1, 3};
  const auto u = cohens_d(c, d);
  CHECK(u.n_a == 3);
  CHECK(u.n_b == 2);
  CHECK(u.pooled_sd == Approx(std::sqrt(10.0 / 3.0)));
  CHECK(u.d == Approx(2.0 / std::sqrt(10.0 / 3.0)));
  const double se = std::sqrt(5.0 / 6.0 + u.d * u.d / 10.0);
  CHECK(u.ci_low == Approx(u.d - 1.959963984540054 * se));
}

TEST_CASE("OLS recovers an exactly linear relation", "[statistics][ols]") {
  // y = 2 + 3 x1 - 1.5 x2 exactly.
  Eigen::MatrixXd X(6, 2);
  X << 1, 0, 2, 1, 3, 5, 4, 2, 5, 7, 6, 3;
  Eigen::VectorXd y = 2.0 + 3.0 * X.col(0).array() - 1.5 * X.col(1).array();
  const auto f = ols(X, y, {"x1", "x2"});
  REQUIRE(f.coef.size() == 3);
  CHECK(f.terms[0] == "(intercept)");
  CHECK(f.coef(0) == Approx(2.0).margin(1e-10));
  CHECK(f.coef(1) == Approx(3.0).margin(1e-10));
  CHECK(f.coef(2) == Approx(-1.5).margin(1e-10));
  CHECK(f.se.maxCoeff() < 1e-8);
  CHECK(f.r2 == Approx(1.0));
  CHECK(f.df_residual == 3);
}

TEST_CASE("OLS on Anscombe's quartet I matches the published fit", "[statistics][ols]") {
  const auto f = ols(column(kAnscombeX), vec(kAnscombeY1), {"x"});
  // Anscombe (1973): y = 3.0001 + 0.5001 x; R: SEs 1.1247, 0.1179; sigma 1.237; R^2 0.6665.
  CHECK(f.coef(0) == Approx(3.0000909091).epsilon(1e-8));
  CHECK(f.coef(1) == Approx(0.5000909091).epsilon(1e-8));
  CHECK(f.se(0) == Approx(1.1247467908).epsilon(1e-7));
  CHECK(f.se(1) == Approx(0.1179055006).epsilon(1e-7));
  CHECK(f.t(1) == Approx(4.241455289).epsilon(1e-7));
  CHECK(f.p(1) == Approx(0.002169628873).epsilon(1e-6));
  CHECK(f.p(0) == Approx(0.025734051399).epsilon(1e-6));
  CHECK(f.sigma == Approx(1.236603323).epsilon(1e-8));
  CHECK(f.r2 == Approx(0.8164205 * 0.8164205).epsilon(1e-6));
  // With one predictor the standardised slope is Pearson's r.
  CHECK(f.standardised(1) == Approx(0.8164205).epsilon(1e-6));
  CHECK(std::isnan(f.standardised(0)));
}

TEST_CASE("OLS with two predictors matches R on mtcars; standardised = fit on z-scores",
          "[statistics][ols]") {
  const std::vector<double> mpg{21,   21,   22.8, 21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8,
                                16.4, 17.3, 15.2, 10.4, 10.4, 14.7, 32.4, 30.4, 33.9, 21.5, 15.5,
                                15.2, 13.3, 19.2, 27.3, 26,   30.4, 15.8, 19.7, 15,   21.4};
  const std::vector<double> wt{2.62,  2.875, 2.32,  3.215, 3.44,  3.46, 3.57,  3.19,
                               3.15,  3.44,  3.44,  4.07,  3.73,  3.78, 5.25,  5.424,
                               5.345, 2.2,   1.615, 1.835, 2.465, 3.52, 3.435, 3.84,
                               3.845, 1.935, 2.14,  1.513, 3.17,  2.77, 3.57,  2.78};
  const std::vector<double> hp{110, 110, 93,  110, 175, 105, 245, 62,  95,  123, 123,
                               180, 180, 180, 205, 215, 230, 66,  52,  65,  97,  150,
                               150, 245, 175, 66,  91,  113, 264, 175, 335, 109};
  Eigen::MatrixXd X(32, 2);
  X.col(0) = vec(wt);
  X.col(1) = vec(hp);
  const auto f = ols(X, vec(mpg), {"wt", "hp"});
  CHECK(f.coef(0) == Approx(37.22727011645).epsilon(1e-9));
  CHECK(f.coef(1) == Approx(-3.87783074240).epsilon(1e-9));
  CHECK(f.coef(2) == Approx(-0.03177294698).epsilon(1e-9));
  CHECK(f.se(0) == Approx(1.598787537999).epsilon(1e-8));
  CHECK(f.se(1) == Approx(0.632733494377).epsilon(1e-8));
  CHECK(f.se(2) == Approx(0.009029709676).epsilon(1e-8));
  CHECK(f.p(2) == Approx(1.451228532e-03).epsilon(1e-6));
  CHECK(f.r2 == Approx(0.8267854519).epsilon(1e-9));
  // Fit again on standardised variables, without intercept: the slopes are the standardised
  // coefficients (the intercept would be 0).
  const auto zw = standardise(wt), zh = standardise(hp), zm = standardise(mpg);
  Eigen::MatrixXd Z(32, 2);
  Z.col(0) = vec(zw);
  Z.col(1) = vec(zh);
  const auto g = ols(Z, vec(zm), {"wt", "hp"}, false);
  CHECK(g.coef(0) == Approx(f.standardised(1)).epsilon(1e-10));
  CHECK(g.coef(1) == Approx(f.standardised(2)).epsilon(1e-10));
}

TEST_CASE("OLS refuses collinear designs and too few cases", "[statistics][ols]") {
  Eigen::MatrixXd X(5, 2);
  X << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10;  // second column = 2 x first
  Eigen::VectorXd y(5);
  y << 1, 3, 2, 5, 4;
  CHECK_THROWS_AS(ols(X, y, {"a", "b"}), StatsError);
  CHECK_THROWS_AS(ols(X.topRows(2), y.head(2), {"a", "b"}), StatsError);
  CHECK_THROWS_AS(ols(X, y, {"a"}), StatsError);  // names do not match columns
}

TEST_CASE("logistic regression matches the closed form of a 2x2 table", "[statistics][logit]") {
  // x = 0: 12 successes, 28 failures; x = 1: 30 successes, 10 failures.
  // MLE: intercept = log(12/28), slope = log odds ratio = log((30/10)/(12/28)),
  // SE(slope) = sqrt(1/12 + 1/28 + 1/30 + 1/10) (Woolf), SE(intercept) = sqrt(1/12 + 1/28).
  std::vector<double> x, y;
  auto add = [&](double xv, double yv, int count) {
    for (int i = 0; i < count; ++i) x.push_back(xv), y.push_back(yv);
  };
  add(0, 1, 12);
  add(0, 0, 28);
  add(1, 1, 30);
  add(1, 0, 10);
  const auto f = logistic(column(x), vec(y), {"x"});
  CHECK(f.coef(0) == Approx(std::log(12.0 / 28.0)).epsilon(1e-9));
  CHECK(f.coef(1) == Approx(std::log(3.0 / (12.0 / 28.0))).epsilon(1e-9));
  CHECK(f.se(0) == Approx(std::sqrt(1.0 / 12 + 1.0 / 28)).epsilon(1e-7));
  CHECK(f.se(1) == Approx(std::sqrt(1.0 / 12 + 1.0 / 28 + 1.0 / 30 + 1.0 / 10)).epsilon(1e-7));
  CHECK(f.odds_ratio(1) == Approx(7.0).epsilon(1e-9));
  CHECK(f.or_low(1) == Approx(std::exp(f.coef(1) - 1.959963984540054 * f.se(1))));
  // Saturated in the two cells: log L = sum of n log p over the cells.
  const double ll =
      12 * std::log(0.3) + 28 * std::log(0.7) + 30 * std::log(0.75) + 10 * std::log(0.25);
  CHECK(f.log_likelihood == Approx(ll).epsilon(1e-10));
}

TEST_CASE("logistic regression matches the published Challenger O-ring fit",
          "[statistics][logit]") {
  const Eigen::MatrixXd X = column(kTemperature);
  const Eigen::VectorXd y = vec(kFailure);
  const auto f = logistic(X, y, {"temperature"});
  // Dalal, Fowlkes & Hoadley (1989); R glm: 15.0429 (7.3786), -0.2322 (0.1082),
  // log L -10.1576, residual deviance 20.315, null deviance 28.267.
  CHECK(f.coef(0) == Approx(15.0429016477).epsilon(1e-7));
  CHECK(f.coef(1) == Approx(-0.2321627442).epsilon(1e-7));
  CHECK(f.se(0) == Approx(7.3786301318).epsilon(1e-6));
  CHECK(f.se(1) == Approx(0.1082364295).epsilon(1e-6));
  CHECK(f.p(1) == Approx(0.03195609531).epsilon(1e-5));
  CHECK(f.log_likelihood == Approx(-10.15759634).epsilon(1e-8));
  CHECK(f.deviance == Approx(20.31519269).epsilon(1e-8));

  // Independent check of the MLE: the score X'(y - p) vanishes, every nearby point has a lower
  // log-likelihood, and the SEs equal those of a finite-difference Hessian of log L.
  Eigen::MatrixXd D(23, 2);
  D.col(0).setOnes();
  D.col(1) = X.col(0);
  Eigen::VectorXd p(23);
  for (Eigen::Index i = 0; i < 23; ++i) p(i) = 1 / (1 + std::exp(-D.row(i).dot(f.coef)));
  const Eigen::VectorXd score = D.transpose() * (y - p);
  CHECK(score.cwiseAbs().maxCoeff() < 1e-6);
  const double best = log_lik(D, y, f.coef);
  for (double d0 : {-0.05, 0.0, 0.05})
    for (double d1 : {-0.001, 0.0, 0.001}) {
      if (d0 == 0 && d1 == 0) continue;
      CHECK(log_lik(D, y, f.coef + Eigen::Vector2d(d0, d1)) < best);
    }
  Eigen::Matrix2d H;
  const double h[2] = {1e-3, 1e-5};
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) {
      auto at = [&](double sa, double sb) {
        Eigen::Vector2d v = f.coef;
        v(a) += sa * h[a];
        v(b) += sb * h[b];
        return log_lik(D, y, v);
      };
      H(a, b) = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h[a] * h[b]);
    }
  const Eigen::Matrix2d cov = (-H).inverse();
  CHECK(std::sqrt(cov(0, 0)) == Approx(f.se(0)).epsilon(1e-3));
  CHECK(std::sqrt(cov(1, 1)) == Approx(f.se(1)).epsilon(1e-3));

  // Likelihood-ratio test against the intercept-only model: 28.267 - 20.315 = 7.952 on 1 df;
  // for 1 df the chi-square upper tail is erfc(sqrt(x / 2)).
  const auto null = logistic(Eigen::MatrixXd(23, 0), y, {});
  CHECK(null.deviance == Approx(28.26715273).epsilon(1e-8));
  const auto lr = likelihood_ratio(null, f);
  CHECK(lr.df == 1);
  CHECK(lr.chi2 == Approx(28.26715273 - 20.31519269).epsilon(1e-7));
  CHECK(lr.p == Approx(std::erfc(std::sqrt(lr.chi2 / 2))).epsilon(1e-10));
  CHECK(lr.p == Approx(0.0048).margin(1e-4));
  CHECK_THROWS_AS(likelihood_ratio(f, null), StatsError);
}

TEST_CASE("chi-square upper tails match closed forms", "[statistics]") {
  CHECK(chi_squared_upper(3.0, 2) == Approx(std::exp(-1.5)).epsilon(1e-12));  // df 2: exp(-x/2)
  CHECK(chi_squared_upper(3.841458820694124, 1) == Approx(0.05).epsilon(1e-10));
  CHECK(chi_squared_upper(0.0, 3) == 1.0);
  CHECK(two_sided_p(1.959963984540054, std::numeric_limits<double>::infinity()) == Approx(0.05));
}

TEST_CASE("logistic regression refuses separated data and non-binary outcomes",
          "[statistics][logit]") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6}, separated{0, 0, 0, 1, 1, 1},
      counts{0, 1, 2, 0, 1, 2};
  CHECK_THROWS_AS(logistic(column(x), vec(separated), {"x"}), StatsError);
  CHECK_THROWS_AS(logistic(column(x), vec(counts), {"x"}), StatsError);
}

TEST_CASE("Kaplan-Meier on the 6-MP group of Freireich et al. (1963)", "[statistics][survival]") {
  // Weeks in remission, + = censored: 6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+
  // 32+ 34+ 35+.
  const std::vector<double> t{6,  6,  6,  6,  7,  9,  10, 10, 11, 13, 16,
                              17, 19, 20, 22, 23, 25, 32, 32, 34, 35};
  const std::vector<int> e{1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0};
  const auto km = kaplan_meier(t, e);
  CHECK(km.n == 21);
  CHECK(km.events == 9);
  struct Row {
    double time;
    long at_risk;
    double survival, se;
  };
  // S(t) by hand: 18/21, x 16/17, x 14/15, x 11/12, x 10/11, x 6/7, x 5/6 (the at-risk counts
  // drop by the censored times in between). Greenwood SEs as published (R survfit: 0.0764,
  // 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346).
  const Row rows[] = {{6, 21, 18.0 / 21, 0.0764},  {7, 17, 0.8067227, 0.0869},
                      {10, 15, 0.7529412, 0.0963}, {13, 12, 0.6901961, 0.1068},
                      {16, 11, 0.6274510, 0.1141}, {22, 7, 0.5378151, 0.1282},
                      {23, 6, 0.4481793, 0.1346}};
  for (const auto& row : rows) {
    INFO("t = " << row.time);
    const auto s = km.at(row.time);
    CHECK(s.at_risk == row.at_risk);
    CHECK(s.survival == Approx(row.survival).epsilon(1e-6));
    CHECK(s.se == Approx(row.se).margin(5e-5));
  }
  // The rounded values of the textbook tables.
  CHECK(km.at(16).survival == Approx(0.628).margin(1e-3));
  CHECK(km.at(23).survival == Approx(0.448).margin(1e-3));
  // Between event times the curve is flat; before the first event it is 1.
  CHECK(km.at(5.9).survival == 1.0);
  CHECK(km.at(5.9).at_risk == 21);
  CHECK(km.at(8).survival == Approx(0.8067227).epsilon(1e-6));
  CHECK(km.at(8).at_risk == 16);  // 21 - 4 at 6 - 1 at 7
  CHECK(km.at(100).survival == Approx(0.4481793).epsilon(1e-6));
  CHECK(km.at(100).at_risk == 0);
  // Log-log interval at t = 6: S^exp(+-1.96 sqrt(3 / (21 * 18)) / |log S|) = (0.6197, 0.9516).
  CHECK(km.at(6).ci_low == Approx(0.6197).margin(1e-4));
  CHECK(km.at(6).ci_high == Approx(0.9516).margin(1e-4));
}

TEST_CASE("Kaplan-Meier without censoring is the empirical survival function",
          "[statistics][survival]") {
  const std::vector<double> t{1, 2, 2, 3, 5};
  const std::vector<int> e{1, 1, 1, 1, 1};
  const auto km = kaplan_meier(t, e);
  CHECK(km.at(1).survival == Approx(0.8));
  CHECK(km.at(2).survival == Approx(0.4));
  CHECK(km.at(4).survival == Approx(0.2));
  CHECK(km.at(5).survival == 0.0);
  // Greenwood without censoring is the binomial SE sqrt(S (1 - S) / n).
  CHECK(km.at(2).se == Approx(std::sqrt(0.4 * 0.6 / 5)));
}

TEST_CASE("pooling over replicates: mean and between-replicate SE", "[statistics]") {
  const std::vector<double> est{1, 2, kNaN, 3, 4}, se{0.5, 0.7, 0.1, 0.6, 0.6};
  const auto p = pool_replicates(est, se);
  CHECK(p.replicates == 4);
  CHECK(p.skipped == 1);
  CHECK(p.estimate == Approx(2.5));
  CHECK(p.between_sd == Approx(std::sqrt(5.0 / 3.0)));
  CHECK(p.se == Approx(std::sqrt(5.0 / 3.0) / 2.0));
  CHECK(p.ci_low == Approx(2.5 - 3.182446305284263 * p.se));  // t(3) 97.5 %
  CHECK(p.mean_within_se == Approx(0.6));                     // the NaN replicate's SE is left out
  CHECK(std::isnan(pool_replicates(std::vector<double>{1.0}).se));
}

TEST_CASE("Wilson interval of a proportion", "[statistics]") {
  const auto p = proportion(8, 20);  // R prop.test(8, 20, correct = FALSE): 0.2188 0.6134
  CHECK(p.p == Approx(0.4));
  CHECK(p.ci_low == Approx(0.2188).margin(1e-4));
  CHECK(p.ci_high == Approx(0.6134).margin(1e-4));
  CHECK(std::isnan(proportion(0, 0).p));
}

TEST_CASE("exact Poisson interval of a rate", "[statistics]") {
  const auto r = poisson_rate(10, 2.0);  // R poisson.test(10): 4.7953887 18.3903560 (per 1 unit)
  CHECK(r.rate == Approx(5.0));
  CHECK(r.ci_low == Approx(4.7953887 / 2).epsilon(1e-7));
  CHECK(r.ci_high == Approx(18.3903560 / 2).epsilon(1e-7));
  const auto z = poisson_rate(0, 2.0);  // R poisson.test(0, 2): 0 1.8444397
  CHECK(z.ci_low == 0.0);
  CHECK(z.ci_high == Approx(1.8444397).epsilon(1e-7));
}
