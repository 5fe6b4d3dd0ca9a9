// Runs the model at given parameter overrides and collects the simulated study's panel (one row
// per tracked youth over all replicates) plus per-replicate summaries, for the stylized-fact
// tests. Statistics helpers (mean, SD, Pearson r, standardised OLS with standard errors).
#pragma once
#include <tbb/task_arena.h>

#include <Eigen/Dense>
#include <cmath>
#include <string>
#include <vector>

#include "models/simulation.hpp"
#include "tests/support.hpp"

namespace asim::validation {

struct Panel {
  // [youth][wave] flattened as youth * 4 + wave
  std::vector<float> alliance_youth, alliance_mentor, alliance_parent, alliance_observer,
      motivation;
  std::vector<int> setting, externalising, favourable, premature, replicate;
  std::vector<int> admission_day;
  // daily alliance [youth * days + d] when requested
  std::vector<float> daily_alliance;
  int follow_up_days = 0;
  std::vector<Event> mentor_changes;  // with .youth = panel row
  // per replicate: mean youth alliance at 3m and 6m, premature exit %
  std::vector<double> rep_alliance_3m, rep_alliance_6m, rep_premature;
  std::size_t youths() const { return setting.size(); }
};

inline Panel run_panel(std::vector<std::string> overrides, int replicates, bool daily = false) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  overrides.push_back("run.replicates=" + std::to_string(replicates));
  for (const auto& o : overrides) loader.apply_override(s, o);
  const Model model(make_model_params(s.values));
  RunOptions options;
  options.daily[kDailyAlliance] = daily;
  Panel p;
  p.follow_up_days = model.follow_up_days();
  tbb::task_arena arena;  // all cores; results do not depend on it
  arena.execute([&] {
    run_replicates(
        model, options, 0, replicates,
        [&](ReplicateResult&& r) {
          const std::size_t base = p.youths();
          double a3 = 0, a6 = 0;
          int n3 = 0, n6 = 0, prem = 0;
          for (int c = 0; c < r.cohort; ++c) {
            for (int w = 0; w < 4; ++w) {
              const std::size_t i = static_cast<std::size_t>(c * 4 + w);
              p.alliance_youth.push_back(r.wave_values[kAllianceYouth][i]);
              p.alliance_mentor.push_back(r.wave_values[kAllianceMentor][i]);
              p.alliance_parent.push_back(r.wave_values[kAllianceParent][i]);
              p.alliance_observer.push_back(r.wave_values[kAllianceObserver][i]);
              p.motivation.push_back(r.wave_values[kMotivation][i]);
            }
            const float y3 = r.wave_values[kAllianceYouth][static_cast<std::size_t>(c * 4 + 1)];
            const float y6 = r.wave_values[kAllianceYouth][static_cast<std::size_t>(c * 4 + 2)];
            if (!std::isnan(y3)) a3 += y3, ++n3;
            if (!std::isnan(y6)) a6 += y6, ++n6;
            p.setting.push_back(static_cast<int>(r.static_values[kStSetting][c]));
            p.externalising.push_back(static_cast<int>(r.static_values[kStExternalising][c]));
            p.admission_day.push_back(static_cast<int>(r.static_values[kStAdmissionDay][c]));
            p.favourable.push_back(static_cast<int>(r.outcome_values[kOutFavourable][c]));
            p.premature.push_back(static_cast<int>(r.outcome_values[kOutPremature][c]));
            prem += p.premature.back();
            p.replicate.push_back(r.replicate);
            if (daily)
              p.daily_alliance.insert(
                  p.daily_alliance.end(),
                  r.daily_values[kDailyAlliance].begin() + c * r.follow_up_days,
                  r.daily_values[kDailyAlliance].begin() + (c + 1) * r.follow_up_days);
          }
          for (const Event& e : r.events)
            if (e.kind == kEvMentorChange && e.youth >= 0) {
              Event copy = e;
              copy.youth = static_cast<std::int32_t>(base) + e.youth;
              p.mentor_changes.push_back(copy);
            }
          p.rep_alliance_3m.push_back(a3 / n3);
          p.rep_alliance_6m.push_back(a6 / n6);
          p.rep_premature.push_back(100.0 * prem / r.cohort);
        },
        {});
  });
  return p;
}

// Values at wave w for rows where keep(row) holds, NaN dropped.
template <class Keep>
std::vector<double> wave(const std::vector<float>& v, int w, Keep keep) {
  std::vector<double> out;
  for (std::size_t i = 0; i * 4 < v.size(); ++i)
    if (keep(i) && !std::isnan(v[i * 4 + static_cast<std::size_t>(w)]))
      out.push_back(v[i * 4 + static_cast<std::size_t>(w)]);
  return out;
}
inline auto all_rows = [](std::size_t) { return true; };

inline double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}
inline double sd(const std::vector<double>& v) {
  const double m = mean(v);
  double s = 0;
  for (double x : v) s += (x - m) * (x - m);
  return std::sqrt(s / static_cast<double>(v.size() - 1));
}
inline double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Pairs (a at wave wa, b at wave wb) over rows where both are measured and keep(row) holds.
template <class Keep>
void paired(const std::vector<float>& a, int wa, const std::vector<float>& b, int wb, Keep keep,
            std::vector<double>& x, std::vector<double>& y) {
  for (std::size_t i = 0; i * 4 < a.size(); ++i) {
    const float u = a[i * 4 + static_cast<std::size_t>(wa)],
                v = b[i * 4 + static_cast<std::size_t>(wb)];
    if (keep(i) && !std::isnan(u) && !std::isnan(v)) x.push_back(u), y.push_back(v);
  }
}

struct Coefficient {
  double beta, se;
};
// Standardised OLS of y on the columns of X (each standardised); returns one per column.
inline std::vector<Coefficient> standardised_ols(const std::vector<double>& y,
                                                 const std::vector<std::vector<double>>& xs) {
  const auto n = static_cast<Eigen::Index>(y.size());
  const auto k = static_cast<Eigen::Index>(xs.size());
  auto z = [](const std::vector<double>& v) {
    const double m = mean(v), s = sd(v);
    Eigen::VectorXd out(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < v.size(); ++i) out(static_cast<Eigen::Index>(i)) = (v[i] - m) / s;
    return out;
  };
  Eigen::MatrixXd X(n, k + 1);
  X.col(0).setOnes();
  for (Eigen::Index j = 0; j < k; ++j) X.col(j + 1) = z(xs[static_cast<std::size_t>(j)]);
  const Eigen::VectorXd Y = z(y);
  const Eigen::MatrixXd XtX = X.transpose() * X;
  const Eigen::VectorXd b = XtX.ldlt().solve(X.transpose() * Y);
  const Eigen::VectorXd resid = Y - X * b;
  const double s2 = resid.squaredNorm() / static_cast<double>(n - k - 1);
  const Eigen::MatrixXd cov = s2 * XtX.inverse();
  std::vector<Coefficient> out;
  for (Eigen::Index j = 1; j <= k; ++j) out.push_back({b(j), std::sqrt(cov(j, j))});
  return out;
}

// Mean and 95 % half-width (t, df = n-1) of paired replicate differences b - a.
struct PairedDiff {
  double mean, half;
};
inline PairedDiff paired_difference(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = b[i] - a[i];
  // t(0.975) for df >= 29 is at most 2.045.
  return {mean(d), 2.045 * sd(d) / std::sqrt(static_cast<double>(d.size()))};
}

}  // namespace asim::validation
