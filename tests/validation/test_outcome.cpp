// Stylized facts of alliance and outcome (docs/evidence.md §2-§4) at default parameters: a small
// to moderate alliance-outcome association that grows over treatment; outcome best when youth and
// mentor both rate the alliance strong; externalising youths with a weaker alliance and markedly
// more premature exit; larger improvement for more severe problems; the parent alliance relating
// more to the parent's own outcome than to the youth's. Each has a companion that neutralises its
// mechanism (fact 6 shares fact 4's).
//
// Design: the built-in baseline (fixed run.seed) with kReps replicates of 400 tracked youths;
// companions use the same seed (common random numbers). Standard errors are delete-one-replicate
// jackknife SEs (stats.hpp). Thresholds sit at least 4 SE from the simulated value unless noted.
#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/validation/stats.hpp"

using namespace asim;
using namespace asim::vstats;

namespace {

constexpr int kReps = 200;         // 80 000 tracked youths; ~77 000 measured at the first wave
constexpr int kOutcomeReps = 800;  // fact 4: ~34 000 youths rated at 9 months

double outcome(const ReplicateResult& r, OutcomeField f, int c) {
  return r.outcome_values[f][static_cast<std::size_t>(c)];
}
double static_value(const ReplicateResult& r, StaticField f, int c) {
  return r.static_values[f][static_cast<std::size_t>(c)];
}

// r(youth-rated alliance at wave w, favourable outcome) per replicate, for the four waves.
struct AllianceOutcome {
  std::vector<PerReplicate<Bivariate>> by_wave;
  AllianceOutcome() : by_wave(4, PerReplicate<Bivariate>(kOutcomeReps, {})) {}
  double r(int w, int skip) const { return by_wave[static_cast<std::size_t>(w)].without(skip).r(); }
  Estimate r(int w) const {
    return jackknife(kOutcomeReps, [&](int skip) { return r(w, skip); });
  }
  double growth(int skip) const { return r(3, skip) - r(0, skip); }  // first wave to 9 months
};

AllianceOutcome alliance_outcome(const std::vector<std::string>& overrides) {
  AllianceOutcome a;
  for_each_replicate(overrides, kOutcomeReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c)
      for (int w = 0; w < 4; ++w)
        a.by_wave[static_cast<std::size_t>(w)][r.replicate].add_if(
            wave_value(r, kAllianceYouth, c, w), outcome(r, kOutFavourable, c));
  });
  for (auto& b : a.by_wave) b.close();
  return a;
}

std::string describe(const AllianceOutcome& a) {
  std::ostringstream s;
  for (int w = 0; w < 4; ++w) {
    const Estimate e = a.r(w);
    s << (w ? ", " : "") << e.value << " (SE " << e.se << ")";
  }
  return s.str();
}

// First-wave youth alliance and premature exit by profile (externalising or not).
struct ByProfile {
  PerReplicate<Moments> alliance[2] = {{kReps, {}}, {kReps, {}}};   // 1-5
  PerReplicate<Moments> premature[2] = {{kReps, {}}, {kReps, {}}};  // %
  Estimate premature_pct(int e) const {
    return jackknife(kReps, [&](int r) { return premature[e].without(r).mean(); });
  }
  double premature_gap(int r) const {
    return premature[1].without(r).mean() - premature[0].without(r).mean();
  }
  double alliance_gap(int r) const {
    return alliance[0].without(r).mean() - alliance[1].without(r).mean();
  }
  Estimate premature_gap() const {
    return jackknife(kReps, [&](int r) { return premature_gap(r); });
  }
  Estimate premature_ratio() const {
    return jackknife(kReps, [&](int r) {
      return premature[1].without(r).mean() / premature[0].without(r).mean();
    });
  }
  Estimate alliance_gap() const {
    return jackknife(kReps, [&](int r) { return alliance_gap(r); });
  }
};

ByProfile by_profile(const std::vector<std::string>& overrides) {
  ByProfile b;
  for_each_replicate(overrides, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const int e = static_cast<int>(static_value(r, kStExternalising, c));
      b.alliance[e][r.replicate].add_if(wave_value(r, kAllianceYouth, c, 0));
      b.premature[e][r.replicate].add(100.0 * outcome(r, kOutPremature, c));
    }
  });
  for (auto* v : {&b.alliance[0], &b.alliance[1], &b.premature[0], &b.premature[1]}) v->close();
  return b;
}

