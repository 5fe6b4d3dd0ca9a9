// Parents (microsystem, tri-directional alliance). The parent-mentor alliance grows with contact,
// which rises with the parent's involvement, toward a target set by the mentor's skill and the
// involvement. It has a moderate effect on the parent's own outcome (r about .24) and, through
// motivation, a weak one on the youth's (r about .13) (docs/evidence.md §4.3). Expected contact
// is used (no draw): a parent's contacts are frequent enough that their mean drives the slow
// alliance.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_parents(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  const double contact_rate = p.parent_contact_rate, parent_rate = p.parent_rate;
  const double outcome_rate = p.parent_outcome_rate;
  const double outcome_base = p.outcome_base, outcome_alliance = p.outcome_alliance;
  const std::int32_t* occupied = t.occupied.data();
  const float *involvement = t.parent_involvement.data(), *target = t.parent_target.data();
  float* __restrict alliance = t.parent_alliance.data(), * __restrict outcome =
                                                             t.parent_outcome.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const double rate = contact_rate * involvement[b] * parent_rate;
    const float next = clamp01(alliance[b] + rate * (target[b] - alliance[b]));
    const double outcome_target = outcome_base + outcome_alliance * next;
    const float next_outcome = clamp01(outcome[b] + outcome_rate * (outcome_target - outcome[b]));
    alliance[b] = occupied[b] ? next : alliance[b];
    outcome[b] = occupied[b] ? next_outcome : outcome[b];
  }
}

}  // namespace asim
