// Staffing and the team (exosystem). Each mentor slot works shifts, falls sick in episodes and
// leaves at the annual turnover rate; a leaver is replaced by a newcomer with new traits and the
// mentees' alliances fall back toward a newcomer's level (thesis ch. 5: "every change of worker
// puts the alliance back to zero"). Sick leave not covered by a flex pool leaves a shift
// understaffed. Mentor stress follows workload (caseload), understaffing and incidents, eased by
// a good team climate (docs/evidence.md §6.4: sick leave about 7 %, turnover 20-40 %, workload).
#include <boost/random/normal_distribution.hpp>

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
      p.repair_rate * std::exp(p.repair_skill * skill_of(p, g, slot) +
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

void update_staffing(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  Mentors& m = g.mentors;
  g.staff_left_today = 0;
  const double sick_onset = p.sick_leave / ((1.0 - p.sick_leave + 1e-9) * p.sick_episode_days);
  const double leave_hazard = p.annual_turnover / kDaysPerYear;
  for (int s = 0; s < static_cast<int>(m.size()); ++s) {
    const auto w = ctx.rng.uniforms(staff_entity(g.index, s), static_cast<std::uint32_t>(ctx.day),
                                    kPurposeStaffDay);
    m.tenure_days[s] += 1;
    if (w[3] < leave_hazard) {  // turnover: a newcomer takes the slot
      ctx.events.push_back(Event{ctx.day, kEvStaffLeft, -1, staff_id(g, s), 0.0f});
      m.generation[s] += 1;
      draw_mentor(ctx, g, s);
      g.staff_left_today += 1;
      for (int b = 0; b < g.beds; ++b)
        if (g.occupied[b] && g.mentor[b] == s) change_mentor(ctx, g, b, s, kChangeTurnover);
    }
    if (m.sick_days_left[s] > 0) {
      m.sick_days_left[s] -= 1;
    } else if (w[1] < sick_onset) {
      const int days = 1 + static_cast<int>(-p.sick_episode_days * std::log(w[2]));
      m.sick_days_left[s] = days;
      if (days > p.long_sick_days) {  // long absence: mentees get another mentor
        const int other = least_loaded_slot(g, s);
        if (other >= 0)
          for (int b = 0; b < g.beds; ++b)
            if (g.occupied[b] && g.mentor[b] == s) change_mentor(ctx, g, b, other, kChangeLongSick);
      }
    }
    m.on_shift[s] = m.sick_days_left[s] == 0 && w[0] < p.shift_share;
  }
  // Understaffing: too few workers present for the group (see init_mentors).
  const auto gw = ctx.rng.uniforms(group_entity(g.index), static_cast<std::uint32_t>(ctx.day),
                                   kPurposeGroupDay);
  g.understaffed_today = gw[0] < g.p_understaffed;
  // Stress follows workload, understaffing and incidents, eased by the team climate.
  const double load = p.stress_caseload * (p.caseload / kReferenceCaseload) +
                      p.stress_understaffed * g.understaffed_rate +
                      p.stress_incidents * g.incident_rate -
                      p.stress_team_climate * (g.team_climate - kReferenceClimate);
  for (std::size_t s = 0; s < m.size(); ++s) {
    m.stress[s] = clamp01(m.stress[s] + p.stress_rate * (load - m.stress[s]));
    m.stress_factor[s] = static_cast<float>(std::exp(p.rupture_stress * m.stress[s]));
    m.exp_stress[s] = static_cast<float>(std::exp(p.w_stress * m.stress[s]));
  }
}

}  // namespace asim