// The four externalising links (docs/evidence.md §2.2, §2.3): alliance, ruptures, drop-out,
// incidents.
const std::vector<std::string> kExternalisingLinksOff = {
    "alliance.w_externalising=0", "rupture.w_externalising=0", "exit.dropout_externalising=0",
    "incident.w_externalising=0"};

// Slopes of improvement by 6 months (latent problems) on latent intake severity.
struct SeveritySlopes {
  PerReplicate<Ols> absolute{kReps, Ols(1)}, relative{kReps, Ols(1)};
  Estimate absolute_slope() const {
    return jackknife(kReps, [&](int r) { return absolute.without(r).fit().b(1); });
  }
  Estimate relative_slope() const {
    return jackknife(kReps, [&](int r) { return relative.without(r).fit().b(1); });
  }
};

SeveritySlopes severity_slopes(const std::vector<std::string>& overrides) {
  SeveritySlopes s;
  for_each_replicate(overrides, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const double severity = static_value(r, kStSeverity, c),
                   later = wave_value(r, kProblemsTrue, c, 2);
      if (std::isnan(later) || severity <= 0) continue;
      s.absolute[r.replicate].add(severity - later, {severity});
      s.relative[r.replicate].add((severity - later) / severity, {severity});
    }
  });
  s.absolute.close();
  s.relative.close();
  return s;
}

// The parent-rated alliance at 3 months against the parent's own outcome at 6 months and
// against the youth's favourable outcome.
struct ParentAlliance {
  PerReplicate<Bivariate> own{kReps, {}}, child{kReps, {}};
  double advantage(int r) const { return own.without(r).r() - child.without(r).r(); }
};

ParentAlliance parent_alliance(const std::vector<std::string>& overrides) {
  ParentAlliance p;
  for_each_replicate(overrides, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const double alliance = wave_value(r, kAllianceParent, c, 1);
      if (std::isnan(wave_value(r, kParentOutcome, c, 2))) continue;  // same youths in both
      p.own[r.replicate].add_if(alliance, wave_value(r, kParentOutcome, c, 2));
      p.child[r.replicate].add_if(alliance, outcome(r, kOutFavourable, c));
    }
  });
  p.own.close();
  p.child.close();
  return p;
}

}  // namespace

TEST_CASE("fact 4: the alliance-outcome association is small to moderate and grows over treatment",
          "[validation][alliance-outcome]") {
  const AllianceOutcome a = alliance_outcome({});
  const Estimate growth = jackknife(kOutcomeReps, [&](int r) { return a.growth(r); });
  const Estimate first_steps =
      jackknife(kOutcomeReps, [&](int r) { return a.r(2, r) - a.r(0, r); });
  WARN("rated youths by wave: " << a.by_wave[0].total.n << ", " << a.by_wave[1].total.n << ", "
                                << a.by_wave[2].total.n << ", " << a.by_wave[3].total.n);
  WARN("r(youth alliance at wave, favourable) first, 3m, 6m, 9m: "
       << describe(a) << "; growth first->9m " << growth.value << " (SE " << growth.se
       << "), first->6m " << first_steps.value << " (SE " << first_steps.se << ")");
  // Small to moderate (meta-analytic r .17-.28; negligible at the start, larger at the end):
  // every wave inside [0.05, 0.35], 4 SE clear (SEs 0.003-0.008).
  for (int w = 0; w < 4; ++w) {
    const Estimate e = a.r(w);
    CHECK(e.lower(4) > 0.05);
    CHECK(e.upper(4) < 0.35);
  }
  // Grows over treatment: at least +0.03 from the first wave to 9 months, 4 SE clear (SE 0.005),
  // and the 9-month association at least 1.5 times the first wave's. (The bound was +0.05;
  // deviancy training among friends, peers.deviancy_rate, moves problems in ways the alliance
  // does not drive, and the later waves' association fell from about .16 to .14 with it.)
  CHECK(growth.lower(4) > 0.03);
  CHECK(a.r(3).value > 1.5 * a.r(0).value);
}

