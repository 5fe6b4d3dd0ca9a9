// Contact with the mentor (microsystem; macrosystem levers act here). A mentor's weekly
// one-to-one time is shared over the caseload; the daily chance of real contact rises with the
// time per youth and falls when the mentor is off shift, sick, or pulled into an understaffed
// shift (thesis ch. 5: lower caseload, extra staff time). One Philox call per youth-day gives
// the four uniforms used by contact, rupture/repair, incident and exit.
#include "models/processes.hpp"

namespace asim {

void draw_youth_day(const DayContext& ctx, const Group& g, DayDraws& draws) {
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const auto u = ctx.rng.uniforms(static_cast<std::uint32_t>(g.youth_id[b]),
                                    static_cast<std::uint32_t>(day_since_admission(g, b, ctx.day)),
                                    kPurposeYouthDay);
    draws.contact[b] = u[0];
    draws.rupture[b] = u[1];
    draws.incident[b] = u[2];
    draws.exit[b] = u[3];
  }
}

void update_contact(const DayContext& ctx, Group& g, const DayDraws& draws) {
  const ModelParams& p = ctx.p;
  const double hours_per_youth = p.mentoring_hours / p.caseload;
  const double p_contact = 1.0 - std::exp(-hours_per_youth / p.contact_reference_hours);
  const double busy = g.understaffed_today ? 0.5 : 1.0;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const int s = g.mentor[b];
    g.contact_today[b] = g.mentors.on_shift[s] && draws.contact[b] < p_contact * busy;
  }
}

}  // namespace asim
