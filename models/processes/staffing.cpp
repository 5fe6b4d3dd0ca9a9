// Staffing and the team (exosystem). Each mentor slot works shifts, falls sick in episodes and
// leaves at the annual turnover rate; a leaver is replaced by a newcomer with new traits and the
// mentees' alliances fall back toward a newcomer's level (thesis ch. 5: "every change of worker
// puts the alliance back to zero"). Sick leave not covered by a flex pool leaves a shift
// understaffed. Mentor stress follows workload (caseload), understaffing and incidents, eased by
// a good team climate (docs/evidence.md §6.4: sick leave about 7 %, turnover 20-40 %, workload).
#include <boost/random/normal_distribution.hpp>

#include "engine/philox_batch.hpp"
#include "models/processes.hpp"

namespace asim {

// A newcomer's traits in a slot: a pure function of (group, slot, generation).
static void draw_mentor(const DayContext& ctx, Group& g, int slot) {
  const ModelParams& p = ctx.p;
  StreamEngine eng(ctx.rng, staff_entity(g.index, slot),
                   static_cast<std::uint32_t>(g.mentors.generation[slot]), kPurposeStaffTraits);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  g.mentors.skill[slot] = static_cast<float>(p.skill_sd * normal(eng));
  g.mentors.push[slot] = static_cast<float>(p.push_sd * normal(eng));
  g.mentors.uses_feedback[slot] = p.routine_feedback && eng.uniform() < p.feedback_uptake;
  g.mentors.stress[slot] = static_cast<float>(p.initial_stress);
  g.mentors.sick_days_left[slot] = 0;
  g.mentors.tenure_days[slot] = 0;
  g.mentors.repair_chance[slot] = static_cast<float>(
      p.repair_rate * model_exp(p.repair_skill * skill_of(p, g, slot) +
                                (p.alliance_training ? p.training_repair_gain : 0.0)));
}

void init_mentors(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  // A shift is understaffed when the workers present attend to fewer youths than there are beds.
  // Each rostered worker is absent and uncovered with probability q; the shift is understaffed
  // when more than `spare` of them are missing.
  const double q = p.sick_leave * (1.0 - p.flex_cover);
  const int n = p.workers_per_shift;
  const int needed = static_cast<int>(std::ceil(g.beds / p.youths_per_worker - 1e-9));
  const int spare = n - needed;
  double p_covered = 0;  // P(absent <= spare), binomial(n, q)
  for (int k = 0; k <= spare && k <= n; ++k)
    p_covered += std::tgamma(n + 1.0) / (std::tgamma(k + 1.0) * std::tgamma(n - k + 1.0)) *
                 std::pow(q, k) * std::pow(1.0 - q, n - k);
  g.p_understaffed = spare < 0 ? 1.0 : 1.0 - p_covered;
  for (std::size_t s = 0; s < g.mentors.size(); ++s) {
    g.mentors.generation[s] = 0;
    g.mentors.caseload[s] = 0;
    draw_mentor(ctx, g, static_cast<int>(s));
  }
}

// Every youth present whose mentor is in slot s gets the mentor in slot `to` (change_mentor).
static void move_mentees(const DayContext& ctx, Group& g, int s, int to, int reason) {
  for (int b = 0; b < g.beds; ++b)
    if (g.occupied[b] && g.mentor[b] == s) change_mentor(ctx, g, b, to, reason);
}

// The rare staff events of a slot whose uniforms fell below the turnover or the sick-leave
// onset hazard (update_staffing's first pass has counted its day and its sick leave down): a
// leaver is replaced, then a worker without sick leave may fall sick. w[k] is the k-th uniform
// of the slot's day.
static void staff_events(const DayContext& ctx, Group& g, int s, const double w[4],
                         double sick_onset, double leave_hazard) {
  const ModelParams& p = ctx.p;
  Mentors& m = g.mentors;
  if (w[3] < leave_hazard) {  // turnover: a newcomer takes the slot
    record_event(ctx, g, -1, kEvStaffLeft, staff_id(g, s), 0.0f);
    m.generation[s] += 1;
    draw_mentor(ctx, g, s);  // its days and sick leave start at 0
    g.staff_left_today += 1;
    move_mentees(ctx, g, s, s, kChangeTurnover);
  }
  if (m.sick_days_left[s] == 0 && w[1] < sick_onset) {
    const int days = 1 + static_cast<int>(-p.sick_episode_days * model_log(w[2]));
    m.sick_days_left[s] = days;
    if (days > p.long_sick_days) {  // long absence: mentees get another mentor
      const int other = least_loaded_slot(g, s);
      if (other >= 0) move_mentees(ctx, g, s, other, kChangeLongSick);
    }
  }
}

ASIM_VECTOR_CLONES void update_staffing(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // The day's uniforms of every staff slot and every group of the tile, one batch each (the same
  // words as Rng::uniforms(staff_entity(group, slot), day, kPurposeStaffDay) and
  // Rng::uniforms(group_entity(group), day, kPurposeGroupDay)).
  DayDraws& d = ctx.draws;
  const auto slot_count = t.mentors.size(), group_count = static_cast<std::size_t>(t.group_count);
  std::fill_n(d.counter_day.begin(), std::max(slot_count, group_count),
              static_cast<std::uint32_t>(ctx.day));
  philox_uniforms(ctx.rng.key(), t.mentor_entity.data(), d.counter_day.data(), kPurposeStaffDay, 0,
                  slot_count, d.staff[0].data(), d.staff[1].data(), d.staff[2].data(),
                  d.staff[3].data());
  philox_uniforms(ctx.rng.key(), t.group_entity.data(), d.counter_day.data(), kPurposeGroupDay, 0,
                  group_count, d.group_a.data(), d.group_b.data(), d.group_c.data(),
                  d.group_quad.data());
  const double sick_onset = p.sick_leave / ((1.0 - p.sick_leave + 1e-9) * p.sick_episode_days);
  const double leave_hazard = p.annual_turnover / kDaysPerYear;
  const int slots = static_cast<int>(slot_count);
  const double *w0 = d.staff[0].data(), *w1 = d.staff[1].data(), *w3 = d.staff[3].data();
  std::int32_t* rare = d.counter_slot.data();
  // Every slot at once: its day, its sick leave counted down, and whether a turnover or a
  // sick-leave onset may happen (a few slots in a hundred), for the pass after. (Each vector
  // pass in a block of its own: its __restrict pointers end before the scalar pass writes the
  // same arrays through the groups.)
  int rare_slots = 0;
  {
    std::int32_t *__restrict tenure = t.mentors.tenure_days.data(),
                             *__restrict sick = t.mentors.sick_days_left.data(),
                             *__restrict rare_out = rare;
    ASIM_BEDS_INDEPENDENT
    for (int s = 0; s < slots; ++s) {
      const std::int32_t left = sick[s];
      tenure[s] += 1;
      sick[s] = left > 0 ? left - 1 : left;
      rare_out[s] = (w3[s] < leave_hazard) | ((left == 0) & (w1[s] < sick_onset));
      rare_slots += rare_out[s];
    }
  }
  for (int i = 0; i < t.group_count; ++i) t.group(i).staff_left_today = 0;
  // Those slots one by one, in slot order, each group's in its own order.
  for (int s = 0; rare_slots > 0 && s < slots; ++s) {
    if (!rare[s]) continue;
    --rare_slots;
    const int i = t.slot_group[s];
    const double w[4] = {d.staff[0][s], d.staff[1][s], d.staff[2][s], d.staff[3][s]};
    staff_events(ctx.group(i), t.group(i), s - t.mentor_offset[i], w, sick_onset, leave_hazard);
  }
  // Per group: understaffing (too few workers present, see init_mentors), and the load that
  // mentor stress follows: workload, understaffing and incidents, eased by the team climate.
  double* load_of = d.group_b.data();  // its uniform is not used
  for (int i = 0; i < t.group_count; ++i) {
    Group& g = t.group(i);
    g.understaffed_today = d.group_a[i] < g.p_understaffed;
    load_of[i] = p.stress_caseload * (p.caseload / kReferenceCaseload) +
                 p.stress_understaffed * g.understaffed_rate +
                 p.stress_incidents * g.incident_rate -
                 p.stress_team_climate * (g.team_climate - kReferenceClimate);
  }
  // Every slot at once: on shift, stress, and the stress factors of the hazards.
  const double shift_share = p.shift_share, stress_rate = p.stress_rate;
  const double w_rupture = p.rupture_stress, w_alliance = p.w_stress;
  const std::int32_t *group = t.slot_group.data(), *sick = t.mentors.sick_days_left.data();
  {
    std::int32_t* __restrict on_shift = t.mentors.on_shift.data();
    float *__restrict stress = t.mentors.stress.data(),
                      *__restrict stress_factor = t.mentors.stress_factor.data(),
                      *__restrict exp_stress = t.mentors.exp_stress.data();
    ASIM_BEDS_INDEPENDENT
    for (int s = 0; s < slots; ++s) {
      on_shift[s] = (sick[s] == 0) & (w0[s] < shift_share);
      const float next = clamp01(stress[s] + stress_rate * (load_of[group[s]] - stress[s]));
      stress[s] = next;
      stress_factor[s] = static_cast<float>(model_exp(w_rupture * next));
      exp_stress[s] = static_cast<float>(model_exp(w_alliance * next));
    }
  }
}

// The module's registry rows (docs/parameters.md).
void Staffing::register_params(ParamRows& r) {
  using P = ModelParams;
  r.integer("staff.workers_per_shift", &P::workers_per_shift, 2, 1, 6, "workers",
            "group workers rostered on each shift",
            "practice: 1-2 workers per shift (docs/evidence.md §6.4)", true);
  r.real("staff.youths_per_worker", &P::youths_per_worker, 5, 1, 20, "youths",
         "youths one group worker can attend to; fewer workers present than beds / this is an "
         "understaffed shift",
         "practice: groups of 8-12 with 1-2 workers (docs/evidence.md §6.4)");
  r.real("staff.sick_leave", &P::sick_leave, 0.07, 0, 0.5, "share of days",
         "sick leave of group workers", "docs/evidence.md §6.4 (about 7%)");
  r.real("staff.sick_episode_days", &P::sick_episode_days, 8, 1, 120, "days",
         "mean length of a sick-leave episode", kAssume);
  r.real("staff.flex_cover", &P::flex_cover, 0.5, 0, 1, "probability",
         "chance an absent worker's shift is covered by a flex pool", kAssume);
  r.real("staff.annual_turnover", &P::annual_turnover, 0.2, 0, 1.5, "1/year",
         "share of group workers leaving per year",
         "docs/evidence.md §6.4: 20-40% in child welfare", true);
  r.real("staff.long_sick_days", &P::long_sick_days, 28, 1, 365, "days",
         "sick episode after which mentees get another mentor", kAssume);
  r.real("staff.stress_caseload", &P::stress_caseload, 0.35, 0, 2, "stress per caseload/8",
         "workload stress from caseload", "docs/evidence.md §6.4 (workload too high)");
  r.real("staff.stress_understaffed", &P::stress_understaffed, 0.3, 0, 2, "stress",
         "stress from understaffed shifts", kAssume);
  r.real("staff.stress_incidents", &P::stress_incidents, 2.0, 0, 20,
         "stress per incident/youth/day", "stress from incidents in the group", kAssume);
  r.real("staff.stress_rate", &P::stress_rate, 0.05, 0.001, 1, "1/day",
         "speed at which stress follows its load", kAssume);
  r.real("staff.stress_team_climate", &P::stress_team_climate, 0.3, 0, 3, "stress per climate unit",
         "a good team climate eases mentor stress", "assumption (thesis ch. 5: work climate)");
  r.real("staff.initial_stress", &P::initial_stress, 0.3, 0, 1, "stress (0-1)",
         "stress of a mentor who starts in a slot", kAssume);
}

}  // namespace asim
