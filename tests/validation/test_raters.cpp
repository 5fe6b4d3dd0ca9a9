// Stylized facts of measurement (docs/evidence.md §3) at default parameters: first-wave
// calibration of the youth- and mentor-rated alliance, the ordering of raters (youths and parents
// rate higher than mentors) and the weak youth-mentor agreement against the observer's, with a
// companion that removes the mechanism behind the weak agreement (persistent rater leniencies).
//
// Design: the built-in baseline (fixed run.seed), kReps replicates of 400 tracked youths. Standard
// errors are delete-one-replicate jackknife SEs (stats.hpp): they respect that youths within a
// replicate share groups, mentors and climate. Thresholds sit at least 4 SE from the simulated
// value, so a deterministic run can neither pass by luck nor break on a harmless change.
#include <catch2/catch.hpp>

#include "tests/validation/stats.hpp"

using namespace asim;
using namespace asim::vstats;

namespace {

constexpr int kReps = 200;  // 80 000 tracked youths, ~77 000 measured at the first wave

struct FirstWaveAgreement {
  PerReplicate<Bivariate> youth_mentor{kReps, {}}, youth_observer{kReps, {}},
      mentor_observer{kReps, {}};
};

FirstWaveAgreement first_wave_agreement(const std::vector<std::string>& overrides) {
  FirstWaveAgreement a;
  for_each_replicate(overrides, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const double y = wave_value(r, kAllianceYouth, c, 0),
                   m = wave_value(r, kAllianceMentor, c, 0),
                   o = wave_value(r, kAllianceObserver, c, 0);
      a.youth_mentor[r.replicate].add_if(y, m);
      a.youth_observer[r.replicate].add_if(y, o);
      a.mentor_observer[r.replicate].add_if(m, o);
    }
  });
  a.youth_mentor.close();
  a.youth_observer.close();
  a.mentor_observer.close();
  return a;
}

}  // namespace

namespace {

// First-wave moments of one informant's alliance rating: mean and SD with jackknife SEs.
struct FirstWave {
  Estimate mean, sd;
  double n = 0;
};
FirstWave first_wave(WaveMeasure measure) {
  PerReplicate<Moments> m(kReps, {});
  for_each_replicate({}, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) m[r.replicate].add_if(wave_value(r, measure, c, 0));
  });
  m.close();
  return {jackknife(kReps, [&](int r) { return m.without(r).mean(); }),
          jackknife(kReps, [&](int r) { return m.without(r).sd(); }), m.total.n};
}

// Calibration band: the target +/- 0.15 (about a fifth of the youth SD, the precision of a
// typical first-session cohort of a few hundred youths). The whole 4-SE interval of the
// estimate must lie inside the band (SEs 0.001-0.003), so a value on the edge fails.
bool inside(const Estimate& e, double target) {
  return e.lower(4) >= target - 0.15 && e.upper(4) <= target + 0.15;
}

}  // namespace

TEST_CASE("fact 1: first-wave alliance is about 3.9 as rated by youths (SD 0.7)",
          "[validation][calibration]") {
  const FirstWave y = first_wave(kAllianceYouth);
  WARN("first wave (n " << y.n << "): youth " << y.mean.value << " (SE " << y.mean.se << "), SD "
                        << y.sd.value << " (SE " << y.sd.se << ")");
  CHECK(inside(y.mean, 3.9));
  CHECK(inside(y.sd, 0.7));
}

// Not matched at the calibrated rater parameters (docs/calibration.md, "Not matched"): informant
// agreement of .32 needs more rater-specific variance than a mentor SD of 0.5 leaves, and the
// youth-mentor difference (d .35) with a youth mean of 3.9 puts the mentor mean lower.
TEST_CASE("fact 1 (mentor): first-wave alliance is about 3.9 as rated by mentors (SD 0.5)",
          "[validation][calibration][!mayfail]") {
  const FirstWave m = first_wave(kAllianceMentor);
  WARN("first wave (n " << m.n << "): mentor " << m.mean.value << " (SE " << m.mean.se << "), SD "
                        << m.sd.value << " (SE " << m.sd.se << ")");
  CHECK(inside(m.mean, 3.9));
  CHECK(inside(m.sd, 0.5));
}

