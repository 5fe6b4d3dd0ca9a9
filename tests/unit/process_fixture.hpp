// A small institution for unit tests of the daily processes: one tile of living groups (one by
// default), laid out, staffed and filled as models/simulation.cpp does it, whose schedule steps
// (models/schedule.hpp kDailySchedule) can be run one at a time by name on a chosen day, or
// all of them in order for whole days.
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "models/processes.hpp"
#include "models/schedule.hpp"

namespace asim::test {

class ProcessFixture {
 public:
  // `beds[i]` beds in the i-th group of the tile, whose replicate-wide group index is
  // `first_index + i`; the replicate has `replicate_groups` groups in all (the groups/daily
  // series is sized for them). Every group is open unless `setting` says otherwise.
  ProcessFixture(const ModelParams& params, std::vector<int> beds, int first_index = 0,
                 int replicate_groups = 0, int setting = kOpen)
      : p(params), rng(static_cast<std::uint32_t>(params.seed), 0), waves(params.wave_days) {
    const int count = static_cast<int>(beds.size());
    if (count < 1) throw std::invalid_argument("ProcessFixture: at least one group");
    const int G = std::max(replicate_groups, first_index + count);
    // As Model::run_replicate sizes a replicate's result (models/simulation.cpp).
    out.cohort = kCohortPerGroup * G;
    out.waves = static_cast<int>(waves.size());
    out.follow_up_days = waves.back() + 1;
    out.groups = G;
    const auto N = static_cast<std::size_t>(out.cohort);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (auto& v : out.wave_values) v.assign(N * waves.size(), nan);
    options.daily.fill(true);
    for (auto& v : out.daily_values)
      v.assign(N * static_cast<std::size_t>(out.follow_up_days), nan);
    for (auto& v : out.static_values) v.assign(N, std::numeric_limits<double>::quiet_NaN());
    for (auto& v : out.outcome_values) v.assign(N, std::numeric_limits<double>::quiet_NaN());
    // The groups, their mentor slots and the tile, as ReplicateRun's constructor lays them out.
    groups.resize(static_cast<std::size_t>(count));
    events.resize(static_cast<std::size_t>(count));
    day_events.resize(static_cast<std::size_t>(count));
    admitted.assign(static_cast<std::size_t>(count), 0);
    std::vector<int> slots(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
      Group& g = groups[i];
      g.index = first_index + i;
      g.setting = setting;
      g.mech = p.setting(setting);
      g.beds = beds[i];
      slots[i] = std::min(64, std::max(2, static_cast<int>(std::ceil(g.beds / p.caseload))));
    }
    tile.layout(groups.data(), count, slots.data());
    for (int i = 0; i < count; ++i) {
      Group& g = groups[i];
      g.support = static_cast<float>(p.support_base);
      g.growth = clamp01(p.growth_base - g.mech.growth_restriction);
      g.atmosphere = static_cast<float>(p.atmosphere_base);
      g.repression = static_cast<float>(g.mech.repression_base);
      g.team_climate = static_cast<float>(p.initial_climate);
      init_mentors(group_context(i, 0), g);
      init_exit_hazards(p, g);
    }
    // The mentors' stress caches, which update_staffing refreshes at the start of every day
    // (init_mentors leaves them 0): as the staffing step leaves them, so that a step run alone
    // sees what it sees after staffing in a whole day.
    for (std::size_t s = 0; s < tile.mentors.size(); ++s) {
      tile.mentors.stress_factor[s] =
          static_cast<float>(model_exp(p.rupture_stress * tile.mentors.stress[s]));
      tile.mentors.exp_stress[s] =
          static_cast<float>(model_exp(p.w_stress * tile.mentors.stress[s]));
    }
    draws.resize(tile.beds, tile.group_count, static_cast<int>(tile.mentors.size()));
    draws.resize_pairs(static_cast<int>(tile.pairs.size()));
  }
  ProcessFixture(const ProcessFixture&) = delete;
  ProcessFixture& operator=(const ProcessFixture&) = delete;

  Group& group(int i = 0) { return groups[static_cast<std::size_t>(i)]; }

