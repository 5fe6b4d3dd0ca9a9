// Referral and admission (microsystem input). A referral's traits are a pure function of the
// seed, replicate and intake index, so every scenario run with the same seed meets the same
// youths (common random numbers). Admission places the youth in a free bed, assigns the mentor
// with the fewest mentees and sets the first-impression alliance.
// Sources: thesis ch. 5 (youth factors: help history, expectations, severity, autonomy,
// attachment; docs/evidence.md §2.2); Liber et al. 2010 (externalising); JeugdzorgPlus figures
// (stay lengths, docs/evidence.md §6.5).
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include "models/processes.hpp"

namespace asim {

Referral draw_referral(const Rng& rng, const ModelParams& p, std::int32_t intake_index) {
  StreamEngine eng(rng, static_cast<std::uint32_t>(intake_index), 0, kPurposeReferral);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  Referral r{};
  r.intake_index = intake_index;
  const double u_profile = eng.uniform();
  r.profile = u_profile < p.p_externalising                       ? kExternalising
              : u_profile < p.p_externalising + p.p_internalising ? kInternalising
                                                                  : kMixed;
  r.female = eng.uniform() < p.p_female;
  r.age = static_cast<float>(p.age_min + (p.age_max - p.age_min) * eng.uniform());
  const double ext =
      r.profile == kExternalising ? 1.0 : (r.profile == kMixed ? p.mixed_externalising : 0.0);
  r.closed_indicated =
      eng.uniform() <
      (r.profile == kExternalising ? p.closed_indication_externalising : p.closed_indication_other);
  boost::random::poisson_distribution<int, double> history(
      p.help_history_mean > 0 ? p.help_history_mean : 1e-9);
  r.help_history = static_cast<float>(history(eng));
  r.expectations = static_cast<float>(normal(eng));
  r.autonomy = static_cast<float>(normal(eng) + p.autonomy_externalising * ext +
                                  p.autonomy_age * (r.age - kAgeCentre) / kAgeSd);
  r.attachment = static_cast<float>(normal(eng));
  r.parent_involvement = clamp01(p.involvement_mean + p.involvement_sd * normal(eng));
  r.intake_problems =
      static_cast<float>(std::clamp(p.intake_problems_mean + p.externalising_problem_offset * ext +
                                        p.intake_problems_sd * normal(eng),
                                    0.0, kProblemsMax));
  r.stay_z = static_cast<float>(normal(eng));
  r.mandate_u = static_cast<float>(eng.uniform());
  r.move_u = static_cast<float>(eng.uniform());
  r.leniency_youth = static_cast<float>(p.rater_youth_bias + p.rater_youth_sd * normal(eng));
  r.leniency_parent = static_cast<float>(p.rater_parent_bias + p.rater_parent_sd * normal(eng));
  r.motivation_z = static_cast<float>(normal(eng));
  r.elapsed_u = static_cast<float>(eng.uniform());
  r.observer_z = static_cast<float>(normal(eng));  // last: the draws above keep their values
  return r;
}

// Unique within a replicate: group, slot and how many workers held the slot before.
static int staff_id_of(int group_index, int slot, int generation) {
  return (group_index * 64 + slot) * 1024 + (generation % 1024);
}

int staff_id(const Group& g, int slot) {
  return staff_id_of(g.index, slot, g.mentors.generation[slot]);
}

int staff_id(const Tile& t, int i, int tile_slot) {
  return staff_id_of(t.groups[i].index, tile_slot - t.mentor_offset[i],
                     t.mentors.generation[tile_slot]);
}

// An event into the group's buffer for the result file when the youth is tracked or it is a
// staff event (bed -1), and into the whole stream when it is read.
static void record(std::vector<Event>& events, const RunOptions& options, int group, int bed,
                   std::int32_t youth_id, const Event& e) {
  if (options.event_stream)  // every youth's events (classroom mode)
    (*options.event_stream)[static_cast<std::size_t>(group)].push_back(
        StreamEvent{e, group, bed, youth_id});
  if (bed >= 0 && e.youth < 0) return;  // the result file keeps tracked youths and staff
  events.push_back(e);
}

void record_event(const DayContext& ctx, const Group& g, int bed, EventKind kind, int staff,
                  float value) {
  const Event e{ctx.day, kind, bed >= 0 ? g.cohort[bed] : -1, staff, value};
  record(ctx.events, ctx.options, g.index, bed, bed >= 0 ? g.youth_id[bed] : -1, e);
}

void record_event(const TileContext& ctx, const Tile& t, int i, int tile_bed, EventKind kind,
                  int staff, float value) {
  const Event e{ctx.day, kind, t.cohort[tile_bed], staff, value};
  const int group = ctx.options.event_stream ? t.groups[i].index : -1;  // read only if needed
  record(ctx.events[i], ctx.options, group, tile_bed - t.bed_offset[i], t.youth_id[tile_bed], e);
}

// Pair-specific draws: the personal fit of youth and mentor, and the mentor's rating leniency.
void draw_pair(const DayContext& ctx, Group& g, int bed) {
  const int slot = g.mentor[bed];
  // One stream per (youth, slot, generation of the worker in the slot).
  StreamEngine eng(ctx.rng, static_cast<std::uint32_t>(g.youth_id[bed]),
                   staff_entity(g.index, slot),
                   kPurposePair | (static_cast<std::uint32_t>(g.mentors.generation[slot]) << 8));
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  g.fit[bed] = static_cast<float>(ctx.p.fit_sd * normal(eng));
  g.leniency_mentor[bed] =
      static_cast<float>(ctx.p.rater_mentor_bias + ctx.p.rater_mentor_sd * normal(eng));
  // Pair-dependent constants of the hot loop.
  const ModelParams& p = ctx.p;
  g.newcomer[bed] = static_cast<float>(
      logistic(p.alliance_initial + p.w_newcomer * (g.propensity[bed] + g.fit[bed])));
  g.parent_target[bed] =
      static_cast<float>(logistic(p.target_base + p.w_mentor_skill * skill_of(p, g, slot) +
                                  p.w_involvement * (g.parent_involvement[bed] - kReferenceHalf)));
  g.exp_neg_pair[bed] = static_cast<float>(
      model_exp(-(g.propensity[bed] + g.fit[bed] + p.w_skill * skill_of(p, g, slot))));
  g.exp_push[bed] = static_cast<float>(model_exp(p.w_push * push_of(p, g, slot)));
  g.rupture_factor[bed] = static_cast<float>(
      model_exp(p.rupture_externalising * g.externalising[bed] +
                p.rupture_autonomy * g.autonomy[bed] + p.rupture_push * push_of(p, g, slot)));
}

void admit_youth(const DayContext& ctx, Group& g, int bed, const Referral& r, int admit_day,
                 int cohort_index) {
  const ModelParams& p = ctx.p;
  g.present += !g.occupied[bed];
  g.occupied[bed] = 1;
  g.youth_id[bed] = r.intake_index;
  g.cohort[bed] = cohort_index;
  g.admit_day[bed] = admit_day;
  g.female[bed] = r.female;
  g.profile[bed] = r.profile;
  g.externalising[bed] = r.profile == kExternalising;
  g.mandated[bed] = r.mandate_u < g.mech.mandated_share;
  g.help_history[bed] = r.help_history;
  g.expectations[bed] = r.expectations;
  g.autonomy[bed] = r.autonomy;
  g.attachment[bed] = r.attachment;
  g.parent_involvement[bed] = r.parent_involvement;
  g.severity[bed] = r.intake_problems;
  g.leniency_youth[bed] = r.leniency_youth;
  g.leniency_parent[bed] = r.leniency_parent;
  g.leniency_observer[bed] = static_cast<float>(p.rater_observer_sd * r.observer_z);
  g.planned_stay[bed] =
      std::max(1, static_cast<int>(std::lround(g.mech.planned_stay_median *
                                               model_exp(p.stay_sigma * r.stay_z))));
  const double ext =
      r.profile == kExternalising ? 1.0 : (r.profile == kMixed ? p.mixed_externalising : 0.0);
  // Youth factors of the alliance (thesis ch. 5): expectations and attachment help; help
  // history, distrust of authority and externalising problems hinder.
  g.propensity[bed] = static_cast<float>(
      p.w_expectations * r.expectations + p.w_attachment * r.attachment -
      p.w_help_history * r.help_history - p.w_autonomy * r.autonomy - p.w_externalising * ext -
      p.w_externalising_girls * (r.female && r.profile == kExternalising));
  g.exp_neg_propensity[bed] = static_cast<float>(model_exp(-g.propensity[bed]));
  g.mentor[bed] = least_loaded_slot(g, -1);
  g.mentors.caseload[g.mentor[bed]] += 1;
  draw_pair(ctx, g, bed);
  g.problems[bed] = r.intake_problems;
  // The youth's own disposition (expectations and readiness for change) sets the starting
  // motivation and keeps acting on its target (models/processes/motivation.cpp).
  g.motivation_own[bed] = static_cast<float>(p.motivation_expectations * r.expectations +
                                             p.motivation_init_sd * r.motivation_z);
  g.motivation[bed] = clamp01(p.motivation_base - g.mech.mandate_pressure * g.mandated[bed] +
                              g.motivation_own[bed]);
  g.age[bed] = r.age;
  // Every module's per-bed fields (its admit hook), in the schedule's order (models/schedule.hpp).
  admit_modules(Schedule{}, ctx, g, bed, r);
  if (cohort_index >= 0) {
    ReplicateResult& out = ctx.out;
    const auto c = static_cast<std::size_t>(cohort_index);
    auto set = [&](StaticField f, double v) { out.static_values[f][c] = v; };
    set(kStIntakeIndex, r.intake_index);
    set(kStSetting, g.setting);
    set(kStGroup, g.index);
    set(kStMentor, staff_id(g, g.mentor[bed]));
    set(kStAdmissionDay, admit_day);
    set(kStAge, r.age);
    set(kStFemale, r.female);
    set(kStProfile, r.profile);
    set(kStExternalising, g.externalising[bed]);
    set(kStHelpHistory, r.help_history);
    set(kStExpectations, r.expectations);
    set(kStAutonomy, r.autonomy);
    set(kStAttachment, r.attachment);
    set(kStParentInvolvement, r.parent_involvement);
    set(kStSeverity, r.intake_problems);
    StreamEngine eng(ctx.rng, static_cast<std::uint32_t>(r.intake_index), 0, kPurposeMeasure);
    boost::random::normal_distribution<double> normal(0.0, 1.0);
    set(kStProblemsIntake,
        std::clamp(r.intake_problems + p.problems_noise * normal(eng), 0.0, kProblemsMax));
    set(kStMandated, g.mandated[bed]);
    set(kStPlannedStay, g.planned_stay[bed]);
    set(kStClosedIndicated, r.closed_indicated);
    out.outcome_values[kOutExitReason][c] = kInCare;
    out.outcome_values[kOutExitDay][c] = -1;
  }
  record_event(ctx, g, bed, kEvAdmission, staff_id(g, g.mentor[bed]),
               static_cast<float>(g.setting));
}

void admit_waiting(const TileContext& ctx, Tile& t) {
  for (const WaitingAdmission& a : t.admissions)
    admit_youth(ctx.group(a.group), t.group(a.group), a.bed, a.referral, a.admit_day,
                a.cohort_index);
  t.admissions.clear();
}

}  // namespace asim
