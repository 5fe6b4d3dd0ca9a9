// `alliance-sim analyse` (see analyse.hpp): the analyses, each filling its tables.
#include "analysis/analyse.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "analysis/panel.hpp"
#include "analysis/statistics.hpp"
#include "engine/errors.hpp"

namespace asim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Codes of schema_version 1 (docs/hdf5-schema.md).
constexpr int kOpen = 0, kClosed = 1;
constexpr int kExitInCare = 0, kExitDropout = 2, kExitAbsconded = 3;
const char* const kSettingNames[] = {"open", "closed"};
const char* const kProfileNames[] = {"externalising", "internalising", "mixed"};

using stats::StatsError;

// Values of x where mask[k] holds.
std::vector<double> subset(const std::vector<double>& x, const std::vector<bool>& mask) {
  std::vector<double> out;
  for (std::size_t k = 0; k < x.size(); ++k)
    if (mask[k]) out.push_back(x[k]);
  return out;
}

struct Tables {
  Table descriptives, agreement, alliance_outcome, logistic, lr_tests, median_split, clpm,
      clpm_replicates, survival, hazard, trajectories, survival_curve, peer_change, co_absconding,
      integration;
};

const std::vector<std::pair<std::string, std::string>> kRatedMeasures{
    {"alliance_youth", "youth"},       {"alliance_mentor", "mentor"}, {"alliance_parent", "parent"},
    {"alliance_observer", "observer"}, {"motivation", "youth"},       {"problems", "youth"}};

void descriptives(const Panel& p, Table& t) {
  const auto& setting = p.field("setting");
  for (const auto& [measure, informant] : kRatedMeasures)
    for (int s = -1; s <= 1; ++s) {
      std::vector<bool> mask(setting.size());
      for (std::size_t k = 0; k < mask.size(); ++k) mask[k] = s < 0 || setting[k] == s;
      for (std::size_t w = 0; w < p.waves; ++w) {
        const auto d = stats::describe(subset(p.at_wave(measure, w), mask));
        t.rows.push_back({text(p.scenario), text(measure), text(informant),
                          text(s < 0 ? "all" : kSettingNames[s]), text(p.wave_names[w]),
                          count(p.wave_days[w]), count(d.n), count(d.missing), num(d.mean),
                          num(d.sd)});
      }
    }
}

// Mean of each replicate's mean rating at each wave: the trajectory a single simulated
// institution shows, and how much it varies between replicates (the band of the report).
void trajectories(const Panel& p, Table& t) {
  const std::size_t N = p.youths;
  for (const char* measure : {"alliance_youth", "alliance_mentor"})
    for (std::size_t w = 0; w < p.waves; ++w) {
      const auto values = p.at_wave(measure, w);
      std::vector<double> means(p.replicates);
      long measured = 0;
      for (std::size_t r = 0; r < p.replicates; ++r) {
        const auto d = stats::describe(std::span<const double>(values).subspan(r * N, N));
        means[r] = d.mean;
        measured += d.n;
      }
      const auto pooled = stats::pool_replicates(means);
      t.rows.push_back({text(p.scenario), text(measure),
                        text(std::string(measure) == "alliance_youth" ? "youth" : "mentor"),
                        text(p.wave_names[w]), count(p.wave_days[w]), count(pooled.replicates),
                        count(measured), num(pooled.estimate), num(pooled.ci_low),
                        num(pooled.ci_high), num(stats::quantile(means, 0.025)),
                        num(stats::quantile(means, 0.975))});
    }
}

void agreement(const Panel& p, Table& t) {
  const char* const raters[] = {"youth", "mentor", "parent", "observer"};
  for (std::size_t w = 0; w < p.waves; ++w)
    for (int a = 0; a < 4; ++a)
      for (int b = a + 1; b < 4; ++b) {
        const auto x = p.at_wave(std::string("alliance_") + raters[a], w);
        const auto y = p.at_wave(std::string("alliance_") + raters[b], w);
        std::vector<double> xs, ys;  // complete pairs, for the mean difference
        for (std::size_t k = 0; k < x.size(); ++k)
          if (!std::isnan(x[k]) && !std::isnan(y[k])) xs.push_back(x[k]), ys.push_back(y[k]);
        const auto pr = stats::pearson(x, y);
        const auto sp = stats::spearman(x, y);
        const auto d = stats::cohens_d(xs, ys);
        t.rows.push_back({text(p.scenario), text(p.wave_names[w]), text(raters[a]), text(raters[b]),
                          count(pr.n), num(pr.r), num(pr.ci_low), num(pr.ci_high), num(sp.r),
                          num(sp.ci_low), num(sp.ci_high), num(d.mean_a), num(d.mean_b),
                          num(d.difference), num(d.d), num(d.ci_low), num(d.ci_high)});
      }
}

