// Peers as agents (mesosystem; docs/evidence.md §7, docs/ODD.md 7.5). The youths of a living
// group are tied to each other by friendship and by conflict (quarrels, bullying), ties that form
// and dissolve day by day:
// - a friendship forms between two youths who know each other (familiarity grows over the weeks
//   they spend together, so a newcomer starts without ties and integrates) and forms more readily
//   between youths alike in problem profile, age and problem level (homophily);
// - a conflict forms more readily on a day either youth had an incident and between
//   externalising youths, and ends a friendship; both kinds of tie end at their own rates, and
//   every tie ends when either youth leaves.
// The network then acts through named mechanisms, each with its parameters:
// - standing among peers (peer_standing) follows the youth's friends and conflicts and the
//   group's atmosphere, and drops with the youth's incidents; poor standing raises drop-out
//   (exits.cpp);
// - deviancy training pulls problems toward friends' higher problems, more so when supervision
//   is thin (problems.cpp); positive peer influence pulls motivation toward friends'
//   (motivation.cpp); policy.peer_culture damps the first and strengthens the second;
// - conflicts raise and a friend in the group lowers the absconding hazard, and a friend's
//   absconding raises it for a few days (running away together; exits.cpp sets the window).
// A pair's ties change only on its candidate days (thinning: docs/ODD.md 7.5), whose draws are
// one Philox counter keyed by the two youths' intake indices and the day, so the same two
// youths meet the same chances in every scenario (common random numbers).
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <limits>

#include "engine/philox_batch.hpp"
#include "models/processes.hpp"