TEST_CASE("fact 1b: youths and parents rate the alliance more positively than mentors do",
          "[validation][rater-order]") {
  // Paired within youth: rating minus the mentor's rating of the same alliance on the same day.
  PerReplicate<Moments> youth_minus_mentor(kReps, {});  // waves 3, 6, 9 months pooled
  std::vector<PerReplicate<Moments>> parent_minus_mentor(4, PerReplicate<Moments>(kReps, {}));
  PerReplicate<Moments> youth_minus_mentor_first(kReps, {});
  for_each_replicate({}, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c)
      for (int w = 0; w < 4; ++w) {
        const double m = wave_value(r, kAllianceMentor, c, w);
        parent_minus_mentor[static_cast<std::size_t>(w)][r.replicate].add_if(
            wave_value(r, kAllianceParent, c, w) - m);
        (w == 0 ? youth_minus_mentor_first : youth_minus_mentor)[r.replicate].add_if(
            wave_value(r, kAllianceYouth, c, w) - m);
      }
  });
  youth_minus_mentor.close();
  youth_minus_mentor_first.close();
  for (auto& p : parent_minus_mentor) p.close();
  const Estimate ym = jackknife(kReps, [&](int r) { return youth_minus_mentor.without(r).mean(); });
  const Estimate ym0 =
      jackknife(kReps, [&](int r) { return youth_minus_mentor_first.without(r).mean(); });
  WARN("youth - mentor: first wave " << ym0.value << " (SE " << ym0.se << "), later waves "
                                     << ym.value << " (SE " << ym.se << ")");
  // Children and parents rate the alliance more positively than therapists (docs/evidence.md
  // §3.1), while the first-session means are about equal (3.9 and 3.9): youths above mentors over
  // the later waves, by more than a trivial 0.02 (a 50th of the youth SD) and 4 SE.
  CHECK(ym.lower(4) > 0.02);
  for (int w = 0; w < 4; ++w) {
    const auto& pm = parent_minus_mentor[static_cast<std::size_t>(w)];
    const Estimate e = jackknife(kReps, [&](int r) { return pm.without(r).mean(); });
    WARN("parent - mentor at wave " << w << ": " << e.value << " (SE " << e.se << ")");
    CHECK(e.lower(4) > 0.02);
  }
}

TEST_CASE(
    "fact 5: youth and mentor agree weakly at the first wave and the observer agrees more with "
    "each",
    "[validation][informants]") {
  const FirstWaveAgreement a = first_wave_agreement({});
  const Estimate ym = jackknife(kReps, [&](int r) { return a.youth_mentor.without(r).r(); });
  const Estimate yo_minus_ym = jackknife(kReps, [&](int r) {
    return a.youth_observer.without(r).r() - a.youth_mentor.without(r).r();
  });
  const Estimate mo_minus_ym = jackknife(kReps, [&](int r) {
    return a.mentor_observer.without(r).r() - a.youth_mentor.without(r).r();
  });
  WARN("first-wave r: youth-mentor "
       << ym.value << " (SE " << ym.se << "), youth-observer " << a.youth_observer.total.r()
       << ", mentor-observer " << a.mentor_observer.total.r() << " (n " << a.youth_mentor.total.n
       << "); observer advantage " << yo_minus_ym.value << " (SE " << yo_minus_ym.se << "), "
       << mo_minus_ym.value << " (SE " << mo_minus_ym.se << ")");
  // Weak agreement: positive but below 0.35 (weak to at most low-moderate; the Dutch cohort even
  // found a near-zero Spearman r), with the 4-SE interval (SE about 0.004) inside (0, 0.35).
  CHECK(ym.lower(4) > 0.0);
  CHECK(ym.upper(4) < 0.35);
  // Youth-observer and mentor-observer agreement are larger (moderate to large) than youth-mentor.
  CHECK(yo_minus_ym.lower(4) > 0.05);
  CHECK(mo_minus_ym.lower(4) > 0.05);
}

TEST_CASE(
    "fact 5 companion: without persistent rater leniencies youth and mentor agree clearly more",
    "[validation][informants][companion]") {
  // Mechanism: each youth and each youth-mentor pair rates with a persistent leniency
  // (rater.youth_sd, rater.mentor_sd) on top of occasion noise and the raters' different
  // weighting of bond, goals and tasks. Without the leniencies, agreement should become large.
  // Same seed: the two runs share their youths (common random numbers).
  const FirstWaveAgreement base = first_wave_agreement({});
  const FirstWaveAgreement none = first_wave_agreement({"rater.youth_sd=0", "rater.mentor_sd=0"});
  const Estimate gain = jackknife(kReps, [&](int r) {
    return none.youth_mentor.without(r).r() - base.youth_mentor.without(r).r();
  });
  WARN("youth-mentor r: with leniencies " << base.youth_mentor.total.r() << ", without "
                                          << none.youth_mentor.total.r() << "; gain " << gain.value
                                          << " (SE " << gain.se << ")");
  // "Clearly": at least +0.2 (from weak towards large agreement), 4 SE below the estimate.
  CHECK(gain.lower(4) > 0.2);
  CHECK(none.youth_mentor.total.r() > 0.5);
}
