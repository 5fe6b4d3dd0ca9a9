// Incidents and coercion (mesosystem). A youth's daily incident risk rises with problems and an
// externalising profile and on understaffed days, and falls with a better group atmosphere
// (Van den Tillaart et al. 2018). An incident is met with a coercive measure with the setting's
// probability: the repression mechanism through which closed care can harm the bond.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_incidents(const DayContext& ctx, Group& g, const DayDraws& draws) {
  const ModelParams& p = ctx.p;
  g.incidents_today = 0;
  g.coercions_today = 0;
  const double group_factor = std::exp(p.incident_understaffed * g.understaffed_today -
                                       p.incident_atmosphere * (g.atmosphere - kReferenceClimate));
  const double rate = p.incident_rate;
  auto risk_of = [&](int b) {
    return rate * (g.problems[b] / kReferenceProblems) * g.incident_factor[b] * group_factor;
  };
  // Who has an incident today, every bed at once (empty beds keep their flags) ...
  {
    const std::int8_t* occupied = g.occupied.data();
    const float *problems = g.problems.data(), *factor = g.incident_factor.data();
    const double* u = draws.incident.data();
    std::int8_t *incident = g.incident_today.data(), *coercion = g.coercion_today.data();
    const int beds = g.beds;  // a local: byte stores could alias g.beds
    for (int b = 0; b < beds; ++b) {
      const double risk = rate * (problems[b] / kReferenceProblems) * factor[b] * group_factor;
      const std::int8_t hit = u[b] < risk;
      incident[b] = occupied[b] ? hit : incident[b];
      coercion[b] = occupied[b] ? std::int8_t{0} : coercion[b];
    }
  }
  // ... then what follows an incident, bed by bed (a few beds a week).
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b] || !g.incident_today[b]) continue;
    const double risk = risk_of(b);
    // The coercion draw reuses the incident uniform, rescaled to (0, 1) given the incident.
    const double u = draws.incident[b] / risk;
    g.coercion_today[b] = u < g.mech.coercion_on_incident;
    g.incidents[b] += 1;
    g.coercions[b] += g.coercion_today[b];
    g.incidents_today += 1;
    g.coercions_today += g.coercion_today[b];
    g.problems[b] =
        static_cast<float>(std::min(kProblemsMax, g.problems[b] + p.incident_problem_jump));
    record_event(ctx, g, b, kEvIncident, -1, static_cast<float>(g.coercion_today[b]));
  }
}

}  // namespace asim
