// Stylized facts of organisation and policy (docs/evidence.md §2.5, §5, §6.9, §6.10; thesis
// ch. 5) at default parameters: a lower caseload, routine session feedback and alliance training
// each raise the alliance and lower premature exit; a change of mentor sets the alliance back.
// Each lever has a companion that neutralises the mechanism it acts through and shows its effect
// vanish.
//
// Design: every comparison uses common random numbers: the baseline and the policy run share the
// seed (the baseline's fixed run.seed) and replicate index, so they meet the same referrals and
// the same daily draws, and the paired replicate differences are precise. Effects are tested by
// the mean paired difference over kReps replicates and its standard error (4 SE from the
// threshold, a 99.99 % interval).
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/validation/stats.hpp"

using namespace asim;
using namespace asim::vstats;

namespace {

// 160 000 tracked youths per run; fact 9: ~10 400 changes through turnover. 400 since the youth's
// own disposition (motivation.w_own) entered the motivation target: the caseload lever's effect
// on premature exit fell from -0.62 to -0.38 points (drop-out depends on motivation), 3 SE
// from 0 at 200 replicates.
constexpr int kReps = 400;

// Per replicate: mean youth-rated alliance at 3 and 6 months (youths measured), premature exit %.
struct LeverOutcomes {
  std::vector<double> alliance_3m, alliance_6m, premature;
};

LeverOutcomes lever_outcomes(const std::vector<std::string>& overrides) {
  LeverOutcomes o;
  o.alliance_3m.resize(kReps), o.alliance_6m.resize(kReps), o.premature.resize(kReps);
  for_each_replicate(overrides, kReps, [&](const ReplicateResult& r) {
    Moments a3, a6, prem;
    for (int c = 0; c < r.cohort; ++c) {
      a3.add_if(wave_value(r, kAllianceYouth, c, 1));
      a6.add_if(wave_value(r, kAllianceYouth, c, 2));
      prem.add(100.0 * r.outcome_values[kOutPremature][static_cast<std::size_t>(c)]);
    }
    const auto i = static_cast<std::size_t>(r.replicate);
    o.alliance_3m[i] = a3.mean(), o.alliance_6m[i] = a6.mean(), o.premature[i] = prem.mean();
  });
  return o;
}

struct LeverEffect {
  PairedDifference alliance_3m, alliance_6m, premature;
  std::vector<double> premature_by_replicate;  // lever minus context, per replicate
};

// Effect of `lever` on top of `context` (both runs share `context`), paired by replicate.
LeverEffect lever_effect(const std::vector<std::string>& lever,
                         const std::vector<std::string>& context = {}) {
  auto with = context;
  with.insert(with.end(), lever.begin(), lever.end());
  const LeverOutcomes a = lever_outcomes(context), b = lever_outcomes(with);
  std::vector<double> premature(kReps);
  for (std::size_t i = 0; i < premature.size(); ++i) premature[i] = b.premature[i] - a.premature[i];
  return {paired_difference(a.alliance_3m, b.alliance_3m),
          paired_difference(a.alliance_6m, b.alliance_6m),
          paired_difference(a.premature, b.premature), premature};
}

std::string describe(const LeverEffect& e) {
  std::ostringstream s;
  auto one = [&s](const char* name, const PairedDifference& d) {
    s << name << " " << d.mean << " (SE " << d.se << ", 95 % CI " << d.lower() << " to "
      << d.upper() << ")";
  };
  one("alliance 3m", e.alliance_3m);
  one(", 6m", e.alliance_6m);
  one(", premature exit % points", e.premature);
  return s.str();
}

// The lever works: alliance up at 3 and 6 months, premature exit down, each 4 SE from 0.
void check_effect(const LeverEffect& e) {
  CHECK(e.alliance_3m.mean - 4 * e.alliance_3m.se > 0);
  CHECK(e.alliance_6m.mean - 4 * e.alliance_6m.se > 0);
  CHECK(e.premature.mean + 4 * e.premature.se < 0);
}

// The lever has no effect left: within +/- 0.01 on the 1-5 alliance scale (a sixth or less of
// each lever's baseline effect, 0.066-0.099) and +/- 0.2 points of premature exit (a third of
// the smallest baseline effect, the caseload's 0.6 points), 4 SE clear.
void check_no_effect(const LeverEffect& e) {
  auto within = [](const PairedDifference& d, double band) {
    return d.mean - 4 * d.se > -band && d.mean + 4 * d.se < band;
  };
  CHECK(within(e.alliance_3m, 0.01));
  CHECK(within(e.alliance_6m, 0.01));
  CHECK(within(e.premature, 0.2));
}

// Mean change of the latent daily alliance (0-1) of tracked youths around a change of mentor
// through turnover (event value 1): from the day before the change to `after` days after it,
// and, as a control for the usual drift, over the same span of days just before the change.
struct ChangeAroundTurnover {
  PerReplicate<Moments> change{kReps, {}}, drift{kReps, {}};
};

ChangeAroundTurnover change_around_turnover(const std::vector<std::string>& overrides,
                                            int after = 3) {
  ChangeAroundTurnover t;
  RunOptions options;
  options.daily[kDailyAlliance] = true;
  auto with = overrides;
  with.push_back("policy.right_to_switch=false");  // only changes the youth did not ask for
  for_each_replicate(
      with, kReps,
      [&](const ReplicateResult& r) {
        const auto& daily = r.daily_values[kDailyAlliance];
        for (const Event& e : r.events) {
          if (e.kind != kEvMentorChange || e.youth < 0 ||
              e.value != static_cast<float>(kChangeTurnover))
            continue;
          const int d =
              e.day -
              static_cast<int>(r.static_values[kStAdmissionDay][static_cast<std::size_t>(e.youth)]);
          if (d - 1 - (after + 1) < 0 || d + after >= r.follow_up_days) continue;
          const std::size_t row =
              static_cast<std::size_t>(e.youth) * static_cast<std::size_t>(r.follow_up_days);
          const double before = daily[row + static_cast<std::size_t>(d - 1)];
          const double later = daily[row + static_cast<std::size_t>(d + after)];
          const double earlier = daily[row + static_cast<std::size_t>(d - 1 - (after + 1))];
          if (std::isnan(before) || std::isnan(later) || std::isnan(earlier)) continue;
          t.change[r.replicate].add(later - before);
          t.drift[r.replicate].add(before - earlier);
        }
      },
      options);
  t.change.close();
  t.drift.close();
  return t;
}

}  // namespace

