// Typed parameters of the residential-care model. Field values come only from the registry in
// models/parameters.cpp (name, default, range, unit, meaning and source are declared there once).
#pragma once
#include <string>
#include <vector>

#include "engine/params.hpp"
#include "models/schedule.hpp"

namespace asim {

enum Setting : int { kOpen = 0, kClosed = 1 };

// Mechanisms through which the setting acts. Each is a named lever a researcher can neutralise.
struct SettingMechanisms {
  double autonomy_restriction;  // damps alliance -> autonomous motivation (self-determination)
  double mandated_share;        // share of youths placed by court order (controlled motivation)
  double mandate_pressure;      // how much a mandate lowers autonomous motivation
  double growth_restriction;    // lowers the growth scale of the group climate
  double coercion_on_incident;  // probability an incident is met with a coercive measure
  double leaving_barrier;       // locked doors / mandate: damps voluntary leaving
  double repression_base;       // baseline repression of the group climate
  double planned_stay_median;   // median planned length of stay (days)
};

// Reference levels: the values of a state at which a weight's effect is zero (the centre the
// process code subtracts before weighting). Each is confounded with an intercept parameter (a
// shifted reference equals a shifted base), so they are named constants, not parameters
// (docs/ODD.md 10.3).
inline constexpr double kReferenceClimate = 0.6;      // support, growth, atmosphere, team climate
inline constexpr double kReferenceRepression = 0.35;  // = setting.*.repression_base's default
inline constexpr double kReferenceAlliance = 0.6;     // mean alliance (0-1)
inline constexpr double kReferenceStress = 0.4;       // mean mentor stress (0-1)
inline constexpr double kReferenceHalf = 0.5;         // mid-point of a 0-1 scale (parent alliance,
                                                      // involvement, peer standing)
inline constexpr double kReferenceMotivation = 0.45;  // motivation (0-1) in the drop-out hazard
inline constexpr double kReferenceProblems = 20.0;    // SDQ points at which problem-scaled rates
                                                      // are quoted (incident.rate, severity_gain)
inline constexpr double kReferenceCaseload = 8.0;     // caseload of staff.stress_caseload's unit
inline constexpr int kReferenceWorkers = 2;           // workers per shift with no staffing effect
// Structural constants: scale bounds and the calendar.
inline constexpr double kProblemsMax = 40.0;   // SDQ total difficulties: 0-40
inline constexpr double kObserverMax = 5.0;    // observer alliance rating: 0-5
inline constexpr double kSrsMax = 40.0;        // session rating scale: 0-40
inline constexpr double kDaysPerYear = 365.0;  // annual rates to daily hazards
inline constexpr double kAgeCentre = 16.0;     // age standardised over youth.age 12-20 (mean)
inline constexpr double kAgeSd = 2.3;          // ... and its SD (8 / sqrt(12))
// The transfer hazard rises with the youth's incident count up to this many incidents (the
// length of the group's precomputed table, models/state.hpp).
inline constexpr int kTransferIncidentCap = 10;

// Every parameter: the core's fields here (run, cohort and waves, institution and placement,
// setting mechanisms, youth population, mentors and policy levers), and each module's part
// (its Params, declared in its header models/processes/<name>.hpp), inherited in the schedule's
// order (models/schedule.hpp). Values come only from the registry.
struct ModelParams : ParamsOf<Schedule> {
  // run
  int replicates, seed;
  // cohort and waves
  int cohort_size, burn_in_days;
  std::vector<int> wave_days;           // waves.days: increasing days since admission
  std::vector<std::string> wave_names;  // waves.names: one per wave, or empty ("day N")
  // institution and placement
  int open_groups, closed_groups, group_size, group_size_spread;
  double closed_indication_externalising, closed_indication_other, closed_to_open;
  double concentrate_externalising;  // placement.concentrate_externalising
  double stay_sigma;
  // setting mechanisms (flat so the registry can bind them)
  double open_autonomy_restriction, closed_autonomy_restriction;
  double open_mandated_share, closed_mandated_share, mandate_pressure;
  double open_growth_restriction, closed_growth_restriction;
  double open_coercion_on_incident, closed_coercion_on_incident;
  double open_leaving_barrier, closed_leaving_barrier;
  double open_repression_base, closed_repression_base;
  double open_stay_median, closed_stay_median;
  // youth population
  double p_female, p_externalising, p_internalising, intake_problems_mean, intake_problems_sd,
      externalising_problem_offset, help_history_mean, age_min, age_max, mixed_externalising,
      autonomy_externalising, autonomy_age;
  // mentors and policy levers
  double caseload, shift_share, skill_sd, push_sd;
  bool alliance_training;
  double training_skill_gain, training_push_reduction, training_repair_gain;
  bool routine_feedback;
  double feedback_uptake, feedback_attunement, feedback_on_track, view_bond, view_work, detect_base,
      detect_feedback;

  // Registers every module's rows (models/parameters.cpp).
  using ParamsOf<Schedule>::register_all;
  SettingMechanisms setting(int s) const;
};

// The model's registry (built once) and the typed view of a set of values.
const BoundRegistry<ModelParams>& model_registry();
ModelParams make_model_params(const ParamValues& values);
// The name of each wave: waves.names, or "day N" for each day of waves.days when it is empty.
std::vector<std::string> wave_names(const ModelParams& p);

}  // namespace asim
