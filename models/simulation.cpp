// The daily schedule of one replicate (docs/ODD.md, "Process overview and scheduling") and the
// parallel driver over replicates.
#include "models/simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "engine/errors.hpp"
#include "engine/tsan_sync.hpp"
#include "models/processes.hpp"
#include "models/schedule.hpp"

namespace asim {

namespace {

// Waiting lists per setting fed by one referral stream: the k-th referral is the same youth in
// every scenario with the same seed, wherever a policy places them.
class Referrals {
 public:
  Referrals(const Rng& rng, const ModelParams& p, std::array<bool, 2> setting_has_beds)
      : rng_(rng), p_(p), has_beds_(setting_has_beds) {}
  Referral next(int setting) {
    for (int tries = 0; waiting_[setting].empty(); ++tries) {
      if (tries > 1000000)
        throw RuntimeFailure("a million referrals in a row found no youth for " +
                             std::string(setting == kClosed ? "closed" : "open") +
                             " care; check the placement.* parameters");
      draw();
    }
    const Referral r = waiting_[setting].front();
    waiting_[setting].pop_front();
    return r;
  }

  // The first youth waiting for `setting` whose profile is externalising (externalising = true)
  // or not (false). While none waits, further referrals are drawn onto the waiting lists, but at
  // most kMatchDraws of them and only while the setting's list holds fewer than `cap` youths:
  // past either bound the bed takes the next in line (next), so that a designation the referral
  // stream cannot match does not make the lists grow without bound.
  Referral next_matching(int setting, bool externalising, std::size_t cap) {
    std::deque<Referral>& list = waiting_[setting];
    std::size_t from = 0;  // youths before this position were checked already
    for (int draws = 0;; ++draws) {
      for (; from < list.size(); ++from)
        if ((list[from].profile == kExternalising) == externalising) {
          const Referral r = list[from];
          list.erase(list.begin() + static_cast<std::ptrdiff_t>(from));
          return r;
        }
      if (draws >= kMatchDraws || list.size() >= cap) return next(setting);
      draw();
    }
  }

 private:
  static constexpr int kMatchDraws = 1000;
  // The next referral of the stream joins the waiting list of its setting.
  void draw() {
    // Intake indices travel as float event values (a peer's partner, models/results.hpp).
    if (next_index_ >= (1 << 24))
      throw RuntimeFailure(
          "more than 16 777 216 referrals in one replicate; use fewer groups or a shorter run");
    const Referral r = draw_referral(rng_, p_, next_index_++);
    const bool closed = r.closed_indicated && !(r.move_u < p_.closed_to_open);
    const int s = closed ? kClosed : kOpen;
    if (has_beds_[s]) waiting_[s].push_back(r);  // kept whole: drawn once
  }