void alliance_outcome(const Panel& p, Tables& t) {
  const auto& favourable = p.field("favourable");
  // The first wave, the settled wave (3m in the study) and the last (panel.hpp, wave roles).
  const std::size_t first = 0, m3 = settled_wave(p.waves), m9 = p.waves - 1;
  const auto suffix = wave_suffixes(p.wave_names, p.wave_days);
  // (c1) correlations of youth alliance with the favourable outcome (point-biserial r).
  auto correlate = [&](const std::string& label, const std::vector<double>& x) {
    const auto c = stats::pearson(x, favourable);
    long n = 0, fav = 0;
    for (std::size_t k = 0; k < x.size(); ++k)
      if (!std::isnan(x[k]) && !std::isnan(favourable[k])) ++n, fav += favourable[k] > 0;
    t.alliance_outcome.rows.push_back(
        {text(p.scenario), text(label), count(n),
         num(n ? 100.0 * static_cast<double>(fav) / static_cast<double>(n) : kNaN), num(c.r),
         num(c.ci_low), num(c.ci_high), num(c.p)});
  };
  for (std::size_t w = 0; w < p.waves; ++w)
    correlate("alliance_youth_" + suffix[w], p.at_wave("alliance_youth", w));
  if (m9 > first) {  // change from the first to the last wave (none with a single wave)
    const auto a0 = p.at_wave("alliance_youth", first), a9 = p.at_wave("alliance_youth", m9);
    std::vector<double> change(a0.size());
    for (std::size_t k = 0; k < change.size(); ++k) change[k] = a9[k] - a0[k];
    correlate("alliance_youth_change_" + suffix[first] + "_" + suffix[m9], change);
  }

  // (c2) logistic regressions at the settled wave (3m), all three on the youths with both ratings.
  const auto youth = p.at_wave("alliance_youth", m3), mentor = p.at_wave("alliance_mentor", m3);
  const auto rows = stats::complete_rows({youth, mentor, favourable});
  const auto n = static_cast<Eigen::Index>(rows.size());
  Eigen::MatrixXd X(n, 2);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const std::size_t k = rows[static_cast<std::size_t>(i)];
    X(i, 0) = youth[k];
    X(i, 1) = mentor[k];
    y(i) = favourable[k];
  }
  const std::string yname = "alliance_youth_" + suffix[m3], mname = "alliance_mentor_" + suffix[m3];
  std::optional<stats::LogitFit> fits[3];
  const char* const model_names[] = {"youth", "mentor", "youth+mentor"};
  for (int m = 0; m < 3; ++m) {
    try {
      if (m == 0) fits[m] = stats::logistic(X.col(0), y, {yname});
      if (m == 1) fits[m] = stats::logistic(X.col(1), y, {mname});
      if (m == 2) fits[m] = stats::logistic(X, y, {yname, mname});
    } catch (const StatsError& e) {
      t.logistic.rows.push_back({text(p.scenario),
                                 text(model_names[m]),
                                 text("(not estimable)"),
                                 count(static_cast<long long>(n)),
                                 {},
                                 {},
                                 {},
                                 {},
                                 {},
                                 {},
                                 {},
                                 {}});
      continue;
    }
    const auto& f = *fits[m];
    for (std::size_t j = 0; j < f.terms.size(); ++j) {
      const auto jj = static_cast<Eigen::Index>(j);
      t.logistic.rows.push_back({text(p.scenario), text(model_names[m]), text(f.terms[j]),
                                 count(f.n), num(f.coef(jj)), num(f.se(jj)), num(f.p(jj)),
                                 num(f.odds_ratio(jj)), num(f.or_low(jj)), num(f.or_high(jj)),
                                 num(f.log_likelihood), num(f.deviance)});
    }
  }
  auto lr = [&](int reduced, const std::string& added) {
    if (!fits[reduced] || !fits[2]) {
      t.lr_tests.rows.push_back({text(p.scenario),
                                 text(model_names[reduced]),
                                 text(model_names[2]),
                                 text(added),
                                 count(static_cast<long long>(n)),
                                 {},
                                 {},
                                 {}});
      return;
    }
    const auto test = stats::likelihood_ratio(*fits[reduced], *fits[2]);
    t.lr_tests.rows.push_back({text(p.scenario), text(model_names[reduced]), text(model_names[2]),
                               text(added), count(fits[2]->n), num(test.chi2), count(test.df),
                               num(test.p)});
  };
  lr(0, mname);
  lr(1, yname);

  // (c3) median split on both ratings (strong = above the median), in the same youths.
  std::vector<double> ys, ms;
  for (std::size_t k : rows) ys.push_back(youth[k]), ms.push_back(mentor[k]);
  const double ymed = stats::quantile(ys, 0.5), mmed = stats::quantile(ms, 0.5);
  long cells_n[2][2] = {}, cells_fav[2][2] = {};
  for (std::size_t k : rows) {
    const int ystrong = youth[k] > ymed, mstrong = mentor[k] > mmed;
    ++cells_n[ystrong][mstrong];
    cells_fav[ystrong][mstrong] += favourable[k] > 0;
  }
  const char* const strength[] = {"weak", "strong"};
  for (int ys_ = 0; ys_ < 2; ++ys_)
    for (int ms_ = 0; ms_ < 2; ++ms_) {
      const auto pr = stats::proportion(cells_fav[ys_][ms_], cells_n[ys_][ms_]);
      t.median_split.rows.push_back({text(p.scenario), text(strength[ys_]), text(strength[ms_]),
                                     num(ymed), num(mmed), count(pr.n), count(pr.successes),
                                     num(100 * pr.p), num(100 * pr.ci_low), num(100 * pr.ci_high)});
    }
}

