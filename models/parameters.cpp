// The one declaration of every model parameter: name, default, range, unit, meaning, source.
// Sources cite a study or a section of docs/evidence.md (the research evidence, with the full
// references at its end); "assumption" marks a modelling choice to vary in sensitivity runs.
#include <stdexcept>

#include "models/model_params.hpp"

namespace asim {
namespace {

using P = ModelParams;
constexpr const char* kAssume = "assumption";

BoundRegistry<P> build() {
  BoundRegistry<P> r;
  auto real = [&r](const char* name, double P::*f, double def, double lo, double hi,
                   const char* unit, const char* meaning, const char* source, bool cls = false) {
    r.real({name, ParamType::Real, def, lo, hi, {}, unit, meaning, source, cls}, f);
  };
  auto integer = [&r](const char* name, int P::*f, double def, double lo, double hi,
                      const char* unit, const char* meaning, const char* source, bool cls = false) {
    r.integer({name, ParamType::Integer, def, lo, hi, {}, unit, meaning, source, cls}, f);
  };
  auto boolean = [&r](const char* name, bool P::*f, bool def, const char* meaning,
                      const char* source, bool cls = false) {
    r.boolean({name, ParamType::Boolean, def ? 1.0 : 0.0, 0, 1, {}, "", meaning, source, cls}, f);
  };

  // --- run ---------------------------------------------------------------------------------
  integer("run.replicates", &P::replicates, 50, 1, 100000, "replicates",
          "independent replicates of the whole institution", kAssume);
  integer("run.seed", &P::seed, 20261124, 0, 2147483647, "",
          "random seed; with the replicate number it keys every random draw", kAssume);

  // --- cohort and measurement waves --------------------------------------------------------
  integer("cohort.size", &P::cohort_size, 400, 1, 10000000, "youths",
          "tracked youths per replicate: the first admissions after the burn-in", kAssume);
  integer("cohort.burn_in_days", &P::burn_in_days, 180, 0, 3650, "days",
          "days simulated before tracking starts, so the institution is at steady state", kAssume);
  {
    r.integer_list({"waves.days",
                    ParamType::IntegerList,
                    0,
                    1,
                    730,
                    {},
                    "days since admission",
                    "days of the measurement waves, any number; the follow-up ends the day after "
                    "the last",
                    "thesis: a first-impression wave at day 14, then about 3, 6 and 9 months",
                    false},
                   {14, 91, 182, 273}, &P::wave_days);
    r.text_list({"waves.names",
                 ParamType::TextList,
                 0,
                 0,
                 0,
                 {},
                 "",
                 "name of each wave in tables and charts; [] names them \"day N\"; reset to [] "
                 "by a file that sets waves.days without it",
                 kAssume,
                 false},
                {"first", "3m", "6m", "9m"}, "waves.days", &P::wave_names);
    // The four fixed waves of earlier versions (docs/parameters.md, "Deprecated keys").
    r.alias("waves.first_impression_day", "waves.days", 0, "day of the first-impression wave");
    r.alias("waves.month3_day", "waves.days", 1, "day of the 3-month wave");
    r.alias("waves.month6_day", "waves.days", 2, "day of the 6-month wave");
    r.alias("waves.month9_day", "waves.days", 3, "day of the 9-month wave");
  }

  // --- institution and placement (macrosystem) ---------------------------------------------
  integer("institution.open_groups", &P::open_groups, 6, 0, 5000, "groups",
          "living groups in open settings", kAssume, true);
  integer("institution.closed_groups", &P::closed_groups, 4, 0, 5000, "groups",
          "living groups in closed (secure) settings", kAssume, true);
  integer("group.size", &P::group_size, 9, 2, 30, "beds",
          "beds per living group (centre of the range)",
          "practice: groups of about 8-12 youths (docs/evidence.md §6.4)", true);
  integer("group.size_spread", &P::group_size_spread, 1, 0, 10, "beds",
          "groups have size +/- this many beds, drawn per group", kAssume);
  real("placement.closed_indication_externalising", &P::closed_indication_externalising, 0.55, 0, 1,
       "probability", "chance a referred externalising youth is indicated for closed care",
       kAssume);
  real("placement.closed_indication_other", &P::closed_indication_other, 0.25, 0, 1, "probability",
       "chance another referred youth is indicated for closed care", kAssume);
  real("placement.closed_to_open", &P::closed_to_open, 0.0, 0, 1, "share",
       "share of closed-indicated youths placed in open care instead (policy)", kAssume, true);
  real("placement.concentrate_externalising", &P::concentrate_externalising, 0.0, 0, 1,
       "probability",
       "chance a free bed takes the first waiting youth whose profile matches its group's "
       "designation (the first round(share x n) of a setting's n groups for externalising "
       "youths, share = their expected share of the setting's referrals; the other groups for "
       "the rest) instead of the next in line; 0 = first come, first served (policy)",
       "assumption; aggregating deviant youths: Dodge, Dishion & Lansford 2006");
  real("stay.sigma", &P::stay_sigma, 1.06, 0.1, 3, "log days",
       "spread (lognormal sigma) of the planned length of stay",
       "JeugdzorgPlus: 11% < 1 month, 13% > 1 year (docs/evidence.md §6.5)");

  // --- setting mechanisms --------------------------------------------------------------------
  real("setting.open.autonomy_restriction", &P::open_autonomy_restriction, 0.1, 0, 1, "share",
       "how far restricted autonomy blocks the alliance -> motivation path in open groups",
       "assumption (thesis ch. 4: path present in open settings)");
  real("setting.closed.autonomy_restriction", &P::closed_autonomy_restriction, 1.0, 0, 1, "share",
       "how far restricted autonomy blocks the alliance -> motivation path in closed groups",
       "thesis ch. 4: path absent in closed settings (full restriction; assumption)");
  real("setting.open.mandated_share", &P::open_mandated_share, 0.3, 0, 1, "share",
       "share of youths in open groups placed by court order", kAssume);
  real("setting.closed.mandated_share", &P::closed_mandated_share, 1.0, 0, 1, "share",
       "share of youths in closed groups placed by court order",
       "closed placement needs a court authorisation (docs/evidence.md §2.6)");
  real("setting.mandate_pressure", &P::mandate_pressure, 0.12, 0, 1, "motivation units",
       "how much a mandated placement lowers autonomous treatment motivation",
       "McLeod 2011 (mandated vs self-referred); assumption for size");
  real("setting.open.growth_restriction", &P::open_growth_restriction, 0.0, 0, 1, "climate units",
       "reduction of the climate's growth scale in open groups", "Van den Tillaart et al. 2018");
  real("setting.closed.growth_restriction", &P::closed_growth_restriction, 0.10, 0, 1,
       "climate units", "reduction of the climate's growth scale in closed groups",
       "Van den Tillaart et al. 2018 (growth lower in secure groups)");
  real("setting.open.coercion_on_incident", &P::open_coercion_on_incident, 0.05, 0, 1,
       "probability", "chance an incident in an open group ends in a coercive measure", kAssume);
  real("setting.closed.coercion_on_incident", &P::closed_coercion_on_incident, 0.35, 0, 1,
       "probability", "chance an incident in a closed group ends in a coercive measure", kAssume);
  real("setting.open.leaving_barrier", &P::open_leaving_barrier, 0.0, 0, 1, "share",
       "how much an open setting damps voluntary leaving (drop-out, absconding)", kAssume);
  real("setting.closed.leaving_barrier", &P::closed_leaving_barrier, 0.6, 0, 1, "share",
       "how much locked doors and the mandate damp voluntary leaving in closed groups", kAssume);
  real("setting.open.repression_base", &P::open_repression_base, 0.35, 0, 1, "climate units",
       "baseline repression of the group climate in open groups",
       "Van den Tillaart et al. 2018 (repression did not differ by setting)");
  real("setting.closed.repression_base", &P::closed_repression_base, 0.35, 0, 1, "climate units",
       "baseline repression of the group climate in closed groups",
       "Van den Tillaart et al. 2018 (repression did not differ by setting)");
  real("setting.open.stay_median_days", &P::open_stay_median, 240, 7, 1500, "days",
       "median planned length of stay in open groups", kAssume);
  real("setting.closed.stay_median_days", &P::closed_stay_median, 110, 7, 1500, "days",
       "median planned length of stay in closed groups",
       "JeugdzorgPlus mean 6.0-6.5 months (docs/evidence.md §6.5)");

  // --- youth population (microsystem) -----------------------------------------------------
  real("youth.p_female", &P::p_female, 0.4, 0, 1, "probability", "share of girls at referral",
       kAssume);
  real("youth.p_externalising", &P::p_externalising, 0.45, 0, 1, "probability",
       "share of referrals with an externalising profile", kAssume, true);
  real("youth.p_internalising", &P::p_internalising, 0.25, 0, 1, "probability",
       "share with an internalising profile (the rest: mixed)", kAssume);
  real("youth.intake_problems_mean", &P::intake_problems_mean, 21, 0, 40, "SDQ points",
       "mean problem score at intake", "assumption (SDQ 0-40, cut-off 12.5)");
  real("youth.intake_problems_sd", &P::intake_problems_sd, 5, 0, 20, "SDQ points",
       "spread of problem scores at intake", kAssume);
  real("youth.externalising_problem_offset", &P::externalising_problem_offset, 2, -10, 10,
       "SDQ points", "extra intake problems of externalising youths", kAssume);
  real("youth.help_history_mean", &P::help_history_mean, 1.5, 0, 10, "placements",
       "mean number of earlier placements (Poisson)", kAssume);
  real("youth.age_min", &P::age_min, 12, 8, 25, "years", "youngest age at admission",
       "thesis: youths aged 12-20");
  real("youth.age_max", &P::age_max, 20, 8, 25, "years", "oldest age at admission",
       "thesis: youths aged 12-20");
  real("youth.mixed_externalising", &P::mixed_externalising, 0.5, 0, 1, "share",
       "how far a mixed profile counts as externalising (intake problems, distrust of authority, "
       "alliance)",
       kAssume);
  real("youth.autonomy_externalising", &P::autonomy_externalising, 0.4, 0, 3, "SD",
       "extra distrust of authority / wish for autonomy of an externalising youth", kAssume);
  real("youth.autonomy_age", &P::autonomy_age, 0.1, 0, 1, "SD per age SD",
       "older youths distrust authority more (age standardised: centre 16, SD 2.3 years)", kAssume);

  // --- youth factors of the alliance --------------------------------------------------------
  real("alliance.w_expectations", &P::w_expectations, 0.35, 0, 3, "logit per SD",
       "positive expectations of help -> better alliance", "thesis ch. 5 (youth factors)");
  real("alliance.w_attachment", &P::w_attachment, 0.25, 0, 3, "logit per SD",
       "attachment security -> better alliance", "thesis ch. 5 (youth factors)");
  real("alliance.w_help_history", &P::w_help_history, 0.12, 0, 3, "logit per placement",
       "each earlier placement weakens the alliance", "thesis ch. 5 (help history)");
  real("alliance.w_autonomy", &P::w_autonomy, 0.25, 0, 3, "logit per SD",
       "distrust of adult authority / wish for autonomy weakens the alliance",
       "thesis ch. 5 (autonomy, distrust)");
  real("alliance.w_externalising", &P::w_externalising, 0.45, 0, 3, "logit",
       "externalising problems weaken the alliance", "Liber et al. 2010/2016; Ayotte et al. 2015",
       true);
  real("alliance.w_externalising_girls", &P::w_externalising_girls, 0.4, 0, 3, "logit",
       "extra weakening of the alliance for externalising girls",
       "Ayotte et al. 2015 (externalising girls 7.9 times more often a weak alliance at 3 months)");
  real("alliance.fit_sd", &P::fit_sd, 0.5, 0, 3, "logit",
       "spread of the personal fit of a youth-mentor pair", kAssume);

  // --- mentor and policy levers -------------------------------------------------------------
  real("mentor.caseload", &P::caseload, 8, 1, 30, "youths",
       "youths a mentor is responsible for: sets time per youth and workload stress",
       "practice (docs/evidence.md §6.4); lower caseload (thesis ch. 5, docs/evidence.md §2.5)",
       true);
  real("mentor.mentoring_hours", &P::mentoring_hours, 8, 0.5, 40, "hours/week",
       "one-to-one mentoring time a mentor has per week", kAssume);
  real("mentor.contact_reference_hours", &P::contact_reference_hours, 0.8, 0.05, 10, "hours/week",
       "weekly time per youth that gives a 63% daily contact chance", kAssume);
  real("mentor.shift_share", &P::shift_share, 0.6, 0.1, 1, "share",
       "share of days a mentor works a shift in the group", kAssume);
  real("mentor.understaffed_contact", &P::understaffed_contact, 0.5, 0, 1, "share",
       "share of the contact chance left when the mentor is pulled into an understaffed shift",
       "assumption (thesis ch. 5: extra staff time)");
  real("mentor.skill_sd", &P::skill_sd, 1.0, 0, 3, "SD",
       "spread of alliance-building skill (attuned, reliable, empathic)",
       "thesis ch. 5 (what the professional does)");
  real("mentor.push_sd", &P::push_sd, 1.0, 0, 3, "SD",
       "spread of the tendency to over-structure, push and criticise", "thesis ch. 5");
  boolean("policy.alliance_training", &P::alliance_training, false,
          "mentors have had alliance-building training", "thesis ch. 5 (organisation)", true);
  real("training.skill_gain", &P::training_skill_gain, 0.4, 0, 3, "SD",
       "gain in alliance-building skill from training", kAssume);
  real("training.push_reduction", &P::training_push_reduction, 0.3, 0, 3, "SD",
       "reduction of over-structuring from training", kAssume);
  real("training.repair_gain", &P::training_repair_gain, 0.3, 0, 3, "log hazard",
       "better rupture repair after training",
       "Muran et al. 2009: small training effect (r about .11)");
  boolean("policy.routine_feedback", &P::routine_feedback, false,
          "routine session feedback (SRS-style) is in use", "de Jong et al. 2021; thesis ch. 5",
          true);
  real("feedback.uptake", &P::feedback_uptake, 0.7, 0, 1, "share",
       "share of mentors who actually use the feedback", "Bickman et al. 2016");
  real("feedback.not_on_track_gain", &P::feedback_attunement, 0.4, 0, 3, "logit",
       "a mentor who uses feedback adapts to a youth whose session ratings are not on track",
       "de Jong et al. 2021 (larger effect for clients not on track); assumption for size");
  real("feedback.on_track_alliance", &P::feedback_on_track, 0.75, 0, 1, "alliance (0-1)",
       "youth-perceived alliance below which session ratings signal 'not on track'", kAssume);
  real("feedback.view_bond", &P::view_bond, 0.5, 0, 1, "weight",
       "weight of the bond in the youth-perceived alliance checked against on_track_alliance",
       "assumption (youths weigh the bond most, as in the measured youth rating)");
  real("feedback.view_work", &P::view_work, 0.25, 0, 1, "weight",
       "weight of goals and of tasks (each) in the youth-perceived alliance checked against "
       "on_track_alliance",
       kAssume);
  real("feedback.detect_base", &P::detect_base, 0.08, 0.001, 1, "1/day",
       "daily chance a mentor notices a rupture without feedback", kAssume);
  real("feedback.detect_with_feedback", &P::detect_feedback, 0.35, 0.001, 1, "1/day",
       "daily chance a rupture is detected when routine feedback is used",
       "thesis ch. 5: earlier detection of alliance problems");
  boolean("policy.right_to_switch", &P::right_to_switch, false,
          "youths may switch mentor when the alliance stays poor", "thesis ch. 5", true);
  real("switch.threshold", &P::switch_threshold, 0.5, 0, 1, "alliance (0-1)",
       "alliance below which a youth may ask for another mentor", kAssume);
  integer("switch.after_days", &P::switch_after_days, 21, 1, 365, "days",
          "days the alliance must stay poor before a switch can be asked", kAssume);
  real("switch.request_rate", &P::switch_request_rate, 0.05, 0, 1, "1/day",
       "daily chance of asking for a switch once eligible", kAssume);

  // --- staffing and team (exosystem) -------------------------------------------------------
  integer("staff.workers_per_shift", &P::workers_per_shift, 2, 1, 6, "workers",
          "group workers rostered on each shift",
          "practice: 1-2 workers per shift (docs/evidence.md §6.4)", true);
  real("staff.youths_per_worker", &P::youths_per_worker, 5, 1, 20, "youths",
       "youths one group worker can attend to; fewer workers present than beds / this is an "
       "understaffed shift",
       "practice: groups of 8-12 with 1-2 workers (docs/evidence.md §6.4)");
  real("staff.sick_leave", &P::sick_leave, 0.07, 0, 0.5, "share of days",
       "sick leave of group workers", "docs/evidence.md §6.4 (about 7%)");
  real("staff.sick_episode_days", &P::sick_episode_days, 8, 1, 120, "days",
       "mean length of a sick-leave episode", kAssume);
  real("staff.flex_cover", &P::flex_cover, 0.5, 0, 1, "probability",
       "chance an absent worker's shift is covered by a flex pool", kAssume);
  real("staff.annual_turnover", &P::annual_turnover, 0.2, 0, 1.5, "1/year",
       "share of group workers leaving per year", "docs/evidence.md §6.4: 20-40% in child welfare",
       true);
  real("staff.long_sick_days", &P::long_sick_days, 28, 1, 365, "days",
       "sick episode after which mentees get another mentor", kAssume);
  real("staff.stress_caseload", &P::stress_caseload, 0.35, 0, 2, "stress per caseload/8",
       "workload stress from caseload", "docs/evidence.md §6.4 (workload too high)");
  real("staff.stress_understaffed", &P::stress_understaffed, 0.3, 0, 2, "stress",
       "stress from understaffed shifts", kAssume);
  real("staff.stress_incidents", &P::stress_incidents, 2.0, 0, 20, "stress per incident/youth/day",
       "stress from incidents in the group", kAssume);
  real("staff.stress_rate", &P::stress_rate, 0.05, 0.001, 1, "1/day",
       "speed at which stress follows its load", kAssume);
  real("staff.stress_team_climate", &P::stress_team_climate, 0.3, 0, 3, "stress per climate unit",
       "a good team climate eases mentor stress", "assumption (thesis ch. 5: work climate)");
  real("staff.initial_stress", &P::initial_stress, 0.3, 0, 1, "stress (0-1)",
       "stress of a mentor who starts in a slot", kAssume);
  real("team.climate_rate", &P::team_rate, 0.03, 0.001, 1, "1/day",
       "speed at which the team's work climate follows its conditions", kAssume);
  real("team.climate_base", &P::climate_base, 0.65, 0, 1, "climate units",
       "work climate of a team without understaffing, turnover or incidents",
       "assumption (thesis ch. 5: work climate)");
  real("team.climate_understaffed", &P::climate_understaffed, 0.4, 0, 5,
       "climate units per understaffed share", "understaffing sours the team's work climate",
       "assumption (thesis ch. 5: work climate)");
  real("team.climate_turnover", &P::climate_turnover, 20.0, 0, 200, "climate units per leaver/day",
       "staff turnover sours the team's work climate", "assumption (thesis ch. 5: work climate)");
  real("team.climate_incidents", &P::climate_incidents, 1.0, 0, 20,
       "climate units per incident/youth/day", "incidents sour the team's work climate",
       "assumption (thesis ch. 5: work climate)");
  real("team.turnover_ema", &P::turnover_ema, 0.01, 0.001, 1, "1/day",
       "speed of the recent staff-turnover rate (moving average) the team climate follows",
       kAssume);
  real("team.initial_climate", &P::initial_climate, 0.6, 0, 1, "climate units",
       "team work climate of every group on day 0", kAssume);

  // --- alliance formation --------------------------------------------------------------------
  real("alliance.bond_rate", &P::bond_rate, 0.12, 0.001, 1, "per contact",
       "share of the gap to its target the bond closes per contact", kAssume);
  real("alliance.goals_rate", &P::goals_rate, 0.06, 0.001, 1, "per contact",
       "goal agreement growth per contact, scaled by the bond (bond first)",
       "thesis ch. 5: affective context first, then goals and tasks");
  real("alliance.tasks_rate", &P::tasks_rate, 0.05, 0.001, 1, "per contact",
       "task collaboration growth per contact, scaled by the bond", "thesis ch. 5");
  real("alliance.decay", &P::alliance_decay, 0.004, 0, 0.2, "1/day",
       "daily fading of the alliance on days without contact", kAssume);
  real("alliance.base", &P::alliance_base, 1.6, -5, 5, "logit",
       "alliance target of an average youth with an average mentor",
       "calibrated: first-wave youth mean about 3.9 (docs/evidence.md §3.3)");
  real("alliance.w_skill", &P::w_skill, 0.35, 0, 3, "logit per SD",
       "mentor's attuned alliance-building behaviour -> alliance", "thesis ch. 5");
  real("alliance.w_push", &P::w_push, 0.2, 0, 3, "logit per SD",
       "over-structuring, pushing, criticising harm goals and tasks", "thesis ch. 5");
  real("alliance.w_stress", &P::w_stress, 0.8, 0, 5, "logit per stress",
       "mentor stress lowers the quality of contact", kAssume);
  real("alliance.w_support", &P::w_support, 0.6, 0, 5, "logit per climate unit",
       "a supportive group climate helps the bond", "thesis ch. 5 (mesosystem)");
  real("alliance.w_repression", &P::w_repression, 0.8, 0, 5, "logit per climate unit",
       "repression and coercion in the group harm the bond", "thesis ch. 5");
  real("alliance.w_growth_goals", &P::w_growth_goals, 0.6, 0, 5, "logit per climate unit",
       "room for growth helps agreement on goals", "Van der Helm et al. 2018");
  real("alliance.w_progress", &P::w_progress, 1.0, 0, 5, "logit per relative improvement",
       "improvement in problems feeds back into the alliance", "McLeod 2011 (reciprocal)");
  real("alliance.initial", &P::alliance_initial, 1.25, -5, 5, "logit",
       "first-impression (newcomer) alliance level of an average youth", kAssume);
  real("alliance.w_newcomer", &P::w_newcomer, 0.35, 0, 3, "share",
       "share of the youth's alliance propensity and the pair's fit that shows in the first "
       "impression (logit)",
       kAssume);
  real("alliance.newcomer_work", &P::newcomer_work, 0.95, 0, 1, "share of the bond",
       "goal and task agreement of a newcomer pair, relative to the first-impression bond "
       "(also the level goals and tasks fade toward)",
       kAssume);
  real("alliance.others_staffing", &P::others_staffing, 4.0, 0, 20,
       "multiple of climate.w_staffing_support",
       "effect of each extra worker per shift on the alliance with the other group workers, as "
       "a multiple of its effect on support",
       kAssume);
  real("alliance.progress_floor", &P::progress_floor, 5.0, 0.1, 40, "SDQ points",
       "smallest intake severity by which improvement is divided (relative progress)", kAssume);
  real("alliance.others_rate", &P::others_rate, 0.02, 0.001, 1, "1/day",
       "speed of the general alliance with the other group workers", kAssume);
  real("mentor_change.loss", &P::change_loss, 0.06, 0, 0.5, "alliance (0-1)",
       "extra loss of trust when a mentor leaves or is replaced (below a newcomer's level)",
       "thesis ch. 5 (a change of worker resets the alliance); assumption for size", true);
  real("mentor_change.carry_over", &P::newcomer_carry_over, 0.3, 0, 1, "share",
       "share of the alliance above a newcomer's level kept after a change of mentor",
       "thesis ch. 5: a change of worker resets the alliance", true);

  // --- ruptures and repair --------------------------------------------------------------------
  real("rupture.rate", &P::rupture_rate, 0.006, 0, 0.5, "1/contact day",
       "baseline chance of a rupture on a day with contact", kAssume);
  real("rupture.w_externalising", &P::rupture_externalising, 0.5, 0, 3, "log hazard",
       "externalising youths have more ruptures", kAssume);
  real("rupture.w_autonomy", &P::rupture_autonomy, 0.2, 0, 3, "log hazard per SD",
       "distrust of authority raises rupture risk", kAssume);
  real("rupture.w_push", &P::rupture_push, 0.3, 0, 3, "log hazard per SD",
       "over-structuring raises rupture risk", "thesis ch. 5");
  real("rupture.w_stress", &P::rupture_stress, 1.0, 0, 5, "log hazard per stress",
       "mentor stress raises rupture risk", kAssume);
  real("rupture.w_incident", &P::rupture_incident, 1.5, 0, 5, "log hazard",
       "an incident the same day raises rupture risk", kAssume);
  real("rupture.w_coercion", &P::rupture_coercion, 1.5, 0, 5, "log hazard",
       "a coercive measure the same day raises rupture risk", kAssume);
  real("rupture.depth", &P::rupture_depth, 0.15, 0, 1, "alliance (0-1)",
       "largest drop in bond and tasks at a rupture", kAssume);
  real("rupture.depth_floor", &P::depth_floor, 0.3, 0, 1, "share of rupture.depth",
       "smallest drop of a rupture, as a share of the largest", kAssume);
  real("rupture.tasks_share", &P::tasks_share, 0.8, 0, 2, "share",
       "task collaboration's drop at a rupture (and gain at a repair) as a share of the bond's",
       kAssume);
  real("rupture.repair_rate", &P::repair_rate, 0.12, 0, 1, "1/day",
       "daily chance a detected rupture is repaired by an average mentor", kAssume);
  real("rupture.repair_skill", &P::repair_skill, 0.4, 0, 3, "log hazard per SD",
       "skilled mentors repair more often", "Muran et al. 2009");
  real("rupture.repair_gain", &P::repair_gain, 1.1, 0, 2, "share of the drop",
       "share of the drop a repair restores (above 1: repair strengthens)", kAssume);
  real("rupture.erosion", &P::rupture_erosion, 0.004, 0, 0.1, "alliance/day",
       "daily erosion of the alliance while a rupture stays unrepaired",
       "Muran et al. 2009 (resolution predicts staying)");

  // --- treatment motivation ----------------------------------------------------------------
  real("motivation.rate", &P::motivation_rate, 0.02, 0.001, 1, "1/day",
       "speed at which motivation follows its target", kAssume);
  real("motivation.base", &P::motivation_base, 0.5, 0, 1, "motivation (0-1)",
       "motivation target of an average youth", kAssume);
  real("motivation.init_sd", &P::motivation_init_sd, 0.12, 0, 1, "motivation (0-1)",
       "spread of motivation at admission", kAssume);
  real("motivation.w_alliance", &P::w_alliance_motivation, 0.6, 0, 3, "per alliance unit",
       "alliance -> later autonomous motivation (where autonomy allows)",
       "thesis ch. 4 (cross-lagged panel)");
  real("motivation.w_growth", &P::w_growth_motivation, 0.4, 0, 3, "per climate unit",
       "room for growth in the group -> motivation",
       "Van der Helm et al. 2018 (growth-motivation r about .27)");
  real("motivation.w_parent", &P::w_parent_motivation, 0.1, 0, 3, "per alliance unit",
       "parental alliance -> youth motivation (weak)", "docs/evidence.md §4.3 (r about .13)");
  real("motivation.w_expectations", &P::motivation_expectations, 0.05, 0, 1, "motivation per SD",
       "expectations of care -> motivation at admission", kAssume);
  real("motivation.w_own", &P::motivation_w_own, 0.5, 0, 2, "weight",
       "weight of the youth's own disposition (its admission offset) in the motivation target",
       "assumption: personal determinants keep acting, so youths differ in motivation in every "
       "setting (docs/evidence.md §4.1)");

  // --- parents ------------------------------------------------------------------------------
  real("parent.contact_rate", &P::parent_contact_rate, 0.3, 0, 1, "1/day",
       "daily chance of mentor-parent contact for a fully involved parent", kAssume, true);
  real("parent.alliance_rate", &P::parent_rate, 0.08, 0.001, 1, "per contact",
       "parent-mentor alliance growth per contact", kAssume);
  real("parent.outcome_rate", &P::parent_outcome_rate, 0.01, 0, 1, "1/day",
       "speed at which the parent's own outcome follows the parent alliance",
       "docs/evidence.md §4.3 (r about .24)");
  real("parent.involvement_mean", &P::involvement_mean, 0.5, 0, 1, "involvement (0-1)",
       "mean parental involvement at referral", kAssume);
  real("parent.involvement_sd", &P::involvement_sd, 0.2, 0, 1, "involvement (0-1)",
       "spread of parental involvement at referral (clamped to 0-1)", kAssume);
  real("parent.target_base", &P::target_base, 0.6, -5, 5, "logit",
       "parent-mentor alliance target with an average mentor and a half-involved parent", kAssume);
  real("parent.w_mentor_skill", &P::w_mentor_skill, 0.3, 0, 3, "logit per SD",
       "a skilled mentor builds a better alliance with the parent", kAssume);
  real("parent.w_involvement", &P::w_involvement, 2.0, 0, 10, "logit per involvement unit",
       "an involved parent builds a better alliance with the mentor", kAssume);
  real("parent.initial_alliance", &P::initial_alliance, 0.35, 0, 1, "alliance (0-1)",
       "parent-mentor alliance at admission of an uninvolved parent", kAssume);
  real("parent.initial_alliance_involvement", &P::initial_alliance_involvement, 0.2, 0, 1,
       "alliance per involvement unit", "involvement raises the parent alliance at admission",
       kAssume);
  real("parent.initial_outcome", &P::initial_outcome, 0.45, 0, 1, "outcome (0-1)",
       "parent's own outcome at admission of an uninvolved parent", kAssume);
  real("parent.initial_outcome_involvement", &P::initial_outcome_involvement, 0.1, 0, 1,
       "outcome per involvement unit", "involvement raises the parent's outcome at admission",
       kAssume);
  real("parent.outcome_base", &P::outcome_base, 0.35, 0, 1, "outcome (0-1)",
       "parent's own outcome target with no parent-mentor alliance", kAssume);
  real("parent.outcome_alliance", &P::outcome_alliance, 0.45, 0, 1, "outcome per alliance unit",
       "the parent alliance raises the parent's own outcome target",
       "assumption (size chosen for r about .24, docs/evidence.md §4.3)");

  // --- problems and incidents ---------------------------------------------------------------
  real("problems.rate", &P::problems_rate, 0.006, 0, 0.1, "1/day",
       "relative daily reduction of problems at full engagement",
       "assumption; larger absolute change for severe problems (docs/evidence.md §4.5)");
  real("problems.engagement_base", &P::engagement_base, 0.1, 0, 1, "engagement",
       "engagement without motivation or task collaboration", kAssume);
  real("problems.w_engagement_motivation", &P::w_engagement_motivation, 0.5, 0, 2, "",
       "motivation -> engagement", "Fjermestad et al. 2016");
  real("problems.w_engagement_tasks", &P::w_engagement_tasks, 0.4, 0, 2, "",
       "task collaboration -> engagement", "Fjermestad et al. 2016");
  real("problems.severity_gain", &P::severity_gain, 0.5, 0, 3, "",
       "extra relative change for more severe problems", "docs/evidence.md §4.5");
  real("incident.rate", &P::incident_rate, 0.012, 0, 1, "1/day",
       "daily incident chance of a youth with problems 20", kAssume);
  real("incident.w_externalising", &P::incident_externalising, 1.0, 0, 5, "log hazard",
       "externalising youths have more incidents", kAssume);
  real("incident.w_understaffed", &P::incident_understaffed, 0.5, 0, 5, "log hazard",
       "an understaffed shift raises incident risk", kAssume);
  real("incident.w_atmosphere", &P::incident_atmosphere, 1.0, 0, 5, "log hazard per unit",
       "a better atmosphere lowers incident risk", "Van den Tillaart et al. 2018");
  real("incident.problem_jump", &P::incident_problem_jump, 0.5, 0, 10, "SDQ points",
       "problem increase after an incident", kAssume);

  // --- exits ----------------------------------------------------------------------------------
  real("exit.dropout_rate", &P::dropout_rate, 0.0012, 0, 0.2, "1/day",
       "daily drop-out hazard at an average alliance and motivation", kAssume);
  real("exit.dropout_alliance", &P::dropout_alliance, 4.0, 0, 20, "log hazard per alliance unit",
       "a weaker alliance raises drop-out", "Fjermestad et al. 2016; Muran et al. 2009");
  real("exit.dropout_rupture", &P::dropout_rupture, 1.2, 0, 5, "log hazard",
       "an unrepaired rupture raises drop-out", "Muran et al. 2009");
  real("exit.dropout_motivation", &P::dropout_motivation, 2.0, 0, 20,
       "log hazard per motivation unit", "lower motivation raises drop-out", kAssume);
  real("exit.dropout_externalising", &P::dropout_externalising, 1.0, 0, 5, "log hazard",
       "externalising youths leave treatment early more often", "Kazdin & Wassell 2000");
  real("exit.dropout_others", &P::dropout_others, 0.3, 0, 1, "share",
       "weight of the alliance with the other group workers beside the mentor's in drop-out",
       "docs/evidence.md §1.2: the residential alliance is multi-directional; assumption for "
       "size");
  real("exit.abscond_rate", &P::abscond_rate, 0.0004, 0, 0.2, "1/day", "daily absconding hazard",
       "assumption (15.6% left on own initiative)");
  real("exit.abscond_female", &P::abscond_female, 0.4, 0, 3, "log hazard",
       "girls abscond more often", "docs/evidence.md §6.6 (New Zealand)");
  real("exit.abscond_history", &P::abscond_history, 0.15, 0, 3, "log hazard per placement",
       "earlier admissions raise absconding", "docs/evidence.md §6.6 (New Zealand)");
  real("exit.transfer_rate", &P::transfer_rate, 0.0002, 0, 0.2, "1/day",
       "daily hazard of a transfer to another placement", kAssume);
  real("exit.transfer_incidents", &P::transfer_incidents, 0.3, 0, 5, "log hazard per incident",
       "each incident of the youth raises the transfer hazard", kAssume);
  real("exit.goal_discharge_rate", &P::goal_discharge_rate, 0.005, 0, 1, "1/day",
       "daily chance of a planned early discharge once problems are below the cut-off", kAssume);
  real("exit.goal_discharge_min_days", &P::goal_discharge_min_days, 120, 0, 730, "days",
       "shortest stay before a goal-based discharge", kAssume);

  // --- group climate (mesosystem) ---------------------------------------------------------
  real("climate.rate", &P::climate_rate, 0.05, 0.001, 1, "1/day",
       "speed at which the group climate follows its conditions", kAssume);
  real("climate.support_base", &P::support_base, 0.62, 0, 1, "climate units",
       "support of a group with average staffing and team climate",
       "Group Climate Instrument (Van der Helm)");
  real("climate.growth_base", &P::growth_base, 0.6, 0, 1, "climate units",
       "growth of a group without restriction", "Group Climate Instrument");
  real("climate.atmosphere_base", &P::atmosphere_base, 0.62, 0, 1, "climate units",
       "atmosphere of a calm group", "Group Climate Instrument");
  real("climate.w_incidents_atmosphere", &P::w_incidents_atmosphere, 3.0, 0, 20,
       "climate units per incident/youth/day", "incidents sour the atmosphere", kAssume);
  real("climate.w_alliance_growth", &P::w_alliance_growth, 0.0, 0, 1,
       "climate units per alliance unit",
       "the group's mean alliance adds room for growth (off by default: no source)", kAssume);
  real("climate.w_staffing_support", &P::w_staffing_support, 0.08, 0, 1, "climate units per worker",
       "each extra worker per shift adds support", kAssume);
  real("climate.w_coercion_repression", &P::w_coercion_repression, 1.0, 0, 40,
       "climate units per coercion/youth/day", "coercive measures raise repression", kAssume);
  real("climate.w_team_support", &P::w_team_support, 0.3, 0, 3, "climate units per climate unit",
       "a good team work climate raises support", "assumption (thesis ch. 5: work climate)");
  real("climate.w_understaffed_support", &P::w_understaffed_support, 0.2, 0, 3,
       "climate units per understaffed share", "understaffing lowers support", kAssume);
  real("climate.w_stress_support", &P::w_stress_support, 0.2, 0, 3, "climate units per stress",
       "stressed mentors give less support", kAssume);
  real("climate.w_team_growth", &P::w_team_growth, 0.1, 0, 3, "climate units per climate unit",
       "a good team work climate adds room for growth", kAssume);
  real("climate.w_support_atmosphere", &P::w_support_atmosphere, 0.1, 0, 3,
       "climate units per climate unit", "support improves the atmosphere", kAssume);
  real("climate.incident_ema", &P::incident_ema, 0.1, 0.001, 1, "1/day",
       "speed of the group's recent incident rate (moving average)", kAssume);
  real("climate.coercion_ema", &P::coercion_ema, 0.1, 0.001, 1, "1/day",
       "speed of the group's recent coercion rate (moving average)", kAssume);
  real("climate.understaffed_ema", &P::understaffed_ema, 0.05, 0.001, 1, "1/day",
       "speed of the group's recent share of understaffed days (moving average)", kAssume);

  // --- peers and the treatment method (mesosystem) --------------------------------------------
  real("peers.rate", &P::peer_rate, 0.03, 0.001, 1, "1/day",
       "speed at which a youth's standing among peers follows its target (friends, conflicts, "
       "atmosphere)",
       kAssume);
  real("peers.incident_loss", &P::peer_incident_loss, 0.08, 0, 1, "standing per incident",
       "an incident costs standing among the living-group peers", kAssume);
  real("peers.w_atmosphere", &P::peer_atmosphere, 0.6, 0, 3, "standing per climate unit",
       "a good group atmosphere raises every youth's standing", kAssume);
  real("peers.standing_base", &P::standing_base, 0.35, 0, 1, "standing (0-1)",
       "standing among peers of a youth without friends or conflicts in a group of average "
       "atmosphere",
       kAssume);
  real("peers.initial_standing", &P::initial_standing, 0.4, 0, 1, "standing (0-1)",
       "standing among peers at admission", kAssume);
  real("peers.w_friends", &P::w_friends_standing, 0.45, 0, 2, "standing per 3 friends",
       "friends in the group raise standing (up to three friends count)",
       "docs/evidence.md §7: peers are agents with relationships of their own; assumption for "
       "size");
  real("peers.w_conflicts", &P::w_conflicts_standing, 0.3, 0, 2, "standing per 3 conflicts",
       "conflict and bullying ties lower standing (up to three count)", kAssume);
  // The network: ties between the youths present, formed and dissolved day by day.
  real("peers.friend_rate", &P::friend_rate, 0.02, 0, 1, "1/day",
       "daily chance that two acquainted youths of the same profile and age become friends",
       kAssume);
  real("peers.acquaint_days", &P::acquaint_days, 14, 1, 365, "days",
       "time scale on which two youths get to know each other: a newcomer integrates over weeks "
       "(familiarity 1 - exp(-days together / this))",
       kAssume);
  real("peers.friend_same_profile", &P::friend_same_profile, 0.7, 0, 5, "log rate",
       "youths with the same problem profile befriend each other more readily (homophily)",
       "Dodge, Dishion & Lansford 2006 (deviant youths affiliate); assumption for size");
  real("peers.friend_age", &P::friend_age, 0.3, 0, 5, "log rate per year",
       "each year of age difference lowers the chance of a friendship", kAssume);
  real("peers.friend_problems", &P::friend_problems, 0.5, 0, 5, "log rate per 10 SDQ points",
       "a difference in problem level lowers the chance of a friendship", kAssume);
  real("peers.friend_end", &P::friend_end, 0.01, 0, 1, "1/day",
       "daily chance that a friendship ends", kAssume);
  real("peers.conflict_rate", &P::conflict_rate, 0.0007, 0, 1, "1/day",
       "daily chance of a lasting conflict (quarrel, bullying) between two youths without "
       "incidents or externalising problems",
       kAssume);
  real("peers.conflict_incident", &P::conflict_incident, 2.0, 0, 10, "log rate per incident",
       "an incident of either youth that day makes a conflict between them likelier", kAssume);
  real("peers.conflict_externalising", &P::conflict_externalising, 0.7, 0, 5,
       "log rate per externalising youth", "externalising youths get into conflicts more often",
       kAssume);
  real("peers.conflict_end", &P::conflict_end, 0.03, 0, 1, "1/day",
       "daily chance that a conflict is settled", kAssume);
  // Influence through ties.
  real("peers.deviancy_rate", &P::deviancy_rate, 0.01, 0, 0.1, "1/day",
       "deviancy training: daily pull of a youth's problems toward the friends' higher level",
       "Dodge, Dishion & Lansford 2006; Lee & Thompson 2009 (deviant peer density predicts "
       "trajectories); assumption for size");
  real("peers.deviancy_understaffed", &P::deviancy_understaffed, 2.0, 0, 10, "relative increase",
       "thin supervision: deviancy training is this much stronger on an understaffed day",
       "Dodge, Dishion & Lansford 2006 (strongest under poor supervision); assumption for size");
  real("peers.deviancy_team", &P::deviancy_team, 2.0, 0, 10,
       "relative increase per team climate unit",
       "little structure: deviancy training grows as the team's work climate falls below its "
       "reference",
       kAssume);
  real("peers.positive_rate", &P::positive_rate, 0.004, 0, 0.5, "1/day",
       "positive peer influence: daily pull of motivation toward the friends' level",
       "Lee & Thompson 2009 (positive peer influence protective); assumption for size");
  boolean("policy.peer_culture", &P::peer_programme, false,
          "a structured positive peer culture programme: peer support groups guided by staff",
          "Lee & Thompson 2009 (positive peer influence protective); assumption for its effects",
          true);
  real("peers.culture_deviancy", &P::programme_deviancy, 0.5, 0, 1, "share",
       "share of deviancy training that policy.peer_culture prevents", kAssume);
  real("peers.culture_positive", &P::programme_positive, 1.0, 0, 5, "relative increase",
       "how much policy.peer_culture strengthens positive peer influence", kAssume);
  // Leaving.
  real("peers.abscond_together", &P::abscond_together, 5.0, 0, 10, "log hazard",
       "after a friend absconds, a youth's own absconding hazard is raised for a few days "
       "(running away together)",
       "docs/evidence.md §7: absconders leave to stay connected with others; assumption for "
       "size");
  integer("peers.together_days", &P::together_days, 3, 1, 30, "days",
          "days after a friend's absconding during which the youth's absconding hazard is raised "
          "(from the next day; absconding on the friend's day or within these days counts as "
          "running away together)",
          kAssume);
  real("peers.abscond_conflict", &P::abscond_conflict, 0.4, 0, 5, "log hazard per conflict",
       "conflict and bullying ties raise absconding (up to three count)",
       "docs/evidence.md §7: bullying by other residents prompted many runaways; assumption "
       "for size");
  real("peers.abscond_belonging", &P::abscond_belonging, 0.5, 0, 5, "log hazard",
       "a friend in the group lowers absconding (belonging)", kAssume);
  real("exit.dropout_peers", &P::dropout_peers, 1.5, 0, 10, "log hazard per standing unit",
       "poor peer relations raise drop-out",
       "docs/evidence.md §6.6: early leavers reported worse relations with peers beforehand");
  r.choice({"treatment.method",
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
  real("treatment.method_support", &P::method_support, 0.05, 0, 0.5, "climate units",
       "support added by the climate-focused method", kAssume);
  real("treatment.method_growth", &P::method_growth, 0.08, 0, 0.5, "climate units",
       "room for growth added by the climate-focused method", kAssume);

  // --- measurement model ----------------------------------------------------------------------
  real("rater.youth_bias", &P::rater_youth_bias, 0.083, -1, 1, "alliance (0-1)",
       "mean leniency of youth ratings",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md); "
       "docs/evidence.md §3.1 (youths rate more positively)");
  real("rater.youth_sd", &P::rater_youth_sd, 0.21, 0, 1, "alliance (0-1)",
       "spread of persistent youth leniency",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md); "
       "docs/evidence.md §3.2 (weak agreement)");
  real("rater.youth_noise", &P::rater_youth_noise, 0.046, 0, 1, "alliance (0-1)",
       "occasion noise of a youth rating",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md)");
  real("rater.youth_view_bond", &P::youth_view_bond, 0.5, 0, 1, "weight",
       "weight of the bond in the youth's view of the alliance (rating, SRS)",
       "assumption (youths weigh the bond most)");
  real("rater.youth_view_goals", &P::youth_view_goals, 0.25, 0, 1, "weight",
       "weight of goal agreement in the youth's view of the alliance", kAssume);
  real("rater.youth_view_tasks", &P::youth_view_tasks, 0.25, 0, 1, "weight",
       "weight of task collaboration in the youth's view of the alliance", kAssume);
  real("rater.mentor_bias", &P::rater_mentor_bias, -0.013, -1, 1, "alliance (0-1)",
       "mean leniency of mentor ratings",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md); docs/evidence.md §3.1");
  real("rater.mentor_sd", &P::rater_mentor_sd, 0.14, 0, 1, "alliance (0-1)",
       "spread of persistent mentor leniency per pair",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md); "
       "docs/evidence.md §3.2, §8.2");
  real("rater.mentor_noise", &P::rater_mentor_noise, 0.047, 0, 1, "alliance (0-1)",
       "occasion noise of a mentor rating",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md)");
  real("rater.mentor_view_bond", &P::mentor_view_bond, 0.2, 0, 1, "weight",
       "weight of the bond in the mentor's view of the alliance",
       "assumption (mentors weigh the work on goals and tasks)");
  real("rater.mentor_view_goals", &P::mentor_view_goals, 0.4, 0, 1, "weight",
       "weight of goal agreement in the mentor's view of the alliance", kAssume);
  real("rater.mentor_view_tasks", &P::mentor_view_tasks, 0.4, 0, 1, "weight",
       "weight of task collaboration in the mentor's view of the alliance", kAssume);
  real("rater.parent_bias", &P::rater_parent_bias, 0.06, -1, 1, "alliance (0-1)",
       "mean leniency of parent ratings", "docs/evidence.md §3.1 (parents rate more positively)");
  real("rater.parent_sd", &P::rater_parent_sd, 0.14, 0, 1, "alliance (0-1)",
       "spread of persistent parent leniency",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md)");
  real("rater.parent_noise", &P::rater_parent_noise, 0.047, 0, 1, "alliance (0-1)",
       "occasion noise of a parent rating",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md)");
  real("rater.parent_view_youth", &P::parent_view_youth, 0.5, 0, 1, "weight",
       "weight of the youth-mentor alliance in the parent's rating of the alliance", kAssume);
  real("rater.parent_view_own", &P::parent_view_own, 0.5, 0, 1, "weight",
       "weight of the parent's own alliance with the mentor in the parent's rating", kAssume);
  real("rater.parent_view_offset", &P::parent_view_offset, 0.1, -1, 1, "alliance (0-1)",
       "shift of every parent rating beside the persistent leniency",
       "assumption (parents rate more positively, docs/evidence.md §3.1)");
  real("rater.observer_sd", &P::rater_observer_sd, 0.053, 0, 1, "alliance (0-1)",
       "spread of the observer's persistent view of a youth (coder and sampled sessions)",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md); "
       "McLeod et al. 2021 (TPOCS-A: inter-rater ICC .83, coder stability .79); docs/evidence.md "
       "§8");
  real("rater.observer_noise", &P::observer_noise, 0.05, 0, 1, "alliance (0-1)",
       "noise of an observer rating",
       "calibrated to targets: informant agreement and differences, observer validity "
       "(docs/calibration.md); "
       "docs/evidence.md §3.2, §8.1 (observers agree more)");
  real("rater.motivation_noise", &P::motivation_noise, 0.06, 0, 1, "motivation (0-1)",
       "noise of the motivation questionnaire", kAssume);
  real("rater.problems_noise", &P::problems_noise, 2.0, 0, 10, "SDQ points",
       "noise of the problems questionnaire", kAssume);
  real("rater.climate_noise", &P::climate_noise, 0.08, 0, 1, "climate units",
       "noise of a youth's climate rating", kAssume);
  real("rater.srs_noise", &P::srs_noise, 0.08, 0, 1, "alliance (0-1)", "noise of a session rating",
       kAssume);
  return r;
}

}  // namespace

const BoundRegistry<ModelParams>& model_registry() {
  static const BoundRegistry<ModelParams> registry = build();
  return registry;
}

ModelParams make_model_params(const ParamValues& values) {
  return model_registry().make(values);
}

std::vector<std::string> wave_names(const ModelParams& p) {
  if (!p.wave_names.empty()) return p.wave_names;
  std::vector<std::string> names;
  for (int day : p.wave_days) names.push_back("day " + std::to_string(day));
  return names;
}

SettingMechanisms ModelParams::setting(int s) const {
  if (s == kOpen)
    return {open_autonomy_restriction, open_mandated_share,       mandate_pressure,
            open_growth_restriction,   open_coercion_on_incident, open_leaving_barrier,
            open_repression_base,      open_stay_median};
  return {closed_autonomy_restriction, closed_mandated_share,       mandate_pressure,
          closed_growth_restriction,   closed_coercion_on_incident, closed_leaving_barrier,
          closed_repression_base,      closed_stay_median};
}

}  // namespace asim
