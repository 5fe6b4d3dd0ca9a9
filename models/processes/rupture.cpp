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
  // An event is recorded in the group's own buffer, naming the worker in the tile's slot s.
  auto record = [&](int b, EventKind kind, int s, float value) {
    const int i = t.tile_group[b];
    record_event(ctx, t, i, b, kind, staff_id(t, i, s), value);
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

// A newly admitted youth's values of the module's per-bed fields.
void Ruptures::admit(const DayContext& /*ctx*/, Group& g, int bed, const Referral& /*r*/) {
  g.rupture[bed] = kNoRupture;
  g.rupture_drop[bed] = 0;
  g.ruptures[bed] = g.repairs[bed] = 0;
}

// The module's registry rows (docs/parameters.md).
void Ruptures::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("rupture.rate", &P::rupture_rate, 0.006, 0, 0.5, "1/contact day",
         "baseline chance of a rupture on a day with contact", kAssume);
  r.real("rupture.w_externalising", &P::rupture_externalising, 0.5, 0, 3, "log hazard",
         "externalising youths have more ruptures", kAssume);
  r.real("rupture.w_autonomy", &P::rupture_autonomy, 0.2, 0, 3, "log hazard per SD",
         "distrust of authority raises rupture risk", kAssume);
  r.real("rupture.w_push", &P::rupture_push, 0.3, 0, 3, "log hazard per SD",
         "over-structuring raises rupture risk", "thesis ch. 5");
  r.real("rupture.w_stress", &P::rupture_stress, 1.0, 0, 5, "log hazard per stress",
         "mentor stress raises rupture risk", kAssume);
  r.real("rupture.w_incident", &P::rupture_incident, 1.5, 0, 5, "log hazard",
         "an incident the same day raises rupture risk", kAssume);
  r.real("rupture.w_coercion", &P::rupture_coercion, 1.5, 0, 5, "log hazard",
         "a coercive measure the same day raises rupture risk", kAssume);
  r.real("rupture.depth", &P::rupture_depth, 0.15, 0, 1, "alliance (0-1)",
         "largest drop in bond and tasks at a rupture", kAssume);
  r.real("rupture.depth_floor", &P::depth_floor, 0.3, 0, 1, "share of rupture.depth",
         "smallest drop of a rupture, as a share of the largest", kAssume);
  r.real("rupture.tasks_share", &P::tasks_share, 0.8, 0, 2, "share",
         "task collaboration's drop at a rupture (and gain at a repair) as a share of the bond's",
         kAssume);
  r.real("rupture.repair_rate", &P::repair_rate, 0.12, 0, 1, "1/day",
         "daily chance a detected rupture is repaired by an average mentor", kAssume);
  r.real("rupture.repair_skill", &P::repair_skill, 0.4, 0, 3, "log hazard per SD",
         "skilled mentors repair more often", "Muran et al. 2009");
  r.real("rupture.repair_gain", &P::repair_gain, 1.1, 0, 2, "share of the drop",
         "share of the drop a repair restores (above 1: repair strengthens)", kAssume);
  r.real("rupture.erosion", &P::rupture_erosion, 0.004, 0, 0.1, "alliance/day",
         "daily erosion of the alliance while a rupture stays unrepaired",
         "Muran et al. 2009 (resolution predicts staying)");
}

}  // namespace asim