namespace asim {

namespace {

// Up to this many friends or conflicts count for standing and absconding (a youth's close
// circle; more ties add nothing).
constexpr int kCountedTies = 3;
// The pair counters' last words: the purpose with a tag bit, a draw number that no stream
// (StreamEngine) reaches, so that no other counter equals a pair's. A candidate day's draws
// (and a new pair's first candidate day) use the first, an incident day's extra conflict draw
// the second.
constexpr std::uint32_t kPairWord = 0x40000000u | kPurposePeerPair;
constexpr std::uint32_t kIncidentWord = 0x40000000u | (1u << 16) | kPurposePeerPair;
// A pair with no candidate day to come (a bed is empty, or its state cannot change).
constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();
// A pair listed in its group's joined_pairs, its first candidate day not yet drawn.
constexpr std::int32_t kJoining = kNever - 1;
// Waiting times beyond this many days are never reached (stays are far shorter).
constexpr double kHorizon = 1 << 20;
// A pair's state, indexing the tables below.
enum TieState : int { kNoTie = 0, kFriendTie = 1, kConflictTie = 2 };

// 1.0 / n for the n friends of a youth (at most 63): the same bits as the division.
constexpr std::array<double, 64> kInverse = [] {
  std::array<double, 64> v{};
  for (int n = 1; n < 64; ++n) v[static_cast<std::size_t>(n)] = 1.0 / n;
  return v;
}();

// 16 lanes of floats and of unsigned integers, 8 of integers (GCC's vector extensions: the same
// lane-wise operations in every instruction set).
using F16 = float __attribute__((vector_size(64)));
using U16 = std::uint32_t __attribute__((vector_size(64)));
using I16 = std::int32_t __attribute__((vector_size(64)));
using U8 = std::uint32_t __attribute__((vector_size(32)));
using I8 = std::int32_t __attribute__((vector_size(32)));

// The lanes' indices.
constexpr I16 kLaneIndex = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// A bed's bit in the masks of its group's beds.
inline std::uint64_t bit(int bed) {
  return std::uint64_t{1} << bed;
}

// The index of the pair of beds a < b among a group's n beds (the order of models/tile.cpp).
inline int pair_index(int n, int a, int b) {
  return a * (2 * n - a - 1) / 2 + (b - a - 1);
}

// The conflict hazard (a daily probability, at most 1) with i incidents of the pair today and
// e externalising youths in it.
inline double conflict_hazard(const ModelParams& p, int i, int e) {
  return std::min(
      1.0, p.conflict_rate * model_exp(p.conflict_incident * i + p.conflict_externalising * e));
}

// The daily chance of a candidate day for a pair in a state, with e externalising youths: it
// bounds the chance of every change of the state (thinning; docs/ODD.md 7.5). Without a tie a
// conflict (its hazard without incidents) or a friendship (at most peers.friend_rate: the
// familiarity and the similarity factor are at most 1) may form; a friendship ends, or a
// conflict ends it; a conflict ends.
inline double candidate_rate(const ModelParams& p, int state, int e) {
  const double h = conflict_hazard(p, 0, e);
  const double rate = state == kNoTie       ? p.friend_rate + h
                      : state == kFriendTie ? p.friend_end + h
                                            : p.conflict_end;
  return std::min(1.0, rate);
}

// The day after `day` on which a pair next has a candidate day: a geometric waiting time,
// ln u / ln(1 - chance) days rounded down, from log_u = ln u (u uniform in (0, 1)) and
// per_log_stay = 1 / ln(1 - chance) (-inf for chance 0: no candidate day comes; -0 for chance 1:
// tomorrow).
inline std::int32_t next_candidate(int day, double log_u, double per_log_stay) {
  const double wait = log_u * per_log_stay;  // >= 0, rounded down by the conversion
  return wait < kHorizon ? day + 1 + static_cast<std::int32_t>(wait) : kNever;
}

// ln u for each of n uniforms, in place, eight at a time: u has room for n rounded up to a
// multiple of 8 (DayDraws::resize_pairs), and the lanes past n are given 0.5, so that a day's
// few uniforms take one or two vector steps instead of a scalar log each (the same bits:
// engine/det_math.hpp).
ASIM_VECTOR_CLONES void log_in_place(double* __restrict u, int n) {
  const int rounded = (n + 7) & ~7;
  for (int i = n; i < rounded; ++i) u[i] = 0.5;
  for (int i = 0; i < rounded; i += 8)
    for (int l = 0; l < 8; ++l) u[i + l] = model_log_unit(u[i + l]);
}

// The pairs whose candidate day is `day`, in pair order, into `list`; returns their number. A
// scan of the n pairs' next candidate days, 16 at a time: most blocks have none due. The last
// few pairs are written before they are counted, so `list` has room for one entry more than
// the pairs due (DayDraws::resize_pairs).
ASIM_VECTOR_CLONES int collect_due(const std::int32_t* __restrict next, int n, int day,
                                   std::int32_t* __restrict list) {
  constexpr U8 kLow = {1u << 0, 1u << 1, 1u << 2, 1u << 3, 1u << 4, 1u << 5, 1u << 6, 1u << 7};
  constexpr U8 kHigh = kLow << 8u;
  int due = 0, k = 0;
  for (; k + 16 <= n; k += 16) {
    I8 low, high;
    std::memcpy(&low, next + k, sizeof low);
    std::memcpy(&high, next + k + 8, sizeof high);
    // the pairs due as the bits of one integer: lane bits, OR-folded
    const U8 hit =
        (reinterpret_cast<U8>(low == day) & kLow) | (reinterpret_cast<U8>(high == day) & kHigh);
    const auto h4 = __builtin_shufflevector(hit, hit, 0, 1, 2, 3) |
                    __builtin_shufflevector(hit, hit, 4, 5, 6, 7);
    const auto h2 = __builtin_shufflevector(h4, h4, 0, 1) | __builtin_shufflevector(h4, h4, 2, 3);
    for (std::uint32_t m = h2[0] | h2[1]; m != 0; m &= m - 1) list[due++] = k + std::countr_zero(m);
  }
  for (; k < n; ++k) {
    list[due] = k;
    due += next[k] == day;
  }
  return due;
}

}  // namespace

// The tables of a tile's peer kernels, filled once per run (the parameters do not change):
// - the conflict hazard without incidents, by externalising youths (0-2);
// - the candidate day's chance and 1 / log(1 - chance), by [state][externalising youths];
// - the extra conflict chance of an incident day, by [incidents of the pair - 1][externalising
//   youths]: with the day's ordinary chance it makes the hazard with the incidents;
// - the peer factor of the absconding hazard by [window open][conflicts counted][a friend].
static void init_peer_tables(const ModelParams& p, Tile& t) {
  if (!t.conflict_hazard.empty()) return;
  for (int e = 0; e < 3; ++e) t.conflict_hazard.push_back(conflict_hazard(p, 0, e));
  for (int state = 0; state < 3; ++state)
    for (int e = 0; e < 3; ++e) {
      const double rate = candidate_rate(p, state, e);
      t.pair_rate.push_back(rate);
      const double log_stay = model_log(1.0 - rate);
      t.pair_per_log_stay.push_back(log_stay < 0 ? 1.0 / log_stay
                                                 : -std::numeric_limits<double>::infinity());
    }
  for (int i = 1; i <= 2; ++i)
    for (int e = 0; e < 3; ++e) {
      const double base = conflict_hazard(p, 0, e);
      t.incident_conflict.push_back(base < 1.0 ? (conflict_hazard(p, i, e) - base) / (1.0 - base)
                                               : 0.0);
    }
  for (int w = 0; w < 2; ++w)
    for (int c = 0; c <= kCountedTies; ++c)
      for (int f = 0; f < 2; ++f)
        t.leave_factor.push_back(
            model_exp(p.abscond_together * w + p.abscond_conflict * c - p.abscond_belonging * f));
}

namespace {

// A pair's tie becomes `to` (kNoTie, kFriendTie or kConflictTie): the pair's state, the beds'
// masks, the day it formed, and each youth's event of a new tie (the partner's intake index
// as the value).
void set_tie(const TileContext& ctx, Tile& t, int k, int to) {
  PairState& q = t.pairs;
  const int was = q[k].friend_tie ? kFriendTie : q[k].conflict_tie ? kConflictTie : kNoTie;
  if (to == was) return;
  const int a = q[k].tile_a, b = q[k].tile_b, ga = q[k].a, gb = q[k].b;
  q[k].friend_tie = to == kFriendTie;
  q[k].conflict_tie = to == kConflictTie;
  // The beds' counts: friends, friends with an externalising profile, conflicts.
  const int friendship = (to == kFriendTie) - (was == kFriendTie);
  const int conflict = (to == kConflictTie) - (was == kConflictTie);
  t.friends[a] += friendship;
  t.friends[b] += friendship;
  t.acting_out_friends[a] += friendship * t.externalising[b];
  t.acting_out_friends[b] += friendship * t.externalising[a];
  t.conflicts[a] += conflict;
  t.conflicts[b] += conflict;
  std::uint64_t *friend_mask = t.friend_mask.data(), *conflict_mask = t.conflict_mask.data();
  friend_mask[a] = (friend_mask[a] & ~bit(gb)) | (to == kFriendTie ? bit(gb) : 0);
  friend_mask[b] = (friend_mask[b] & ~bit(ga)) | (to == kFriendTie ? bit(ga) : 0);
  conflict_mask[a] = (conflict_mask[a] & ~bit(gb)) | (to == kConflictTie ? bit(gb) : 0);
  conflict_mask[b] = (conflict_mask[b] & ~bit(ga)) | (to == kConflictTie ? bit(ga) : 0);
  if (to == kNoTie) return;
  q[k].since = ctx.day;
  const int i = t.tile_group[a];
  const EventKind kind = to == kFriendTie ? kEvFriendship : kEvConflict;
  record_event(ctx, t, i, a, kind, -1, static_cast<float>(t.youth_id[b]));
  record_event(ctx, t, i, b, kind, -1, static_cast<float>(t.youth_id[a]));
}

// For the listed pairs: the counter's first two words (the two youths' intake indices, the
// smaller first) and the two uniforms of counter (them, the day, word).
void pair_uniforms(const TileContext& ctx, Tile& t, const std::int32_t* list, int n,
                   std::uint32_t word) {
  DayDraws& d = ctx.draws;
  const PairState& q = t.pairs;
  std::uint32_t *c0 = d.pair_c0.data(), *c1 = d.pair_c1.data();
  for (int i = 0; i < n; ++i) {
    const auto ya = static_cast<std::uint32_t>(q[list[i]].youth_a);
    const auto yb = static_cast<std::uint32_t>(q[list[i]].youth_b);
    c0[i] = std::min(ya, yb);
    c1[i] = std::max(ya, yb);
  }
  philox_uniforms(ctx.rng.key(), c0, c1, static_cast<std::uint32_t>(ctx.day), word,
                  static_cast<std::size_t>(n), d.pair_change.data(), d.pair_wait.data(), nullptr,
                  nullptr);
}

}  // namespace

// The pairs' ties for today. A pair's state changes only on its candidate days, which come at
// a daily chance that bounds every change of the state (thinning): on a candidate day one
// uniform decides which change, if any, happens, with the exact hazards of the day, and a
// second draws the waiting time to the next candidate day. Most pairs have no candidate day
// today: a scan of the pairs' next days (4 bytes a pair) finds the pairs due, and only their
// records are read.
// An incident day adds its extra conflict chance to the pairs of the youths with an incident. A
// new pair (join_peer_network lists it) draws its first candidate day at the first step after
// the later of its youths arrived; a leaver's ties end when the youth leaves
// (leave_peer_network).
static void update_ties(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  DayDraws& d = ctx.draws;
  PairState& q = t.pairs;
  init_peer_tables(p, t);
  const int day = ctx.day;
  std::int32_t* __restrict next = q.next.data();
  std::int32_t* __restrict list = d.pair_list.data();
  const std::int32_t *occupied = t.occupied.data(), *youth = t.youth_id.data();
  const std::int32_t *externalising = t.externalising.data(), *admit_day = t.admit_day.data();
  const double* per_log_stay = t.pair_per_log_stay.data();
  auto current = [&](int k) {  // the pair's owners are the youths in its beds
    const int a = q[k].tile_a, b = q[k].tile_b;
    return occupied[a] && occupied[b] && q[k].youth_a == youth[a] && q[k].youth_b == youth[b];
  };
  // The pairs of youths who arrived since yesterday: their first candidate day.
  int joined = 0;
  for (int i = 0; i < t.group_count; ++i) {
    std::vector<std::int32_t>& pending = t.group(i).joined_pairs;
    for (const std::int32_t k : pending) list[joined++] = t.pair_offset[i] + k;
    pending.clear();
  }
  // The pairs whose candidate day is today, in pair order, after them (a joining pair is not
  // due: its next day is kJoining); the draws of both lists in one batch.
  const int due = collect_due(next, static_cast<int>(q.size()), day, list + joined);
  if (joined + due > 0) {
    pair_uniforms(ctx, t, list, joined + due, kPairWord);
    log_in_place(d.pair_wait.data(), joined + due);
  }
  const double* log_wait = d.pair_wait.data();
  for (int n = 0; n < joined; ++n) {
    const int k = list[n];
    if (!current(k)) {
      next[k] = kNever;
      continue;
    }
    const int e = externalising[q[k].tile_a] + externalising[q[k].tile_b];
    next[k] = next_candidate(day, log_wait[n], per_log_stay[3 * kNoTie + e]);
  }
  const std::int32_t* profile = t.profile.data();
  const float *age = t.age.data(), *problems = t.problems.data();
  // Familiarity by days together, 1 - exp(-days / peers.acquaint_days), up to 40 times that
  // time (beyond, it is 1 in double precision).
  if (d.familiarity.empty() || d.familiarity_days != p.acquaint_days) {
    const int cap = static_cast<int>(std::ceil(40.0 * p.acquaint_days));
    d.familiarity.resize(static_cast<std::size_t>(cap) + 1);
    for (int T = 0; T <= cap; ++T)
      d.familiarity[static_cast<std::size_t>(T)] = 1.0 - model_exp(-T * (1.0 / p.acquaint_days));
    d.familiarity_days = p.acquaint_days;
  }
  const double* familiarity = d.familiarity.data();
  const int familiar_cap = static_cast<int>(d.familiarity.size()) - 1;
  const double *base_conflict = t.conflict_hazard.data(), *rate = t.pair_rate.data();
  const double w_profile = p.friend_same_profile, w_age = p.friend_age,
               w_problems = p.friend_problems / 10.0, friend_rate = p.friend_rate;
  const double* u_change = d.pair_change.data();
  for (int n = joined; n < joined + due; ++n) {
    const int k = list[n];
    const int a = q[k].tile_a, b = q[k].tile_b;
    if (!current(k)) {
      next[k] = kNever;  // a bed is empty: its next youth's arrival schedules the pair
      continue;
    }
    const int e = externalising[a] + externalising[b];
    const int state = q[k].friend_tie ? kFriendTie : q[k].conflict_tie ? kConflictTie : kNoTie;
    // Which change: a point x uniform below the candidate chance, on consecutive intervals
    // as long as each change's hazard today.
    const double x = u_change[n] * rate[3 * state + e];
    int to = kNoTie;
    if (state == kNoTie) {
      const double h = base_conflict[e];
      if (x < h) {
        to = kConflictTie;
      } else {
        const int together =
            std::min(std::max(0, day - std::max(admit_day[a], admit_day[b])), familiar_cap);
        const double bound = friend_rate * familiarity[together];
        if (x - h < bound) {  // below the bound, the exact hazard decides
          const double dissimilar = w_profile * (profile[a] != profile[b]) +
                                    w_age * std::abs(age[a] - age[b]) +
                                    w_problems * std::abs(problems[a] - problems[b]);
          if (x - h < bound * model_exp(-dissimilar)) to = kFriendTie;
        }
      }
    } else if (state == kFriendTie) {
      to = x < base_conflict[e] ? kConflictTie : kNoTie;  // a conflict ends the friendship
    }
    if (to != state) set_tie(ctx, t, k, to);
    next[k] = next_candidate(day, log_wait[n], per_log_stay[3 * to + e]);
  }
  // The pairs of youths with an incident today, each pair once, with their beds, but for pairs
  // in conflict already: the counters come from the beds' youths (a pair's owners while both
  // are present), so that a pair's record is read only where a conflict forms.
  const std::int32_t* incident = t.incident_today.data();
  const std::uint64_t* conflict_mask = t.conflict_mask.data();
  std::int32_t* __restrict beds_of = d.pair_beds.data();  // two per listed pair
  int listed = 0;
  for (int i = 0; i < t.group_count; ++i) {
    if (t.group(i).incidents_today == 0) continue;
    const int first = t.bed_offset[i], beds = t.bed_offset[i + 1] - first, k0 = t.pair_offset[i];
    // The group's occupied beds and beds with an incident as bits (a group has at most 64
    // beds), so that each youth's partners are one mask.
    std::uint64_t present = 0, in_incident = 0;
    for (int b = 0; b < beds; ++b) {
      present |= static_cast<std::uint64_t>(occupied[first + b] != 0) << b;
      in_incident |= static_cast<std::uint64_t>(incident[first + b] != 0) << b;
    }
    for (std::uint64_t as = present & in_incident; as != 0; as &= as - 1) {
      const int a = std::countr_zero(as);
      // Every other youth present, but one with an incident of its own before a (the pair is
      // listed once, from its first bed with an incident) and one in conflict with a already
      // (nothing to draw for); in bed order.
      const std::uint64_t partners =
          present & ~bit(a) & ~(in_incident & (bit(a) - 1)) & ~conflict_mask[first + a];
      for (std::uint64_t bs = partners; bs != 0; bs &= bs - 1) {
        const int b = std::countr_zero(bs);
        const int lo = std::min(a, b), hi = std::max(a, b);
        list[listed] = k0 + pair_index(beds, lo, hi);
        beds_of[2 * listed] = first + lo;
        beds_of[2 * listed + 1] = first + hi;
        ++listed;
      }
    }
  }
  if (listed == 0) return;
  std::uint32_t *c0 = d.pair_c0.data(), *c1 = d.pair_c1.data();
  for (int n = 0; n < listed; ++n) {
    const auto ya = static_cast<std::uint32_t>(youth[beds_of[2 * n]]);
    const auto yb = static_cast<std::uint32_t>(youth[beds_of[2 * n + 1]]);
    c0[n] = std::min(ya, yb);
    c1[n] = std::max(ya, yb);
  }
  philox_uniforms(ctx.rng.key(), c0, c1, static_cast<std::uint32_t>(day), kIncidentWord,
                  static_cast<std::size_t>(listed), d.pair_change.data(), d.pair_wait.data(),
                  nullptr, nullptr);
  const double *u_conflict = d.pair_change.data(), *u_wait = d.pair_wait.data();
  const double* extra = t.incident_conflict.data();
  for (int n = 0; n < listed; ++n) {
    const int a = beds_of[2 * n], b = beds_of[2 * n + 1];
    const int e = externalising[a] + externalising[b];
    const int incidents = (incident[a] != 0) + (incident[b] != 0);
    if (u_conflict[n] >= extra[3 * (incidents - 1) + e]) continue;
    const int k = list[n];  // not in conflict (listed above)
    set_tie(ctx, t, k, kConflictTie);
    next[k] = next_candidate(day, model_log_unit(u_wait[n]), per_log_stay[3 * kConflictTie + e]);
  }
}

// A youth arrives in a bed (admission.cpp): the youth starts without ties, and each pair with
// a youth present draws its first candidate day at the peers' next step.
void join_peer_network(Group& g, int bed) {
  PairState& q = g.pairs;
  const int beds = g.beds;
  g.friend_mask[bed] = g.conflict_mask[bed] = 0;
  g.friends[bed] = g.conflicts[bed] = g.acting_out_friends[bed] = 0;
  for (int j = 0; j < beds; ++j) {
    if (j == bed) continue;
    const int lo = std::min(j, bed), hi = std::max(j, bed);
    const int k = pair_index(beds, lo, hi);
    q[k].friend_tie = q[k].conflict_tie = 0;
    if (!g.occupied[j]) {
      q.next[k] = kNever;
      continue;
    }
    q[k].youth_a = g.youth_id[lo];
    q[k].youth_b = g.youth_id[hi];
    if (q.next[k] != kJoining) g.joined_pairs.push_back(k);  // each pair listed once
    q.next[k] = kJoining;
  }
}

// A youth leaves a bed (exits.cpp): the youth's ties end. Only the pairs with a tie are
// touched; the bed's other pairs find their bed empty or another youth in it if a candidate day
// comes before the next youth arrives (update_ties sets them aside then), and the next youth's
// arrival schedules them anew.
void leave_peer_network(Group& g, int bed) {
  PairState& q = g.pairs;
  const int beds = g.beds;
  for (std::uint64_t m = g.friend_mask[bed] | g.conflict_mask[bed]; m != 0; m &= m - 1) {
    const int j = std::countr_zero(m);
    const int k = pair_index(beds, std::min(j, bed), std::max(j, bed));
    g.friends[j] -= q[k].friend_tie;
    g.acting_out_friends[j] -= q[k].friend_tie * g.externalising[bed];
    g.conflicts[j] -= q[k].conflict_tie;
    q[k].friend_tie = q[k].conflict_tie = 0;
    q.next[k] = kNever;
    g.friend_mask[j] &= ~bit(bed);
    g.conflict_mask[j] &= ~bit(bed);
  }
  g.friend_mask[bed] = g.conflict_mask[bed] = 0;
  g.friends[bed] = g.conflicts[bed] = g.acting_out_friends[bed] = 0;
}

ASIM_VECTOR_CLONES void update_peers(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  update_ties(ctx, t);
  // The friends' mean problems and motivation (the youth's own values when friendless, so
  // that the influences add nothing); the counts of friends and conflicts are kept as the ties
  // change.
  const int beds = t.beds;
  const std::uint64_t* __restrict friend_mask = t.friend_mask.data();
  const std::int32_t* group = t.tile_group.data();
  const std::int32_t* friends = t.friends.data();
  const std::int32_t* conflicts = t.conflicts.data();
  float* __restrict friend_problems = t.friend_problems.data(), * __restrict friend_motivation =
                                                                    t.friend_motivation.data();
  const float *problems = t.problems.data(), *motivation = t.motivation.data();
  // The sums in bed order. A group of at most 16 beds in one vector of 16 lanes (a lane per
  // bed, from the group's first bed: lanes past the group hold zeros and are overwritten by the
  // next group's): pass j adds the group's bed j where it is a friend, and adding +0 elsewhere
  // leaves a sum's bits as they are. A larger group bed by bed, friend by friend.
  DayDraws& d = ctx.draws;
  std::uint32_t* __restrict bits = d.lane_bits.data();
  float* __restrict sum_problems = d.lane_a.data(), * __restrict sum_motivation = d.lane_b.data();
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) bits[b] = static_cast<std::uint32_t>(friend_mask[b]);
  for (int i = 0; i < t.group_count; ++i) {
    const int first = t.bed_offset[i], n = t.bed_offset[i + 1] - first;
    const float *their_problems = problems + first, *their_motivation = motivation + first;
    if (n <= 16) {
      U16 m;
      std::memcpy(&m, bits + first, sizeof m);
      m &= reinterpret_cast<U16>(kLaneIndex < n);  // zeros past the group
      F16 lane_problems{}, lane_motivation{};
      for (int j = 0; j < n; ++j) {
        // all bits of a lane where bed j is the lane's friend: the value's bits, else +0's
        const U16 is_friend = -((m >> static_cast<std::uint32_t>(j)) & 1u);
        lane_problems +=
            reinterpret_cast<F16>(is_friend & std::bit_cast<std::uint32_t>(their_problems[j]));
        lane_motivation +=
            reinterpret_cast<F16>(is_friend & std::bit_cast<std::uint32_t>(their_motivation[j]));
      }
      std::memcpy(sum_problems + first, &lane_problems, sizeof lane_problems);
      std::memcpy(sum_motivation + first, &lane_motivation, sizeof lane_motivation);
      continue;
    }
    for (int l = 0; l < n; ++l) {
      float sum_p = 0, sum_m = 0;
      for (std::uint64_t m = friend_mask[first + l]; m != 0; m &= m - 1) {
        const int j = std::countr_zero(m);
        sum_p += their_problems[j];
        sum_m += their_motivation[j];
      }
      sum_problems[first + l] = sum_p;
      sum_motivation[first + l] = sum_m;
    }
  }
  // The means (the youth's own values when friendless, so that the influences add nothing).
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const double inv = kInverse[static_cast<std::size_t>(friends[b] & 63)];  // 1.0 / friends[b]
    const bool none = friend_mask[b] == 0;
    friend_problems[b] = none ? problems[b] : static_cast<float>(sum_problems[b] * inv);
    friend_motivation[b] = none ? motivation[b] : static_cast<float>(sum_motivation[b] * inv);
  }
  // Per group: the standing target without ties (base and atmosphere). The peer factor of the
  // absconding hazard by [window open][conflicts counted][has a friend].
  double* base_of = ctx.draws.group_a.data();
  for (int i = 0; i < t.group_count; ++i)
    base_of[i] = p.standing_base + p.peer_atmosphere * (t.group(i).atmosphere - kReferenceClimate);
  const double* leave_factor = t.leave_factor.data();
  const double rate = p.peer_rate, loss = p.peer_incident_loss;
  const double w_friends = p.w_friends_standing / kCountedTies,
               w_conflicts = p.w_conflicts_standing / kCountedTies;
  const std::int32_t *occupied = t.occupied.data(), *incident = t.incident_today.data();
  const std::int32_t* runaway = t.runaway_days.data();
  float* __restrict standing = t.peer_standing.data(), * __restrict peer_leave =
                                                           t.peer_leave.data();
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int counted_friends = std::min(friends[b], kCountedTies);
    const int counted_conflicts = std::min(conflicts[b], kCountedTies);
    const double target =
        clamp01(base_of[group[b]] + w_friends * counted_friends - w_conflicts * counted_conflicts);
    const double moved = standing[b] + rate * (target - standing[b]);
    // x - 0.0 == x for every x, so subtracting the loss or nothing is the conditional subtraction.
    const float next = clamp01(moved - (incident[b] ? loss : 0.0));
    standing[b] = occupied[b] ? next : standing[b];
    const int window = runaway[b] > 0;
    peer_leave[b] = static_cast<float>(
        leave_factor[(window * (kCountedTies + 1) + counted_conflicts) * 2 + (friends[b] > 0)]);
  }
}

