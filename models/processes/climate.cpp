// Group climate (mesosystem) and team work climate (exosystem), updated from their members.
// Support follows the team climate and staffing; growth is restricted by the setting's growth
// restriction (Van den Tillaart et al. 2018: secure groups differ only in growth) and rises with
// the group's alliances; atmosphere sours with incidents; repression rises with coercive
// measures. The team's climate (communication, cohesion, safety) suffers from understaffing,
// staff turnover and incidents (thesis ch. 5: work climate). Scales are 0-1 (Group Climate
// Instrument: support, growth, atmosphere, repression).
#include "models/processes.hpp"

namespace asim {

// alliance_of_bed: each bed's alliance (alliance_of), 0 for an empty bed.
static void update_group_climate(const DayContext& ctx, Group& g, const double* alliance_of_bed) {
  const ModelParams& p = ctx.p;
  const int n = g.occupancy();
  double alliance = 0;
  for (int b = 0; b < g.beds; ++b) alliance += alliance_of_bed[b];  // + 0.0 leaves the sum as is
  const double mean_alliance = n ? alliance / n : kReferenceAlliance;
  double stress = 0;
  for (std::size_t s = 0; s < g.mentors.size(); ++s) stress += g.mentors.stress[s];
  const double mean_stress = stress / static_cast<double>(g.mentors.size());
  // Recent rates (exponential moving averages).
  const double per_youth = n ? 1.0 / n : 0.0;
  g.incident_rate +=
      static_cast<float>(p.incident_ema * (g.incidents_today * per_youth - g.incident_rate));
  g.coercion_rate +=
      static_cast<float>(p.coercion_ema * (g.coercions_today * per_youth - g.coercion_rate));
  g.understaffed_rate +=
      static_cast<float>(p.understaffed_ema * (g.understaffed_today - g.understaffed_rate));
  g.turnover_rate += static_cast<float>(p.turnover_ema * (g.staff_left_today - g.turnover_rate));

  const double method = p.treatment_method == 1 ? 1.0 : 0.0;  // climate_focused
  const double support = method * p.method_support + p.support_base +
                         p.w_team_support * (g.team_climate - kReferenceClimate) -
                         p.w_understaffed_support * g.understaffed_rate -
                         p.w_stress_support * (mean_stress - kReferenceStress) +
                         p.w_staffing_support * (p.workers_per_shift - kReferenceWorkers);
  const double growth = method * p.method_growth + p.growth_base - g.mech.growth_restriction +
                        p.w_alliance_growth * (mean_alliance - kReferenceAlliance) +
                        p.w_team_growth * (g.team_climate - kReferenceClimate);
  const double atmosphere = p.atmosphere_base - p.w_incidents_atmosphere * g.incident_rate +
                            p.w_support_atmosphere * (g.support - kReferenceClimate);
  const double repression = g.mech.repression_base + p.w_coercion_repression * g.coercion_rate;
  const double r = p.climate_rate;
  g.support = clamp01(g.support + r * (support - g.support));
  g.growth = clamp01(g.growth + r * (growth - g.growth));
  g.atmosphere = clamp01(g.atmosphere + r * (atmosphere - g.atmosphere));
  g.repression = clamp01(g.repression + r * (repression - g.repression));
  const double team = p.climate_base - p.climate_understaffed * g.understaffed_rate -
                      p.climate_turnover * g.turnover_rate - p.climate_incidents * g.incident_rate;
  g.team_climate = clamp01(g.team_climate + p.team_rate * (team - g.team_climate));
}

ASIM_VECTOR_CLONES void update_climate(const TileContext& ctx, Tile& t) {
  // Every bed's alliance at once (the divisions vectorise); then group by group.
  const std::int32_t* occupied = t.occupied.data();
  const float *bond = t.bond.data(), *goals = t.goals.data(), *tasks = t.tasks.data();
  double* __restrict alliance = ctx.draws.bed_values.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b)
    alliance[b] = occupied[b] ? (bond[b] + goals[b] + tasks[b]) / 3.0 : 0.0;  // alliance_of
  for (int i = 0; i < t.group_count; ++i)
    update_group_climate(ctx.group(i), t.group(i), alliance + t.bed_offset[i]);
}