TEST_CASE(
    "fact 4 companion: without task collaboration driving engagement the association falls and "
    "grows less",
    "[validation][alliance-outcome][companion]") {
  // Mechanism: alliance -> task collaboration -> engagement -> change in problems
  // (Fjermestad et al. 2016), problems.w_engagement_tasks. Same seed: paired comparison.
  const AllianceOutcome base = alliance_outcome({});
  const AllianceOutcome none = alliance_outcome({"problems.w_engagement_tasks=0"});
  const Estimate r9 =
      jackknife(kOutcomeReps, [&](int r) { return none.r(3, r) - 0.7 * base.r(3, r); });
  const Estimate growth =
      jackknife(kOutcomeReps, [&](int r) { return none.growth(r) - base.growth(r); });
  WARN("problems.w_engagement_tasks=0: r by wave "
       << describe(none) << "; baseline " << describe(base) << "; r9 - 0.7 r9(baseline) "
       << r9.value << " (SE " << r9.se << "); change of growth " << growth.value << " (SE "
       << growth.se << ")");
  // The association at 9 months falls by more than 30 %, and its growth over treatment shrinks,
  // each 4 SE clear (800 replicates: with the calibrated rater error the youth-rated alliance is a
  // noisier proxy of the latent one, the associations are smaller, docs/calibration.md).
  CHECK(r9.upper(4) < 0);
  CHECK(growth.upper(4) < 0);
}

TEST_CASE(
    "fact 4 companion: without the feedback of improvement into the alliance the association grows "
    "less",
    "[validation][alliance-outcome][companion][!mayfail]") {
  // McLeod 2011 (docs/evidence.md §4.2): the association grows partly because symptom change
  // improves the alliance — in the model alliance.w_progress. Switching it off should make the
  // growth from the first wave to 9 months smaller. Known to fail at default parameters (see
  // docs/calibration.md): the progress term barely changes who has the better alliance.
  const AllianceOutcome base = alliance_outcome({});
  const AllianceOutcome none = alliance_outcome({"alliance.w_progress=0"});
  const Estimate change =
      jackknife(kOutcomeReps, [&](int r) { return none.growth(r) - base.growth(r); });
  WARN("alliance.w_progress=0: r by wave " << describe(none) << "; change of growth first->9m "
                                           << change.value << " (SE " << change.se << ")");
  // Smaller growth: at least 0.02 less (a fifth of the baseline growth), 4 SE clear.
  CHECK(change.upper(4) < -0.02);
}

TEST_CASE(
    "fact 6: outcome is best when youth and mentor both rate the alliance strong and worst when "
    "both weak",
    "[validation][combined-perspective]") {
  // Median split of the 3-month youth and mentor ratings among youths rated by both.
  std::vector<double> youth, mentor, favourable;
  std::vector<int> replicate;
  for_each_replicate({}, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const double y = wave_value(r, kAllianceYouth, c, 1),
                   m = wave_value(r, kAllianceMentor, c, 1);
      if (std::isnan(y) || std::isnan(m)) continue;
      youth.push_back(y), mentor.push_back(m), favourable.push_back(outcome(r, kOutFavourable, c));
      replicate.push_back(r.replicate);
    }
  });
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  const double median_youth = median(youth), median_mentor = median(mentor);
  // cell[youth strong][mentor strong]: favourable %, per replicate
  PerReplicate<Moments> cell[2][2] = {{{kReps, {}}, {kReps, {}}}, {{kReps, {}}, {kReps, {}}}};
  for (std::size_t i = 0; i < youth.size(); ++i)
    cell[youth[i] > median_youth][mentor[i] > median_mentor][replicate[i]].add(100.0 *
                                                                               favourable[i]);
  for (auto& row : cell)
    for (auto& c : row) c.close();
  auto pct = [&](int y, int m, int r) { return cell[y][m].without(r).mean(); };
  auto diff = [&](int y1, int m1, int y0, int m0) {
    return jackknife(kReps, [&](int r) { return pct(y1, m1, r) - pct(y0, m0, r); });
  };
  WARN("favourable % (n " << youth.size() << "): both weak " << pct(0, 0, -1) << ", youth strong "
                          << pct(1, 0, -1) << ", mentor strong " << pct(0, 1, -1)
                          << ", both strong " << pct(1, 1, -1));
  // Ordering, each step 4 SE clear (cells of ~11 000 youths: SEs of the differences about 0.6).
  const Estimate both_vs_youth = diff(1, 1, 1, 0), both_vs_mentor = diff(1, 1, 0, 1);
  const Estimate youth_vs_weak = diff(1, 0, 0, 0), mentor_vs_weak = diff(0, 1, 0, 0);
  WARN("differences: both - youth strong "
       << both_vs_youth.value << " (SE " << both_vs_youth.se << "), both - mentor strong "
       << both_vs_mentor.value << " (SE " << both_vs_mentor.se << "), youth strong - weak "
       << youth_vs_weak.value << " (SE " << youth_vs_weak.se << "), mentor strong - weak "
       << mentor_vs_weak.value << " (SE " << mentor_vs_weak.se << ")");
  CHECK(both_vs_youth.lower(4) > 0);
  CHECK(both_vs_mentor.lower(4) > 0);
  CHECK(youth_vs_weak.lower(4) > 0);
  CHECK(mentor_vs_weak.lower(4) > 0);
  // The combined perspective predicts better than either alone: adding the second rater's
  // rating to a logistic model of the favourable outcome improves it (likelihood-ratio test).
  const LogitFit only_youth = logistic_regression({&youth}, favourable);
  const LogitFit only_mentor = logistic_regression({&mentor}, favourable);
  const LogitFit both = logistic_regression({&youth, &mentor}, favourable);
  const LikelihoodRatio add_mentor = likelihood_ratio(only_youth, both),
                        add_youth = likelihood_ratio(only_mentor, both);
  WARN("likelihood ratio: adding the mentor's rating chi2 "
       << add_mentor.chi2 << " (p " << add_mentor.p << "), adding the youth's chi2 "
       << add_youth.chi2 << " (p " << add_youth.p << ")");
  CHECK(add_mentor.p < 1e-3);
  CHECK(add_youth.p < 1e-3);
}

