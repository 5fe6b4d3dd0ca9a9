// The daily processes of the model, one file each under models/processes/, run for one living
// group on one day in the fixed order of models/simulation.cpp (docs/ODD.md "Process overview").
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "models/results.hpp"
#include "models/state.hpp"

namespace asim {

struct RunOptions {
  std::array<bool, kDailyVarCount> daily{};  // youth/daily variables to record
  // groups/daily (each living group's daily series) in the result file; off for a lean file
  // (sweeps by default: `run --group-series`), which keeps the waves, outcomes and events.
  bool group_series = true;
  int group_grain = 0;  // living groups per parallel task; 0 chooses about 512 youths a task
  // The first residents arrive on day 0, as in a group that opens (classroom mode), instead of
  // being part-way through their stay as in an institution at steady state (every run).
  bool new_group = false;
};

// What every process of one group-day may read and where it records.
struct DayContext {
  const ModelParams& p;
  const Rng& rng;
  int day;                          // simulation day
  const std::vector<int>& wave_days;  // days since admission of the waves, increasing
  const RunOptions& options;
  ReplicateResult& out;             // cohort rows of distinct youths: written by one group only
  std::vector<Event>& events;       // this group's event buffer for the day
};

// Per-group scratch for the day: four uniforms per bed from one Philox call.
struct DayDraws {
  std::vector<double> contact, rupture, incident, exit;
  std::vector<std::uint32_t> day_index;  // the counter's day word per bed (days since admission)
  void resize(int beds) {
    day_index.assign(beds, 0);
    contact.assign(beds, 0);
    rupture.assign(beds, 0);
    incident.assign(beds, 0);
    exit.assign(beds, 0);
  }
};

// Per-bed loops written without branches (every bed computed, empty beds keep their values
// through a select) are compiled for AVX-512, AVX2 and baseline x86-64, and the loader picks
// one (function multiversioning). models/CMakeLists.txt compiles the model with
// -ffp-contract=off, so no clone fuses a multiply and an add: all give identical results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define ASIM_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define ASIM_VECTOR_CLONES
#endif

// x < 0 ? 0 : (x > 1 ? 1 : x), NaN and -0 included, in the branch-free form vectorisers take.
inline float clamp01(double x) { return static_cast<float>(std::min(std::max(x, 0.0), 1.0)); }
// A 0-1 view as a rating on a 1-5 scale (clamped).
inline float scale_1_5(double x) { return 1.0f + 4.0f * clamp01(x); }
inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }
inline int day_since_admission(const Group& g, int bed, int day) { return day - g.admit_day[bed]; }
inline double alliance_of(const Group& g, int bed) {
  return (g.bond[bed] + g.goals[bed] + g.tasks[bed]) / 3.0;
}
// What youth and mentor perceive of the relationship before occasion noise (0-1 scale, with the
// rater's leniency): youths weigh the bond most, mentors the work on goals and tasks.
inline double youth_view_of(const ModelParams& p, const Group& g, int bed) {
  return p.youth_view_bond * g.bond[bed] + p.youth_view_goals * g.goals[bed] +
         p.youth_view_tasks * g.tasks[bed] + g.leniency_youth[bed];
}
inline double mentor_view_of(const ModelParams& p, const Group& g, int bed) {
  return p.mentor_view_bond * g.bond[bed] + p.mentor_view_goals * g.goals[bed] +
         p.mentor_view_tasks * g.tasks[bed] + g.leniency_mentor[bed];
}
inline double skill_of(const ModelParams& p, const Group& g, int slot) {
  return g.mentors.skill[slot] + (p.alliance_training ? p.training_skill_gain : 0.0);
}
inline double push_of(const ModelParams& p, const Group& g, int slot) {
  return g.mentors.push[slot] - (p.alliance_training ? p.training_push_reduction : 0.0);
}
// Newcomer (first-impression) level of a youth's alliance, before any contact.
// Set by draw_pair from alliance.initial, the youth's propensity and the pair's fit.
inline double newcomer_level(const Group& g, int bed) { return g.newcomer[bed]; }
void record_event(const DayContext& ctx, const Group& g, int bed, EventKind kind, int staff,
                  float value);
int staff_id(const Group& g, int slot);

// models/processes/admission.cpp
void admit_youth(const DayContext& ctx, Group& g, int bed, const Referral& r, int admit_day,
                 int cohort_index);
// Draws the fit of a youth with their current mentor and that mentor's rating leniency.
void draw_pair(const DayContext& ctx, Group& g, int bed);
// models/processes/staffing.cpp: shifts, sick leave, turnover, understaffing, stress
void init_mentors(const DayContext& ctx, Group& g);
void update_staffing(const DayContext& ctx, Group& g);
// models/processes/contact.cpp
void draw_youth_day(const DayContext& ctx, const Group& g, DayDraws& draws);
void update_contact(const DayContext& ctx, Group& g, const DayDraws& draws);
// models/processes/incidents.cpp
void update_incidents(const DayContext& ctx, Group& g, const DayDraws& draws);
// models/processes/peers.cpp
void update_peers(const DayContext& ctx, Group& g);
// models/processes/rupture.cpp
void update_ruptures(const DayContext& ctx, Group& g, const DayDraws& draws);
// models/processes/alliance.cpp
void update_alliance(const DayContext& ctx, Group& g);
// models/processes/motivation.cpp
void update_motivation(const DayContext& ctx, Group& g);
// models/processes/parents.cpp
void update_parents(const DayContext& ctx, Group& g);
// models/processes/problems.cpp
void update_problems(const DayContext& ctx, Group& g);
// models/processes/mentor_change.cpp
void change_mentor(const DayContext& ctx, Group& g, int bed, int new_slot, int reason);
int least_loaded_slot(const Group& g, int excluded_slot);
void update_switch_requests(const DayContext& ctx, Group& g);
// models/processes/measurement.cpp: waves, daily series, end of follow-up
void measure_youths(const DayContext& ctx, Group& g);
void record_group_day(const DayContext& ctx, const Group& g, int groups);
// models/processes/exits.cpp: returns the number of beds freed
int update_exits(const DayContext& ctx, Group& g, const DayDraws& draws);
void init_exit_hazards(const ModelParams& p, Group& g);
void close_follow_up(const DayContext& ctx, Group& g, int bed, int exit_reason, int exit_day);
// models/processes/climate.cpp
void update_climate(const DayContext& ctx, Group& g);

}  // namespace asim
