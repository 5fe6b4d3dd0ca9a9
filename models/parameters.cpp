// The one declaration of every model parameter: name, default, range, unit, meaning, source.
// Sources cite a study or a section of docs/evidence.md (the research evidence, with the full
// references at its end); "assumption" marks a modelling choice to vary in sensitivity runs.
#include <stdexcept>

#include "models/model_params.hpp"

namespace asim {
namespace {

using P = ModelParams;

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

  // --- mentor and policy levers -------------------------------------------------------------
  real("mentor.caseload", &P::caseload, 8, 1, 30, "youths",
       "youths a mentor is responsible for: sets time per youth and workload stress",
       "practice (docs/evidence.md §6.4); lower caseload (thesis ch. 5, docs/evidence.md §2.5)",
       true);
  real("mentor.shift_share", &P::shift_share, 0.6, 0.1, 1, "share",
       "share of days a mentor works a shift in the group", kAssume);
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

  // The modules' rows, in the schedule's order (models/schedule.hpp).
  ParamRows rows(r);
  ModelParams::register_all(rows);
  return r;
}

}  // namespace

void ParamRows::real(const char* name, double ModelParams::*f, double def, double lo, double hi,
                     const char* unit, const char* meaning, const char* source, bool cls) {
  r_.real({name, ParamType::Real, def, lo, hi, {}, unit, meaning, source, cls}, f);
}
void ParamRows::integer(const char* name, int ModelParams::*f, double def, double lo, double hi,
                        const char* unit, const char* meaning, const char* source, bool cls) {
  r_.integer({name, ParamType::Integer, def, lo, hi, {}, unit, meaning, source, cls}, f);
}
void ParamRows::boolean(const char* name, bool ModelParams::*f, bool def, const char* meaning,
                        const char* source, bool cls) {
  r_.boolean({name, ParamType::Boolean, def ? 1.0 : 0.0, 0, 1, {}, "", meaning, source, cls}, f);
}

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