TEST_CASE(
    "fact 7: externalising youths have a weaker first-wave alliance and leave early markedly more "
    "often",
    "[validation][externalising]") {
  const ByProfile b = by_profile({});
  const Estimate ext = b.premature_pct(1), other = b.premature_pct(0);
  const Estimate gap = b.premature_gap(), alliance_gap = b.alliance_gap();
  const Estimate ratio = b.premature_ratio();
  WARN("premature exit: externalising "
       << ext.value << " % (SE " << ext.se << "), others " << other.value << " % (SE " << other.se
       << "), gap " << gap.value << " (SE " << gap.se << "), ratio " << ratio.value << " (SE "
       << ratio.se << "); first-wave youth alliance, others - externalising " << alliance_gap.value
       << " (SE " << alliance_gap.se << ")");
  // Kazdin & Wassell 2000 report 30-50 % premature termination of externalising youths in
  // outpatient treatment. In residential care 15.6 % of whole stays end on the youth's own
  // initiative (Rau and colleagues), and with externalising youths 45 % of referrals both figures
  // cannot hold; the residential figure sets the level (docs/calibration.md, "The dynamic
  // block"). What stays of Kazdin & Wassell: externalising youths leave early markedly more
  // often than others, at least 1.5 times as often and at least 5 points more, and not above
  // their 50 %; each 4 SE clear.
  CHECK(ratio.lower(4) > 1.5);
  CHECK(gap.lower(4) > 5.0);
  CHECK(ext.upper(4) < 50.0);
  // Externalising youths report a weaker alliance (at least 0.1 on the 1-5 scale, about 0.15
  // SD), 4 SE clear.
  CHECK(alliance_gap.lower(4) > 0.1);
}

