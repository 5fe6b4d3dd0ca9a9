// Stylized facts of the setting (docs/evidence.md §2.6, §4.1, §6.1; thesis ch. 4) at default
// parameters: lower alliance and motivation in closed than in open living groups; alliance
// predicting later motivation (cross-lagged) in open but not in closed groups; the group climate
// differing by setting in growth. Each fact has a companion that neutralises its mechanism.
//
// Design: the built-in baseline (fixed run.seed) with kReps replicates of 400 tracked youths;
// companions use the same seed (common random numbers). Standard errors are delete-one-replicate
// jackknife SEs (stats.hpp). Thresholds sit at least 4 SE from the simulated value.
#include <catch2/catch.hpp>

#include "tests/validation/stats.hpp"

using namespace asim;
using namespace asim::vstats;

namespace {

constexpr int kReps = 200;         // climate: 80 000 tracked youths
constexpr int kSettingReps = 400;  // ~54 000 open and ~35 000 closed youths rated at 3 months
constexpr int kClpmReps = 400;     // cross-lagged paths in closed care rest on ~15 000 youths

// Every setting.closed.* parameter equal to its setting.open.* counterpart.
const std::vector<std::string> kClosedAsOpen = {
    "setting.closed.autonomy_restriction=0.1", "setting.closed.mandated_share=0.3",
    "setting.closed.growth_restriction=0",     "setting.closed.coercion_on_incident=0.05",
    "setting.closed.leaving_barrier=0",        "setting.closed.repression_base=0.35",
    "setting.closed.stay_median_days=240"};

// Youth-rated alliance at 3 months and motivation at 6 months by setting, overall and within
// profile (externalising or not).
struct BySetting {
  // [setting][externalising]
  PerReplicate<Moments> alliance[2][2] = {{{kSettingReps, {}}, {kSettingReps, {}}},
                                          {{kSettingReps, {}}, {kSettingReps, {}}}};
  PerReplicate<Moments> motivation[2][2] = {{{kSettingReps, {}}, {kSettingReps, {}}},
                                            {{kSettingReps, {}}, {kSettingReps, {}}}};
  void close() {
    for (auto& s : alliance)
      for (auto& e : s) e.close();
    for (auto& s : motivation)
      for (auto& e : s) e.close();
  }
  // Open minus closed mean, without replicate r.
  static double difference(const PerReplicate<Moments> (&v)[2][2], int r) {
    Moments open = v[0][0].without(r), closed = v[1][0].without(r);
    open += v[0][1].without(r);
    closed += v[1][1].without(r);
    return open.mean() - closed.mean();
  }
  // Open minus closed within each profile, weighted by the profile's share of all youths:
  // the difference that the different mix of profiles in closed care does not explain.
  static double adjusted_difference(const PerReplicate<Moments> (&v)[2][2], int r) {
    double d = 0, n = 0;
    for (int e = 0; e < 2; ++e) {
      const Moments open = v[0][e].without(r), closed = v[1][e].without(r);
      d += (open.n + closed.n) * (open.mean() - closed.mean());
      n += open.n + closed.n;
    }
    return d / n;
  }
};

BySetting by_setting(const std::vector<std::string>& overrides) {
  BySetting b;
  for_each_replicate(overrides, kSettingReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const int s = static_cast<int>(r.static_values[kStSetting][static_cast<std::size_t>(c)]);
      const int e =
          static_cast<int>(r.static_values[kStExternalising][static_cast<std::size_t>(c)]);
      b.alliance[s][e][r.replicate].add_if(wave_value(r, kAllianceYouth, c, 1));
      b.motivation[s][e][r.replicate].add_if(wave_value(r, kMotivation, c, 2));
    }
  });
  b.close();
  return b;
}

