// Alliance formation (Bordin 1979: bond, goals, tasks). On a day with contact the bond moves
// toward a target set by youth factors, the pair's fit, the mentor's attuned skill and stress,
// and the group's support and repression; goals and tasks follow, scaled by the bond, so the
// affective context comes first (thesis ch. 5). Over-structuring lowers goal and task agreement;
// room for growth helps goals; improvement in problems feeds back into every dimension
// (McLeod 2011: reciprocal relation). Without contact the alliance fades toward a newcomer's
// level. The general alliance with the other group workers follows support and staffing.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_alliance(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // logistic(a + b + ...) = 1 / (1 + exp(-a) exp(-b) ...): the factors are cached per group-day,
  // per pair and per mentor, leaving one exp per youth-day (the progress term).
  double *exp_bond_of = ctx.draws.group_a.data(), *exp_goals_of = ctx.draws.group_b.data(),
         *exp_others_of = ctx.draws.group_c.data();
  // The groups' climate copied out first (one pass over the Group objects), so that the loop
  // with the three exps per group vectorises over the groups.
  for (int i = 0; i < t.group_count; ++i) {
    const Group& g = t.group(i);
    exp_bond_of[i] = p.w_support * (g.support - kReferenceClimate) -
                     p.w_repression * (g.repression - kReferenceRepression);  // climate_bond
    exp_goals_of[i] = p.w_growth_goals * (g.growth - kReferenceClimate);      // climate_goals
  }
  const double staffing =
      p.w_staffing_support * p.others_staffing * (p.workers_per_shift - kReferenceWorkers);
  const double alliance_base = p.alliance_base;
  const int groups = t.group_count;
  ASIM_BEDS_INDEPENDENT
  for (int i = 0; i < groups; ++i) {
    const double climate_bond = exp_bond_of[i], climate_goals = exp_goals_of[i];
    const double others_base = alliance_base + climate_bond + staffing;
    exp_bond_of[i] = model_exp(-(alliance_base + climate_bond));
    exp_goals_of[i] = model_exp(-(alliance_base + climate_goals));
    exp_others_of[i] = model_exp(-others_base);
  }
  const double exp_tasks = model_exp(-p.alliance_base);
  const float progress_floor = static_cast<float>(p.progress_floor);
  const double view_bond = p.view_bond, view_work = p.view_work, on_track = p.feedback_on_track;
  const double w_progress = p.w_progress, attunement = p.feedback_attunement;
  const double bond_rate = p.bond_rate, goals_rate = p.goals_rate, tasks_rate = p.tasks_rate;
  const double decay = p.alliance_decay, newcomer_work = p.newcomer_work,
               others_rate = p.others_rate;
  const std::int32_t *occupied = t.occupied.data(), *contact = t.contact_today.data();
  const std::int32_t* uses_feedback = t.mentors.uses_feedback.data();
  const std::int32_t *group = t.tile_group.data(), *base = t.mentor_base.data(),
                     *mentor = t.mentor.data();
  const float *severity = t.severity.data(), *problems = t.problems.data();
  const float *exp_neg_pair = t.exp_neg_pair.data(), *exp_push = t.exp_push.data();
  const float *exp_stress = t.mentors.exp_stress.data(), *newcomer = t.newcomer.data();
  const float* exp_neg_propensity = t.exp_neg_propensity.data();
  float *__restrict bond = t.bond.data(), *__restrict goals = t.goals.data(),
        *__restrict tasks = t.tasks.data(), *__restrict others = t.others.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int s = base[b] + mentor[b];
    const int i = group[b];
    // With contact the alliance moves toward its target ...
    const float severity_b = severity[b];  // a value, not std::max's reference: vectorisable
    const float denominator = progress_floor < severity_b ? severity_b : progress_floor;
    const double progress = (severity_b - problems[b]) / denominator;
    // A mentor who uses session feedback sees when ratings are not on track and adapts.
    const bool not_on_track =
        uses_feedback[s] && view_bond * bond[b] + view_work * (goals[b] + tasks[b]) < on_track;
    const double rest = exp_neg_pair[b] * exp_stress[s] *
                        model_exp(-w_progress * progress - (not_on_track ? attunement : 0.0));
    const double bond_target = 1.0 / (1.0 + exp_bond_of[i] * rest);
    const double goals_target = 1.0 / (1.0 + exp_goals_of[i] * rest * exp_push[b]);
    const double tasks_target = 1.0 / (1.0 + exp_tasks * rest * exp_push[b]);
    const double old_bond = bond[b];
    const float met_bond = clamp01(old_bond + bond_rate * (bond_target - old_bond));
    const float met_goals = clamp01(goals[b] + goals_rate * old_bond * (goals_target - goals[b]));
    const float met_tasks = clamp01(tasks[b] + tasks_rate * old_bond * (tasks_target - tasks[b]));
    // ... without, it fades toward a newcomer's level.
    const double floor = newcomer[b];
    const float faded_bond = clamp01(bond[b] - decay * (bond[b] - floor));
    const float faded_goals = clamp01(goals[b] - decay * (goals[b] - newcomer_work * floor));
    const float faded_tasks = clamp01(tasks[b] - decay * (tasks[b] - newcomer_work * floor));
    const double others_target = 1.0 / (1.0 + exp_others_of[i] * exp_neg_propensity[b]);
    const float next_others = clamp01(others[b] + others_rate * (others_target - others[b]));
    const bool met = contact[b];
    const float next_bond = met ? met_bond : faded_bond;
    const float next_goals = met ? met_goals : faded_goals;
    const float next_tasks = met ? met_tasks : faded_tasks;
    bond[b] = occupied[b] ? next_bond : bond[b];
    goals[b] = occupied[b] ? next_goals : goals[b];
    tasks[b] = occupied[b] ? next_tasks : tasks[b];
    others[b] = occupied[b] ? next_others : others[b];
  }
}

}  // namespace asim
