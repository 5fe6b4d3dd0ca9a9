// Exits (micro/macrosystem). Planned discharge at the end of the planned stay, or earlier once
// problems are below the clinical cut-off (goals reached). Drop-out — leaving treatment early on
// the youth's initiative — rises with a weak alliance, an unrepaired rupture, low motivation and
// an externalising profile (Kazdin & Wassell 2000; Muran et al. 2009; Fjermestad et al. 2016).
// Absconding rises for girls and with earlier admissions (a New Zealand study, docs/evidence.md
// §6.6), with conflicts among the peers and for a few days after a friend absconded, and fall
// with a friend in the group (peers.cpp). Both are damped by the setting's leaving barrier
// (locked doors, mandate). Transfers rise
// with incidents. One uniform decides among the competing hazards. Also closes a tracked youth's
// follow-up.
#include "models/processes.hpp"

namespace asim {

constexpr double kProblemsCutOff = 12.5;  // SDQ clinical cut-off (instrument)
// Improvement in SDQ points that counts as a change in the favourable outcome (its definition).
constexpr double kReliableChange = 5.0;

void close_follow_up(const DayContext& ctx, Group& g, int bed, int exit_reason, int exit_day) {
  ReplicateResult& out = ctx.out;
  const auto c = static_cast<std::size_t>(g.cohort[bed]);
  auto set = [&](OutcomeField f, double v) { out.outcome_values[f][c] = v; };
  set(kOutExitReason, exit_reason);
  set(kOutExitDay, exit_day);
  double last_problems = std::numeric_limits<double>::quiet_NaN();
  for (int w = out.waves - 1; w >= 0; --w) {
    const float v = out.wave_values[kProblems][c * out.waves + w];
    if (!std::isnan(v)) {
      last_problems = v;
      break;
    }
  }
  const double intake = out.static_values[kStProblemsIntake][c];
  const bool stayed = exit_reason == kInCare || exit_reason == kPlannedDischarge;
  const bool favourable = stayed && !std::isnan(last_problems) && last_problems < kProblemsCutOff &&
                          last_problems <= intake - kReliableChange;
  set(kOutFavourable, favourable);
  set(kOutPremature, exit_reason == kDropOut || exit_reason == kAbsconded);
  set(kOutMentorChanges, g.mentor_changes[bed]);
  set(kOutRuptures, g.ruptures[bed]);
  set(kOutRepairs, g.repairs[bed]);
  set(kOutIncidents, g.incidents[bed]);
  set(kOutCoercions, g.coercions[bed]);
  g.cohort[bed] = -1;  // no longer tracked; an in-care youth stays in the group
}

// Whether any of the kTilePad beds from b0 has `value` in v (a tile's bed count is a multiple of
// kTilePad): blocks without it are passed over at once.
static bool block_has(const std::int32_t* v, int b0, std::int32_t value) {
  int any = 0;
  for (int k = 0; k < kTilePad; ++k) any |= v[b0 + k] == value;
  return any != 0;
}

void init_exit_hazards(const ModelParams& p, Group& g) {
  for (int k = 0; k <= kTransferIncidentCap; ++k)
    g.transfer_hazard[k] = p.transfer_rate * model_exp(p.transfer_incidents * k);
  // With alliance, motivation and peer standing at 0 (their floor), by profile and rupture state.
  for (int ext = 0; ext < 2; ++ext)
    for (int rupture = 0; rupture < 2; ++rupture)
      g.dropout_bound[ext][rupture] =
          p.dropout_rate * (1.0 - g.mech.leaving_barrier) *
          model_exp(p.dropout_alliance * kReferenceAlliance + p.dropout_rupture * rupture +
                    p.dropout_motivation * kReferenceMotivation + p.dropout_externalising * ext +
                    p.dropout_peers * kReferenceHalf);
}

ASIM_VECTOR_CLONES void update_exits(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // Per group, constant over the run: the leaving barrier, the largest drop-out hazard by
  // profile and rupture, the transfer hazard by incident count (init_exit_hazards).
  if (t.leave_open.empty()) {
    for (int i = 0; i < t.group_count; ++i) {
      const Group& g = t.group(i);
      t.leave_open.push_back(1.0 - g.mech.leaving_barrier);
      for (int k = 0; k < 4; ++k) t.dropout_bounds.push_back(g.dropout_bound[k >> 1][k & 1]);
      for (int k = 0; k <= kTransferIncidentCap; ++k)
        t.transfer_hazards.push_back(g.transfer_hazard[k]);
    }
  }
  const double *barrier_of = t.leave_open.data(), *bound_of = t.dropout_bounds.data();
  const double* transfer_of = t.transfer_hazards.data();
  // Every bed's competing hazards and the day's uniform give its reason to leave (kInCare to
  // stay), computed for all beds at once; leavers are handled below.
  const std::int32_t *occupied = t.occupied.data(), *externalising = t.externalising.data(),
                     *rupture = t.rupture.data();
  const std::int32_t *group = t.tile_group.data(), *admit_day = t.admit_day.data(),
                     *planned_stay = t.planned_stay.data(), *incidents = t.incidents.data();
  const float *abscond_hazard = t.abscond_hazard.data(), *problems = t.problems.data(),
              *peer_leave = t.peer_leave.data();
  const float *bond = t.bond.data(), *goals = t.goals.data(), *tasks = t.tasks.data();
  const float *others = t.others.data(), *motivation = t.motivation.data(),
              *standing = t.peer_standing.data();
  const double* uniform = ctx.draws.exit.data();
  std::int32_t* __restrict reason_of = ctx.draws.reason.data();
  const int day = ctx.day, goal_min_days = p.goal_discharge_min_days;
  const double goal_rate = p.goal_discharge_rate, dropout_rate = p.dropout_rate;
  const double w_alliance = p.dropout_alliance, w_others = p.dropout_others,
               w_rupture = p.dropout_rupture, w_motivation = p.dropout_motivation,
               w_externalising = p.dropout_externalising, w_peers = p.dropout_peers;
  // The reason among the competing hazards that the uniform u falls in (kInCare: none).
  auto reason_for = [](double u, double drop, double abscond, double transfer, double goal) {
    return u < drop                               ? kDropOut
           : u < drop + abscond                   ? kAbsconded
           : u < drop + abscond + transfer        ? kTransferred
           : u < drop + abscond + transfer + goal ? kPlannedDischarge
                                                  : kInCare;
  };
  constexpr std::int32_t kNeedsDropOut = -1;  // u below the drop-out bound: see the second pass
  const int beds = t.beds;
  int below_bound = 0;
  // Every bed at once: a uniform at or above the largest drop-out hazard (its bound: alliance
  // and motivation at 0) plus the other hazards means the youth stays, whatever the drop-out
  // hazard; beds below it (a few in a hundred) wait for the second pass.
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int i = group[b];
    const int d = day - admit_day[b];
    const double abscond = abscond_hazard[b] * peer_leave[b];
    const int capped = std::min(incidents[b], kTransferIncidentCap);
    const double transfer = transfer_of[(kTransferIncidentCap + 1) * i + capped];
    const double goal = (problems[b] < kProblemsCutOff && d >= goal_min_days) ? goal_rate : 0.0;
    const double u = uniform[b];
    const double bound = bound_of[4 * i + 2 * externalising[b] + (rupture[b] != kNoRupture)];
    // At or above the sum of the hazards (the drop-out hazard at its bound) the youth stays.
    std::int32_t reason = u >= bound + abscond + transfer + goal ? kInCare : kNeedsDropOut;
    reason = d >= planned_stay[b] ? kPlannedDischarge : reason;
    reason = occupied[b] ? reason : kInCare;
    reason_of[b] = reason;
    below_bound += reason == kNeedsDropOut;
  }
  // Second pass: the drop-out hazard where the uniform fell below its bound. Those beds listed
  // first, kTilePad beds at a time (most blocks have none), so that the hazards below are
  // computed without a branch between them.
  std::int32_t* listed = ctx.draws.bed_flags.data();  // its later use starts afresh
  int count = 0;
  for (int b0 = 0; count < below_bound && b0 < beds; b0 += kTilePad) {
    if (!block_has(reason_of, b0, kNeedsDropOut)) continue;
    for (int k = 0; k < kTilePad; ++k) {
      listed[count] = b0 + k;
      count += reason_of[b0 + k] == kNeedsDropOut;
    }
  }
  for (int n = 0; n < count; ++n) {
    const int b = listed[n];
    const int i = group[b];
    const int d = day - admit_day[b];
    const double abscond = abscond_hazard[b] * peer_leave[b];
    const double transfer =
        transfer_of[(kTransferIncidentCap + 1) * i + std::min(incidents[b], kTransferIncidentCap)];
    const double goal = (problems[b] < kProblemsCutOff && d >= goal_min_days) ? goal_rate : 0.0;
    const bool ruptured = rupture[b] != kNoRupture;
    const double alliance = (bond[b] + goals[b] + tasks[b]) / 3.0;  // alliance_of
    const double drop =
        dropout_rate * barrier_of[i] *
        model_exp(w_alliance *
                      (kReferenceAlliance - (1.0 - w_others) * alliance - w_others * others[b]) +
                  w_rupture * ruptured + w_motivation * (kReferenceMotivation - motivation[b]) +
                  w_externalising * externalising[b] + w_peers * (kReferenceHalf - standing[b]));
    reason_of[b] = reason_for(uniform[b], drop, abscond, transfer, goal);
  }
  // Leavers free their beds; tracked youths who stay past the last wave end their follow-up.
  // Which beds that concerns, every bed at once; then bed by bed (in bed order, so each group's
  // events keep their order).
  const int last_wave = ctx.wave_days.back();
  const std::int32_t* cohort = t.cohort.data();
  std::int32_t* __restrict due = ctx.draws.due.data();
  int due_beds = 0, absconded = 0;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const bool follow_up_ends = (cohort[b] >= 0) & (day - admit_day[b] >= last_wave);
    due[b] = (occupied[b] != 0) & ((reason_of[b] != kInCare) | follow_up_ends);
    due_beds += due[b];
    absconded += reason_of[b] == kAbsconded;
  }
  // Absconders who ran off with a friend (peers.cpp).
  std::int32_t* together = ctx.draws.bed_flags.data();
  if (absconded > 0) mark_running_together(t, reason_of, together);
  open_runaway_windows(p, t, reason_of, absconded);
  for (int tb = 0; due_beds > 0 && tb < beds; ++tb) {
    if (tb % kTilePad == 0 && !block_has(due, tb, 1)) {  // due is 0 or 1
      tb += kTilePad - 1;
      continue;
    }
    if (!due[tb]) continue;
    --due_beds;
    const int i = group[tb];
    Group& g = t.group(i);
    const int b = tb - t.bed_offset[i];
    const int d = day_since_admission(g, b, ctx.day);
    const int reason = reason_of[tb];
    if (reason == kInCare) {
      close_follow_up(ctx.group(i), g, b, kInCare, -1);
      continue;
    }
    const DayContext gctx = ctx.group(i);
    record_event(gctx, g, b, kEvExit, staff_id(g, g.mentor[b]), static_cast<float>(reason));
    if (reason == kAbsconded && together[tb])
      record_event(gctx, g, b, kEvRanOffTogether, -1, static_cast<float>(g.runaway_friend[b]));
    if (g.cohort[b] >= 0) close_follow_up(gctx, g, b, reason, d);
    g.mentors.caseload[g.mentor[b]] -= 1;
    g.occupied[b] = 0;
    g.present -= 1;
    leave_peer_network(g, b);
  }
}

