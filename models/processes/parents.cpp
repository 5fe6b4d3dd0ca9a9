// Parents (microsystem, tri-directional alliance). The parent-mentor alliance grows with contact,
// which rises with the parent's involvement, toward a target set by the mentor's skill and the
// involvement. It has a moderate effect on the parent's own outcome (r about .24) and, through
// motivation, a weak one on the youth's (r about .13) (MODEL-BRIEF §4). Expected contact is used
// (no draw): a parent's contacts are frequent enough that their mean drives the slow alliance.
#include "models/processes.hpp"

namespace asim {

void update_parents(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const double involvement = g.parent_involvement[b];
    const double target = g.parent_target[b];
    const double rate = p.parent_contact_rate * involvement * p.parent_rate;
    g.parent_alliance[b] = clamp01(g.parent_alliance[b] + rate * (target - g.parent_alliance[b]));
    const double outcome_target = 0.35 + 0.45 * g.parent_alliance[b];
    g.parent_outcome[b] =
        clamp01(g.parent_outcome[b] + p.parent_outcome_rate * (outcome_target - g.parent_outcome[b]));
  }
}

}  // namespace asim
