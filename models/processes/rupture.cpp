// Ruptures and repair (microsystem). On a day with contact a rupture occurs with a hazard that
// rises with an externalising profile, distrust of authority, the mentor's over-structuring and
// stress, and an incident or coercive measure that day. A rupture drops bond and tasks; until
// it is noticed nothing is done. Routine session feedback makes detection earlier (thesis ch. 5;
// de Jong et al. 2021). A detected rupture is repaired with a daily chance that grows with the
// mentor's skill and training (Muran et al. 2009); a repair restores (and can strengthen) the
// alliance, while an unrepaired rupture erodes it day by day and raises drop-out risk.
#include "models/processes.hpp"

namespace asim {

void update_ruptures(const DayContext& ctx, Group& g, const DayDraws& draws) {
  const ModelParams& p = ctx.p;
  const double incident_factor = std::exp(p.rupture_incident);
  const double coercion_factor = std::exp(p.rupture_coercion);
  const double depth_floor = p.depth_floor, depth_span = 1.0 - p.depth_floor;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const int s = g.mentor[b];
    const double u = draws.rupture[b];
    if (g.rupture[b] == kNoRupture) {
      if (!g.contact_today[b]) continue;
      // exp of a sum as a product of cached factors: youth-pair, mentor stress, the day.
      const double hazard = p.rupture_rate * g.rupture_factor[b] * g.mentors.stress_factor[s] *
                            (g.incident_today[b] ? incident_factor : 1.0) *
                            (g.coercion_today[b] ? coercion_factor : 1.0);
      if (u >= hazard) continue;
      // Depth from the same uniform, rescaled to (0, 1) given the rupture.
      const double depth = p.rupture_depth * (depth_floor + depth_span * (u / hazard));
      const float before = g.bond[b];
      g.bond[b] = clamp01(g.bond[b] - depth);
      g.tasks[b] = clamp01(g.tasks[b] - p.tasks_share * depth);
      g.rupture_drop[b] = before - g.bond[b];
      g.rupture[b] = kUndetected;
      g.ruptures[b] += 1;
      record_event(ctx, g, b, kEvRupture, staff_id(g, s), g.rupture_drop[b]);
      continue;
    }
    if (g.rupture[b] == kUndetected) {
      const double detect = g.mentors.uses_feedback[s] ? p.detect_feedback : p.detect_base;
      if (u < detect) {
        g.rupture[b] = kDetected;
        record_event(ctx, g, b, kEvRuptureDetected, staff_id(g, s), 0.0f);
      }
    } else {
      if (u < g.mentors.repair_chance[s]) {
        const double gain = p.repair_gain * g.rupture_drop[b];
        g.bond[b] = clamp01(g.bond[b] + gain);
        g.tasks[b] = clamp01(g.tasks[b] + p.tasks_share * gain);
        g.rupture[b] = kNoRupture;
        g.repairs[b] += 1;
        record_event(ctx, g, b, kEvRepair, staff_id(g, s), static_cast<float>(gain));
        continue;
      }
    }
    // Still unrepaired: the alliance erodes.
    g.bond[b] = clamp01(g.bond[b] - p.rupture_erosion);
    g.tasks[b] = clamp01(g.tasks[b] - p.rupture_erosion);
  }
}

}  // namespace asim
