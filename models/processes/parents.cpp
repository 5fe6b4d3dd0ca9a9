// Parents (microsystem, tri-directional alliance). The parent-mentor alliance grows with contact,
// which rises with the parent's involvement, toward a target set by the mentor's skill and the
// involvement. It has a moderate effect on the parent's own outcome (r about .24) and, through
// motivation, a weak one on the youth's (r about .13) (docs/evidence.md §4.3). Expected contact
// is used (no draw): a parent's contacts are frequent enough that their mean drives the slow
// alliance.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_parents(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  const double contact_rate = p.parent_contact_rate, parent_rate = p.parent_rate;
  const double outcome_rate = p.parent_outcome_rate;
  const double outcome_base = p.outcome_base, outcome_alliance = p.outcome_alliance;
  const std::int32_t* occupied = t.occupied.data();
  const float *involvement = t.parent_involvement.data(), *target = t.parent_target.data();
  float* __restrict alliance = t.parent_alliance.data(), * __restrict outcome =
                                                             t.parent_outcome.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const double rate = contact_rate * involvement[b] * parent_rate;
    const float next = clamp01(alliance[b] + rate * (target[b] - alliance[b]));
    const double outcome_target = outcome_base + outcome_alliance * next;
    const float next_outcome = clamp01(outcome[b] + outcome_rate * (outcome_target - outcome[b]));
    alliance[b] = occupied[b] ? next : alliance[b];
    outcome[b] = occupied[b] ? next_outcome : outcome[b];
  }
}

// A newly admitted youth's values of the module's per-bed fields.
void Parents::admit(const DayContext& ctx, Group& g, int bed, const Referral& r) {
  const ModelParams& p = ctx.p;
  g.parent_alliance[bed] =
      clamp01(p.initial_alliance + p.initial_alliance_involvement * r.parent_involvement);
  g.parent_outcome[bed] =
      clamp01(p.initial_outcome + p.initial_outcome_involvement * r.parent_involvement);
}

// The module's registry rows (docs/parameters.md).
void Parents::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("parent.contact_rate", &P::parent_contact_rate, 0.3, 0, 1, "1/day",
         "daily chance of mentor-parent contact for a fully involved parent", kAssume, true);
  r.real("parent.alliance_rate", &P::parent_rate, 0.08, 0.001, 1, "per contact",
         "parent-mentor alliance growth per contact", kAssume);
  r.real("parent.outcome_rate", &P::parent_outcome_rate, 0.01, 0, 1, "1/day",
         "speed at which the parent's own outcome follows the parent alliance",
         "docs/evidence.md §4.3 (r about .24)");
  r.real("parent.involvement_mean", &P::involvement_mean, 0.5, 0, 1, "involvement (0-1)",
         "mean parental involvement at referral", kAssume);
  r.real("parent.involvement_sd", &P::involvement_sd, 0.2, 0, 1, "involvement (0-1)",
         "spread of parental involvement at referral (clamped to 0-1)", kAssume);
  r.real("parent.target_base", &P::target_base, 0.6, -5, 5, "logit",
         "parent-mentor alliance target with an average mentor and a half-involved parent",
         kAssume);
  r.real("parent.w_mentor_skill", &P::w_mentor_skill, 0.3, 0, 3, "logit per SD",
         "a skilled mentor builds a better alliance with the parent", kAssume);
  r.real("parent.w_involvement", &P::w_involvement, 2.0, 0, 10, "logit per involvement unit",
         "an involved parent builds a better alliance with the mentor", kAssume);
  r.real("parent.initial_alliance", &P::initial_alliance, 0.35, 0, 1, "alliance (0-1)",
         "parent-mentor alliance at admission of an uninvolved parent", kAssume);
  r.real("parent.initial_alliance_involvement", &P::initial_alliance_involvement, 0.2, 0, 1,
         "alliance per involvement unit", "involvement raises the parent alliance at admission",
         kAssume);
  r.real("parent.initial_outcome", &P::initial_outcome, 0.45, 0, 1, "outcome (0-1)",
         "parent's own outcome at admission of an uninvolved parent", kAssume);
  r.real("parent.initial_outcome_involvement", &P::initial_outcome_involvement, 0.1, 0, 1,
         "outcome per involvement unit", "involvement raises the parent's outcome at admission",
         kAssume);
  r.real("parent.outcome_base", &P::outcome_base, 0.35, 0, 1, "outcome (0-1)",
         "parent's own outcome target with no parent-mentor alliance", kAssume);
  r.real("parent.outcome_alliance", &P::outcome_alliance, 0.45, 0, 1, "outcome per alliance unit",
         "the parent alliance raises the parent's own outcome target",
         "assumption (size chosen for r about .24, docs/evidence.md §4.3)");
}

}  // namespace asim