TEST_CASE(
    "fact 7 companion: without the externalising weights of alliance and rupture and drop-out and "
    "incident hazards the gaps go",
    "[validation][externalising][companion]") {
  const ByProfile base = by_profile({});
  const ByProfile off = by_profile(kExternalisingLinksOff);
  const Estimate premature_gap = off.premature_gap();
  const Estimate alliance_ratio =
      jackknife(kReps, [&](int r) { return off.alliance_gap(r) - 0.5 * base.alliance_gap(r); });
  WARN("externalising links off: premature gap "
       << premature_gap.value << " (SE " << premature_gap.se << "), alliance gap "
       << off.alliance_gap(-1) << " (baseline " << base.alliance_gap(-1)
       << "; gap - baseline gap/2 " << alliance_ratio.value << ", SE " << alliance_ratio.se << ")");
  // The excess premature exit of externalising youths disappears (it even turns slightly
  // negative: they are over-represented in closed care, whose locked doors damp leaving), and
  // the alliance gap falls below half (the rest: externalising girls, the stronger wish for
  // autonomy of externalising youths, their higher intake problems), each 4 SE clear.
  CHECK(premature_gap.upper(4) < 0);
  CHECK(alliance_ratio.upper(4) < 0);

  // Every remaining route off too: no extra weakening for externalising girls, no higher intake
  // problems, placement independent of the profile, and the autonomy weights of alliance and
  // ruptures at 0 (externalising youths draw a higher wish for autonomy), and no more conflicts
  // among the peers for externalising youths (conflicts raise absconding and lower standing).
  // Then both gaps vanish.
  auto all = kExternalisingLinksOff;
  all.insert(all.end(), {"alliance.w_externalising_girls=0", "youth.externalising_problem_offset=0",
                         "placement.closed_indication_externalising=0.25", "alliance.w_autonomy=0",
                         "rupture.w_autonomy=0", "peers.conflict_externalising=0"});
  const ByProfile none = by_profile(all);
  const Estimate p0 = none.premature_gap(), a0 = none.alliance_gap();
  WARN("every externalising route off: premature gap "
       << p0.value << " (SE " << p0.se << "), alliance gap " << a0.value << " (SE " << a0.se
       << ")");
  // Vanished: premature gap within +/- 1.5 points (a tenth of the baseline gap; SE 0.24) and
  // alliance gap within +/- 0.025 (a tenth of the baseline gap; SE 0.005), 4 SE clear.
  CHECK(p0.lower(4) > -1.5);
  CHECK(p0.upper(4) < 1.5);
  CHECK(a0.lower(4) > -0.025);
  CHECK(a0.upper(4) < 0.025);
}

TEST_CASE(
    "fact 7b: the observer sees a markedly weaker first-wave alliance with externalising than with "
    "internalising youths",
    "[validation][externalising-observer][!mayfail]") {
  // Liber et al. 2010/2016 (docs/evidence.md §2.3): observed alliance at the start of treatment
  // 2.73 (SD 0.69) for children with disruptive behaviour against 3.69 (SD 0.67) for anxious
  // children on a 0-5 observer scale: a gap of 0.96. The test asks for at least half of it
  // (0.48; the cohort here is adolescent and residential), 4 SE clear. Known to fail at default
  // parameters (docs/calibration.md): the simulated gap is about 0.4.
  PerReplicate<Moments> observer[2] = {{kReps, {}},
                                       {kReps, {}}};  // [0] internalising, [1] externalising
  for_each_replicate({}, kReps, [&](const ReplicateResult& r) {
    for (int c = 0; c < r.cohort; ++c) {
      const int profile =
          static_cast<int>(static_value(r, kStProfile, c));  // 0 ext, 1 int, 2 mixed
      if (profile == 2) continue;
      observer[profile == 0][r.replicate].add_if(wave_value(r, kAllianceObserver, c, 0));
    }
  });
  observer[0].close();
  observer[1].close();
  const Estimate gap = jackknife(
      kReps, [&](int r) { return observer[0].without(r).mean() - observer[1].without(r).mean(); });
  WARN("first-wave observer rating (0-5): internalising "
       << observer[0].total.mean() << " (SD " << observer[0].total.sd() << "), externalising "
       << observer[1].total.mean() << " (SD " << observer[1].total.sd() << "); gap " << gap.value
       << " (SE " << gap.se << ")");
  CHECK(gap.lower(4) > 0.48);
}

TEST_CASE("fact 10c: youths with more severe problems improve more", "[validation][severity]") {
  // docs/evidence.md §2.2, §4.5: more severe problems -> more benefit from care. Improvement of
  // the latent problems (0-40) from intake to 6 months, regressed on the latent intake severity.
  const SeveritySlopes s = severity_slopes({});
  const Estimate absolute = s.absolute_slope(), relative = s.relative_slope();
  WARN("improvement by 6 months per point of intake severity: "
       << absolute.value << " points (SE " << absolute.se << "); relative improvement per point "
       << relative.value << " (SE " << relative.se << ")");
  // More improvement in points (at least 0.3 per point of severity) and more relative to the
  // starting level (at least 0.005 per point, i.e. +5 % of the intake level over 10 points),
  // each 4 SE clear (SEs 0.002 and 0.00015).
  CHECK(absolute.lower(4) > 0.3);
  CHECK(relative.lower(4) > 0.005);
}