// Standardised cross-lagged paths alliance_youth(t) -> motivation(t+1) controlling for
// motivation(t), for t = 3 and 6 months, by setting: OLS accumulated per replicate.
struct CrossLagged {
  // [setting][lag 0: 3->6 months, 1: 6->9 months]
  std::vector<PerReplicate<Ols>> ols;
  explicit CrossLagged(int reps) : ols(4, PerReplicate<Ols>(reps, Ols(2))) {}
  PerReplicate<Ols>& at(int setting, int lag) {
    return ols[static_cast<std::size_t>(setting * 2 + lag)];
  }
  const PerReplicate<Ols>& at(int setting, int lag) const {
    return ols[static_cast<std::size_t>(setting * 2 + lag)];
  }
  // Standardised alliance path without replicate r.
  double path(int setting, int lag, int r) const {
    return at(setting, lag).without(r).fit().beta(1);
  }
  Estimate path(int setting, int lag) const {
    return jackknife(at(setting, lag).replicates(), [&](int r) { return path(setting, lag, r); });
  }
  double n(int setting, int lag) const { return at(setting, lag).total.n(); }
};

CrossLagged cross_lagged(const std::vector<std::string>& overrides, int reps = kClpmReps) {
  CrossLagged cl(reps);
  for_each_replicate(overrides, reps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const int s = static_cast<int>(r.static_values[kStSetting][static_cast<std::size_t>(c)]);
      for (int lag = 0; lag < 2; ++lag) {
        const int t = lag + 1;  // wave index of 3 and 6 months
        const double m_next = wave_value(r, kMotivation, c, t + 1),
                     m_now = wave_value(r, kMotivation, c, t),
                     a_now = wave_value(r, kAllianceYouth, c, t);
        if (std::isnan(m_next) || std::isnan(m_now) || std::isnan(a_now)) continue;
        cl.at(s, lag)[r.replicate].add(m_next, {m_now, a_now});
      }
    }
  });
  for (auto& o : cl.ols) o.close();
  return cl;
}

// Open minus closed youth-rated climate scales at the 3-month wave, and their SDs.
struct ClimateGaps {
  Estimate growth, support, atmosphere, repression;            // open - closed, 1-5 scale
  double sd_growth, sd_support, sd_atmosphere, sd_repression;  // SD over all youths
};
ClimateGaps climate_gaps(const std::vector<std::string>& overrides) {
  PerReplicate<Moments> growth[2] = {{kReps, {}}, {kReps, {}}},
                        support[2] = {{kReps, {}}, {kReps, {}}},
                        atmosphere[2] = {{kReps, {}}, {kReps, {}}},
                        repression[2] = {{kReps, {}}, {kReps, {}}};
  for_each_replicate(overrides, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const int s = static_cast<int>(r.static_values[kStSetting][static_cast<std::size_t>(c)]);
      growth[s][r.replicate].add_if(wave_value(r, kClimateGrowth, c, 1));
      support[s][r.replicate].add_if(wave_value(r, kClimateSupport, c, 1));
      atmosphere[s][r.replicate].add_if(wave_value(r, kClimateAtmosphere, c, 1));
      repression[s][r.replicate].add_if(wave_value(r, kClimateRepression, c, 1));
    }
  });
  for (auto* v : {&growth[0], &growth[1], &support[0], &support[1], &atmosphere[0], &atmosphere[1],
                  &repression[0], &repression[1]})
    v->close();
  auto gap = [](const PerReplicate<Moments>(&v)[2]) {
    return jackknife(kReps, [&](int r) { return v[0].without(r).mean() - v[1].without(r).mean(); });
  };
  auto sd = [](const PerReplicate<Moments>(&v)[2]) {
    Moments m = v[0].total;
    m += v[1].total;
    return m.sd();
  };
  return {gap(growth), gap(support), gap(atmosphere), gap(repression),
          sd(growth),  sd(support),  sd(atmosphere),  sd(repression)};
}

}  // namespace