// (d) Cross-lagged panel: for each lag between consecutive waves after the first (3m -> 6m,
// 6m -> 9m in the study; with two waves, the one lag between them), in each replicate and
// setting, OLS of each wave-t variable on both wave-(t-1) variables, all four standardised within
// the replicate and setting on the youths with all four measured (listwise), so the slopes are
// the standardised autoregressive and cross-lagged paths.
constexpr Eigen::Index kMinClpmCases = 10;

void clpm(const Panel& p, Tables& t) {
  std::vector<std::size_t> waves = later_waves(p.waves);
  if (waves.size() < 2) {
    waves.clear();
    for (std::size_t w = 0; w < p.waves; ++w) waves.push_back(w);
  }
  if (waves.size() < 2) {
    // One wave: no lag to estimate; said in the table rather than left out silently.
    t.clpm.rows.push_back({text(p.scenario),
                           text("all"),
                           text("(needs two waves; this scenario has one)"),
                           {},
                           count(0),
                           {},
                           {},
                           {},
                           {},
                           {},
                           {},
                           {}});
    return;
  }
  const std::size_t L = waves.size() - 1;  // lags
  const auto suffix = wave_suffixes(p.wave_names, p.wave_days);
  const auto& setting = p.field("setting");
  const std::string vars[] = {"alliance_youth", "motivation"};
  const std::size_t N = p.youths, R = p.replicates;
  // est/se at [at(s, lag, o, q)][replicate]; cases at [s * L + lag][replicate].
  auto at = [L](int s, std::size_t lag, int o, int q) {
    return ((static_cast<std::size_t>(s) * L + lag) * 2 + static_cast<std::size_t>(o)) * 2 +
           static_cast<std::size_t>(q);
  };
  std::vector<std::vector<double>> est(2 * L * 4, std::vector<double>(R, kNaN)),
      se(2 * L * 4, std::vector<double>(R, kNaN)), cases(2 * L, std::vector<double>(R, kNaN));
  std::vector<std::vector<double>> series[2];
  for (int v = 0; v < 2; ++v)
    for (std::size_t w : waves) series[v].push_back(p.at_wave(vars[v], w));
  for (std::size_t r = 0; r < R; ++r)
    for (int s = 0; s < 2; ++s)
      for (std::size_t lag = 0; lag < L; ++lag) {
        // Columns: alliance(t-1), motivation(t-1), alliance(t), motivation(t).
        std::vector<double> cols[4];
        for (std::size_t i = 0; i < N; ++i) {
          const std::size_t k = r * N + i;
          if (setting[k] != s) continue;
          const double v[4] = {series[0][lag][k], series[1][lag][k], series[0][lag + 1][k],
                               series[1][lag + 1][k]};
          if (std::isnan(v[0]) || std::isnan(v[1]) || std::isnan(v[2]) || std::isnan(v[3]))
            continue;
          for (int c = 0; c < 4; ++c) cols[c].push_back(v[c]);
        }
        const auto n = static_cast<Eigen::Index>(cols[0].size());
        if (n < kMinClpmCases) continue;  // too few youths measured at both waves
        try {
          std::vector<double> z[4];
          for (int c = 0; c < 4; ++c) z[c] = stats::standardise(cols[c]);
          Eigen::MatrixXd X(n, 2);
          for (Eigen::Index i = 0; i < n; ++i) {
            X(i, 0) = z[0][static_cast<std::size_t>(i)];
            X(i, 1) = z[1][static_cast<std::size_t>(i)];
          }
          for (int o = 0; o < 2; ++o) {
            const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(z[2 + o].data(), n);
            const auto f = stats::ols(X, y, {vars[0], vars[1]});
            for (int q = 0; q < 2; ++q)
              est[at(s, lag, o, q)][r] = f.coef(q + 1), se[at(s, lag, o, q)][r] = f.se(q + 1);
          }
          cases[static_cast<std::size_t>(s) * L + lag][r] = static_cast<double>(n);
        } catch (const StatsError&) {
          // Too few youths in care at both waves, or no variance: this replicate is skipped.
        }
      }
  for (std::size_t lag = 0; lag < L; ++lag)
    for (int o = 0; o < 2; ++o)
      for (int q = 0; q < 2; ++q) {
        const std::string path =
            vars[q] + "_" + suffix[waves[lag]] + " -> " + vars[o] + "_" + suffix[waves[lag + 1]];
        const char* kind = o == q ? "autoregressive" : "cross-lagged";
        for (int s = 0; s < 2; ++s) {
          const auto pooled = stats::pool_replicates(est[at(s, lag, o, q)], se[at(s, lag, o, q)]);
          const auto& n_s = cases[static_cast<std::size_t>(s) * L + lag];
          const auto n = stats::describe(n_s);
          t.clpm.rows.push_back({text(p.scenario), text(kSettingNames[s]), text(path), text(kind),
                                 count(pooled.replicates), num(n.mean), num(pooled.estimate),
                                 num(pooled.se), num(pooled.ci_low), num(pooled.ci_high),
                                 num(pooled.between_sd), num(pooled.mean_within_se)});
          for (std::size_t r = 0; r < R; ++r)
            t.clpm_replicates.rows.push_back(
                {text(p.scenario), count(static_cast<long long>(p.first_replicate + r)),
                 text(kSettingNames[s]), text(path), text(kind), num(n_s[r]),
                 num(est[at(s, lag, o, q)][r]), num(se[at(s, lag, o, q)][r])});
        }
        // Closed minus open within each replicate (one simulated institution with both
        // settings), then pooled over replicates like the paths themselves.
        std::vector<double> diff(R);
        for (std::size_t r = 0; r < R; ++r)
          diff[r] = est[at(kClosed, lag, o, q)][r] - est[at(kOpen, lag, o, q)][r];
        const auto pooled = stats::pool_replicates(diff);
        t.clpm.rows.push_back({text(p.scenario),
                               text("closed-open"),
                               text(path),
                               text(kind),
                               count(pooled.replicates),
                               {},
                               num(pooled.estimate),
                               num(pooled.se),
                               num(pooled.ci_low),
                               num(pooled.ci_high),
                               num(pooled.between_sd),
                               {}});
      }
}