TEST_CASE(
    "fact 10c companion: without the severity gain and the absolute pulls on problems the relative "
    "benefit no longer depends on severity",
    "[validation][severity][companion]") {
  // Mechanisms: problems.severity_gain (extra relative change for severe problems) and two pulls
  // in absolute points that weigh more for mild problems: deviancy training towards the
  // friends' higher problems (peers.deviancy_rate) and the jump after an incident
  // (incident.problem_jump). Absolute improvement still grows with severity by construction (change
  // in proportion to the problems), so the companion checks the relative slope.
  const SeveritySlopes base = severity_slopes({});
  const SeveritySlopes none = severity_slopes(
      {"problems.severity_gain=0", "peers.deviancy_rate=0", "incident.problem_jump=0"});
  const Estimate relative = none.relative_slope();
  const double baseline = base.relative_slope().value;
  WARN("relative improvement per point of severity: baseline "
       << baseline << ", without the mechanisms " << relative.value << " (SE " << relative.se
       << ")");
  // Vanished: within +/- a tenth of the baseline slope, 4 SE clear (SE 0.00007).
  CHECK(relative.lower(4) > -0.1 * baseline);
  CHECK(relative.upper(4) < 0.1 * baseline);
}

TEST_CASE(
    "fact 10d: the parent alliance relates more to the parent's own outcome than to the youth's",
    "[validation][parent-alliance]") {
  // docs/evidence.md §4.3: parent-therapist alliance relates weakly to the child's outcome (r
  // about .13) and moderately to the parent's own outcome (r about .24).
  const ParentAlliance p = parent_alliance({});
  const Estimate own = jackknife(kReps, [&](int r) { return p.own.without(r).r(); });
  const Estimate child = jackknife(kReps, [&](int r) { return p.child.without(r).r(); });
  const Estimate advantage = jackknife(kReps, [&](int r) { return p.advantage(r); });
  WARN("parent alliance 3m: r with own outcome 6m "
       << own.value << " (SE " << own.se << "), with youth favourable " << child.value << " (SE "
       << child.se << "); difference " << advantage.value << " (SE " << advantage.se << "), n "
       << p.own.total.n);
  // Own outcome: moderate (0.1-0.35); youth's outcome: weak (0-0.2); the own one larger; all
  // 4 SE clear (SEs about 0.007, 0.01 for the difference).
  CHECK(own.lower(4) > 0.1);
  CHECK(own.upper(4) < 0.35);
  CHECK(child.lower(4) > 0.0);
  CHECK(child.upper(4) < 0.2);
  CHECK(advantage.lower(4) > 0.0);
}

TEST_CASE(
    "fact 10d companion: when the parent's outcome does not follow the parent alliance the "
    "difference goes",
    "[validation][parent-alliance][companion]") {
  // Mechanism: the parent's own outcome follows the parent-mentor alliance
  // (parent.outcome_rate). Without it, what is left is the parent's involvement raising both.
  // Same seed: the youths, their parents and outcomes are the same as in the baseline run.
  const ParentAlliance base = parent_alliance({});
  const ParentAlliance p = parent_alliance({"parent.outcome_rate=0"});
  const Estimate advantage = jackknife(kReps, [&](int r) { return p.advantage(r); });
  const Estimate drop = jackknife(kReps, [&](int r) { return p.advantage(r) - base.advantage(r); });
  WARN("parent.outcome_rate=0: r own "
       << p.own.total.r() << ", youth " << p.child.total.r() << "; difference " << advantage.value
       << " (SE " << advantage.se << "); change against baseline " << drop.value << " (SE "
       << drop.se << ")");
  // The own-outcome advantage (about 0.14 in the baseline) is gone: well below the baseline's,
  // 4 SE clear (SE about 0.01), and it fell by more than 0.05, 4 SE clear (SE
  // about 0.003). The bound was 0.02 while the point estimate with the mechanism off was below
  // zero; with motivation.w_own (who stays to 6 months) and the calibrated parent ratings it is
  // +0.005, and 0.02 would need an SE four times smaller than 200 replicates give.
  // Since deviancy training among friends (peers.deviancy_rate) adds to the youth's outcome
  // what no alliance drives, the youth's r is lower and the remainder larger (+0.02, SE 0.01):
  // the bound is now half of the baseline's advantage (about 0.14) rather than 0.05.
  const Estimate base_advantage = jackknife(kReps, [&](int r) { return base.advantage(r); });
  CHECK(advantage.upper(4) < 0.5 * base_advantage.value);
  CHECK(drop.upper(4) < -0.05);
}
