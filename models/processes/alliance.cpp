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
  // Each group's three factors copied to its beds, so that the bed loop below reads them in bed
  // order instead of gathering them by group.
  double *__restrict bond_factor = ctx.draws.bed_uniforms[0].data(),
                     *__restrict goals_factor = ctx.draws.bed_uniforms[1].data(),
                     *__restrict others_factor = ctx.draws.bed_uniforms[2].data();
  for (int i = 0; i < groups; ++i) {
    const double fb = exp_bond_of[i], fg = exp_goals_of[i], fo = exp_others_of[i];
    for (int b = t.bed_offset[i]; b < t.bed_offset[i + 1]; ++b) {
      bond_factor[b] = fb;
      goals_factor[b] = fg;
      others_factor[b] = fo;
    }
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
  const std::int32_t *base = t.mentor_base.data(), *mentor = t.mentor.data();
  const float *severity = t.severity.data(), *problems = t.problems.data();
  const float *exp_neg_pair = t.exp_neg_pair.data(), *exp_push = t.exp_push.data();
  const float *exp_stress = t.mentors.exp_stress.data(), *newcomer = t.newcomer.data();
  const float* exp_neg_propensity = t.exp_neg_propensity.data();
  float *__restrict bond = t.bond.data(), *__restrict goals = t.goals.data(),
        *__restrict tasks = t.tasks.data(), *__restrict others = t.others.data();
  const int beds = t.beds;
  // Two passes over the beds, each with fewer live values than one pass would hold (one pass
  // spilled its vector registers): first the factor that the pair, the mentor and the youth's
  // progress give every target, then the targets and the moves toward them. The same operations
  // in the same order: results are unchanged.
  double* __restrict rest_of = ctx.draws.bed_values.data();
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int s = base[b] + mentor[b];
    const float severity_b = severity[b];  // a value, not std::max's reference: vectorisable
    const float denominator = progress_floor < severity_b ? severity_b : progress_floor;
    const double progress = (severity_b - problems[b]) / denominator;
    // A mentor who uses session feedback sees when ratings are not on track and adapts.
    const bool not_on_track =
        uses_feedback[s] && view_bond * bond[b] + view_work * (goals[b] + tasks[b]) < on_track;
    rest_of[b] = exp_neg_pair[b] * exp_stress[s] *
                 model_exp(-w_progress * progress - (not_on_track ? attunement : 0.0));
  }
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    // With contact the alliance moves toward its target ...
    const double rest = rest_of[b];
    const double bond_target = 1.0 / (1.0 + bond_factor[b] * rest);
    const double goals_target = 1.0 / (1.0 + goals_factor[b] * rest * exp_push[b]);
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
    const double others_target = 1.0 / (1.0 + others_factor[b] * exp_neg_propensity[b]);
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

// A newly admitted youth's values of the module's per-bed fields.
void Alliance::admit(const DayContext& ctx, Group& g, int bed, const Referral& /*r*/) {
  // The first-impression level (draw_pair has set it for the youth's mentor).
  const double first = newcomer_level(g, bed);
  g.bond[bed] = static_cast<float>(first);
  g.goals[bed] = static_cast<float>(first * ctx.p.newcomer_work);
  g.tasks[bed] = static_cast<float>(first * ctx.p.newcomer_work);
  g.others[bed] = static_cast<float>(first);
}