// (e) Time to premature exit and the hazard by first-wave alliance.
void survival(const Panel& p, Tables& t) {
  const auto& reason = p.field("exit_reason");
  const auto& exit_day = p.field("exit_day");
  const auto& setting = p.field("setting");
  const auto& profile = p.field("profile");
  const double end = p.wave_days.back();  // end of follow-up: the last wave day
  // Survival read at day 30 and at each wave after the first (30, 91, 182, 273 in the study),
  // up to the end of follow-up.
  std::vector<double> survival_days;
  if (end >= 30) survival_days.push_back(30);
  for (const std::size_t w : later_waves(p.waves)) survival_days.push_back(p.wave_days[w]);
  std::sort(survival_days.begin(), survival_days.end());
  survival_days.erase(std::unique(survival_days.begin(), survival_days.end()), survival_days.end());
  const std::size_t M = reason.size();
  std::vector<double> time(M, kNaN);
  std::vector<int> event(M, 0);
  for (std::size_t k = 0; k < M; ++k) {
    if (std::isnan(reason[k])) continue;
    const int r = static_cast<int>(reason[k]);
    if (r == kExitInCare)
      time[k] = end;
    else if (!std::isnan(exit_day[k]))
      time[k] = exit_day[k];
    event[k] = r == kExitDropout || r == kExitAbsconded;
  }
  auto curve = [&](const std::string& by, const std::string& group, const std::vector<bool>& mask) {
    std::vector<double> ts;
    std::vector<int> es;
    for (std::size_t k = 0; k < M; ++k)
      if (mask[k]) ts.push_back(time[k]), es.push_back(event[k]);
    const auto km = stats::kaplan_meier(ts, es);
    for (const auto& step : km.steps)
      t.survival_curve.rows.push_back(
          {text(p.scenario), text(by), text(group), count(static_cast<long long>(step.time)),
           count(step.at_risk), count(step.events), count(step.censored), num(step.survival),
           num(step.ci_low), num(step.ci_high)});
    for (double day : survival_days) {
      const auto s = km.at(day);
      t.survival.rows.push_back({text(p.scenario), text(by), text(group), count(km.n),
                                 count(km.events), count(static_cast<long long>(day)),
                                 count(s.at_risk), num(s.survival), num(s.se), num(s.ci_low),
                                 num(s.ci_high)});
    }
  };
  curve("all", "all", std::vector<bool>(M, true));
  for (int s = 0; s < 2; ++s) {
    std::vector<bool> mask(M);
    for (std::size_t k = 0; k < M; ++k) mask[k] = setting[k] == s;
    curve("setting", kSettingNames[s], mask);
  }
  for (int g = 0; g < 3; ++g) {
    std::vector<bool> mask(M);
    for (std::size_t k = 0; k < M; ++k) mask[k] = profile[k] == g;
    curve("profile", kProfileNames[g], mask);
  }

  // Hazard from the first wave (a landmark: only youths measured then, at risk from that day).
  const std::size_t first = 0;  // the first wave (the first impression)
  const double landmark = p.wave_days[first];
  const auto alliance = p.at_wave("alliance_youth", first);
  const double cut1 = stats::quantile(alliance, 1.0 / 3), cut2 = stats::quantile(alliance, 2.0 / 3);
  const char* const tertiles[] = {"low", "middle", "high", "all"};
  long events[4] = {}, youths[4] = {};
  double days[4] = {};
  double lo[4], hi[4];
  std::fill(lo, lo + 4, std::numeric_limits<double>::infinity());
  std::fill(hi, hi + 4, -std::numeric_limits<double>::infinity());
  for (std::size_t k = 0; k < M; ++k) {
    if (std::isnan(alliance[k]) || std::isnan(time[k])) continue;
    const int tertile = alliance[k] <= cut1 ? 0 : alliance[k] <= cut2 ? 1 : 2;
    for (int g : {tertile, 3}) {
      ++youths[g];
      events[g] += event[k];
      days[g] += std::max(0.0, time[k] - landmark);
      lo[g] = std::min(lo[g], alliance[k]);
      hi[g] = std::max(hi[g], alliance[k]);
    }
  }
  for (int g = 0; g < 4; ++g) {
    const auto rate = stats::poisson_rate(events[g], days[g] / 1000.0);
    t.hazard.rows.push_back({text(p.scenario), text(tertiles[g]), num(youths[g] ? lo[g] : kNaN),
                             num(youths[g] ? hi[g] : kNaN), count(youths[g]), count(events[g]),
                             num(days[g]), num(rate.rate), num(rate.ci_low), num(rate.ci_high)});
  }
}