// Before the day's leavers are handled (exits.cpp): which absconding youths ran off together
// with a friend, one who absconds today too or did in the last peers.together_days days.
// together[b] is 1 for those, with runaway_friend[b] the friend's intake index.
void mark_running_together(Tile& t, const std::int32_t* reason_of, std::int32_t* together) {
  const int beds = t.beds;
  const std::int32_t *runaway = t.runaway_days.data(), *occupied = t.occupied.data();
  for (int b = 0; b < beds; ++b) together[b] = (reason_of[b] == kAbsconded) & (runaway[b] > 0);
  for (int a = 0; a < beds; ++a) {
    if (reason_of[a] != kAbsconded || !occupied[a]) continue;
    const int first = t.bed_offset[t.tile_group[a]];
    for (std::uint64_t m = t.friend_mask[a]; m != 0; m &= m - 1) {
      const int b = first + std::countr_zero(m);
      if (reason_of[b] != kAbsconded || b < a) continue;  // each pair once
      together[a] = together[b] = 1;
      t.runaway_friend[a] = t.youth_id[b];
      t.runaway_friend[b] = t.youth_id[a];
    }
  }
}

// Before the day's leavers leave (exits.cpp): the open windows close by a day, and friends of
// a youth who absconds today, who stay, have their absconding hazard raised for the next
// peers.together_days days.
void open_runaway_windows(const ModelParams& p, Tile& t, const std::int32_t* reason_of,
                          int absconded) {
  const int beds = t.beds;
  std::int32_t* runaway = t.runaway_days.data();
  const std::int32_t* occupied = t.occupied.data();
  for (int b = 0; b < beds; ++b) runaway[b] = std::max(runaway[b] - 1, 0);
  if (absconded == 0) return;
  for (int a = 0; a < beds; ++a) {
    if (reason_of[a] != kAbsconded || !occupied[a]) continue;
    const int first = t.bed_offset[t.tile_group[a]];
    for (std::uint64_t m = t.friend_mask[a]; m != 0; m &= m - 1) {
      const int stays = first + std::countr_zero(m);
      if (!occupied[stays] || reason_of[stays] != kInCare) continue;
      runaway[stays] = p.together_days;
      t.runaway_friend[stays] = t.youth_id[a];
    }
  }
}

