// Measurement model: what a study would see. At each wave day a tracked youth in care is rated
// by youth, mentor, parent and observer, each informant with a persistent leniency and occasion
// noise (docs/evidence.md §3.1, §3.2 and §8: youths and parents rate more positively than
// professionals; informant agreement weak to moderate, observer agreement larger). Youths weigh
// the bond most, mentors the work on goals and tasks. The latent truth is stored beside the
// ratings, and each measured youth's ego network (its ties that day). Also records the requested
// daily series and the group's daily series with the summaries of its peer network.
#include <bit>
#include <boost/random/normal_distribution.hpp>

#include "models/processes.hpp"

namespace asim {

// Whether youth b is in conflict with an externalising youth of the group (victimisation), from
// the youth's conflict mask (kept by peers.cpp, which runs before the measurement).
static int victimised(const Group& g, int b) {
  for (std::uint64_t m = g.conflict_mask[b]; m != 0; m &= m - 1)
    if (g.externalising[std::countr_zero(m)]) return 1;
  return 0;
}

static void measure_wave(const DayContext& ctx, const Group& g, int b, int wave, int d) {
  const ModelParams& p = ctx.p;
  StreamEngine eng(ctx.rng, static_cast<std::uint32_t>(g.youth_id[b]),
                   static_cast<std::uint32_t>(d), kPurposeMeasure);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  ReplicateResult& out = ctx.out;
  const std::size_t at = static_cast<std::size_t>(g.cohort[b]) * out.waves + wave;
  auto set = [&](WaveMeasure m, double v) { out.wave_values[m][at] = static_cast<float>(v); };
  const double bond = g.bond[b], goals = g.goals[b], tasks = g.tasks[b];
  const double alliance = (bond + goals + tasks) / 3.0;
  const double youth_view = youth_view_of(p, g, b);
  const double youth_rating = youth_view + p.rater_youth_noise * normal(eng);
  set(kAllianceYouth, scale_1_5(youth_rating));
  set(kAllianceMentor, scale_1_5(mentor_view_of(p, g, b) + p.rater_mentor_noise * normal(eng)));
  set(kAllianceParent,
      scale_1_5(p.parent_view_youth * alliance + p.parent_view_own * g.parent_alliance[b] +
                p.parent_view_offset + g.leniency_parent[b] + p.rater_parent_noise * normal(eng)));
  set(kAllianceObserver,
      kObserverMax * clamp01(alliance + g.leniency_observer[b] + p.observer_noise * normal(eng)));
  set(kMotivation, scale_1_5(g.motivation[b] + p.motivation_noise * normal(eng)));
  set(kProblems, std::clamp(g.problems[b] + p.problems_noise * normal(eng), 0.0, kProblemsMax));
  set(kClimateSupport, scale_1_5(g.support + p.climate_noise * normal(eng)));
  set(kClimateGrowth, scale_1_5(g.growth + p.climate_noise * normal(eng)));
  set(kClimateAtmosphere, scale_1_5(g.atmosphere + p.climate_noise * normal(eng)));
  set(kClimateRepression, scale_1_5(g.repression + p.climate_noise * normal(eng)));
  const double srs_noise = normal(eng);
  set(kSrs, g.mentors.uses_feedback[g.mentor[b]]
                ? kSrsMax * clamp01(youth_view + p.srs_noise * srs_noise)
                : std::numeric_limits<double>::quiet_NaN());
  set(kParentOutcome, scale_1_5(g.parent_outcome[b] + p.rater_parent_noise * normal(eng)));
  set(kAllianceTrue, 1.0 + 4.0 * alliance);
  set(kAllianceTrueBond, 1.0 + 4.0 * bond);
  set(kAllianceTrueGoals, 1.0 + 4.0 * goals);
  set(kAllianceTrueTasks, 1.0 + 4.0 * tasks);
  set(kAllianceTrueOthers, 1.0 + 4.0 * g.others[b]);
  set(kAllianceTrueParent, 1.0 + 4.0 * g.parent_alliance[b]);
  set(kMotivationTrue, 1.0 + 4.0 * g.motivation[b]);
  set(kProblemsTrue, g.problems[b]);
  set(kEngagementTrue, g.engagement[b]);
  set(kPeerStandingTrue, g.peer_standing[b]);
  // The peer measures: sociometric nominations, taken as reported without error.
  const int friends = g.friends[b];
  set(kPeerFriends, friends);
  set(kPeerConflicts, g.conflicts[b]);
  set(kPeerActingOutFriends, friends > 0 ? static_cast<double>(g.acting_out_friends[b]) / friends
                                         : std::numeric_limits<double>::quiet_NaN());
  set(kPeerVictimised, victimised(g, b));
  // The ego network: every tie of the youth today (ties are current after the peers step).
  if (!ctx.edges) return;
  for (std::size_t k = 0; k < g.pairs.size(); ++k) {
    const int tie = g.pairs[k].friend_tie     ? kTieFriendship
                    : g.pairs[k].conflict_tie ? kTieConflict
                                              : 0;
    if (tie == 0) continue;
    const int a = g.pairs[k].a, c = g.pairs[k].b;
    if (a != b && c != b) continue;
    const int other = a == b ? c : a;
    ctx.edges->push_back(PeerEdge{ctx.day, wave, g.cohort[b], g.youth_id[other], g.cohort[other],
                                  static_cast<std::int8_t>(tie)});
  }
}

// One tracked youth in care on day d since admission: the wave measures on a wave day, the
// requested daily series on every day of follow-up.
static void measure_bed(const DayContext& ctx, Group& g, int b, bool any_daily) {
  ReplicateResult& out = ctx.out;
  {
    const int d = day_since_admission(g, b, ctx.day);
    for (int w = 0; w < out.waves; ++w)
      if (d == ctx.wave_days[static_cast<std::size_t>(w)]) measure_wave(ctx, g, b, w, d);
    if (any_daily && d < out.follow_up_days) {
      const std::size_t at = static_cast<std::size_t>(g.cohort[b]) * out.follow_up_days + d;
      const auto& want = ctx.options.daily;
      auto put = [&](DailyVar v, double x) {
        if (want[v]) out.daily_values[v][at] = static_cast<float>(x);
      };
      put(kDailyAlliance, alliance_of(g, b));
      put(kDailyBond, g.bond[b]);
      put(kDailyGoals, g.goals[b]);
      put(kDailyTasks, g.tasks[b]);
      put(kDailyOthers, g.others[b]);
      put(kDailyMotivation, g.motivation[b]);
      put(kDailyProblems, g.problems[b]);
      put(kDailyEngagement, g.engagement[b]);
      put(kDailyParentAlliance, g.parent_alliance[b]);
      put(kDailyRupture, g.rupture[b]);
      put(kDailyContact, g.contact_today[b]);
      put(kDailyMentorStress, g.mentors.stress[g.mentor[b]]);
      put(kDailyPeerStanding, g.peer_standing[b]);
    }
  }
}

static void record_one_group_day(const DayContext& ctx, const Group& g, int groups) {
  double alliance = 0, motivation = 0, problems = 0, stress = 0;
  const int n = g.occupancy();
  for (int b = 0; b < g.beds; ++b)
    if (g.occupied[b]) {
      alliance += alliance_of(g, b);
      motivation += g.motivation[b];
      problems += g.problems[b];
    }
  for (std::size_t s = 0; s < g.mentors.size(); ++s) stress += g.mentors.stress[s];
  // The network of the youths present at the end of the day: a tie counts while both of its
  // youths are still in their beds (the day's leavers have left since the peers step).
  thread_local std::vector<int> friends_of;
  friends_of.assign(static_cast<std::size_t>(g.beds), 0);
  int friend_ties = 0, conflict_ties = 0;
  for (std::size_t k = 0; k < g.pairs.size(); ++k) {
    if (!(g.pairs[k].friend_tie | g.pairs[k].conflict_tie)) continue;
    const int a = g.pairs[k].a, b = g.pairs[k].b;
    if (!g.occupied[a] || !g.occupied[b] || g.pairs[k].youth_a != g.youth_id[a] ||
        g.pairs[k].youth_b != g.youth_id[b])
      continue;
    conflict_ties += g.pairs[k].conflict_tie;
    if (!g.pairs[k].friend_tie) continue;
    ++friend_ties;
    ++friends_of[static_cast<std::size_t>(a)];
    ++friends_of[static_cast<std::size_t>(b)];
  }
  int friendless = 0;
  for (int b = 0; b < g.beds; ++b)
    friendless += g.occupied[b] && friends_of[static_cast<std::size_t>(b)] == 0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t at = static_cast<std::size_t>(ctx.day) * groups + g.index;
  auto put = [&](GroupVar v, double x) { ctx.out.group_values[v][at] = static_cast<float>(x); };
  put(kGroupOccupancy, n);
  put(kGroupSupport, g.support);
  put(kGroupGrowth, g.growth);
  put(kGroupAtmosphere, g.atmosphere);
  put(kGroupRepression, g.repression);
  put(kGroupTeamClimate, g.team_climate);
  put(kGroupIncidents, g.incidents_today);
  put(kGroupCoercions, g.coercions_today);
  put(kGroupUnderstaffed, g.understaffed_today);
  put(kGroupMeanAlliance, n ? alliance / n : nan);
  put(kGroupMeanMotivation, n ? motivation / n : nan);
  put(kGroupMeanProblems, n ? problems / n : nan);
  put(kGroupMeanStress, stress / static_cast<double>(g.mentors.size()));
  put(kGroupFriendDensity, n >= 2 ? friend_ties / (0.5 * n * (n - 1)) : nan);
  put(kGroupConflictTies, conflict_ties);
  put(kGroupMeanFriends, n ? 2.0 * friend_ties / n : nan);
  put(kGroupFriendless, n ? static_cast<double>(friendless) / n : nan);
}

ASIM_VECTOR_CLONES void measure_youths(const TileContext& ctx, Tile& t) {
  bool any_daily = false;
  for (bool want : ctx.options.daily) any_daily = any_daily || want;
  // Which beds are measured today, every bed at once: tracked youths on a wave day, or on any
  // day of follow-up when daily series are recorded.
  const std::int32_t *occupied = t.occupied.data(), *cohort = t.cohort.data(),
                     *admit_day = t.admit_day.data();
  std::int32_t* __restrict due = ctx.draws.reason.data();
  const int day = ctx.day, follow_up = ctx.out.follow_up_days, beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int d = day - admit_day[b];
    const bool in_follow_up = (d >= 0) & (d < follow_up);
    due[b] = (occupied[b] != 0) & (cohort[b] >= 0) & any_daily & in_follow_up;
  }
  // One pass per wave (a compare per bed; a table lookup per bed would be a gather).
  for (const int wave_day : ctx.wave_days) {
    if (wave_day >= follow_up) continue;
    ASIM_BEDS_INDEPENDENT
    for (int b = 0; b < beds; ++b)
      due[b] |= (occupied[b] != 0) & (cohort[b] >= 0) & (day - admit_day[b] == wave_day);
  }
  int any = 0;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) any += due[b];
  for (int b = 0; any > 0 && b < beds; ++b)
    if (due[b]) {
      --any;
      const int i = t.tile_group[b];
      measure_bed(ctx.group(i), t.group(i), b - t.bed_offset[i], any_daily);
    }
}