// (f) Peer effects (peers as agents): the wave measures of the peer network, the events
// ran_off_together and exit (docs/hdf5-schema.md). Files without the peer measures get no rows.
const std::vector<std::string> kPeerMeasures{"peer_friends", "peer_conflicts",
                                             "peer_acting_out_friends", "problems_true"};

bool has_peer_measures(const Panel& p) {
  for (const auto& m : kPeerMeasures)
    if (!p.wave_values.count(m)) return false;
  return true;
}

// Change in latent problems from intake (youth/static/severity) to the last wave the youth was
// measured at, by the share of acting-out (externalising) friends at the settled wave (3m),
// for all youths and, where `high_understaffing` is given (per youth: 1 when the youth's group at
// admission had a share of understaffed days above the median group of its replicate, 0 if
// not), within each half.
void peer_change(const Panel& p, const std::vector<double>& high_understaffing, Table& t) {
  if (!has_peer_measures(p)) return;
  const std::size_t settled = settled_wave(p.waves);
  const auto friends = p.at_wave("peer_friends", settled);
  const auto acting = p.at_wave("peer_acting_out_friends", settled);
  const auto& severity = p.field("severity");
  const auto& problems = p.wave_values.at("problems_true");
  const std::size_t M = severity.size();
  std::vector<double> change(M, kNaN);
  std::vector<int> category(M, -1);
  for (std::size_t k = 0; k < M; ++k) {
    if (std::isnan(friends[k])) continue;  // not measured at the settled wave
    for (std::size_t w = p.waves; w-- > 0;) {
      const double v = problems[k * p.waves + w];
      if (std::isnan(v)) continue;
      change[k] = v - severity[k];
      break;
    }
    category[k] = friends[k] == 0 ? 0 : acting[k] == 0 ? 1 : acting[k] < 0.5 ? 2 : 3;
  }
  const char* const categories[] = {"no friends", "none", "some", "half or more"};
  const char* const strata[] = {"all", "at or below median", "above median"};
  for (int stratum = -1; stratum <= 1; ++stratum) {
    if (stratum >= 0 && high_understaffing.size() != M) break;
    for (int c = 0; c < 4; ++c) {
      std::vector<double> x;
      for (std::size_t k = 0; k < M; ++k)
        if (category[k] == c && (stratum < 0 || high_understaffing[k] == stratum))
          x.push_back(change[k]);
      const auto d = stats::describe(x);
      const double half = d.n >= 2 ? 1.96 * d.sd / std::sqrt(static_cast<double>(d.n)) : kNaN;
      t.rows.push_back({text(p.scenario), text(strata[stratum + 1]), text(p.wave_names[settled]),
                        text(categories[c]), count(d.n), num(d.mean), num(d.mean - half),
                        num(d.mean + half), num(d.sd)});
    }
  }
}

// Integration in the living group at each wave: friends and youths without a friend.
void integration(const Panel& p, Table& t) {
  if (!has_peer_measures(p)) return;
  for (std::size_t w = 0; w < p.waves; ++w) {
    const auto friends = p.at_wave("peer_friends", w);
    const auto conflicts = p.at_wave("peer_conflicts", w);
    const auto d = stats::describe(friends);
    long none = 0;
    for (double f : friends) none += f == 0;
    const auto share = stats::proportion(none, d.n);
    t.rows.push_back({text(p.scenario), text(p.wave_names[w]), count(p.wave_days[w]), count(d.n),
                      num(d.mean), num(d.sd), count(none), num(100 * share.p),
                      num(100 * share.ci_low), num(100 * share.ci_high),
                      num(stats::describe(conflicts).mean)});
  }
}

