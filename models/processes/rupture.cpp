// Ruptures and repair (microsystem). On a day with contact a rupture occurs with a hazard that
// rises with an externalising profile, distrust of authority, the mentor's over-structuring and
// stress, and an incident or coercive measure that day. A rupture drops bond and tasks; until
// it is noticed nothing is done. Routine session feedback makes detection earlier (thesis ch. 5;
// de Jong et al. 2021). A detected rupture is repaired with a daily chance that grows with the
// mentor's skill and training (Muran et al. 2009); a repair restores (and can strengthen) the
// alliance, while an unrepaired rupture erodes it day by day and raises drop-out risk.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_ruptures(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  const double incident_factor = model_exp(p.rupture_incident);
  const double coercion_factor = model_exp(p.rupture_coercion);
  const double depth_floor = p.depth_floor, depth_span = 1.0 - p.depth_floor;
  const Mentors& m = t.mentors;
  const double* uniform = ctx.draws.rupture.data();
  // An event is recorded in the group's own buffer, naming the worker in the group's slot.
  auto record = [&](int b, EventKind kind, int s, float value) {
    const int i = t.tile_group[b];
    const Group& g = t.groups[i];
    const int slot = s - t.mentor_base[b];
    record_event(ctx.group(i), g, b - t.bed_offset[i], kind, staff_id(g, slot), value);
  };
  // Which beds have anything to do today, every bed at once: those in a rupture, and those with
  // contact whose uniform falls below (a hair above) their rupture hazard. The bed-by-bed pass
  // below decides exactly; the others are left as they are.
  const int beds = t.beds;
  {
    const std::int32_t *occupied = t.occupied.data(), *rupture = t.rupture.data(),
                       *contact = t.contact_today.data(), *incident = t.incident_today.data(),
                       *coercion = t.coercion_today.data(), *base = t.mentor_base.data(),
                       *mentor = t.mentor.data();
    const float *factor = t.rupture_factor.data(), *stress_factor = m.stress_factor.data();
    std::int32_t* __restrict busy = ctx.draws.reason.data();
    const double rate = p.rupture_rate * (1.0 + 1e-9);
    ASIM_BEDS_INDEPENDENT
    for (int b = 0; b < beds; ++b) {
      const double hazard = rate * factor[b] * stress_factor[base[b] + mentor[b]] *
                            (incident[b] ? incident_factor : 1.0) *
                            (coercion[b] ? coercion_factor : 1.0);
      const bool hit = (contact[b] != 0) & (uniform[b] < hazard);
      busy[b] = (occupied[b] != 0) & ((rupture[b] != kNoRupture) | hit);
    }
  }
  const std::int32_t* busy = ctx.draws.reason.data();
  for (int b = 0; b < beds; ++b) {
    if (!busy[b]) continue;
    const int s = t.mentor_base[b] + t.mentor[b];
    const double u = uniform[b];
    if (t.rupture[b] == kNoRupture) {
      if (!t.contact_today[b]) continue;
      // exp of a sum as a product of cached factors: youth-pair, mentor stress, the day.
      const double hazard = p.rupture_rate * t.rupture_factor[b] * m.stress_factor[s] *
                            (t.incident_today[b] ? incident_factor : 1.0) *
                            (t.coercion_today[b] ? coercion_factor : 1.0);
      if (u >= hazard) continue;
      // Depth from the same uniform, rescaled to (0, 1) given the rupture.
      const double depth = p.rupture_depth * (depth_floor + depth_span * (u / hazard));
      const float before = t.bond[b];
      t.bond[b] = clamp01(t.bond[b] - depth);
      t.tasks[b] = clamp01(t.tasks[b] - p.tasks_share * depth);
      t.rupture_drop[b] = before - t.bond[b];
      t.rupture[b] = kUndetected;
      t.ruptures[b] += 1;
      record(b, kEvRupture, s, t.rupture_drop[b]);
      continue;
    }
    if (t.rupture[b] == kUndetected) {
      const double detect = m.uses_feedback[s] ? p.detect_feedback : p.detect_base;
      if (u < detect) {
        t.rupture[b] = kDetected;
        record(b, kEvRuptureDetected, s, 0.0f);
      }
    } else {
      if (u < m.repair_chance[s]) {
        const double gain = p.repair_gain * t.rupture_drop[b];
        t.bond[b] = clamp01(t.bond[b] + gain);
        t.tasks[b] = clamp01(t.tasks[b] + p.tasks_share * gain);
        t.rupture[b] = kNoRupture;
        t.repairs[b] += 1;
        record(b, kEvRepair, s, static_cast<float>(gain));
        continue;
      }
    }
    // Still unrepaired: the alliance erodes.
    t.bond[b] = clamp01(t.bond[b] - p.rupture_erosion);
    t.tasks[b] = clamp01(t.tasks[b] - p.rupture_erosion);
  }
}

}  // namespace asim