TEST_CASE("fact 2: youths in closed settings report a lower alliance and lower motivation",
          "[validation][closed-setting]") {
  const BySetting b = by_setting({});
  const Estimate da =
      jackknife(kSettingReps, [&](int r) { return BySetting::difference(b.alliance, r); });
  const Estimate dm =
      jackknife(kSettingReps, [&](int r) { return BySetting::difference(b.motivation, r); });
  const Estimate da_adj =
      jackknife(kSettingReps, [&](int r) { return BySetting::adjusted_difference(b.alliance, r); });
  const Estimate dm_adj = jackknife(
      kSettingReps, [&](int r) { return BySetting::adjusted_difference(b.motivation, r); });
  Moments all_a = b.alliance[0][0].total, all_m = b.motivation[0][0].total;
  for (int s = 0; s < 2; ++s)
    for (int e = 0; e < 2; ++e)
      if (s + e > 0) all_a += b.alliance[s][e].total, all_m += b.motivation[s][e].total;
  double n_open = 0, n_closed = 0;
  for (int e = 0; e < 2; ++e)
    n_open += b.alliance[0][e].total.n, n_closed += b.alliance[1][e].total.n;
  WARN("rated at 3 months: open " << n_open << ", closed " << n_closed);
  WARN("open - closed: youth alliance 3m "
       << da.value << " (SE " << da.se << "; SD " << all_a.sd() << "), within profile "
       << da_adj.value << " (SE " << da_adj.se << "); motivation 6m " << dm.value << " (SE "
       << dm.se << "; SD " << all_m.sd() << "), within profile " << dm_adj.value << " (SE "
       << dm_adj.se << ")");
  // "Significantly lower": at least a small effect (0.1 SD) and 4 SE away from 0.
  CHECK(da.lower(4) > 0.1 * all_a.sd());
  CHECK(dm.lower(4) > 0.1 * all_m.sd());
}

TEST_CASE("fact 2 companion: with the closed-setting mechanisms neutralised the differences vanish",
          "[validation][closed-setting][companion]") {
  // Every setting.closed.* equal to its setting.open.* counterpart. Placement still sends more
  // externalising youths to closed care (placement.closed_indication_*), so the comparison is
  // made within profile (externalising or not, weighted by the profile's share); a second run
  // with placement independent of the profile checks the raw difference too.
  const BySetting b = by_setting(kClosedAsOpen);
  const Estimate da =
      jackknife(kSettingReps, [&](int r) { return BySetting::adjusted_difference(b.alliance, r); });
  const Estimate dm = jackknife(
      kSettingReps, [&](int r) { return BySetting::adjusted_difference(b.motivation, r); });
  const Estimate da_raw =
      jackknife(kSettingReps, [&](int r) { return BySetting::difference(b.alliance, r); });
  const Estimate dm_raw =
      jackknife(kSettingReps, [&](int r) { return BySetting::difference(b.motivation, r); });
  WARN("closed as open, open - closed within profile: alliance 3m "
       << da.value << " (SE " << da.se << "), motivation 6m " << dm.value << " (SE " << dm.se
       << "); raw " << da_raw.value << " and " << dm_raw.value);
  auto placement = kClosedAsOpen;
  placement.push_back(
      "placement.closed_indication_externalising=0.25");  // = closed_indication_other
  const BySetting p = by_setting(placement);
  const Estimate pa =
      jackknife(kSettingReps, [&](int r) { return BySetting::difference(p.alliance, r); });
  const Estimate pm =
      jackknife(kSettingReps, [&](int r) { return BySetting::difference(p.motivation, r); });
  WARN("closed as open and placement independent of profile, open - closed: alliance 3m "
       << pa.value << " (SE " << pa.se << "), motivation 6m " << pm.value << " (SE " << pm.se
       << ")");
  // "Vanish": within +/- 0.04 on the 1-5 scales (0.05 SD of alliance, 0.08 SD of motivation; a
  // quarter of the baseline alliance gap and a twentieth of the motivation gap), with the 4-SE
  // interval (SEs about 0.006) inside that band.
  auto vanished = [](const Estimate& e) { return e.lower(4) > -0.04 && e.upper(4) < 0.04; };
  CHECK(vanished(da));
  CHECK(vanished(dm));
  CHECK(vanished(pa));
  CHECK(vanished(pm));
}

