// Treatment motivation (autonomous motivation, self-determination theory). Motivation follows a
// target raised by the alliance — but only as far as the setting leaves room for autonomy:
// restricted autonomy blocks the alliance -> motivation path (thesis ch. 4: the path is present
// in open and absent in closed settings) — by room for growth in the group climate
// (Van der Helm et al. 2018) and weakly by the parent's alliance, and lowered by the controlled
// motivation of a mandated placement (McLeod 2011). Nothing here branches on the setting: the
// setting acts only through autonomy_restriction, mandates and growth.
#include "models/processes.hpp"

namespace asim {

void update_motivation(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  const double alliance_path = p.w_alliance_motivation * (1.0 - g.mech.autonomy_restriction);
  const double climate = p.w_growth_motivation * (g.growth - 0.6);
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const double target = p.motivation_base + alliance_path * (alliance_of(g, b) - 0.6) + climate +
                          p.w_parent_motivation * (g.parent_alliance[b] - 0.5) -
                          g.mech.mandate_pressure * g.mandated[b];
    g.motivation[b] = clamp01(g.motivation[b] + p.motivation_rate * (target - g.motivation[b]));
  }
}

}  // namespace asim
