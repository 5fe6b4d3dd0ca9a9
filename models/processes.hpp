// The daily processes of the model, one file each under models/processes/: kernels over one
// tile of living groups for one day, run in the order of models/schedule.hpp (docs/ODD.md §3).
#pragma once
#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "engine/det_math.hpp"
#include "models/results.hpp"
#include "models/state.hpp"

namespace asim {

// One event of the one event stream: what record_event records, for every youth (tracked or
// not) and for the staff, with where it happened. The result file's events table holds the
// same events of the tracked cohort and the staff, in the same order (Event, models/results.hpp).
struct StreamEvent {
  Event event;            // as the events table holds it: youth is the cohort index, -1 if none
  std::int32_t group;     // living group (GroupValues::index)
  std::int32_t bed;       // bed within the group, -1 for staff events
  std::int32_t youth_id;  // intake index in the referral stream, -1 for staff events
};

struct RunOptions {
  std::array<bool, kDailyVarCount> daily{};  // youth/daily variables to record
  // groups/daily (each living group's daily series) in the result file; off for a lean file
  // (`run` by default: `--group-series`), which keeps the waves, outcomes and events.
  bool group_series = true;
  int group_grain = 0;  // living groups per tile (a parallel task); 0 chooses about 512 beds
  // The first residents arrive on day 0, as in a group that opens (classroom mode), instead of
  // being part-way through their stay as in an institution at steady state (every run).
  bool new_group = false;
  // Readers of the whole event stream (classroom mode's live log, models/classroom.cpp): when
  // set, record_event also appends every event, of tracked youths or not, to
  // (*event_stream)[group index]. The caller sizes it to the group count and empties it between
  // days; each group's vector is written only by its own tile's task. Changes no result.
  std::vector<std::vector<StreamEvent>>* event_stream = nullptr;
  // Knock-out measurement only (bench_throughput --skip): bit i set leaves step i of the day's
  // schedule (models/schedule.hpp) out, so that the time saved is what the step costs. The
  // results of such a run mean nothing (and without the peers' step the admissions' lists of
  // new pairs are never emptied).
  std::uint32_t skipped_steps = 0;
};

// Per-tile scratch for the day: four uniforms per bed from one Philox call, and per-group
// values the kernels compute once per group and read per bed (indexed by the tile group).
struct DayDraws {
  std::vector<double> contact, rupture, incident, exit;
  std::vector<std::uint32_t> day_index;   // the counter's day word per bed (days since admission)
  std::vector<std::int32_t> reason, due;  // per bed: a kernel's codes and flags (exits.cpp)
  std::vector<double> bed_values;         // per bed: a kernel's own use (alliance, climate)
  std::vector<std::int32_t> bed_flags;    // per bed: a kernel's own use (exits.cpp)
  // per bed: four arrays for a kernel's own use, e.g. the uniforms of its own Philox batch (a
  // module's own purpose), or the alliance kernel's group factors
  std::array<std::vector<double>, 4> bed_uniforms;
  std::vector<double> group_a, group_b, group_c;  // per tile group, each kernel's own use
  std::vector<double> group_quad;                 // 4 per group
  std::vector<std::uint64_t> group_masks;         // per tile group, a kernel's own use (peers.cpp)
  // per tile group: the climate kernel's columns of the groups' values (climate.cpp)
  std::vector<std::int32_t> climate_ints;
  std::vector<float> climate_floats;
  std::vector<double> climate_doubles;
  // The peers' familiarity by days together (peers.cpp), for acquaint_days: one table per
  // thread, which stays in cache for every tile.
  std::vector<double> familiarity;
  double familiarity_days = -1;  // none built yet
  // per bed and 16 more (a group's 16 lanes from its first bed): the peers' friend sums
  std::vector<std::uint32_t> lane_bits;
  std::vector<float> lane_a, lane_b;
  std::array<std::vector<double>, 4> staff;  // per tile slot: the staff day's uniforms
  std::vector<std::uint32_t> counter_day;    // the day word, per slot or group
  std::vector<std::int32_t> counter_slot;    // per tile slot: a kernel's flags (staffing.cpp)
  // Per pair of the tile (models/processes/peers.cpp): the list of the day's pairs, their
  // counter words and their two uniforms (the change, the wait to the next candidate day).
  std::vector<std::int32_t> pair_list, pair_beds;  // pair_beds: two per listed pair
  std::vector<std::uint32_t> pair_c0, pair_c1;
  std::vector<double> pair_change, pair_wait;
  void resize_pairs(int pairs) {
    pair_list.assign(pairs + 1, 0);  // collect_due writes one past its last entry
    pair_beds.assign(2 * static_cast<std::size_t>(pairs), 0);
    for (auto* v : {&pair_c0, &pair_c1}) v->assign(pairs, 0);
    // room for the padding of a log over the listed pairs (peers.cpp, log_in_place)
    for (auto* v : {&pair_change, &pair_wait}) v->assign(pairs + 8, 0);
  }
  void resize(int beds, int groups, int slots) {
    for (auto& v : staff) v.assign(slots, 0);
    counter_day.assign(std::max(slots, groups), 0);
    counter_slot.assign(slots, 0);
    reason.assign(beds, 0);
    due.assign(beds, 0);
    bed_values.assign(beds, 0);
    bed_flags.assign(beds, 0);
    for (auto& v : bed_uniforms) v.assign(beds, 0);
    day_index.assign(beds, 0);
    contact.assign(beds, 0);
    rupture.assign(beds, 0);
    incident.assign(beds, 0);
    exit.assign(beds, 0);
    group_a.assign(groups, 0);
    group_b.assign(groups, 0);
    group_c.assign(groups, 0);
    group_quad.assign(4 * static_cast<std::size_t>(groups), 0);
    group_masks.assign(groups, 0);
    lane_bits.assign(beds + 16, 0);
    lane_a.assign(beds + 16, 0);
    lane_b.assign(beds + 16, 0);
  }
};

// What every process of one group-day may read and where it records.
struct DayContext {
  const ModelParams& p;
  const Rng& rng;
  int day;                            // simulation day
  const std::vector<int>& wave_days;  // days since admission of the waves, increasing
  const RunOptions& options;
  ReplicateResult& out;        // cohort rows of distinct youths: written by one group only
  std::vector<Event>& events;  // this group's event buffer for the day
  // This group's buffer of the day's wave ego networks (measurement.cpp); none: not recorded.
  std::vector<PeerEdge>* edges = nullptr;
};

// What a kernel over one tile-day may read and where it records: the group contexts' fields,
// the events of each of the tile's groups, and the tile's scratch.
struct TileContext {
  const ModelParams& p;
  const Rng& rng;
  int day;
  const std::vector<int>& wave_days;
  const RunOptions& options;
  ReplicateResult& out;
  std::vector<Event>* events;  // [tile group]: each group's event buffer for the day
  DayDraws& draws;
  std::vector<PeerEdge>* edges = nullptr;  // [tile group]: each group's ego-network buffer
  DayContext group(int i) const {
    return DayContext{p, rng, day, wave_days, options, out, events[i], edges ? &edges[i] : nullptr};
  }
};

// Per-bed loops written without branches (every bed computed, empty beds keep their values
// through a select) are compiled for x86-64-v4 (AVX-512 with its VL, BW and DQ parts: masked
// 256-bit operations, 2 % faster than a clone for AVX-512F alone, bench/README.md), AVX2 and
// baseline x86-64, and the loader picks one (function multiversioning). models/CMakeLists.txt
// compiles the model with -ffp-contract=off, so no clone fuses a multiply and an add: all give
// identical results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#if __GNUC__ >= 12
#define ASIM_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else  // GCC before 12 knows no "arch=x86-64-v4" clone
#define ASIM_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define ASIM_VECTOR_CLONES
#endif

// Before a kernel's loop over beds: each iteration reads and writes only its own bed's state
// (and reads the mentors' and groups' values, which the loop does not write), so the vectoriser
// may take the iterations together even where it cannot prove that the arrays do not overlap
// (the gathers of mentor and group values).
// (GCC only: clang, which builds the fuzz targets, would warn wherever a forced vectorisation
// fails, and these builds need no speed.)
#if defined(__GNUC__) && !defined(__clang__)
#define ASIM_BEDS_INDEPENDENT _Pragma("GCC ivdep")
#else
#define ASIM_BEDS_INDEPENDENT
#endif

// x < 0 ? 0 : (x > 1 ? 1 : x), NaN and -0 included, in the branch-free form vectorisers take.
inline float clamp01(double x) {
  return static_cast<float>(std::min(std::max(x, 0.0), 1.0));
}
// A 0-1 view as a rating on a 1-5 scale (clamped).
inline float scale_1_5(double x) {
  return 1.0f + 4.0f * clamp01(x);
}
inline double logistic(double x) {
  return 1.0 / (1.0 + model_exp(-x));
}
inline int day_since_admission(const Group& g, int bed, int day) {
  return day - g.admit_day[bed];
}
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
inline double newcomer_level(const Group& g, int bed) {
  return g.newcomer[bed];
}
// The one place an event is recorded (bed -1 for a staff event): into the group's buffer for
// the result file when the youth is tracked or it is a staff event, and into
// RunOptions::event_stream, when set, always. Call it for every youth, tracked or not.
void record_event(const DayContext& ctx, const Group& g, int bed, EventKind kind, int staff,
                  float value);
// The same for the youth in bed `tile_bed` of a tile (of its group i), from the tile's arrays:
// kernels that record few events from many groups need not read the groups' objects.
void record_event(const TileContext& ctx, const Tile& t, int i, int tile_bed, EventKind kind,
                  int staff, float value);
int staff_id(const Group& g, int slot);
int staff_id(const Tile& t, int i, int tile_slot);  // the worker in a tile's slot (of group i)

// models/processes/admission.cpp
// Admits the referral to `bed`: the core's per-bed fields, then every module's admit hook.
void admit_youth(const DayContext& ctx, Group& g, int bed, const Referral& r, int admit_day,
                 int cohort_index);
// Draws the fit of a youth with their current mentor and that mentor's rating leniency.
void draw_pair(const DayContext& ctx, Group& g, int bed);
// The daily processes, each a module with its own header (models/processes/<name>.hpp, included
// by models/schedule.hpp): kernels over one tile's beds for one day, run in the order of the
// schedule. Kernels that act per group (staffing, climate, the group's daily series) loop over
// the tile's groups.

// The tile-group index i of tile bed tb and its bed within the group.
inline int group_bed(const Tile& t, int tb) {
  return tb - t.bed_offset[t.tile_group[tb]];
}

}  // namespace asim