// Co-absconding: of the absconding exits (event exit with value 3) of the panel's replicates,
// those of youths with a ran_off_together event.
void co_absconding(const ResultFile& file, const Panel& p, Table& t) {
  h5::Handle g = h5::open_group(file.id(), "scenarios/" + p.scenario);
  if (!h5::exists(g.id(), "events") || !h5::exists(g.id(), "events/kind")) return;
  const auto names = h5::get_attr_strings(h5::open_group(g.id(), "events").id(), "kind_names");
  const auto exit_code = std::find(names.begin(), names.end(), "exit") - names.begin();
  const auto together_code =
      std::find(names.begin(), names.end(), "ran_off_together") - names.begin();
  if (together_code == static_cast<std::ptrdiff_t>(names.size())) return;  // before peers
  std::vector<std::int8_t> kind;
  std::vector<std::int32_t> replicate, youth;
  std::vector<float> value;
  h5::read_all(h5::open_dataset(g.id(), "events/kind").id(), kind);
  h5::read_all(h5::open_dataset(g.id(), "events/replicate").id(), replicate);
  h5::read_all(h5::open_dataset(g.id(), "events/youth").id(), youth);
  h5::read_all(h5::open_dataset(g.id(), "events/value").id(), value);
  const std::size_t first = p.first_replicate, last = first + p.replicates;
  std::vector<char> together(p.replicates * p.youths, 0), absconded(p.replicates * p.youths, 0);
  for (std::size_t e = 0; e < kind.size(); ++e) {
    const auto r = static_cast<std::size_t>(replicate[e]);
    if (youth[e] < 0 || r < first || r >= last || static_cast<std::size_t>(youth[e]) >= p.youths)
      continue;
    const std::size_t k = (r - first) * p.youths + static_cast<std::size_t>(youth[e]);
    if (kind[e] == together_code) together[k] = 1;
    if (kind[e] == exit_code && value[e] == kExitAbsconded) absconded[k] = 1;
  }
  long exits = 0, with_friend = 0;
  for (std::size_t k = 0; k < absconded.size(); ++k) {
    exits += absconded[k];
    with_friend += absconded[k] && together[k];
  }
  const auto share = stats::proportion(with_friend, exits);
  t.rows.push_back({text(p.scenario), count(exits), count(with_friend),
                    num(exits ? 100 * share.p : kNaN), num(exits ? 100 * share.ci_low : kNaN),
                    num(exits ? 100 * share.ci_high : kNaN)});
}

// Per youth of the panel: 1 when the youth's group at admission had a share of understaffed days
// (groups/daily/understaffed, over every simulated day) above the median group of the replicate,
// 0 if not; empty when the file has no group series (a lean file).
std::vector<double> high_understaffing(const ResultFile& file, const Panel& p) {
  h5::Handle g = h5::open_group(file.id(), "scenarios/" + p.scenario);
  if (!h5::exists(g.id(), "groups/daily/understaffed") || p.replicates == 0) return {};
  h5::Handle ds = h5::open_dataset(g.id(), "groups/daily/understaffed");
  const auto shape = h5::shape(ds.id());
  if (shape.size() != 3) return {};
  const hsize_t G = shape[1], T = shape[2];
  const auto& group = p.field("group");
  std::vector<double> out(p.replicates * p.youths, kNaN);
  std::vector<float> days;
  for (std::size_t r = 0; r < p.replicates; ++r) {
    h5::read(ds.id(), days, {p.first_replicate + r, 0, 0}, {1, G, T});
    std::vector<double> share(G, kNaN);
    for (hsize_t i = 0; i < G; ++i) {
      double sum = 0;
      long n = 0;
      for (hsize_t d = 0; d < T; ++d)
        if (!std::isnan(days[i * T + d])) sum += days[i * T + d], ++n;
      share[i] = n ? sum / n : kNaN;
    }
    const double median = stats::quantile(share, 0.5);
    for (std::size_t i = 0; i < p.youths; ++i) {
      const double gi = group[r * p.youths + i];
      if (std::isnan(gi) || gi < 0 || gi >= static_cast<double>(G)) continue;
      const double s = share[static_cast<std::size_t>(gi)];
      if (!std::isnan(s)) out[r * p.youths + i] = s > median;
    }
  }
  return out;
}

