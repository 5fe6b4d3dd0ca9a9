// Incidents and coercion (mesosystem). A youth's daily incident risk rises with problems and an
// externalising profile and on understaffed days, and falls with a better group atmosphere
// (Van den Tillaart et al. 2018). An incident is met with a coercive measure with the setting's
// probability: the repression mechanism through which closed care can harm the bond.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_incidents(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // Per group: exp(w_understaffed * understaffed - w_atmosphere * (atmosphere - reference)),
  // its argument copied out of the Group objects first so that the exps vectorise.
  double* factor_of_group = ctx.draws.group_a.data();
  for (int i = 0; i < t.group_count; ++i) {
    Group& g = t.group(i);
    g.incidents_today = 0;
    g.coercions_today = 0;
    factor_of_group[i] = p.incident_understaffed * g.understaffed_today -
                         p.incident_atmosphere * (g.atmosphere - kReferenceClimate);
  }
  const int groups = t.group_count;
  ASIM_BEDS_INDEPENDENT
  for (int i = 0; i < groups; ++i) factor_of_group[i] = model_exp(factor_of_group[i]);
  const double rate = p.incident_rate;
  // Who has an incident today, every bed at once (empty beds keep their flags) ...
  const std::int32_t* occupied = t.occupied.data();
  const std::int32_t* group = t.tile_group.data();
  const float *problems = t.problems.data(), *factor = t.incident_factor.data();
  const double* u = ctx.draws.incident.data();
  std::int32_t* __restrict incident = t.incident_today.data(), * __restrict coercion =
                                                                   t.coercion_today.data();
  const int beds = t.beds;
  int hits = 0;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const double risk =
        rate * (problems[b] / kReferenceProblems) * factor[b] * factor_of_group[group[b]];
    const std::int32_t hit = u[b] < risk;
    incident[b] = occupied[b] ? hit : incident[b];
    coercion[b] = occupied[b] ? 0 : coercion[b];
    hits += occupied[b] & hit;
  }
  if (hits == 0) return;
  // ... then what follows an incident, bed by bed (a few beds a week).
  for (int tb = 0; hits > 0 && tb < beds; ++tb) {
    if (!(occupied[tb] & incident[tb])) continue;
    --hits;
    const int i = group[tb];
    Group& g = t.group(i);  // its own values only (the beds' are the tile's arrays)
    const double risk =
        rate * (t.problems[tb] / kReferenceProblems) * t.incident_factor[tb] * factor_of_group[i];
    // The coercion draw reuses the incident uniform, rescaled to (0, 1) given the incident.
    const double v = u[tb] / risk;
    coercion[tb] = v < g.mech.coercion_on_incident;
    t.incidents[tb] += 1;
    t.coercions[tb] += coercion[tb];
    g.incidents_today += 1;
    g.coercions_today += coercion[tb];
    t.problems[tb] =
        static_cast<float>(std::min(kProblemsMax, t.problems[tb] + p.incident_problem_jump));
    record_event(ctx, t, i, tb, kEvIncident, -1, static_cast<float>(coercion[tb]));
  }
}

// A newly admitted youth's values of the module's per-bed fields.
void Incidents::admit(const DayContext& ctx, Group& g, int bed, const Referral& /*r*/) {
  g.incident_factor[bed] =
      static_cast<float>(model_exp(ctx.p.incident_externalising * g.externalising[bed]));
  g.incident_today[bed] = g.coercion_today[bed] = 0;
  g.incidents[bed] = g.coercions[bed] = 0;
}

// The module's registry rows (docs/parameters.md).
void Incidents::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("incident.rate", &P::incident_rate, 0.012, 0, 1, "1/day",
         "daily incident chance of a youth with problems 20", kAssume);
  r.real("incident.w_externalising", &P::incident_externalising, 1.0, 0, 5, "log hazard",
         "externalising youths have more incidents", kAssume);
  r.real("incident.w_understaffed", &P::incident_understaffed, 0.5, 0, 5, "log hazard",
         "an understaffed shift raises incident risk", kAssume);
  r.real("incident.w_atmosphere", &P::incident_atmosphere, 1.0, 0, 5, "log hazard per unit",
         "a better atmosphere lowers incident risk", "Van den Tillaart et al. 2018");
  r.real("incident.problem_jump", &P::incident_problem_jump, 0.5, 0, 10, "SDQ points",
         "problem increase after an incident", kAssume);
}

}  // namespace asim