TEST_CASE(
    "fact 3: alliance predicts later motivation in open settings (3->6 and 6->9 months) but hardly "
    "in closed",
    "[validation][cross-lagged]") {
  const CrossLagged cl = cross_lagged({});
  const Estimate open36 = cl.path(kOpen, 0), open69 = cl.path(kOpen, 1);
  const Estimate closed36 = cl.path(kClosed, 0), closed69 = cl.path(kClosed, 1);
  const Estimate closed_minus_half_open = jackknife(
      kClpmReps, [&](int r) { return cl.path(kClosed, 0, r) - 0.5 * cl.path(kOpen, 0, r); });
  WARN("standardised alliance -> motivation: open 3->6 "
       << open36.value << " (SE " << open36.se << ", n " << cl.n(kOpen, 0) << "), 6->9 "
       << open69.value << " (SE " << open69.se << ", n " << cl.n(kOpen, 1) << "); closed 3->6 "
       << closed36.value << " (SE " << closed36.se << ", n " << cl.n(kClosed, 0) << "), 6->9 "
       << closed69.value << " (SE " << closed69.se << ", n " << cl.n(kClosed, 1)
       << "); closed - open/2 " << closed_minus_half_open.value << " (SE "
       << closed_minus_half_open.se << ")");
  // Open: positive, the 95 % CI excludes 0; and 4 SE above 0.05 at 3->6 months and above 0.03 at
  // 6->9 (paths a panel study can see; the calibrated rater error attenuates the youth-rated
  // alliance's paths to about 0.11 and 0.07, docs/calibration.md).
  CHECK(open36.lower(1.96) > 0);
  CHECK(open69.lower(1.96) > 0);
  CHECK(open36.lower(4) > 0.05);
  CHECK(open69.lower(4) > 0.03);
  // Closed: "absent" — below half the open path and below 0.1 (a negligible standardised path),
  // both 3 SE clear (SEs about 0.009 for both).
  CHECK(closed_minus_half_open.upper(3) < 0);
  CHECK(closed36.upper(3) < 0.1);
}

TEST_CASE(
    "fact 3 companion: unrestricted autonomy brings the closed path back and no "
    "alliance->motivation removes the open one",
    "[validation][cross-lagged][companion]") {
  // Mechanism: restricted autonomy in closed care blocks the alliance -> autonomous motivation
  // path (motivation.cpp: w_alliance * (1 - autonomy_restriction)).
  const CrossLagged base = cross_lagged({});
  const CrossLagged free = cross_lagged({"setting.closed.autonomy_restriction=0.1"});  // = open's
  const Estimate closed_free = free.path(kClosed, 0), open_free = free.path(kOpen, 0);
  const Estimate gain = jackknife(
      kClpmReps, [&](int r) { return free.path(kClosed, 0, r) - base.path(kClosed, 0, r); });
  const Estimate ratio = jackknife(
      kClpmReps, [&](int r) { return free.path(kClosed, 0, r) / free.path(kOpen, 0, r); });
  WARN("closed autonomy as open: closed 3->6 "
       << closed_free.value << " (SE " << closed_free.se << "), open " << open_free.value
       << "; closed / open " << ratio.value << " (SE " << ratio.se
       << "); gain over baseline closed " << gain.value << " (SE " << gain.se << ")");
  // The closed path appears: comparable to the open path (at least 3/4 of it) and above the
  // baseline closed path by at least half the baseline open path, each 4 SE clear. (The gain was
  // 0.30 and checked against 0.1; the youth's own disposition, motivation.w_own, adds stable
  // variance to motivation and the calibrated rater error attenuates the rated alliance, so the
  // gain is 0.12 now: the check is relative to the open path these also shrink.)
  const Estimate gain_over_half_open = jackknife(kClpmReps, [&](int r) {
    return free.path(kClosed, 0, r) - base.path(kClosed, 0, r) - 0.5 * base.path(kOpen, 0, r);
  });
  CHECK(ratio.lower(4) > 0.75);
  CHECK(gain_over_half_open.lower(4) > 0);

  // Three times the replicates: the 6->9-month path rests on the youths still in care at 9
  // months (about 10 000 open youths in 400 replicates), too few for a 4-SE bound at 0.05.
  const CrossLagged none = cross_lagged({"motivation.w_alliance=0"}, 3 * kClpmReps);
  const Estimate open_none = none.path(kOpen, 0);
  const Estimate open_none69 = none.path(kOpen, 1);
  WARN("motivation.w_alliance=0: open 3->6 " << open_none.value << " (SE " << open_none.se
                                             << "), 6->9 " << open_none69.value << " (SE "
                                             << open_none69.se << ")");
  // Without the mechanism the open path is no longer one a study would report: below 0.05
  // (a quarter of the baseline open path), 4 SE clear.
  CHECK(open_none.upper(4) < 0.05);
  CHECK(open_none69.upper(4) < 0.05);
}