void record_group_day(const TileContext& ctx, Tile& t) {
  if (!ctx.options.group_series) return;  // a file without groups/daily (RunOptions)
  const int groups = ctx.out.groups;
  for (int i = 0; i < t.group_count; ++i) record_one_group_day(ctx.group(i), t.group(i), groups);
}

// The module's registry rows (docs/parameters.md).
void Measure::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("rater.youth_bias", &P::rater_youth_bias, 0.083, -1, 1, "alliance (0-1)",
         "mean leniency of youth ratings",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md); "
         "docs/evidence.md §3.1 (youths rate more positively)");
  r.real("rater.youth_sd", &P::rater_youth_sd, 0.21, 0, 1, "alliance (0-1)",
         "spread of persistent youth leniency",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md); "
         "docs/evidence.md §3.2 (weak agreement)");
  r.real("rater.youth_noise", &P::rater_youth_noise, 0.046, 0, 1, "alliance (0-1)",
         "occasion noise of a youth rating",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md)");
  r.real("rater.youth_view_bond", &P::youth_view_bond, 0.5, 0, 1, "weight",
         "weight of the bond in the youth's view of the alliance (rating, SRS)",
         "assumption (youths weigh the bond most)");
  r.real("rater.youth_view_goals", &P::youth_view_goals, 0.25, 0, 1, "weight",
         "weight of goal agreement in the youth's view of the alliance", kAssume);
  r.real("rater.youth_view_tasks", &P::youth_view_tasks, 0.25, 0, 1, "weight",
         "weight of task collaboration in the youth's view of the alliance", kAssume);
  r.real("rater.mentor_bias", &P::rater_mentor_bias, -0.013, -1, 1, "alliance (0-1)",
         "mean leniency of mentor ratings",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md); docs/evidence.md §3.1");
  r.real("rater.mentor_sd", &P::rater_mentor_sd, 0.14, 0, 1, "alliance (0-1)",
         "spread of persistent mentor leniency per pair",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md); "
         "docs/evidence.md §3.2, §8.2");
  r.real("rater.mentor_noise", &P::rater_mentor_noise, 0.047, 0, 1, "alliance (0-1)",
         "occasion noise of a mentor rating",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md)");
  r.real("rater.mentor_view_bond", &P::mentor_view_bond, 0.2, 0, 1, "weight",
         "weight of the bond in the mentor's view of the alliance",
         "assumption (mentors weigh the work on goals and tasks)");
  r.real("rater.mentor_view_goals", &P::mentor_view_goals, 0.4, 0, 1, "weight",
         "weight of goal agreement in the mentor's view of the alliance", kAssume);
  r.real("rater.mentor_view_tasks", &P::mentor_view_tasks, 0.4, 0, 1, "weight",
         "weight of task collaboration in the mentor's view of the alliance", kAssume);
  r.real("rater.parent_bias", &P::rater_parent_bias, 0.06, -1, 1, "alliance (0-1)",
         "mean leniency of parent ratings", "docs/evidence.md §3.1 (parents rate more positively)");
  r.real("rater.parent_sd", &P::rater_parent_sd, 0.14, 0, 1, "alliance (0-1)",
         "spread of persistent parent leniency",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md)");
  r.real("rater.parent_noise", &P::rater_parent_noise, 0.047, 0, 1, "alliance (0-1)",
         "occasion noise of a parent rating",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md)");
  r.real("rater.parent_view_youth", &P::parent_view_youth, 0.5, 0, 1, "weight",
         "weight of the youth-mentor alliance in the parent's rating of the alliance", kAssume);
  r.real("rater.parent_view_own", &P::parent_view_own, 0.5, 0, 1, "weight",
         "weight of the parent's own alliance with the mentor in the parent's rating", kAssume);
  r.real("rater.parent_view_offset", &P::parent_view_offset, 0.1, -1, 1, "alliance (0-1)",
         "shift of every parent rating beside the persistent leniency",
         "assumption (parents rate more positively, docs/evidence.md §3.1)");
  r.real("rater.observer_sd", &P::rater_observer_sd, 0.053, 0, 1, "alliance (0-1)",
         "spread of the observer's persistent view of a youth (coder and sampled sessions)",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md); "
         "McLeod et al. 2021 (TPOCS-A: inter-rater ICC .83, coder stability .79); docs/evidence.md "
         "§8");
  r.real("rater.observer_noise", &P::observer_noise, 0.05, 0, 1, "alliance (0-1)",
         "noise of an observer rating",
         "calibrated to targets: informant agreement and differences, observer validity "
         "(docs/calibration.md); "
         "docs/evidence.md §3.2, §8.1 (observers agree more)");
  r.real("rater.motivation_noise", &P::motivation_noise, 0.06, 0, 1, "motivation (0-1)",
         "noise of the motivation questionnaire", kAssume);
  r.real("rater.problems_noise", &P::problems_noise, 2.0, 0, 10, "SDQ points",
         "noise of the problems questionnaire", kAssume);
  r.real("rater.climate_noise", &P::climate_noise, 0.08, 0, 1, "climate units",
         "noise of a youth's climate rating", kAssume);
  r.real("rater.srs_noise", &P::srs_noise, 0.08, 0, 1, "alliance (0-1)",
         "noise of a session rating", kAssume);
}

}  // namespace asim
