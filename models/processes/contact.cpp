// Contact with the mentor (microsystem; macrosystem levers act here). A mentor's weekly
// one-to-one time is shared over the caseload; the daily chance of real contact rises with the
// time per youth and falls when the mentor is off shift, sick, or pulled into an understaffed
// shift (thesis ch. 5: lower caseload, extra staff time). One Philox call per youth-day gives
// the four uniforms used by contact, rupture/repair, incident and exit.
#include "engine/philox_batch.hpp"
#include "models/processes.hpp"

namespace asim {

void draw_youth_day(const TileContext& ctx, Tile& t) {
  // Every bed's counter at once (engine/philox_batch.hpp, vectorised where the processor
  // allows); the words of empty beds are drawn too and never read.
  DayDraws& draws = ctx.draws;
  const auto beds = static_cast<std::size_t>(t.beds);
  const std::int32_t* admit_day = t.admit_day.data();
  std::uint32_t* day_index = draws.day_index.data();
  for (std::size_t b = 0; b < beds; ++b)
    day_index[b] = static_cast<std::uint32_t>(ctx.day - admit_day[b]);
  philox_uniforms(ctx.rng.key(), reinterpret_cast<const std::uint32_t*>(t.youth_id.data()),
                  draws.day_index.data(), kPurposeYouthDay, 0, beds, draws.contact.data(),
                  draws.rupture.data(), draws.incident.data(), draws.exit.data());
}

ASIM_VECTOR_CLONES void update_contact(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  const double hours_per_youth = p.mentoring_hours / p.caseload;
  const double p_contact = 1.0 - model_exp(-hours_per_youth / p.contact_reference_hours);
  double* chance = ctx.draws.group_a.data();  // today's contact chance per group
  for (int i = 0; i < t.group_count; ++i)
    chance[i] = p_contact * (t.group(i).understaffed_today ? p.understaffed_contact : 1.0);
  const std::int32_t* occupied = t.occupied.data();
  const std::int32_t* on_shift = t.mentors.on_shift.data();
  const std::int32_t *group = t.tile_group.data(), *base = t.mentor_base.data(),
                     *mentor = t.mentor.data();
  const double* u = ctx.draws.contact.data();
  std::int32_t* __restrict contact = t.contact_today.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    // Both sides read every bed (& not &&): no masked gather, so the loop vectorises.
    const std::int32_t met = (on_shift[base[b] + mentor[b]] != 0) & (u[b] < chance[group[b]]);
    contact[b] = occupied[b] ? met : contact[b];
  }
}

// A newly admitted youth's values of the module's per-bed fields.
void Contact::admit(const DayContext& /*ctx*/, Group& g, int bed, const Referral& /*r*/) {
  g.contact_today[bed] = 0;
}

// The module's registry rows (docs/parameters.md).
void Contact::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("mentor.mentoring_hours", &P::mentoring_hours, 8, 0.5, 40, "hours/week",
         "one-to-one mentoring time a mentor has per week", kAssume);
  r.real("mentor.contact_reference_hours", &P::contact_reference_hours, 0.8, 0.05, 10, "hours/week",
         "weekly time per youth that gives a 63% daily contact chance", kAssume);
  r.real("mentor.understaffed_contact", &P::understaffed_contact, 0.5, 0, 1, "share",
         "share of the contact chance left when the mentor is pulled into an understaffed shift",
         "assumption (thesis ch. 5: extra staff time)");
}

}  // namespace asim