Tables make_tables() {
  Tables t;
  t.descriptives = {"descriptives",
                    "(a) Descriptives by measure, setting and wave",
                    {"Every youth of every replicate is one observation; missing = youths no "
                     "longer in care on the wave day."},
                    {"scenario", "measure", "informant", "setting", "wave", "wave_day", "n",
                     "missing", "mean", "sd"},
                    {},
                    true};
  t.agreement = {
      "agreement",
      "(b) Informant agreement on the alliance",
      {"Complete pairs of the two raters at each wave; r: Pearson, rho: Spearman (average ranks), "
       "Fisher-z 95% CIs.",
       "d: Cohen's d of the mean difference a - b over the pooled SD of the two ratings (d_av).",
       "The observer scale is 0-5, the others 1-5: compare observer means with care."},
      {"scenario", "wave", "rater_a", "rater_b", "n", "r", "r_ci_low", "r_ci_high", "rho",
       "rho_ci_low", "rho_ci_high", "mean_a", "mean_b", "difference", "d", "d_ci_low", "d_ci_high"},
      {},
      true};
  t.alliance_outcome = {
      "alliance_outcome",
      "(c) Youth-rated alliance and the favourable outcome",
      {"r: point-biserial correlation with favourable (0/1) over the youths measured at that wave, "
       "Fisher-z 95% CI.",
       "Youths measured at a later wave are those still in care: later-wave correlations condition "
       "on staying."},
      {"scenario", "predictor", "n", "favourable_pct", "r", "r_ci_low", "r_ci_high", "p"},
      {},
      true};
  t.logistic = {"logistic",
                "(c) Logistic regression of favourable on alliance at the second wave",
                {"All three models on the youths rated by both youth and mentor at the second "
                 "wave, the first after the first impression (3m in the study; all replicates "
                 "pooled).",
                 "Odds ratios per scale point (1-5) with Wald 95% CIs; deviance = -2 log L."},
                {"scenario", "model", "term", "n", "coef", "se", "p", "odds_ratio",
                 "odds_ratio_ci_low", "odds_ratio_ci_high", "log_likelihood", "deviance"},
                {},
                true};
  t.lr_tests = {
      "lr_tests", "(c) Likelihood-ratio tests: does the second perspective add to the first?",
      {},         {"scenario", "reduced", "full", "added", "n", "chi2", "df", "p"},
      {},         true};
  t.median_split = {
      "median_split",
      "(c) Favourable outcome by median split of youth and mentor alliance at the second wave",
      {"Strong = above the median of the youths rated by both; Wilson 95% CIs."},
      {"scenario", "youth_alliance", "mentor_alliance", "youth_median", "mentor_median", "n",
       "favourable", "favourable_pct", "favourable_pct_ci_low", "favourable_pct_ci_high"},
      {},
      true};
  t.clpm = {
      "clpm",
      "(d) Cross-lagged panel paths of youth alliance and motivation (standardised)",
      {"Consecutive waves after the first (3m -> 6m -> 9m in the study; with two waves, the "
       "two).",
       "Per replicate and setting: OLS of each wave-t variable on both wave-(t-1) variables, all "
       "four",
       "standardised on the youths measured at both waves. Pooled over replicates: estimate = mean "
       "of the",
       "per-replicate paths, se = between-replicate SD / sqrt(replicates), t 95% CI (Rubin's rules "
       "without the",
       "within-replicate term, which the between-replicate spread already contains); "
       "mean_within_se beside it.",
       "closed-open: per-replicate difference of the two settings' paths, pooled the same way.",
       "A replicate with fewer than 10 youths of the setting measured at both waves is left out "
       "(replicates: those used).",
       "Per-replicate paths: table clpm_replicates (--table clpm_replicates, or in --csv / "
       "--json)."},
      {"scenario", "setting", "path", "kind", "replicates", "mean_n", "estimate", "se",
       "estimate_ci_low", "estimate_ci_high", "between_sd", "mean_within_se"},
      {},
      true};
  t.clpm_replicates = {"clpm_replicates",
                       "(d) Cross-lagged panel paths per replicate",
                       {},
                       {"scenario", "replicate", "setting", "path", "kind", "n", "estimate", "se"},
                       {},
                       false};
  t.survival = {
      "survival",
      "(e) Kaplan-Meier: staying in care without premature exit (drop-out or absconding)",
      {"Other exits (planned discharge, transfer) are censored at their day; youths in care at the "
       "end at the last wave day.",
       "Read at day 30 and at each wave after the first.",
       "S(t) with Greenwood SE and log-log 95% CI; at_risk = youths still followed on that day."},
      {"scenario", "by", "group", "n", "events", "day", "at_risk", "survival", "se",
       "survival_ci_low", "survival_ci_high"},
      {},
      true};
  t.hazard = {
      "hazard",
      "(e) Premature exits per 1000 youth-days by tertile of first-wave youth alliance",
      {"Landmark at the first wave: youths measured then, youth-days counted from that day to exit "
       "or end of follow-up.",
       "Exact Poisson 95% CIs."},
      {"scenario", "tertile", "alliance_min", "alliance_max", "youths", "events", "youth_days",
       "hazard_per_1000", "hazard_per_1000_ci_low", "hazard_per_1000_ci_high"},
      {},
      true};
  t.trajectories = {
      "trajectories",
      "(a) Alliance trajectories: mean rating per replicate, over replicates",
      {"mean: mean over replicates of each replicate's mean rating of the youths measured at that "
       "wave, t 95% CI;",
       "replicates_p2.5 / replicates_p97.5: the central 95% of the replicate means (the spread one "
       "simulated institution shows)."},
      {"scenario", "measure", "informant", "wave", "wave_day", "replicates", "n", "mean",
       "mean_ci_low", "mean_ci_high", "replicates_p2.5", "replicates_p97.5"},
      {},
      true};
  t.survival_curve = {
      "survival_curve",
      "(e) Kaplan-Meier curves, every step (for plotting)",
      {"One row per distinct day of a premature exit or a censoring, as in table survival."},
      {"scenario", "by", "group", "day", "at_risk", "events", "censored", "survival",
       "survival_ci_low", "survival_ci_high"},
      {},
      false};
  t.peer_change = {
      "peer_change",
      "(f) Change in latent problems from intake to the last wave, by acting-out friends at the "
      "second wave",
      {"change: mean latent problems at the last wave the youth was measured at (problems_true) "
       "minus "
       "latent problems at intake (youth/static/severity); youths measured at the second wave (3m "
       "in the study).",
       "acting_out_friends: share of the youth's friends with an externalising profile then "
       "(none, some = below half, half or more); no friends: no friend in the group.",
       "understaffing: the youth's group at admission had a share of understaffed days above, or "
       "at or below, the median group of its replicate (groups/daily/understaffed, every "
       "simulated day);",
       "only in files with the group series (run --group-series); a lean file has the rows "
       "\"all\" only. 95% CI: mean +- 1.96 SE."},
      {"scenario", "understaffing", "wave", "acting_out_friends", "n", "change", "change_ci_low",
       "change_ci_high", "change_sd"},
      {},
      true};
  t.co_absconding = {
      "co_absconding",
      "(f) Co-absconding: absconding exits of youths who ran off together with a friend",
      {"absconding_exits: exit events with reason 3 (absconded) of tracked youths; "
       "ran_off_together: those of youths with a ran_off_together event. Wilson 95% CI."},
      {"scenario", "absconding_exits", "ran_off_together", "ran_off_together_pct",
       "ran_off_together_pct_ci_low", "ran_off_together_pct_ci_high"},
      {},
      true};
  t.integration = {
      "integration",
      "(f) Integration in the living group: friends and youths without a friend by wave",
      {"Youths measured at each wave (peer_friends, peer_conflicts); friendless: no friend in the "
       "group, Wilson 95% CI."},
      {"scenario", "wave", "wave_day", "n", "mean_friends", "sd_friends", "friendless",
       "friendless_pct", "friendless_pct_ci_low", "friendless_pct_ci_high", "mean_conflicts"},
      {},
      true};
  return t;
}

}  // namespace

