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

// A newly admitted youth's values of the module's per-bed fields.
void Switch::admit(const DayContext& /*ctx*/, Group& g, int bed, const Referral& /*r*/) {
  g.mentor_changes[bed] = 0;
  g.poor_days[bed] = 0;
}

// The module's registry rows (docs/parameters.md).
void Switch::register_params(ParamRows& r) {
  using P = ModelParams;
  r.boolean("policy.right_to_switch", &P::right_to_switch, false,
            "youths may switch mentor when the alliance stays poor", "thesis ch. 5", true);
  r.real("switch.threshold", &P::switch_threshold, 0.5, 0, 1, "alliance (0-1)",
         "alliance below which a youth may ask for another mentor", kAssume);
  r.integer("switch.after_days", &P::switch_after_days, 21, 1, 365, "days",
            "days the alliance must stay poor before a switch can be asked", kAssume);
  r.real("switch.request_rate", &P::switch_request_rate, 0.05, 0, 1, "1/day",
         "daily chance of asking for a switch once eligible", kAssume);
  r.real("mentor_change.loss", &P::change_loss, 0.06, 0, 0.5, "alliance (0-1)",
         "extra loss of trust when a mentor leaves or is replaced (below a newcomer's level)",
         "thesis ch. 5 (a change of worker resets the alliance); assumption for size", true);
  r.real("mentor_change.carry_over", &P::newcomer_carry_over, 0.3, 0, 1, "share",
         "share of the alliance above a newcomer's level kept after a change of mentor",
         "thesis ch. 5: a change of worker resets the alliance", true);
}

}  // namespace asim
