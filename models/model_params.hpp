// Typed parameters of the residential-care model. Field values come only from the registry in
// models/parameters.cpp (name, default, range, unit, meaning and source are declared there once).
#pragma once
#include <string>
#include <vector>

#include "engine/params.hpp"

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

struct ModelParams {
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
      externalising_problem_offset, help_history_mean, age_min, age_max;
  // youth factors on alliance
  double w_expectations, w_attachment, w_help_history, w_autonomy, w_externalising, fit_sd;
  // mentor and policy
  double caseload, mentoring_hours, contact_reference_hours, shift_share;
  double skill_sd, push_sd;
  bool alliance_training;
  double training_skill_gain, training_push_reduction, training_repair_gain;
  bool routine_feedback;
  double feedback_uptake, detect_base, detect_feedback;
  bool right_to_switch;
  double switch_threshold;
  int switch_after_days;
  double switch_request_rate;
  // staffing and team
  int workers_per_shift;
  double youths_per_worker, feedback_attunement, feedback_on_track, change_loss;
  double sick_leave, sick_episode_days, flex_cover, annual_turnover, long_sick_days,
      stress_caseload, stress_understaffed, stress_incidents, stress_rate, team_rate;
  // alliance formation
  double bond_rate, goals_rate, tasks_rate, alliance_decay, alliance_base, w_skill, w_push,
      w_stress, w_support, w_repression, w_growth_goals, w_progress, others_rate;
  double newcomer_carry_over, alliance_initial;
  // ruptures
  double rupture_rate, rupture_externalising, rupture_autonomy, rupture_push, rupture_stress,
      rupture_incident, rupture_coercion, rupture_depth, repair_rate, repair_skill, repair_gain,
      rupture_erosion;
  // motivation
  double motivation_rate, motivation_base, motivation_init_sd, w_alliance_motivation,
      w_growth_motivation, w_parent_motivation, motivation_expectations, motivation_w_own;
  // parents
  double parent_contact_rate, parent_rate, parent_outcome_rate;
  // problems and incidents
  double problems_rate, engagement_base, w_engagement_motivation, w_engagement_tasks, severity_gain,
      incident_rate, incident_externalising, incident_understaffed, incident_atmosphere,
      incident_problem_jump;
  // exits
  double dropout_rate, dropout_alliance, dropout_rupture, dropout_motivation, dropout_externalising,
      abscond_rate, abscond_female, abscond_history, transfer_rate, transfer_incidents,
      goal_discharge_rate, goal_discharge_min_days;
  // group climate
  double climate_rate, support_base, growth_base, atmosphere_base, w_incidents_atmosphere,
      w_coercion_repression, w_staffing_support;
  // peers and treatment method (mesosystem)
  double peer_rate, peer_incident_loss, peer_atmosphere, dropout_peers, method_support,
      method_growth;
  int treatment_method;
  // the peer network (models/processes/peers.cpp): ties, influence through ties, leaving together
  double friend_rate, acquaint_days, friend_same_profile, friend_age, friend_problems, friend_end,
      conflict_rate, conflict_incident, conflict_externalising, conflict_end, w_friends_standing,
      w_conflicts_standing, deviancy_rate, deviancy_understaffed, deviancy_team, positive_rate,
      abscond_together, abscond_conflict, abscond_belonging, programme_deviancy, programme_positive;
  int together_days;
  bool peer_programme;
  double dropout_others, w_externalising_girls, w_alliance_growth;
  // measurement
  double rater_youth_bias, rater_youth_sd, rater_youth_noise, rater_mentor_bias, rater_mentor_sd,
      rater_mentor_noise, rater_parent_bias, rater_parent_sd, rater_parent_noise, rater_observer_sd,
      observer_noise, motivation_noise, problems_noise, climate_noise, srs_noise;
  // Coefficients that were literals in the process code (issue 22); each field is named as the
  // last part of its TOML key.
  // referral and admission
  double mixed_externalising, autonomy_externalising, autonomy_age, involvement_mean,
      involvement_sd, w_newcomer, target_base, w_mentor_skill, w_involvement, initial_alliance,
      initial_alliance_involvement, initial_outcome, initial_outcome_involvement, initial_standing,
      initial_stress;
  // alliance and feedback
  double others_staffing, progress_floor, view_bond, view_work, newcomer_work;
  // group climate and team climate
  double incident_ema, coercion_ema, understaffed_ema, turnover_ema, w_team_support,
      w_understaffed_support, w_stress_support, w_team_growth, w_support_atmosphere, climate_base,
      climate_understaffed, climate_turnover, climate_incidents;
  // staffing, contact, parents, peers, ruptures, measurement
  double stress_team_climate, understaffed_contact, outcome_base, outcome_alliance, standing_base,
      depth_floor, tasks_share, parent_view_youth, parent_view_own, parent_view_offset,
      youth_view_bond, youth_view_goals, youth_view_tasks, mentor_view_bond, mentor_view_goals,
      mentor_view_tasks, initial_climate;

  SettingMechanisms setting(int s) const;
};

// The model's registry (built once) and the typed view of a set of values.
const BoundRegistry<ModelParams>& model_registry();
ModelParams make_model_params(const ParamValues& values);
// The name of each wave: waves.names, or "day N" for each day of waves.days when it is empty.
std::vector<std::string> wave_names(const ModelParams& p);

}  // namespace asim
