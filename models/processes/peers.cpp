// Standing among peers (mesosystem). Each youth's standing in the living group follows the
// group's atmosphere and drops with every incident the youth is involved in. Poor peer relations
// raise the risk of leaving early (docs/evidence.md §6.6: in German residential care, those who
// left early had reported worse relationships with caregivers and peers beforehand); the effect
// is applied in exits.cpp.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_peers(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  double* target_of_group = ctx.draws.group_a.data();
  for (int i = 0; i < t.group_count; ++i)
    target_of_group[i] =
        clamp01(p.standing_base + p.peer_atmosphere * (t.group(i).atmosphere - kReferenceClimate));
  const double rate = p.peer_rate, loss = p.peer_incident_loss;
  const std::int32_t *occupied = t.occupied.data(), *incident = t.incident_today.data();
  const std::int32_t* group = t.tile_group.data();
  float* __restrict standing = t.peer_standing.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const double target = target_of_group[group[b]];
    const double moved = standing[b] + rate * (target - standing[b]);
    // x - 0.0 == x for every x, so subtracting the loss or nothing is the conditional subtraction.
    const float next = clamp01(moved - (incident[b] ? loss : 0.0));
    standing[b] = occupied[b] ? next : standing[b];
  }
}

}  // namespace asim