// A newly admitted youth's values of the module's per-bed fields.
void Exits::admit(const DayContext& ctx, Group& g, int bed, const Referral& r) {
  const ModelParams& p = ctx.p;
  g.abscond_hazard[bed] = static_cast<float>(
      p.abscond_rate * (1.0 - g.mech.leaving_barrier) *
      model_exp(p.abscond_female * r.female + p.abscond_history * r.help_history));
}

// The module's registry rows (docs/parameters.md).
void Exits::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("exit.dropout_rate", &P::dropout_rate, 0.0006, 0, 0.2, "1/day",
         "daily drop-out hazard at an average alliance and motivation",
         "calibrated to targets: own initiative, early endings, premature exit of externalising "
         "youths, secure care left within a month (docs/calibration.md)");
  r.real("exit.dropout_alliance", &P::dropout_alliance, 4.0, 0, 20, "log hazard per alliance unit",
         "a weaker alliance raises drop-out", "Fjermestad et al. 2016; Muran et al. 2009");
  r.real("exit.dropout_rupture", &P::dropout_rupture, 1.2, 0, 5, "log hazard",
         "an unrepaired rupture raises drop-out", "Muran et al. 2009");
  r.real("exit.dropout_motivation", &P::dropout_motivation, 2.0, 0, 20,
         "log hazard per motivation unit", "lower motivation raises drop-out", kAssume);
  r.real("exit.dropout_externalising", &P::dropout_externalising, 1.0, 0, 5, "log hazard",
         "externalising youths leave treatment early more often", "Kazdin & Wassell 2000");
  r.real("exit.dropout_others", &P::dropout_others, 0.3, 0, 1, "share",
         "weight of the alliance with the other group workers beside the mentor's in drop-out",
         "docs/evidence.md §1.2: the residential alliance is multi-directional; assumption for "
         "size");
  r.real("exit.abscond_rate", &P::abscond_rate, 0.0004, 0, 0.2, "1/day", "daily absconding hazard",
         "calibrated to targets: own initiative, early endings, premature exit of externalising "
         "youths, secure care left within a month (docs/calibration.md)");
  r.real("exit.abscond_female", &P::abscond_female, 0.4, 0, 3, "log hazard",
         "girls abscond more often", "docs/evidence.md §6.6 (New Zealand)");
  r.real("exit.abscond_history", &P::abscond_history, 0.15, 0, 3, "log hazard per placement",
         "earlier admissions raise absconding", "docs/evidence.md §6.6 (New Zealand)");
  r.real("exit.transfer_rate", &P::transfer_rate, 0.0008, 0, 0.2, "1/day",
         "daily hazard of a transfer to another placement",
         "calibrated to targets: own initiative, early endings, premature exit of externalising "
         "youths, secure care left within a month (docs/calibration.md)");
  r.real("exit.transfer_incidents", &P::transfer_incidents, 0.3, 0, 5, "log hazard per incident",
         "each incident of the youth raises the transfer hazard", kAssume);
  r.real("exit.goal_discharge_rate", &P::goal_discharge_rate, 0.005, 0, 1, "1/day",
         "daily chance of a planned early discharge once problems are below the cut-off", kAssume);
  r.real("exit.goal_discharge_min_days", &P::goal_discharge_min_days, 120, 0, 730, "days",
         "shortest stay before a goal-based discharge", kAssume);
}

}  // namespace asim