TEST_CASE(
    "fact 10a: closed groups offer less room for growth but no different support or repression",
    "[validation][climate]") {
  // Van den Tillaart et al. 2018 (docs/evidence.md §6.1): open, semi-secure and secure groups
  // differed only in growth (lower in secure); support, atmosphere and repression did not differ.
  // Youth-rated climate at the 3-month wave, open minus closed, in SD units (d).
  const ClimateGaps c = climate_gaps({});
  WARN("open - closed climate at 3m: growth "
       << c.growth.value << " (SE " << c.growth.se << "), support " << c.support.value << " (SE "
       << c.support.se << "), atmosphere " << c.atmosphere.value << " (SE " << c.atmosphere.se
       << "), repression " << c.repression.value << " (SE " << c.repression.se << "); SDs "
       << c.sd_growth << ", " << c.sd_support << ", " << c.sd_atmosphere << ", "
       << c.sd_repression);
  // Growth clearly lower in closed groups: at least a medium effect (d > 0.5), 4 SE clear
  // (SE about 0.003 on the 1-5 scale, 0.01 in d).
  CHECK(c.growth.lower(4) / c.sd_growth > 0.5);
  // Support and repression: no more than a negligible difference (|d| < 0.2, Cohen's "small"),
  // 4 SE clear.
  CHECK(c.support.lower(4) / c.sd_support > -0.2);
  CHECK(c.support.upper(4) / c.sd_support < 0.2);
  CHECK(c.repression.lower(4) / c.sd_repression > -0.2);
  CHECK(c.repression.upper(4) / c.sd_repression < 0.2);
}

TEST_CASE(
    "fact 10a companion: without the growth restriction of closed groups the growth gap vanishes",
    "[validation][climate][companion]") {
  const ClimateGaps c = climate_gaps({"setting.closed.growth_restriction=0"});
  WARN("setting.closed.growth_restriction=0: open - closed growth " << c.growth.value << " (SE "
                                                                    << c.growth.se << ")");
  // Negligible: |d| < 0.1, 4 SE clear (SE 0.003 on the 1-5 scale, SD 0.38).
  CHECK(c.growth.lower(4) / c.sd_growth > -0.1);
  CHECK(c.growth.upper(4) / c.sd_growth < 0.1);
}

