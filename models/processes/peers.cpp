// Standing among peers (mesosystem). Each youth's standing in the living group follows the
// group's atmosphere and drops with every incident the youth is involved in. Poor peer relations
// raise the risk of leaving early (MODEL-BRIEF §6: in German residential care, those who left
// early had reported worse relationships with caregivers and peers beforehand); the effect is
// applied in exits.cpp.
#include "models/processes.hpp"

namespace asim {

void update_peers(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  const double target = clamp01(0.5 + p.peer_atmosphere * (g.atmosphere - 0.6));
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    double standing = g.peer_standing[b] + p.peer_rate * (target - g.peer_standing[b]);
    if (g.incident_today[b]) standing -= p.peer_incident_loss;
    g.peer_standing[b] = clamp01(standing);
  }
}

}  // namespace asim
