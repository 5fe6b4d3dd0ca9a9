// Alliance formation (Bordin 1979: bond, goals, tasks). On a day with contact the bond moves
// toward a target set by youth factors, the pair's fit, the mentor's attuned skill and stress,
// and the group's support and repression; goals and tasks follow, scaled by the bond, so the
// affective context comes first (thesis ch. 5). Over-structuring lowers goal and task agreement;
// room for growth helps goals; improvement in problems feeds back into every dimension
// (McLeod 2011: reciprocal relation). Without contact the alliance fades toward a newcomer's
// level. The general alliance with the other group workers follows support and staffing.
#include "models/processes.hpp"

namespace asim {

void update_alliance(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  const double climate_bond = p.w_support * (g.support - 0.6) - p.w_repression * (g.repression - 0.35);
  const double climate_goals = p.w_growth_goals * (g.growth - 0.6);
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const int s = g.mentor[b];
    const double progress = (g.severity[b] - g.problems[b]) / std::max(5.0f, g.severity[b]);
    const double common = p.alliance_base + g.propensity[b] + g.fit[b] +
                          p.w_skill * skill_of(p, g, s) - p.w_stress * g.mentors.stress[s] +
                          p.w_progress * progress;
    const double bond_target = logistic(common + climate_bond);
    const double work_target = logistic(common - p.w_push * push_of(p, g, s) + climate_goals);
    if (g.contact_today[b]) {
      const double bond = g.bond[b];
      g.bond[b] = clamp01(bond + p.bond_rate * (bond_target - bond));
      g.goals[b] = clamp01(g.goals[b] + p.goals_rate * bond * (work_target - g.goals[b]));
      g.tasks[b] = clamp01(g.tasks[b] + p.tasks_rate * bond * (work_target - g.tasks[b]));
    } else {
      const double floor = newcomer_level(p, g, b);
      g.bond[b] = clamp01(g.bond[b] - p.alliance_decay * (g.bond[b] - floor));
      g.goals[b] = clamp01(g.goals[b] - p.alliance_decay * (g.goals[b] - kNewcomerWork * floor));
      g.tasks[b] = clamp01(g.tasks[b] - p.alliance_decay * (g.tasks[b] - kNewcomerWork * floor));
    }
    const double others_target =
        logistic(p.alliance_base + g.propensity[b] + climate_bond +
                 p.w_staffing_support * 4.0 * (p.workers_per_shift - 2.0));
    g.others[b] = clamp01(g.others[b] + p.others_rate * (others_target - g.others[b]));
  }
}

}  // namespace asim
