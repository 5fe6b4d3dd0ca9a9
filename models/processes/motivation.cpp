// Treatment motivation (autonomous motivation, self-determination theory). Motivation follows a
// target raised by the alliance — but only as far as the setting leaves room for autonomy:
// restricted autonomy blocks the alliance -> motivation path (thesis ch. 4: the path is present
// in open and absent in closed settings) — by room for growth in the group climate
// (Van der Helm et al. 2018) and weakly by the parent's alliance, and lowered by the controlled
// motivation of a mandated placement (McLeod 2011). The youth's own disposition (expectations,
// readiness for change: motivation.w_own) keeps acting, so youths go on differing in motivation
// where the setting blocks the alliance path. Positive peer influence pulls motivation toward
// the friends' (models/processes/peers.cpp; Lee & Thompson 2009), more so under a positive peer
// culture programme. Nothing here branches on the setting: the setting acts only through
// autonomy_restriction, mandates and growth.
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_motivation(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // Per group: the alliance path left by the setting's autonomy restriction, the climate's
  // room for growth and the mandate's pressure.
  double *path_of = ctx.draws.group_a.data(), *climate_of = ctx.draws.group_b.data(),
         *pressure_of = ctx.draws.group_c.data();
  for (int i = 0; i < t.group_count; ++i) {
    const Group& g = t.group(i);
    path_of[i] = p.w_alliance_motivation * (1.0 - g.mech.autonomy_restriction);
    climate_of[i] = p.w_growth_motivation * (g.growth - kReferenceClimate);
    pressure_of[i] = g.mech.mandate_pressure;
  }
  const double base = p.motivation_base, w_parent = p.w_parent_motivation, rate = p.motivation_rate;
  const double w_own = p.motivation_w_own;
  // At most the whole gap to the friends' level a day (the parameters' ranges allow more).
  const double positive =
      std::min(1.0, p.positive_rate * (p.peer_programme ? 1.0 + p.programme_positive : 1.0));
  const std::int32_t *occupied = t.occupied.data(), *mandated = t.mandated.data();
  const std::int32_t* group = t.tile_group.data();
  const float *bond = t.bond.data(), *goals = t.goals.data(), *tasks = t.tasks.data();
  const float *parent = t.parent_alliance.data(), *own = t.motivation_own.data(),
              *friends_level = t.friend_motivation.data();
  float* __restrict motivation = t.motivation.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int i = group[b];
    const double alliance = (bond[b] + goals[b] + tasks[b]) / 3.0;  // alliance_of
    const double target = base + path_of[i] * (alliance - kReferenceAlliance) + climate_of[i] +
                          w_parent * (parent[b] - kReferenceHalf) - pressure_of[i] * mandated[b] +
                          w_own * own[b];
    // Friendless youths' friend_motivation is their own: the peer term adds +0.0 or -0.0.
    const float next = clamp01(motivation[b] + rate * (target - motivation[b]) +
                               positive * (friends_level[b] - motivation[b]));
    motivation[b] = occupied[b] ? next : motivation[b];
  }
}

// The module's registry rows (docs/parameters.md).
void Motivation::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("motivation.rate", &P::motivation_rate, 0.02, 0.001, 1, "1/day",
         "speed at which motivation follows its target", kAssume);
  r.real("motivation.base", &P::motivation_base, 0.5, 0, 1, "motivation (0-1)",
         "motivation target of an average youth", kAssume);
  r.real("motivation.init_sd", &P::motivation_init_sd, 0.12, 0, 1, "motivation (0-1)",
         "spread of motivation at admission", kAssume);
  r.real("motivation.w_alliance", &P::w_alliance_motivation, 0.6, 0, 3, "per alliance unit",
         "alliance -> later autonomous motivation (where autonomy allows)",
         "thesis ch. 4 (cross-lagged panel)");
  r.real("motivation.w_growth", &P::w_growth_motivation, 0.4, 0, 3, "per climate unit",
         "room for growth in the group -> motivation",
         "Van der Helm et al. 2018 (growth-motivation r about .27)");
  r.real("motivation.w_parent", &P::w_parent_motivation, 0.1, 0, 3, "per alliance unit",
         "parental alliance -> youth motivation (weak)", "docs/evidence.md §4.3 (r about .13)");
  r.real("motivation.w_expectations", &P::motivation_expectations, 0.05, 0, 1, "motivation per SD",
         "expectations of care -> motivation at admission", kAssume);
  r.real("motivation.w_own", &P::motivation_w_own, 0.5, 0, 2, "weight",
         "weight of the youth's own disposition (its admission offset) in the motivation target",
         "assumption: personal determinants keep acting, so youths differ in motivation in every "
         "setting (docs/evidence.md §4.1)");
}

}  // namespace asim
