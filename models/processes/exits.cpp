// Exits (micro/macrosystem). Planned discharge at the end of the planned stay, or earlier once
// problems are below the clinical cut-off (goals reached). Drop-out — leaving treatment early on
// the youth's initiative — rises with a weak alliance, an unrepaired rupture, low motivation and
// an externalising profile (Kazdin & Wassell 2000; Muran et al. 2009; Fjermestad et al. 2016).
// Absconding rises for girls and with earlier admissions (a New Zealand study, docs/evidence.md
// §6.6). Both are damped by the setting's leaving barrier (locked doors, mandate). Transfers rise
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

void init_exit_hazards(const ModelParams& p, Group& g) {
  for (int k = 0; k <= kTransferIncidentCap; ++k)
    g.transfer_hazard[k] = p.transfer_rate * std::exp(p.transfer_incidents * k);
  // With alliance, motivation and peer standing at 0 (their floor), by profile and rupture state.
  for (int ext = 0; ext < 2; ++ext)
    for (int rupture = 0; rupture < 2; ++rupture)
      g.dropout_bound[ext][rupture] =
          p.dropout_rate * (1.0 - g.mech.leaving_barrier) *
          std::exp(p.dropout_alliance * kReferenceAlliance + p.dropout_rupture * rupture +
                   p.dropout_motivation * kReferenceMotivation + p.dropout_externalising * ext +
                   p.dropout_peers * kReferenceHalf);
}

int update_exits(const DayContext& ctx, Group& g, const DayDraws& draws) {
  const ModelParams& p = ctx.p;
  const double barrier = 1.0 - g.mech.leaving_barrier;
  const auto& transfer_hazard = g.transfer_hazard;
  int freed = 0;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const int d = day_since_admission(g, b, ctx.day);
    int reason = kInCare;
    if (d >= g.planned_stay[b]) {
      reason = kPlannedDischarge;
    } else {
      const double abscond = g.abscond_hazard[b];
      const double transfer = transfer_hazard[std::min(g.incidents[b], kTransferIncidentCap)];
      const double goal = (g.problems[b] < kProblemsCutOff && d >= p.goal_discharge_min_days)
                              ? p.goal_discharge_rate
                              : 0.0;
      const double u = draws.exit[b];
      // The drop-out hazard is at most its bound (alliance and motivation at 0): above that
      // bound plus the other hazards nothing can happen, and the exp is not needed.
      const double drop =
          u >= g.dropout_bound[g.externalising[b]][g.rupture[b] != kNoRupture] + abscond +
                      transfer + goal
              ? 0.0
              : p.dropout_rate * barrier *
                    std::exp(p.dropout_alliance * (kReferenceAlliance -
                                                   (1.0 - p.dropout_others) * alliance_of(g, b) -
                                                   p.dropout_others * g.others[b]) +
                             p.dropout_rupture * (g.rupture[b] != kNoRupture) +
                             p.dropout_motivation * (kReferenceMotivation - g.motivation[b]) +
                             p.dropout_externalising * g.externalising[b] +
                             p.dropout_peers * (kReferenceHalf - g.peer_standing[b]));
      if (u < drop) reason = kDropOut;
      else if (u < drop + abscond) reason = kAbsconded;
      else if (u < drop + abscond + transfer) reason = kTransferred;
      else if (u < drop + abscond + transfer + goal) reason = kPlannedDischarge;
    }
    if (reason == kInCare) {
      if (g.cohort[b] >= 0 && d >= ctx.wave_days.back()) close_follow_up(ctx, g, b, kInCare, -1);
      continue;
    }
    if (g.cohort[b] >= 0) {
      record_event(ctx, g, b, kEvExit, staff_id(g, g.mentor[b]), static_cast<float>(reason));
      close_follow_up(ctx, g, b, reason, d);
    }
    g.mentors.caseload[g.mentor[b]] -= 1;
    g.last_exit[b] = static_cast<std::int8_t>(reason);
    g.occupied[b] = 0;
    g.present -= 1;
    ++freed;
  }
  return freed;
}

}  // namespace asim