// The module's registry rows (docs/parameters.md).
void Climate::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("climate.rate", &P::climate_rate, 0.05, 0.001, 1, "1/day",
         "speed at which the group climate follows its conditions", kAssume);
  r.real("climate.support_base", &P::support_base, 0.62, 0, 1, "climate units",
         "support of a group with average staffing and team climate",
         "Group Climate Instrument (Van der Helm)");
  r.real("climate.growth_base", &P::growth_base, 0.6, 0, 1, "climate units",
         "growth of a group without restriction", "Group Climate Instrument");
  r.real("climate.atmosphere_base", &P::atmosphere_base, 0.62, 0, 1, "climate units",
         "atmosphere of a calm group", "Group Climate Instrument");
  r.real("climate.w_incidents_atmosphere", &P::w_incidents_atmosphere, 3.0, 0, 20,
         "climate units per incident/youth/day", "incidents sour the atmosphere", kAssume);
  r.real("climate.w_alliance_growth", &P::w_alliance_growth, 0.0, 0, 1,
         "climate units per alliance unit",
         "the group's mean alliance adds room for growth (off by default: no source)", kAssume);
  r.real("climate.w_staffing_support", &P::w_staffing_support, 0.08, 0, 1,
         "climate units per worker", "each extra worker per shift adds support", kAssume);
  r.real("climate.w_coercion_repression", &P::w_coercion_repression, 1.0, 0, 40,
         "climate units per coercion/youth/day", "coercive measures raise repression", kAssume);
  r.real("climate.w_team_support", &P::w_team_support, 0.3, 0, 3, "climate units per climate unit",
         "a good team work climate raises support", "assumption (thesis ch. 5: work climate)");
  r.real("climate.w_understaffed_support", &P::w_understaffed_support, 0.2, 0, 3,
         "climate units per understaffed share", "understaffing lowers support", kAssume);
  r.real("climate.w_stress_support", &P::w_stress_support, 0.2, 0, 3, "climate units per stress",
         "stressed mentors give less support", kAssume);
  r.real("climate.w_team_growth", &P::w_team_growth, 0.1, 0, 3, "climate units per climate unit",
         "a good team work climate adds room for growth", kAssume);
  r.real("climate.w_support_atmosphere", &P::w_support_atmosphere, 0.1, 0, 3,
         "climate units per climate unit", "support improves the atmosphere", kAssume);
  r.real("climate.incident_ema", &P::incident_ema, 0.1, 0.001, 1, "1/day",
         "speed of the group's recent incident rate (moving average)", kAssume);
  r.real("climate.coercion_ema", &P::coercion_ema, 0.1, 0.001, 1, "1/day",
         "speed of the group's recent coercion rate (moving average)", kAssume);
  r.real("climate.understaffed_ema", &P::understaffed_ema, 0.05, 0.001, 1, "1/day",
         "speed of the group's recent share of understaffed days (moving average)", kAssume);
  r.real("team.climate_rate", &P::team_rate, 0.03, 0.001, 1, "1/day",
         "speed at which the team's work climate follows its conditions", kAssume);
  r.real("team.climate_base", &P::climate_base, 0.65, 0, 1, "climate units",
         "work climate of a team without understaffing, turnover or incidents",
         "assumption (thesis ch. 5: work climate)");
  r.real("team.climate_understaffed", &P::climate_understaffed, 0.4, 0, 5,
         "climate units per understaffed share", "understaffing sours the team's work climate",
         "assumption (thesis ch. 5: work climate)");
  r.real("team.climate_turnover", &P::climate_turnover, 20.0, 0, 200,
         "climate units per leaver/day", "staff turnover sours the team's work climate",
         "assumption (thesis ch. 5: work climate)");
  r.real("team.climate_incidents", &P::climate_incidents, 1.0, 0, 20,
         "climate units per incident/youth/day", "incidents sour the team's work climate",
         "assumption (thesis ch. 5: work climate)");
  r.real("team.turnover_ema", &P::turnover_ema, 0.01, 0.001, 1, "1/day",
         "speed of the recent staff-turnover rate (moving average) the team climate follows",
         kAssume);
  r.real("team.initial_climate", &P::initial_climate, 0.6, 0, 1, "climate units",
         "team work climate of every group on day 0", kAssume);
  r.registry().choice(
      {"treatment.method",
       ParamType::Choice,
       0,
       0,
       1,
       {"care_as_usual", "climate_focused"},
       "",
       "treatment method of the living groups: a climate-focused group method adds support "
       "and room for growth",
       "thesis ch. 5 (mesosystem: treatment methods); assumption for size",
       true},
      &P::treatment_method);
  r.real("treatment.method_support", &P::method_support, 0.05, 0, 0.5, "climate units",
         "support added by the climate-focused method", kAssume);
  r.real("treatment.method_growth", &P::method_growth, 0.08, 0, 0.5, "climate units",
         "room for growth added by the climate-focused method", kAssume);
}

}  // namespace asim
