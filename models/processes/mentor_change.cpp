// Change of mentor (micro/macrosystem). A change — through turnover, long sick leave, or a switch
// the youth asks for when the right exists and the alliance stays poor — sets the alliance back
// toward the newcomer's level, keeping only a share of what was built (thesis ch. 5: "every
// change of worker puts the alliance back to zero"; clients should be able to switch worker when
// the alliance stays poor). The new pair has its own fit, which is why a switch can help.
#include "models/processes.hpp"

namespace asim {

int least_loaded_slot(const Group& g, int excluded_slot) {
  int best = -1;
  for (int s = 0; s < static_cast<int>(g.mentors.size()); ++s) {
    if (s == excluded_slot) continue;
    if (best < 0 || g.mentors.caseload[s] < g.mentors.caseload[best]) best = s;
  }
  return best;
}

void change_mentor(const DayContext& ctx, Group& g, int bed, int new_slot, int reason) {
  const ModelParams& p = ctx.p;
  g.mentors.caseload[g.mentor[bed]] -= 1;
  g.mentor[bed] = new_slot;
  g.mentors.caseload[new_slot] += 1;
  draw_pair(ctx, g, bed);
  const double fresh = newcomer_level(g, bed);
  const double keep = p.newcomer_carry_over;
  // A switch the youth asked for carries no loss of trust; a mentor who leaves does.
  const double loss = reason == kChangeSwitch ? 0.0 : p.change_loss;
  g.bond[bed] = clamp01(fresh - loss + keep * (g.bond[bed] - fresh));
  g.goals[bed] =
      clamp01(p.newcomer_work * fresh - loss + keep * (g.goals[bed] - p.newcomer_work * fresh));
  g.tasks[bed] =
      clamp01(p.newcomer_work * fresh - loss + keep * (g.tasks[bed] - p.newcomer_work * fresh));
  g.rupture[bed] = kNoRupture;
  g.rupture_drop[bed] = 0;
  g.poor_days[bed] = 0;
  g.mentor_changes[bed] += 1;
  record_event(ctx, g, bed, kEvMentorChange, staff_id(g, new_slot), static_cast<float>(reason));
}

static void update_group_switch_requests(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    if (alliance_of(g, b) >= p.switch_threshold) {
      g.poor_days[b] = 0;
      continue;
    }
    if (++g.poor_days[b] < p.switch_after_days) continue;
    const auto u = ctx.rng.uniforms(static_cast<std::uint32_t>(g.youth_id[b]),
                                    static_cast<std::uint32_t>(day_since_admission(g, b, ctx.day)),
                                    kPurposeYouthEvent);
    if (u[0] >= p.switch_request_rate) continue;
    const int other = least_loaded_slot(g, g.mentor[b]);
    if (other >= 0) change_mentor(ctx, g, b, other, kChangeSwitch);
  }
}

void update_switch_requests(const TileContext& ctx, Tile& t) {
  if (!ctx.p.right_to_switch) return;
  for (int i = 0; i < t.group_count; ++i) update_group_switch_requests(ctx.group(i), t.group(i));
}

}  // namespace asim
