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
  const double climate_bond = p.w_support * (g.support - kReferenceClimate) -
                              p.w_repression * (g.repression - kReferenceRepression);
  const double climate_goals = p.w_growth_goals * (g.growth - kReferenceClimate);
  const double others_base =
      p.alliance_base + climate_bond +
      p.w_staffing_support * p.others_staffing * (p.workers_per_shift - kReferenceWorkers);
  // logistic(a + b + ...) = 1 / (1 + exp(-a) exp(-b) ...): the factors are cached per group-day,
  // per pair and per mentor, leaving one exp per youth-day with contact (the progress term).
  const double exp_bond = std::exp(-(p.alliance_base + climate_bond));
  const double exp_goals = std::exp(-(p.alliance_base + climate_goals));
  const double exp_tasks = std::exp(-p.alliance_base);
  const double exp_others = std::exp(-others_base);
  const float progress_floor = static_cast<float>(p.progress_floor);
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    if (g.contact_today[b]) {
      const int s = g.mentor[b];
      const double progress =
          (g.severity[b] - g.problems[b]) / std::max(progress_floor, g.severity[b]);
      // A mentor who uses session feedback sees when ratings are not on track and adapts.
      const bool not_on_track =
          g.mentors.uses_feedback[s] &&
          p.view_bond * g.bond[b] + p.view_work * (g.goals[b] + g.tasks[b]) < p.feedback_on_track;
      const double rest = g.exp_neg_pair[b] * g.mentors.exp_stress[s] *
                          std::exp(-p.w_progress * progress - (not_on_track ? p.feedback_attunement : 0.0));
      const double bond_target = 1.0 / (1.0 + exp_bond * rest);
      const double goals_target = 1.0 / (1.0 + exp_goals * rest * g.exp_push[b]);
      const double tasks_target = 1.0 / (1.0 + exp_tasks * rest * g.exp_push[b]);
      const double bond = g.bond[b];
      g.bond[b] = clamp01(bond + p.bond_rate * (bond_target - bond));
      g.goals[b] = clamp01(g.goals[b] + p.goals_rate * bond * (goals_target - g.goals[b]));
      g.tasks[b] = clamp01(g.tasks[b] + p.tasks_rate * bond * (tasks_target - g.tasks[b]));
    } else {
      const double floor = newcomer_level(g, b);
      g.bond[b] = clamp01(g.bond[b] - p.alliance_decay * (g.bond[b] - floor));
      g.goals[b] = clamp01(g.goals[b] - p.alliance_decay * (g.goals[b] - p.newcomer_work * floor));
      g.tasks[b] = clamp01(g.tasks[b] - p.alliance_decay * (g.tasks[b] - p.newcomer_work * floor));
    }
    const double others_target = 1.0 / (1.0 + exp_others * g.exp_neg_propensity[b]);
    g.others[b] = clamp01(g.others[b] + p.others_rate * (others_target - g.others[b]));
  }
}

}  // namespace asim
