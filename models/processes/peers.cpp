// Standing among peers (mesosystem). Each youth's standing in the living group follows the
// group's atmosphere and drops with every incident the youth is involved in. Poor peer relations
// raise the risk of leaving early (docs/evidence.md §6.6: in German residential care, those who
// left early had reported worse relationships with caregivers and peers beforehand); the effect
// is applied in exits.cpp.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_peers(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  const double target =
      clamp01(p.standing_base + p.peer_atmosphere * (g.atmosphere - kReferenceClimate));
  const double rate = p.peer_rate, loss = p.peer_incident_loss;
  const std::int8_t *occupied = g.occupied.data(), *incident = g.incident_today.data();
  float* standing = g.peer_standing.data();
  for (int b = 0; b < g.beds; ++b) {
    const double moved = standing[b] + rate * (target - standing[b]);
    // x - 0.0 == x for every x, so subtracting the loss or nothing is the conditional subtraction.
    const float next = clamp01(moved - (incident[b] ? loss : 0.0));
    standing[b] = occupied[b] ? next : standing[b];
  }
}

}  // namespace asim