// The module's registry rows (docs/parameters.md).
void Alliance::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("alliance.w_expectations", &P::w_expectations, 0.35, 0, 3, "logit per SD",
         "positive expectations of help -> better alliance", "thesis ch. 5 (youth factors)");
  r.real("alliance.w_attachment", &P::w_attachment, 0.25, 0, 3, "logit per SD",
         "attachment security -> better alliance", "thesis ch. 5 (youth factors)");
  r.real("alliance.w_help_history", &P::w_help_history, 0.12, 0, 3, "logit per placement",
         "each earlier placement weakens the alliance", "thesis ch. 5 (help history)");
  r.real("alliance.w_autonomy", &P::w_autonomy, 0.25, 0, 3, "logit per SD",
         "distrust of adult authority / wish for autonomy weakens the alliance",
         "thesis ch. 5 (autonomy, distrust)");
  r.real("alliance.w_externalising", &P::w_externalising, 0.55, 0, 3, "logit",
         "externalising problems weaken the alliance",
         "calibrated to targets: observer-rated alliance by profile, premature exit of "
         "externalising youths (docs/calibration.md); Liber et al. 2010/2016; Ayotte et al. 2015",
         true);
  r.real(
      "alliance.w_externalising_girls", &P::w_externalising_girls, 0.4, 0, 3, "logit",
      "extra weakening of the alliance for externalising girls",
      "Ayotte et al. 2015 (externalising girls 7.9 times more often a weak alliance at 3 months)");
  r.real("alliance.fit_sd", &P::fit_sd, 0.5, 0, 3, "logit",
         "spread of the personal fit of a youth-mentor pair", kAssume);
  r.real("alliance.bond_rate", &P::bond_rate, 0.12, 0.001, 1, "per contact",
         "share of the gap to its target the bond closes per contact", kAssume);
  r.real("alliance.goals_rate", &P::goals_rate, 0.06, 0.001, 1, "per contact",
         "goal agreement growth per contact, scaled by the bond (bond first)",
         "thesis ch. 5: affective context first, then goals and tasks");
  r.real("alliance.tasks_rate", &P::tasks_rate, 0.05, 0.001, 1, "per contact",
         "task collaboration growth per contact, scaled by the bond", "thesis ch. 5");
  r.real("alliance.decay", &P::alliance_decay, 0.004, 0, 0.2, "1/day",
         "daily fading of the alliance on days without contact", kAssume);
  r.real("alliance.base", &P::alliance_base, 1.6, -5, 5, "logit",
         "alliance target of an average youth with an average mentor",
         "calibrated: first-wave youth mean about 3.9 (docs/evidence.md §3.3)");
  r.real("alliance.w_skill", &P::w_skill, 0.35, 0, 3, "logit per SD",
         "mentor's attuned alliance-building behaviour -> alliance", "thesis ch. 5");
  r.real("alliance.w_push", &P::w_push, 0.2, 0, 3, "logit per SD",
         "over-structuring, pushing, criticising harm goals and tasks", "thesis ch. 5");
  r.real("alliance.w_stress", &P::w_stress, 0.8, 0, 5, "logit per stress",
         "mentor stress lowers the quality of contact", kAssume);
  r.real("alliance.w_support", &P::w_support, 0.6, 0, 5, "logit per climate unit",
         "a supportive group climate helps the bond", "thesis ch. 5 (mesosystem)");
  r.real("alliance.w_repression", &P::w_repression, 0.8, 0, 5, "logit per climate unit",
         "repression and coercion in the group harm the bond", "thesis ch. 5");
  r.real("alliance.w_growth_goals", &P::w_growth_goals, 0.6, 0, 5, "logit per climate unit",
         "room for growth helps agreement on goals", "Van der Helm et al. 2018");
  r.real("alliance.w_progress", &P::w_progress, 1.0, 0, 5, "logit per relative improvement",
         "improvement in problems feeds back into the alliance", "McLeod 2011 (reciprocal)");
  r.real("alliance.initial", &P::alliance_initial, 1.25, -5, 5, "logit",
         "first-impression (newcomer) alliance level of an average youth", kAssume);
  r.real("alliance.w_newcomer", &P::w_newcomer, 0.35, 0, 3, "share",
         "share of the youth's alliance propensity and the pair's fit that shows in the first "
         "impression (logit)",
         kAssume);
  r.real("alliance.newcomer_work", &P::newcomer_work, 0.95, 0, 1, "share of the bond",
         "goal and task agreement of a newcomer pair, relative to the first-impression bond "
         "(also the level goals and tasks fade toward)",
         kAssume);
  r.real("alliance.others_staffing", &P::others_staffing, 4.0, 0, 20,
         "multiple of climate.w_staffing_support",
         "effect of each extra worker per shift on the alliance with the other group workers, as "
         "a multiple of its effect on support",
         kAssume);
  r.real("alliance.progress_floor", &P::progress_floor, 5.0, 0.1, 40, "SDQ points",
         "smallest intake severity by which improvement is divided (relative progress)", kAssume);
  r.real("alliance.others_rate", &P::others_rate, 0.02, 0.001, 1, "1/day",
         "speed of the general alliance with the other group workers", kAssume);
}

}  // namespace asim
