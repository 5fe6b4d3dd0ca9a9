// Incidents and coercion (mesosystem). A youth's daily incident risk rises with problems and an
// externalising profile and on understaffed days, and falls with a better group atmosphere
// (Van den Tillaart et al. 2018). An incident is met with a coercive measure with the setting's
// probability: the repression mechanism through which closed care can harm the bond.
#include "models/processes.hpp"

namespace asim {

void update_incidents(const DayContext& ctx, Group& g, const DayDraws& draws) {
  const ModelParams& p = ctx.p;
  g.incidents_today = 0;
  g.coercions_today = 0;
  const double group_factor = std::exp(p.incident_understaffed * g.understaffed_today -
                                       p.incident_atmosphere * (g.atmosphere - 0.6));
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const double risk = p.incident_rate * (g.problems[b] / 20.0) * g.incident_factor[b] * group_factor;
    g.incident_today[b] = draws.incident[b] < risk;
    g.coercion_today[b] = 0;
    if (!g.incident_today[b]) continue;
    // The coercion draw reuses the incident uniform, rescaled to (0, 1) given the incident.
    const double u = draws.incident[b] / risk;
    g.coercion_today[b] = u < g.mech.coercion_on_incident;
    g.incidents[b] += 1;
    g.coercions[b] += g.coercion_today[b];
    g.incidents_today += 1;
    g.coercions_today += g.coercion_today[b];
    g.problems[b] = static_cast<float>(std::min(40.0, g.problems[b] + p.incident_problem_jump));
    record_event(ctx, g, b, kEvIncident, -1, static_cast<float>(g.coercion_today[b]));
  }
}

}  // namespace asim
