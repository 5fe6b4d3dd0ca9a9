// Contact with the mentor (microsystem; macrosystem levers act here). A mentor's weekly
// one-to-one time is shared over the caseload; the daily chance of real contact rises with the
// time per youth and falls when the mentor is off shift, sick, or pulled into an understaffed
// shift (thesis ch. 5: lower caseload, extra staff time). One Philox call per youth-day gives
// the four uniforms used by contact, rupture/repair, incident and exit.
#include "engine/philox_batch.hpp"
#include "models/processes.hpp"

namespace asim {

void draw_youth_day(const DayContext& ctx, const Group& g, DayDraws& draws) {
  // Every bed's counter at once (engine/philox_batch.hpp, vectorised where the processor
  // allows); the words of empty beds are drawn too and never read.
  const auto beds = static_cast<std::size_t>(g.beds);
  for (std::size_t b = 0; b < beds; ++b)
    draws.day_index[b] = static_cast<std::uint32_t>(ctx.day - g.admit_day[b]);
  philox_uniforms(ctx.rng.key(), reinterpret_cast<const std::uint32_t*>(g.youth_id.data()),
                  draws.day_index.data(), kPurposeYouthDay, 0, beds, draws.contact.data(),
                  draws.rupture.data(), draws.incident.data(), draws.exit.data());
}

void update_contact(const DayContext& ctx, Group& g, const DayDraws& draws) {
  const ModelParams& p = ctx.p;
  const double hours_per_youth = p.mentoring_hours / p.caseload;
  const double p_contact = 1.0 - std::exp(-hours_per_youth / p.contact_reference_hours);
  const double busy = g.understaffed_today ? p.understaffed_contact : 1.0;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const int s = g.mentor[b];
    g.contact_today[b] = g.mentors.on_shift[s] && draws.contact[b] < p_contact * busy;
  }
}

}  // namespace asim