  // Fills every free bed of every group on `day` with the group's next referral: the k-th youth
  // of the group with index gi is intake index gi * kIntakePerGroup + k, and (when `tracked`)
  // cohort index gi * kCohortPerGroup + k, so a group meets the same youths wherever it is laid
  // out. Admitted on `day` itself (a tracked youth's day 0 is `day`).
  void admit_all(int day, bool tracked = true) { fill_free_beds(day, tracked, false); }
  // The same youths, placed on the tile's list of waiting admissions (Tile::admissions) as
  // ReplicateRun::step_day places them; the schedule's "admit" step admits them.
  void queue_all(int day, bool tracked = true) { fill_free_beds(day, tracked, true); }

  // One step of the day's schedule, alone, by its name in kDailySchedule; throws on a name
  // that is not there.
  void run(std::string_view name, int day) {
    for (const ProcessStep& step : kDailySchedule)
      if (step.name == name) {
        run_step(step, day);
        return;
      }
    throw std::invalid_argument("no step '" + std::string(name) + "' in kDailySchedule");
  }

  // Every step of the schedule, in order, for days [first, last]; free beds are filled each day
  // before the steps run, as ReplicateRun::step_day does.
  void run_days(int first, int last, bool refill = true) {
    for (int day = first; day <= last; ++day) {
      if (refill) admit_all(day);
      for (const ProcessStep& step : kDailySchedule) run_step(step, day);
    }
  }

  // The events the group with tile index i has recorded so far, in order.
  const std::vector<Event>& events_of(int i = 0) const {
    return events[static_cast<std::size_t>(i)];
  }
  int count_events(EventKind kind, int i = 0) const {
    return static_cast<int>(std::count_if(events_of(i).begin(), events_of(i).end(),
                                          [&](const Event& e) { return e.kind == kind; }));
  }

  // The youth in bed b of group i: its cohort index (or -1).
  int cohort_of(int b, int i = 0) { return group(i).cohort[b]; }

  static constexpr int kCohortPerGroup = 256;
  static constexpr int kIntakePerGroup = 100000;

  ModelParams p;
  const Rng rng;
  const std::vector<int> waves;
  RunOptions options;
  ReplicateResult out;
  std::vector<Group> groups;  // never resized after layout: the tile points into it
  Tile tile;
  DayDraws draws;

 private:
  DayContext group_context(int i, int day) {
    return DayContext{p, rng, day, waves, options, out, day_events[static_cast<std::size_t>(i)]};
  }
  void fill_free_beds(int day, bool tracked, bool queue) {
    for (int i = 0; i < tile.group_count; ++i) {
      Group& g = group(i);
      for (int b = 0; b < g.beds; ++b) {
        if (g.occupied[b]) continue;
        const int k = admitted[static_cast<std::size_t>(i)]++;
        if (k >= kCohortPerGroup) throw std::runtime_error("ProcessFixture: cohort full");
        const Referral r = draw_referral(rng, p, g.index * kIntakePerGroup + k);
        const int cohort = tracked ? g.index * kCohortPerGroup + k : -1;
        if (queue)
          tile.admissions.push_back(WaitingAdmission{i, b, day, cohort, r});
        else
          admit_youth(group_context(i, day), g, b, r, day, cohort);
      }
    }
    flush_events();
  }
  void run_step(const ProcessStep& step, int day) {
    // As step_day: the groups' daily series has a column for every day so far.
    if (options.group_series) {
      const std::size_t need =
          static_cast<std::size_t>(day + 1) * static_cast<std::size_t>(out.groups);
      for (auto& v : out.group_values)
        if (v.size() < need) v.resize(need, std::numeric_limits<float>::quiet_NaN());
    }
    const TileContext ctx{p, rng, day, waves, options, out, day_events.data(), draws};
    step.run(ctx, tile);
    flush_events();
  }
  void flush_events() {
    for (std::size_t i = 0; i < day_events.size(); ++i) {
      events[i].insert(events[i].end(), day_events[i].begin(), day_events[i].end());
      day_events[i].clear();
    }
  }
  std::vector<std::vector<Event>> events, day_events;
  std::vector<int> admitted;
};

}  // namespace asim::test