  const Rng& rng_;
  const ModelParams& p_;
  std::array<bool, 2> has_beds_;
  std::array<std::deque<Referral>, 2> waiting_;
  std::int32_t next_index_ = 0;
};

// The expected share of externalising youths among the referrals that join the waiting list of
// `setting`, from the referral stream's profile shares and the placement rules.
double externalising_share(const ModelParams& p, int setting) {
  const double to_closed = 1.0 - p.closed_to_open;
  const double ext_closed = p.closed_indication_externalising * to_closed;
  const double other_closed = p.closed_indication_other * to_closed;
  const double ext = p.p_externalising * (setting == kClosed ? ext_closed : 1.0 - ext_closed);
  const double other =
      (1.0 - p.p_externalising) * (setting == kClosed ? other_closed : 1.0 - other_closed);
  return ext + other > 0 ? ext / (ext + other) : 0.0;
}

}  // namespace

Model::Model(const ModelParams& p) : p_(p) {
  auto fail = [](const std::string& msg) { throw ConfigError(msg); };
  if (p.open_groups + p.closed_groups < 1)
    fail("institution.open_groups + institution.closed_groups must be at least 1");
  if (p.wave_days.empty()) fail("waves.days = [] must list at least one wave day");
  for (std::size_t w = 0; w < p.wave_days.size(); ++w)
    if (p.wave_days[w] < 1 || (w > 0 && p.wave_days[w] <= p.wave_days[w - 1]))
      fail(
          "waves.days must be whole days since admission, at least 1 and strictly increasing "
          "(wave " +
          std::to_string(w + 1) + " is day " + std::to_string(p.wave_days[w]) + ")");
  if (p.p_externalising + p.p_internalising > 1.0 + 1e-12)
    fail("youth.p_externalising + youth.p_internalising must not exceed 1");
  if (p.age_min > p.age_max) fail("youth.age_min must not exceed youth.age_max");
  if (p.group_size - p.group_size_spread < 2)
    fail("group.size - group.size_spread must leave at least 2 beds");
  if (p.group_size + p.group_size_spread > 64)  // the peers' bit masks (models/state.hpp)
    fail("group.size + group.size_spread must not exceed 64 beds");
  // Somebody must be placeable: open beds take open-indicated youths (and closed-indicated ones
  // moved by placement.closed_to_open); closed beds take closed-indicated youths.
  const bool anyone_open = p.closed_indication_externalising < 1 || p.closed_indication_other < 1 ||
                           p.closed_to_open > 0;
  const bool anyone_closed =
      (p.closed_indication_externalising > 0 || p.closed_indication_other > 0) &&
      p.closed_to_open < 1;
  if (p.open_groups > 0 && !anyone_open)
    fail(
        "open groups exist but every referral goes to closed care (placement.closed_indication_* = "
        "1 "
        "and placement.closed_to_open = 0)");
  if (p.closed_groups > 0 && !anyone_closed)
    fail(
        "closed groups exist but no referral is indicated for closed care "
        "(placement.closed_indication_* "
        "= 0 or placement.closed_to_open = 1)");
}

// The state of one replicate between days. Not movable: the referral stream refers to the
// parameters and generator held here.
struct ReplicateRun::State {
  State(const Model& model, int replicate, const RunOptions& run_options)
      : p(model.params()),
        rng(static_cast<std::uint32_t>(p.seed), static_cast<std::uint32_t>(replicate)),
        G(model.group_count()),
        waves(model.wave_days()),
        options(run_options),
        referrals(rng, p, {p.open_groups > 0, p.closed_groups > 0}),
        tracking_start(std::max(p.burn_in_days, 1)) {}
  const ModelParams& p;
  const Rng rng;
  const int G;
  const std::vector<int> waves;
  const RunOptions options;
  ReplicateResult out;
  std::vector<Group> groups;
  std::vector<Tile> tiles;  // consecutive groups laid out together (models/state.hpp)
  int groups_per_tile = 1;  // every tile's but perhaps the last: group gi is in tile gi / this
  int max_tile_beds = 0, max_tile_groups = 0, max_tile_slots = 0,
      max_tile_pairs = 0;  // a thread's DayDraws scratch
  std::vector<std::vector<Event>> group_events;
  std::vector<std::vector<PeerEdge>> group_edges;  // each group's wave ego networks of the day
  Referrals referrals;
  // placement.concentrate_externalising: 1 for the groups designated for externalising youths
  std::vector<std::int8_t> intensive;
  std::array<std::size_t, 2> setting_beds{};  // beds per setting: the matching search's list cap
  int cohort_admitted = 0;
  const int tracking_start;
  int day = 0;
};

ReplicateRun::ReplicateRun(const Model& model, int replicate, const RunOptions& options,
                           ReplicateResult storage)
    : s_(std::make_unique<State>(model, replicate, options)) {
  State& s = *s_;
  const ModelParams& p = s.p;
  const Rng& rng = s.rng;
  const int G = s.G;
  const auto& waves = s.waves;
  ReplicateResult& out = s.out;
  // A reused result keeps its buffers' capacity; every field is set or emptied below.
  out = std::move(storage);
  out.youth_days = 0;
  out.days = 0;
  for (auto& v : out.daily_values) v.clear();
  for (auto& v : out.group_values) v.clear();
  out.events.clear();
  out.peer_edges.clear();
  out.chunks.clear();
  out.replicate = replicate;
  out.cohort = p.cohort_size;
  out.waves = static_cast<int>(waves.size());
  out.follow_up_days = model.follow_up_days();
  out.groups = G;
  if (options.event_stream && options.event_stream->size() != static_cast<std::size_t>(G))
    throw std::invalid_argument("RunOptions::event_stream must hold one event list per group");
  const std::size_t N = static_cast<std::size_t>(p.cohort_size);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (auto& v : out.wave_values) v.assign(N * waves.size(), nan);
  for (int v = 0; v < kDailyVarCount; ++v)
    if (options.daily[static_cast<std::size_t>(v)])
      out.daily_values[v].assign(N * out.follow_up_days, nan);
  for (auto& v : out.static_values) v.assign(N, std::numeric_limits<double>::quiet_NaN());
  for (auto& v : out.outcome_values) v.assign(N, std::numeric_limits<double>::quiet_NaN());

  std::vector<Group>& groups = s.groups;
  groups.resize(static_cast<std::size_t>(G));
  std::vector<std::vector<Event>>& group_events = s.group_events;
  group_events.resize(groups.size());
  s.group_edges.resize(groups.size());
  std::vector<int> slots(static_cast<std::size_t>(G));
  int all_beds = 0;
  for (int gi = 0; gi < G; ++gi) {
    Group& g = groups[gi];
    g.index = gi;
    g.setting = gi < p.open_groups ? kOpen : kClosed;
    g.mech = p.setting(g.setting);
    const auto u = rng.uniforms(group_entity(gi), 0, kPurposeGroupTraits);
    const int spread = p.group_size_spread;
    g.beds = p.group_size - spread + static_cast<int>(u[0] * (2 * spread + 1));
    slots[gi] = std::min(64, std::max(2, static_cast<int>(std::ceil(g.beds / p.caseload))));
    all_beds += g.beds;
    s.setting_beds[static_cast<std::size_t>(g.setting)] += static_cast<std::size_t>(g.beds);
  }
  // Composition (placement.concentrate_externalising): the first round(share * n) of a setting's
  // n groups are designated for externalising youths, where share is the expected externalising
  // share of the setting's referrals, so that the designated beds roughly match the flow.
  s.intensive.assign(static_cast<std::size_t>(G), 0);
  for (int setting : {kOpen, kClosed}) {
    const int first = setting == kOpen ? 0 : p.open_groups;
    const int n = setting == kOpen ? p.open_groups : p.closed_groups;
    const int designated =
        static_cast<int>(std::lround(externalising_share(p, setting) * static_cast<double>(n)));
    for (int gi = first; gi < first + designated; ++gi)
      s.intensive[static_cast<std::size_t>(gi)] = 1;
  }
  // Tiles of consecutive groups, about 512 beds each unless RunOptions::group_grain says how
  // many groups: they are the parallel tasks of a day, and no result depends on their size.
  const int per_tile = s.groups_per_tile =
      options.group_grain > 0 ? options.group_grain : std::max(1, 512 / std::max(1, all_beds / G));
  for (int first = 0; first < G; first += per_tile) {
    const int count = std::min(per_tile, G - first);
    Tile& t = s.tiles.emplace_back();
    t.layout(&groups[first], count, &slots[first]);
    s.max_tile_beds = std::max(s.max_tile_beds, t.beds);
    s.max_tile_groups = std::max(s.max_tile_groups, count);
    s.max_tile_slots = std::max(s.max_tile_slots, static_cast<int>(t.mentors.size()));
    s.max_tile_pairs = std::max(s.max_tile_pairs, static_cast<int>(t.pairs.size()));
  }
  for (int gi = 0; gi < G; ++gi) {
    Group& g = groups[gi];
    group_events[gi].reserve(256);
    g.support = static_cast<float>(p.support_base);
    g.growth = clamp01(p.growth_base - g.mech.growth_restriction);
    g.atmosphere = static_cast<float>(p.atmosphere_base);
    g.repression = static_cast<float>(g.mech.repression_base);
    g.team_climate = static_cast<float>(p.initial_climate);
    const DayContext ctx{p, rng, 0, waves, s.options, out, group_events[gi]};
    init_mentors(ctx, g);
    init_exit_hazards(p, g);
  }
}

ReplicateRun::~ReplicateRun() = default;

bool ReplicateRun::step_day() {
  State& s = *s_;
  const ModelParams& p = s.p;
  const Rng& rng = s.rng;
  const int G = s.G;
  const auto& waves = s.waves;
  const RunOptions& options = s.options;
  ReplicateResult& out = s.out;
  std::vector<Group>& groups = s.groups;
  std::vector<std::vector<Event>>& group_events = s.group_events;
  const int day = s.day;
  if (day >= kMaxSimulationDays)
    throw RuntimeFailure("the cohort of " + std::to_string(p.cohort_size) +
                         " youths was not complete after " + std::to_string(kMaxSimulationDays) +
                         " simulated days; use fewer youths or more groups");
  // Ordered phase: free beds are given youths from the waiting lists, group by group, bed by
  // bed; each tile admits its own at the start of its day (admit_waiting, the schedule's first
  // step), so that the admissions' writes to the groups' state run in parallel and in cache.
  int admitted = 0;
  for (int gi = 0; gi < G; ++gi) {
    Group& g = groups[gi];
    if (g.present == g.beds) continue;  // no free bed (most groups on most days)
    Tile& tile = s.tiles[static_cast<std::size_t>(gi / s.groups_per_tile)];
    for (int b = 0; b < g.beds; ++b) {
      if (g.occupied[b]) continue;
      // With chance placement.concentrate_externalising the bed takes the first waiting youth
      // whose profile matches the group's designation; otherwise the next in line.
      const double c = p.concentrate_externalising;
      const bool match =
          c > 0 && rng.uniforms(group_entity(gi), static_cast<std::uint32_t>(day),
                                kPurposePlacement, static_cast<std::uint32_t>(b / 4))[b % 4] < c;
      const Referral r =
          match ? s.referrals.next_matching(g.setting, s.intensive[static_cast<std::size_t>(gi)],
                                            std::max<std::size_t>(16, s.setting_beds[g.setting]))
                : s.referrals.next(g.setting);
      int admit_day = day;
      int cohort_index = -1;
      if (day == 0) {
        // Initial residents are part-way through their planned stay (unless the group opens
        // today, RunOptions::new_group) and never tracked.
        const double planned = g.mech.planned_stay_median * model_exp(p.stay_sigma * r.stay_z);
        if (!options.new_group)
          admit_day = -static_cast<int>(r.elapsed_u * std::max(0.0, planned - 1.0));
      } else if (day >= s.tracking_start && s.cohort_admitted < p.cohort_size) {
        cohort_index = s.cohort_admitted++;
      }
      tile.admissions.push_back(
          WaitingAdmission{gi % s.groups_per_tile, b, admit_day, cohort_index, r});
      ++admitted;
    }
  }
  if (options.group_series)
    for (auto& v : out.group_values) v.resize(static_cast<std::size_t>(day + 1) * G);
  // Parallel phase: each tile's day touches only its groups' state and their tracked youths.
  int youths = admitted;  // each fills a free bed
  for (const Group& g : groups) youths += g.occupancy();
  std::vector<Tile>& tiles = s.tiles;
  int tsan_sync = 0;  // see engine/tsan_sync.hpp
  auto step_range = [&](const tbb::blocked_range<std::size_t>& range) {
    // The day's draws of a tile are made and used within its step: one scratch per thread,
    // which stays in cache, serves every tile (draw_youth_day writes every bed's words).
    thread_local DayDraws draws;
    if (draws.contact.size() < static_cast<std::size_t>(s.max_tile_beds) ||
        draws.group_a.size() < static_cast<std::size_t>(s.max_tile_groups) ||
        draws.staff[0].size() < static_cast<std::size_t>(s.max_tile_slots))
      draws.resize(s.max_tile_beds, s.max_tile_groups, s.max_tile_slots);
    if (draws.pair_c0.size() < static_cast<std::size_t>(s.max_tile_pairs))
      draws.resize_pairs(s.max_tile_pairs);
    for (std::size_t ti = range.begin(); ti != range.end(); ++ti) {
      Tile& t = tiles[ti];
      const std::size_t first = static_cast<std::size_t>(t.groups[0].index);
      const TileContext ctx{
          p, rng, day, waves, options, out, &group_events[first], draws, &s.group_edges[first]};
      step_tile(ctx, t, options.skipped_steps);
    }
    tsan_release(&tsan_sync);
  };
  const tbb::blocked_range<std::size_t> all_tiles(0, tiles.size(), 1);
  if (tiles.size() == 1)
    step_range(all_tiles);  // one task: skip the scheduler
  else
    tbb::parallel_for(all_tiles, step_range);
  tsan_acquire(&tsan_sync);
  out.youth_days += youths;
  for (auto& e : group_events) {
    if (e.empty()) continue;  // most group-days record nothing
    out.events.insert(out.events.end(), e.begin(), e.end());
    e.clear();
  }
  for (auto& e : s.group_edges) {
    if (e.empty()) continue;
    out.peer_edges.insert(out.peer_edges.end(), e.begin(), e.end());
    e.clear();
  }
  s.day = day + 1;
  out.days = s.day;
  // The run ends once the whole cohort has been admitted and none of it is followed any more.
  auto anyone_tracked = [&] {
    for (const Group& g : groups)
      for (int b = 0; b < g.beds; ++b)
        if (g.occupied[b] && g.cohort[b] >= 0) return true;
    return false;
  };
  return s.cohort_admitted == p.cohort_size && !anyone_tracked();
}

int ReplicateRun::day() const {
  return s_->day;
}
const std::vector<Group>& ReplicateRun::groups() const {
  return s_->groups;
}
const ReplicateResult& ReplicateRun::result() const {
  return s_->out;
}
ReplicateResult ReplicateRun::take_result() {
  return std::move(s_->out);
}

ReplicateResult Model::run_replicate(int replicate, const RunOptions& options,
                                     ReplicateResult storage) const {
  ReplicateRun run(*this, replicate, options, std::move(storage));
  while (!run.step_day()) {
  }
  return run.take_result();
}

bool run_replicates(const Model& model, const RunOptions& options, int first, int count,
                    const std::function<void(ReplicateResult&&)>& sink,
                    const std::function<bool()>& stop,
                    const std::function<void(ReplicateResult&)>& finish) {
  // Replicates run concurrently here; one event stream would be written by all of them.
  if (options.event_stream)
    throw std::invalid_argument("run_replicates: RunOptions::event_stream is for one replicate");
  int next = first;
  const int end = first + count;
  bool stopped = false;
  const auto tokens = static_cast<std::size_t>(2 * tbb::this_task_arena::max_concurrency());
  int tsan_sync = 0;  // see engine/tsan_sync.hpp: each filter body acquires and releases it
  // Results handed over are kept (at most one per thread) and their buffers reused by later
  // replicates: the uncompressed result buffers are not mapped and zeroed afresh for each
  // replicate, nor freed by the writer's thread (bench/README.md, "Result buffers reused").
  // A sink that moves the result out leaves an empty one: nothing to reuse, nothing wrong.
  const auto spare_limit = static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  std::mutex spare_mutex;
  std::vector<ReplicateResult> spare;
  spare.reserve(spare_limit);
  tbb::parallel_pipeline(
      tokens, tbb::make_filter<void, int>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& fc) -> int {
                                            tsan_acquire(&tsan_sync);
                                            if (next >= end || (stop && stop())) {
                                              stopped = next < end;
                                              fc.stop();
                                              tsan_release(&tsan_sync);
                                              return 0;
                                            }
                                            const int replicate = next++;
                                            tsan_release(&tsan_sync);
                                            return replicate;
                                          }) &
                  tbb::make_filter<int, std::shared_ptr<ReplicateResult>>(
                      tbb::filter_mode::parallel,
                      [&](int replicate) {
                        tsan_acquire(&tsan_sync);
                        ReplicateResult storage;
                        {
                          const std::lock_guard<std::mutex> lock(spare_mutex);
                          if (!spare.empty()) {
                            storage = std::move(spare.back());
                            spare.pop_back();
                          }
                        }
                        auto result = std::make_shared<ReplicateResult>(
                            model.run_replicate(replicate, options, std::move(storage)));
                        if (finish) finish(*result);
                        tsan_release(&tsan_sync);
                        return result;
                      }) &
                  tbb::make_filter<std::shared_ptr<ReplicateResult>, void>(
                      tbb::filter_mode::serial_in_order, [&](std::shared_ptr<ReplicateResult> r) {
                        tsan_acquire(&tsan_sync);
                        sink(std::move(*r));
                        r->chunks.clear();  // compressed data is not reused
                        {
                          const std::lock_guard<std::mutex> lock(spare_mutex);
                          if (spare.size() < spare_limit) spare.push_back(std::move(*r));
                        }
                        tsan_release(&tsan_sync);
                      }));
  tsan_acquire(&tsan_sync);
  return !stopped;
}

}  // namespace asim
