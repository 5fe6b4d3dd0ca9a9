// Treatment motivation (autonomous motivation, self-determination theory). Motivation follows a
// target raised by the alliance — but only as far as the setting leaves room for autonomy:
// restricted autonomy blocks the alliance -> motivation path (thesis ch. 4: the path is present
// in open and absent in closed settings) — by room for growth in the group climate
// (Van der Helm et al. 2018) and weakly by the parent's alliance, and lowered by the controlled
// motivation of a mandated placement (McLeod 2011). Nothing here branches on the setting: the
// setting acts only through autonomy_restriction, mandates and growth.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_motivation(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  const double alliance_path = p.w_alliance_motivation * (1.0 - g.mech.autonomy_restriction);
  const double climate = p.w_growth_motivation * (g.growth - kReferenceClimate);
  const double base = p.motivation_base, w_parent = p.w_parent_motivation;
  const double pressure = g.mech.mandate_pressure, rate = p.motivation_rate;
  const std::int8_t* occupied = g.occupied.data();
  const std::int8_t* mandated = g.mandated.data();
  const float *bond = g.bond.data(), *goals = g.goals.data(), *tasks = g.tasks.data();
  const float* parent = g.parent_alliance.data();
  float* motivation = g.motivation.data();
  for (int b = 0; b < g.beds; ++b) {
    const double alliance = (bond[b] + goals[b] + tasks[b]) / 3.0;  // alliance_of
    const double target = base + alliance_path * (alliance - kReferenceAlliance) + climate +
                          w_parent * (parent[b] - kReferenceHalf) - pressure * mandated[b];
    const float next = clamp01(motivation[b] + rate * (target - motivation[b]));
    motivation[b] = occupied[b] ? next : motivation[b];
  }
}

}  // namespace asim
