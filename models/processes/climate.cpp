// Group climate (mesosystem) and team work climate (exosystem), updated from their members.
// Support follows the team climate and staffing; growth is restricted by the setting's growth
// restriction (Van den Tillaart et al. 2018: secure groups differ only in growth) and rises with
// the group's alliances; atmosphere sours with incidents; repression rises with coercive
// measures. The team's climate (communication, cohesion, safety) suffers from understaffing,
// staff turnover and incidents (thesis ch. 5: work climate). Scales are 0-1 (Group Climate
// Instrument: support, growth, atmosphere, repression).
#include "models/processes.hpp"

namespace asim {

// The groups' climate, all of a tile's groups at once: each group's values are copied out of its
// object into columns (with its members' alliance sum and its mentors' mean stress), updated in
// one loop over the groups that vectorises (the same operations, in the same order and types, as
// one group at a time), and copied back.
namespace {
// The columns, per tile group: integers, floats (the group's float values) and doubles.
enum IntColumn { kPresent, kIncidents, kCoercions, kUnderstaffed, kStaffLeft, kIntColumns };
enum FloatColumn {
  kIncidentRate,
  kCoercionRate,
  kUnderstaffedRate,
  kTurnoverRate,
  kSupport,
  kGrowth,
  kAtmosphere,
  kRepression,
  kTeamClimate,
  kFloatColumns
};
enum DoubleColumn {
  kAllianceSum,
  kMeanStress,
  kGrowthRestriction,
  kRepressionBase,
  kDoubleColumns
};
// The group's float values, in the order of their columns: copied out, updated, copied back.
constexpr float GroupValues::*kFloatValues[kFloatColumns] = {
    &GroupValues::incident_rate, &GroupValues::coercion_rate, &GroupValues::understaffed_rate,
    &GroupValues::turnover_rate, &GroupValues::support,       &GroupValues::growth,
    &GroupValues::atmosphere,    &GroupValues::repression,    &GroupValues::team_climate};
}  // namespace

ASIM_VECTOR_CLONES void update_climate(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  DayDraws& d = ctx.draws;
  // Every bed's alliance at once (the divisions vectorise).
  const std::int32_t* occupied = t.occupied.data();
  const float *bond = t.bond.data(), *goals = t.goals.data(), *tasks = t.tasks.data();
  double* __restrict alliance = d.bed_values.data();
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b)
    alliance[b] = occupied[b] ? (bond[b] + goals[b] + tasks[b]) / 3.0 : 0.0;  // alliance_of
  // The columns out of the groups' objects.
  const int G = t.group_count;
  const auto column = [G](auto& v, int c) { return v.data() + static_cast<std::ptrdiff_t>(c) * G; };
  d.climate_ints.resize(static_cast<std::size_t>(kIntColumns) * G);
  d.climate_floats.resize(static_cast<std::size_t>(kFloatColumns) * G);
  d.climate_doubles.resize(static_cast<std::size_t>(kDoubleColumns) * G);
  std::int32_t *present = column(d.climate_ints, kPresent),
               *incidents = column(d.climate_ints, kIncidents),
               *coercions = column(d.climate_ints, kCoercions),
               *understaffed = column(d.climate_ints, kUnderstaffed),
               *staff_left = column(d.climate_ints, kStaffLeft);
  float *incident_rate = column(d.climate_floats, kIncidentRate),
        *coercion_rate = column(d.climate_floats, kCoercionRate),
        *understaffed_rate = column(d.climate_floats, kUnderstaffedRate),
        *turnover_rate = column(d.climate_floats, kTurnoverRate),
        *support = column(d.climate_floats, kSupport), *growth = column(d.climate_floats, kGrowth),
        *atmosphere = column(d.climate_floats, kAtmosphere),
        *repression = column(d.climate_floats, kRepression),
        *team_climate = column(d.climate_floats, kTeamClimate);
  double *alliance_sum = column(d.climate_doubles, kAllianceSum),
         *mean_stress = column(d.climate_doubles, kMeanStress),
         *growth_restriction = column(d.climate_doubles, kGrowthRestriction),
         *repression_base = column(d.climate_doubles, kRepressionBase);
  for (int i = 0; i < G; ++i) {
    const Group& g = t.group(i);
    const double* alliance_of_bed = alliance + t.bed_offset[i];
    double sum = 0;
    for (int b = 0; b < g.beds; ++b) sum += alliance_of_bed[b];  // + 0.0 leaves the sum as is
    double stress = 0;
    for (std::size_t s = 0; s < g.mentors.size(); ++s) stress += g.mentors.stress[s];
    alliance_sum[i] = sum;
    mean_stress[i] = stress / static_cast<double>(g.mentors.size());
    present[i] = g.occupancy();
    incidents[i] = g.incidents_today;
    coercions[i] = g.coercions_today;
    understaffed[i] = g.understaffed_today;
    staff_left[i] = g.staff_left_today;
    for (int c = 0; c < kFloatColumns; ++c) column(d.climate_floats, c)[i] = g.*kFloatValues[c];
    growth_restriction[i] = g.mech.growth_restriction;
    repression_base[i] = g.mech.repression_base;
  }
  // Every group at once.
  const double method = p.treatment_method == 1 ? 1.0 : 0.0;  // climate_focused
  const double r = p.climate_rate;
  ASIM_BEDS_INDEPENDENT
  for (int i = 0; i < G; ++i) {
    const int n = present[i];
    const double mean_alliance = n ? alliance_sum[i] / n : kReferenceAlliance;
    // Recent rates (exponential moving averages).
    const double per_youth = n ? 1.0 / n : 0.0;
    incident_rate[i] +=
        static_cast<float>(p.incident_ema * (incidents[i] * per_youth - incident_rate[i]));
    coercion_rate[i] +=
        static_cast<float>(p.coercion_ema * (coercions[i] * per_youth - coercion_rate[i]));
    understaffed_rate[i] += static_cast<float>(
        p.understaffed_ema * (static_cast<float>(understaffed[i]) - understaffed_rate[i]));
    turnover_rate[i] +=
        static_cast<float>(p.turnover_ema * (static_cast<float>(staff_left[i]) - turnover_rate[i]));
    const double support_to = method * p.method_support + p.support_base +
                              p.w_team_support * (team_climate[i] - kReferenceClimate) -
                              p.w_understaffed_support * understaffed_rate[i] -
                              p.w_stress_support * (mean_stress[i] - kReferenceStress) +
                              p.w_staffing_support * (p.workers_per_shift - kReferenceWorkers);
    const double growth_to = method * p.method_growth + p.growth_base - growth_restriction[i] +
                             p.w_alliance_growth * (mean_alliance - kReferenceAlliance) +
                             p.w_team_growth * (team_climate[i] - kReferenceClimate);
    const double atmosphere_to = p.atmosphere_base - p.w_incidents_atmosphere * incident_rate[i] +
                                 p.w_support_atmosphere * (support[i] - kReferenceClimate);
    const double repression_to = repression_base[i] + p.w_coercion_repression * coercion_rate[i];
    support[i] = clamp01(support[i] + r * (support_to - support[i]));
    growth[i] = clamp01(growth[i] + r * (growth_to - growth[i]));
    atmosphere[i] = clamp01(atmosphere[i] + r * (atmosphere_to - atmosphere[i]));
    repression[i] = clamp01(repression[i] + r * (repression_to - repression[i]));
    const double team = p.climate_base - p.climate_understaffed * understaffed_rate[i] -
                        p.climate_turnover * turnover_rate[i] -
                        p.climate_incidents * incident_rate[i];
    team_climate[i] = clamp01(team_climate[i] + p.team_rate * (team - team_climate[i]));
  }
  // The columns back into the groups' objects.
  for (int i = 0; i < G; ++i) {
    Group& g = t.group(i);
    for (int c = 0; c < kFloatColumns; ++c) g.*kFloatValues[c] = column(d.climate_floats, c)[i];
  }
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