TEST_CASE("fact 10b: the group atmosphere does not differ by setting",
          "[validation][climate-atmosphere][!mayfail]") {
  // Van den Tillaart et al. 2018: atmosphere did not differ between open and secure groups.
  // Known to fail at default parameters: closed groups get a larger share of externalising youths
  // (placement.closed_indication_externalising 0.55 against 0.25), who have e^1 times the
  // incident hazard (incident.w_externalising), and incidents sour the atmosphere
  // (climate.w_incidents_atmosphere). The diagnostic run with placement independent of the
  // profile shows how much of the gap that selection explains.
  const ClimateGaps c = climate_gaps({});
  const ClimateGaps same_mix = climate_gaps({"placement.closed_indication_externalising=0.25"});
  WARN("open - closed atmosphere at 3m: "
       << c.atmosphere.value << " (SE " << c.atmosphere.se << ", d "
       << c.atmosphere.value / c.sd_atmosphere << "); with placement independent of profile: "
       << same_mix.atmosphere.value << " (SE " << same_mix.atmosphere.se << ", d "
       << same_mix.atmosphere.value / same_mix.sd_atmosphere << ")");
  // No more than a negligible difference (|d| < 0.2), 4 SE clear.
  CHECK(c.atmosphere.lower(4) / c.sd_atmosphere > -0.2);
  CHECK(c.atmosphere.upper(4) / c.sd_atmosphere < 0.2);
}

// Individual differences persist in every latent state and setting (docs/evidence.md §4.1: in
// closed care the alliance does not predict motivation, yet youths go on differing in it;
// §2.1: personal determinants keep acting). The spread of each latent state within a setting
// at 3, 6 and 9 months, relative to its spread at the first wave; a state whose spread collapses
// (every youth converging to one value) fails.
namespace {

constexpr int kSpreadReps = 60;  // ~1 000 closed youths at 9 months
const WaveMeasure kLatent[] = {kMotivationTrue, kAllianceTrue, kProblemsTrue, kEngagementTrue};

// [measure][setting][wave]: the latent state's moments over every tracked youth in care.
std::vector<Moments> latent_moments(const std::vector<std::string>& overrides) {
  std::vector<Moments> m(std::size(kLatent) * 2 * 4);
  for_each_replicate(overrides, kSpreadReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const int s = static_cast<int>(r.static_values[kStSetting][static_cast<std::size_t>(c)]);
      for (std::size_t k = 0; k < std::size(kLatent); ++k)
        for (int w = 0; w < 4; ++w) m[(k * 2 + s) * 4 + w].add_if(wave_value(r, kLatent[k], c, w));
    }
  });
  return m;
}

// The spread of a latent state: its SD; for problems, which fall in proportion to their level
// (problems.cpp), the SD relative to the mean (coefficient of variation).
double spread(const Moments& m, WaveMeasure measure) {
  return measure == kProblemsTrue ? m.sd() / m.mean() : m.sd();
}

// Smallest ratio of a later wave's spread to the first wave's, for measure k in setting s.
double spread_ratio(const std::vector<Moments>& m, std::size_t k, int s) {
  const double first = spread(m[(k * 2 + s) * 4], kLatent[k]);
  double smallest = 1e9;
  for (int w = 1; w < 4; ++w)
    smallest = std::min(smallest, spread(m[(k * 2 + s) * 4 + w], kLatent[k]) / first);
  return smallest;
}

}  // namespace

TEST_CASE("fact 2b: youths keep differing in every latent state in open and closed settings",
          "[validation][latent-spread]") {
  const auto m = latent_moments({});
  for (std::size_t k = 0; k < std::size(kLatent); ++k)
    for (int s = 0; s < 2; ++s) {
      INFO("latent measure " << kWaveMeasures[kLatent[k]].name << ", setting "
                             << (s ? "closed" : "open"));
      CHECK(spread_ratio(m, k, s) > 0.4);
    }
}

TEST_CASE(
    "fact 2b companion: without the youth's own disposition closed youths' motivation converges",
    "[validation][latent-spread]") {
  // Closed care blocks the alliance path; with motivation.w_own = 0 nothing personal is left in
  // the target, and closed youths' motivation spread collapses.
  const auto m = latent_moments({"motivation.w_own=0"});
  CHECK(spread_ratio(m, 0, 1) < 0.3);
  CHECK(spread_ratio(latent_moments({}), 0, 1) - spread_ratio(m, 0, 1) > 0.4);
}