// A newcomer starts without ties; each pair with a youth present draws its first candidate day.
void Peers::admit(const DayContext& ctx, Group& g, int bed, const Referral& r) {
  g.peer_standing[bed] = static_cast<float>(ctx.p.initial_standing);
  g.friends[bed] = g.conflicts[bed] = g.acting_out_friends[bed] = 0;
  join_peer_network(g, bed);
  g.runaway_days[bed] = 0;
  g.runaway_friend[bed] = -1;
  g.friend_problems[bed] = r.intake_problems;
  g.friend_motivation[bed] = g.motivation[bed];
  g.peer_leave[bed] = 1.0f;  // no tie, no open window: the factor is exp(0)
}

// The module's registry rows (docs/parameters.md).
void Peers::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("peers.rate", &P::peer_rate, 0.03, 0.001, 1, "1/day",
         "speed at which a youth's standing among peers follows its target (friends, conflicts, "
         "atmosphere)",
         kAssume);
  r.real("peers.incident_loss", &P::peer_incident_loss, 0.08, 0, 1, "standing per incident",
         "an incident costs standing among the living-group peers", kAssume);
  r.real("peers.w_atmosphere", &P::peer_atmosphere, 0.6, 0, 3, "standing per climate unit",
         "a good group atmosphere raises every youth's standing", kAssume);
  r.real("peers.standing_base", &P::standing_base, 0.35, 0, 1, "standing (0-1)",
         "standing among peers of a youth without friends or conflicts in a group of average "
         "atmosphere",
         kAssume);
  r.real("peers.initial_standing", &P::initial_standing, 0.4, 0, 1, "standing (0-1)",
         "standing among peers at admission", kAssume);
  r.real("peers.w_friends", &P::w_friends_standing, 0.45, 0, 2, "standing per 3 friends",
         "friends in the group raise standing (up to three friends count)",
         "docs/evidence.md §7: peers are agents with relationships of their own; assumption for "
         "size");
  r.real("peers.w_conflicts", &P::w_conflicts_standing, 0.3, 0, 2, "standing per 3 conflicts",
         "conflict and bullying ties lower standing (up to three count)", kAssume);
  // The network: ties between the youths present, formed and dissolved day by day.
  r.real("peers.friend_rate", &P::friend_rate, 0.02, 0, 1, "1/day",
         "daily chance that two acquainted youths of the same profile and age become friends",
         kAssume);
  r.real("peers.acquaint_days", &P::acquaint_days, 14, 1, 365, "days",
         "time scale on which two youths get to know each other: a newcomer integrates over weeks "
         "(familiarity 1 - exp(-days together / this))",
         kAssume);
  r.real("peers.friend_same_profile", &P::friend_same_profile, 0.7, 0, 5, "log rate",
         "youths with the same problem profile befriend each other more readily (homophily)",
         "Dodge, Dishion & Lansford 2006 (deviant youths affiliate); assumption for size");
  r.real("peers.friend_age", &P::friend_age, 0.3, 0, 5, "log rate per year",
         "each year of age difference lowers the chance of a friendship", kAssume);
  r.real("peers.friend_problems", &P::friend_problems, 0.5, 0, 5, "log rate per 10 SDQ points",
         "a difference in problem level lowers the chance of a friendship", kAssume);
  r.real("peers.friend_end", &P::friend_end, 0.01, 0, 1, "1/day",
         "daily chance that a friendship ends", kAssume);
  r.real("peers.conflict_rate", &P::conflict_rate, 0.0007, 0, 1, "1/day",
         "daily chance of a lasting conflict (quarrel, bullying) between two youths without "
         "incidents or externalising problems",
         kAssume);
  r.real("peers.conflict_incident", &P::conflict_incident, 2.0, 0, 10, "log rate per incident",
         "an incident of either youth that day makes a conflict between them likelier", kAssume);
  r.real("peers.conflict_externalising", &P::conflict_externalising, 0.7, 0, 5,
         "log rate per externalising youth", "externalising youths get into conflicts more often",
         kAssume);
  r.real("peers.conflict_end", &P::conflict_end, 0.03, 0, 1, "1/day",
         "daily chance that a conflict is settled", kAssume);
  // Influence through ties.
  r.real("peers.deviancy_rate", &P::deviancy_rate, 0.01, 0, 0.1, "1/day",
         "deviancy training: daily pull of a youth's problems toward the friends' higher level",
         "Dodge, Dishion & Lansford 2006; Lee & Thompson 2009 (deviant peer density predicts "
         "trajectories); assumption for size");
  r.real("peers.deviancy_understaffed", &P::deviancy_understaffed, 2.0, 0, 10, "relative increase",
         "thin supervision: deviancy training is this much stronger on an understaffed day",
         "Dodge, Dishion & Lansford 2006 (strongest under poor supervision); assumption for size");
  r.real("peers.deviancy_team", &P::deviancy_team, 2.0, 0, 10,
         "relative increase per team climate unit",
         "little structure: deviancy training grows as the team's work climate falls below its "
         "reference",
         kAssume);
  r.real("peers.positive_rate", &P::positive_rate, 0.004, 0, 0.5, "1/day",
         "positive peer influence: daily pull of motivation toward the friends' level",
         "Lee & Thompson 2009 (positive peer influence protective); assumption for size");
  r.boolean("policy.peer_culture", &P::peer_programme, false,
            "a structured positive peer culture programme: peer support groups guided by staff",
            "Lee & Thompson 2009 (positive peer influence protective); assumption for its effects",
            true);
  r.real("peers.culture_deviancy", &P::programme_deviancy, 0.5, 0, 1, "share",
         "share of deviancy training that policy.peer_culture prevents", kAssume);
  r.real("peers.culture_positive", &P::programme_positive, 1.0, 0, 5, "relative increase",
         "how much policy.peer_culture strengthens positive peer influence", kAssume);
  // Leaving.
  r.real("peers.abscond_together", &P::abscond_together, 5.0, 0, 10, "log hazard",
         "after a friend absconds, a youth's own absconding hazard is raised for a few days "
         "(running away together)",
         "docs/evidence.md §7: absconders leave to stay connected with others; assumption for "
         "size");
  r.integer("peers.together_days", &P::together_days, 3, 1, 30, "days",
            "days after a friend's absconding during which the youth's absconding hazard is raised "
            "(from the next day; absconding on the friend's day or within these days counts as "
            "running away together)",
            kAssume);
  r.real("peers.abscond_conflict", &P::abscond_conflict, 0.4, 0, 5, "log hazard per conflict",
         "conflict and bullying ties raise absconding (up to three count)",
         "docs/evidence.md §7: bullying by other residents prompted many runaways; assumption "
         "for size");
  r.real("peers.abscond_belonging", &P::abscond_belonging, 0.5, 0, 5, "log hazard",
         "a friend in the group lowers absconding (belonging)", kAssume);
  r.real("exit.dropout_peers", &P::dropout_peers, 1.5, 0, 10, "log hazard per standing unit",
         "poor peer relations raise drop-out",
         "docs/evidence.md §6.6: early leavers reported worse relations with peers beforehand");
}

}  // namespace asim