TEST_CASE("fact 8a: a lower caseload raises the alliance and lowers premature exit",
          "[validation][caseload]") {
  const LeverEffect e = lever_effect({"mentor.caseload=5"});
  WARN("caseload 8 -> 5: " << describe(e));
  check_effect(e);
}

TEST_CASE(
    "fact 8a companion: with the same time per youth and no workload stress the caseload has no "
    "effect",
    "[validation][caseload][companion]") {
  // Mechanisms: a mentor's weekly one-to-one time is shared over the caseload (contact.cpp) and
  // workload stress rises with it (staffing.cpp). Keep the hours per youth equal (8/8 = 5/5 per
  // week) and switch off the workload stress in both runs.
  const LeverEffect e =
      lever_effect({"mentor.caseload=5", "mentor.mentoring_hours=5"}, {"staff.stress_caseload=0"});
  WARN("caseload 8 -> 5, same hours per youth, no workload stress: " << describe(e));
  check_no_effect(e);
}

TEST_CASE("fact 8b: routine session feedback raises the alliance and lowers premature exit",
          "[validation][feedback]") {
  const LeverEffect e = lever_effect({"policy.routine_feedback=true"});
  WARN("routine feedback: " << describe(e));
  check_effect(e);
}

TEST_CASE(
    "fact 8b companion: feedback without earlier detection of ruptures and without adapting has no "
    "effect",
    "[validation][feedback][companion]") {
  // Mechanisms: feedback makes ruptures be detected earlier (feedback.detect_with_feedback
  // against feedback.detect_base) and lets a mentor adapt to a youth whose ratings are not on
  // track (feedback.not_on_track_gain). Earlier detection alone carries a large part of the
  // effect on premature exit (repaired ruptures: Muran et al. 2009) but little of the effect on
  // the alliance, which comes mostly from adapting.
  const LeverEffect full = lever_effect({"policy.routine_feedback=true"});
  const LeverEffect no_detection =
      lever_effect({"policy.routine_feedback=true"}, {"feedback.detect_with_feedback=0.08"});
  const PairedDifference detection_share =
      paired_difference(full.premature_by_replicate, no_detection.premature_by_replicate);
  WARN("routine feedback, detection as without feedback: "
       << describe(no_detection) << "; premature-exit effect changes by " << detection_share.mean
       << " (SE " << detection_share.se << ")");
  // Without earlier detection the effect on premature exit shrinks by at least a fifth of the
  // full effect, 4 SE clear. (A fixed 0.5 points was a fifth when drop-out ran at 0.0012 a day;
  // at the calibrated 0.0006 the whole effect is smaller.)
  CHECK(detection_share.mean - 4 * detection_share.se > -0.2 * full.premature.mean);
  const LeverEffect e =
      lever_effect({"policy.routine_feedback=true"},
                   {"feedback.detect_with_feedback=0.08", "feedback.not_on_track_gain=0"});
  WARN("routine feedback, detection as without feedback and no adapting: " << describe(e));
  check_no_effect(e);
}