const std::vector<std::string>& analysis_table_names() {
  static const std::vector<std::string> names{
      "descriptives", "agreement",      "alliance_outcome", "logistic",      "lr_tests",
      "median_split", "clpm",           "clpm_replicates",  "survival",      "hazard",
      "trajectories", "survival_curve", "peer_change",      "co_absconding", "integration"};
  return names;
}

// Every analysis of one scenario's panel, added to the tables.
static void analyse_into(const Panel& p, Tables& t) {
  descriptives(p, t.descriptives);
  trajectories(p, t.trajectories);
  agreement(p, t.agreement);
  alliance_outcome(p, t);
  clpm(p, t);
  survival(p, t);
  integration(p, t.integration);
}

std::vector<Table> analyse_panel(const Panel& p) {
  Tables t = make_tables();
  analyse_into(p, t);
  if (p.static_values.count("severity")) peer_change(p, {}, t.peer_change);
  return {t.descriptives, t.agreement,      t.alliance_outcome, t.logistic,      t.lr_tests,
          t.median_split, t.clpm,           t.clpm_replicates,  t.survival,      t.hazard,
          t.trajectories, t.survival_curve, t.peer_change,      t.co_absconding, t.integration};
}

const std::vector<std::string>& analysis_wave_measures() {
  static const std::vector<std::string> names{"alliance_youth",  "alliance_mentor",
                                              "alliance_parent", "alliance_observer",
                                              "motivation",      "problems"};
  return names;
}

Analysis analyse(const ResultFile& file, const std::string& scenario) {
  Tables t = make_tables();
  PanelRequest request;
  request.wave_measures = analysis_wave_measures();
  request.static_fields = {"setting", "profile"};
  request.outcome_fields = {"exit_reason", "exit_day", "favourable"};
  for (const auto& name : select_scenarios(file, scenario)) {
    // The peer tables where the file has the peer measures (files of the model with peers).
    PanelRequest want = request;
    const auto names = panel_names(file, name).wave_measures;
    bool peers = true;
    for (const auto& m : kPeerMeasures)
      peers = peers && std::find(names.begin(), names.end(), m) != names.end();
    if (peers) {
      want.wave_measures.insert(want.wave_measures.end(), kPeerMeasures.begin(),
                                kPeerMeasures.end());
      want.static_fields.insert(want.static_fields.end(), {"severity", "group"});
    }
    const Panel p = read_panel(file, name, want);
    if (p.replicates == 0 || p.youths == 0)
      throw ConfigError(file.path() + ": scenario '" + name +
                        "' has no written replicates to analyse");
    analyse_into(p, t);
    if (peers) {
      peer_change(p, high_understaffing(file, p), t.peer_change);
      co_absconding(file, p, t.co_absconding);
    }
  }
  Analysis a;
  a.file = file.path();
  a.tables = {t.descriptives, t.agreement,      t.alliance_outcome, t.logistic,      t.lr_tests,
              t.median_split, t.clpm,           t.clpm_replicates,  t.survival,      t.hazard,
              t.trajectories, t.survival_curve, t.peer_change,      t.co_absconding, t.integration};
  return a;
}

}  // namespace asim