TEST_CASE("fact 8c: alliance training raises the alliance and lowers premature exit",
          "[validation][training]") {
  const LeverEffect e = lever_effect({"policy.alliance_training=true"});
  WARN("alliance training: " << describe(e));
  check_effect(e);
}

TEST_CASE("fact 8c companion: training without gains in skill or pushing or repair has no effect",
          "[validation][training][companion]") {
  const LeverEffect e = lever_effect(
      {"policy.alliance_training=true"},
      {"training.skill_gain=0", "training.push_reduction=0", "training.repair_gain=0"});
  WARN("alliance training without its mechanisms: " << describe(e));
  check_no_effect(e);
}

TEST_CASE("fact 9: a change of mentor through turnover sets the alliance back",
          "[validation][mentor-change]") {
  const ChangeAroundTurnover t = change_around_turnover({});
  const Estimate change = jackknife(kReps, [&](int r) { return t.change.without(r).mean(); });
  const Estimate drift = jackknife(kReps, [&](int r) { return t.drift.without(r).mean(); });
  WARN("latent alliance (0-1) from the day before to 3 days after a turnover change: "
       << change.value << " (SE " << change.se << ", " << t.change.total.n
       << " changes); the 4 days "
          "before: "
       << drift.value << " (SE " << drift.se << ")");
  // A clear drop: more than 0.02 on the 0-1 scale (0.08 on the 1-5 rating scale), 4 SE clear,
  // where the alliance otherwise drifts up.
  CHECK(change.upper(4) < -0.02);
  CHECK(drift.lower(4) > -0.005);
}

TEST_CASE("fact 9 companion: when a change keeps the alliance and costs no trust it does not fall",
          "[validation][mentor-change][companion]") {
  // Mechanism: a change resets the alliance toward the new pair's newcomer level, keeping only
  // mentor_change.carry_over (0.3) of the difference, minus a loss of trust (mentor_change.loss,
  // 0.06). Both parts must go for the drop to go: with full carry-over alone the loss of trust
  // still costs 0.06 (and the drop is even larger than at baseline, because at the moment of a
  // change the alliance is on average not above the newcomer's first-impression level, so the
  // reset itself costs little).
  const ChangeAroundTurnover base = change_around_turnover({});
  const ChangeAroundTurnover keep = change_around_turnover({"mentor_change.carry_over=1"});
  const ChangeAroundTurnover no_loss = change_around_turnover({"mentor_change.loss=0"});
  const ChangeAroundTurnover none =
      change_around_turnover({"mentor_change.carry_over=1", "mentor_change.loss=0"});
  auto estimate = [](const ChangeAroundTurnover& t) {
    return jackknife(kReps, [&](int r) { return t.change.without(r).mean(); });
  };
  const Estimate b = estimate(base), k = estimate(keep), l = estimate(no_loss), n = estimate(none);
  WARN("latent alliance change around a turnover change: baseline "
       << b.value << " (SE " << b.se << "); carry-over 1 " << k.value << " (SE " << k.se
       << "); no loss of trust " << l.value << " (SE " << l.se << "); carry-over 1 and no loss "
       << n.value << " (SE " << n.se << ")");
  // Full carry-over alone leaves the loss of trust: still a clear drop (as in fact 9).
  CHECK(k.upper(4) < -0.02);
  // With full carry-over and no loss of trust the drop is gone: within +/- 0.005 (a quarter of
  // the fact's threshold), 4 SE clear (SE 0.0003).
  CHECK(n.lower(4) > -0.005);
  CHECK(n.upper(4) < 0.005);
}

TEST_CASE("fact 9b: the reset toward a newcomer's level alone sets the alliance back",
          "[validation][mentor-change-reset][!mayfail]") {
  // docs/evidence.md §2.5: "every change of worker puts the alliance back to zero" — the reset,
  // not only an extra loss of trust, should cost alliance that was built up. With
  // mentor_change.loss=0 only the reset toward the new pair's newcomer level acts. Known to fail
  // at default parameters (docs/calibration.md): at the moment of a change the alliance is on
  // average below the new pair's first-impression level, so the reset lifts it.
  const ChangeAroundTurnover t = change_around_turnover({"mentor_change.loss=0"});
  const Estimate change = jackknife(kReps, [&](int r) { return t.change.without(r).mean(); });
  WARN("mentor_change.loss=0: latent alliance change around a turnover change "
       << change.value << " (SE " << change.se << ")");
  CHECK(change.upper(4) < 0);
}
