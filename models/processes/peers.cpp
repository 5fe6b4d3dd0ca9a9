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
// Every pair's day draws one Philox counter keyed by the two youths' intake indices and the day,
// so the same two youths meet the same chances in every scenario (common random numbers).
#include "engine/philox_batch.hpp"
#include "models/processes.hpp"

namespace asim {

namespace {

// Up to this many friends or conflicts count for standing and absconding (a youth's close
// circle; more ties add nothing).
constexpr int kCountedTies = 3;
// The pair counter's last word: the purpose with a tag bit, a draw number that no stream
// (StreamEngine) reaches, so that no other counter equals a pair's.
constexpr std::uint32_t kPairWord = 0x40000000u | kPurposePeerPair;

}  // namespace

// The pairs' ties for today: ties of youths who left are gone, then conflicts and friendships
// form or end with the day's pair uniforms. Returns the number of new ties (for the events).
ASIM_VECTOR_CLONES static int update_ties(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  DayDraws& d = ctx.draws;
  PairState& q = t.pairs;
  const int pairs = static_cast<int>(q.size());
  const std::int32_t *youth = t.youth_id.data(), *occupied = t.occupied.data();
  const std::int32_t *tile_a = q.tile_a.data(), *tile_b = q.tile_b.data();
  std::uint32_t *c0 = d.pair_c0.data(), *c1 = d.pair_c1.data();
  // The counter's first two words: the two youths' intake indices, the smaller first.
  for (int k = 0; k < pairs; ++k) {
    const auto ya = static_cast<std::uint32_t>(youth[tile_a[k]]);
    const auto yb = static_cast<std::uint32_t>(youth[tile_b[k]]);
    c0[k] = std::min(ya, yb);
    c1[k] = std::max(ya, yb);
  }
  philox_uniforms(ctx.rng.key(), c0, c1, static_cast<std::uint32_t>(ctx.day), kPairWord,
                  static_cast<std::size_t>(pairs), d.pair_friend.data(), d.pair_conflict.data(),
                  d.pair_u2.data(), d.pair_u3.data());
  const std::int32_t *admit_day = t.admit_day.data(), *profile = t.profile.data(),
                     *externalising = t.externalising.data(), *incident = t.incident_today.data();
  const float *age = t.age.data(), *problems = t.problems.data();
  const double *u_friend = d.pair_friend.data(), *u_conflict = d.pair_conflict.data();
  std::int32_t* __restrict owner_a = q.youth_a.data(), * __restrict owner_b = q.youth_b.data();
  std::int32_t* __restrict friend_tie = q.friend_tie.data(), * __restrict conflict_tie =
                                                                 q.conflict_tie.data();
  std::int32_t* __restrict since = q.since.data();
  // The event code of each pair (1 new friendship, 2 new conflict), in the spent counter words.
  auto* __restrict code = reinterpret_cast<std::int32_t*>(c0);
  const double friend_rate = p.friend_rate, inv_acquaint = 1.0 / p.acquaint_days;
  const double w_profile = p.friend_same_profile, w_age = p.friend_age,
               w_problems = p.friend_problems / 10.0, friend_end = p.friend_end;
  const double conflict_rate = p.conflict_rate, w_incident = p.conflict_incident,
               w_externalising = p.conflict_externalising, conflict_end = p.conflict_end;
  const int day = ctx.day;
  int new_ties = 0;
  ASIM_BEDS_INDEPENDENT
  for (int k = 0; k < pairs; ++k) {
    const int a = tile_a[k], b = tile_b[k];
    const std::int32_t both = occupied[a] & occupied[b];
    const std::int32_t same = (owner_a[k] == youth[a]) & (owner_b[k] == youth[b]);
    const std::int32_t kept = both & same;
    const std::int32_t was_friend = kept & friend_tie[k], was_conflict = kept & conflict_tie[k];
    const int together = std::max(0, day - std::max(admit_day[a], admit_day[b]));
    const double familiar = 1.0 - model_exp(-together * inv_acquaint);
    const double dissimilar = w_profile * (profile[a] != profile[b]) +
                              w_age * std::abs(age[a] - age[b]) +
                              w_problems * std::abs(problems[a] - problems[b]);
    const double h_friend = friend_rate * familiar * model_exp(-dissimilar);
    const double h_conflict =
        conflict_rate * model_exp(w_incident * (incident[a] + incident[b]) +
                                  w_externalising * (externalising[a] + externalising[b]));
    const std::int32_t conflict =
        both & (was_conflict ? u_conflict[k] >= conflict_end : u_conflict[k] < h_conflict);
    const std::int32_t friends =
        both & !conflict & (was_friend ? u_friend[k] >= friend_end : u_friend[k] < h_friend);
    const std::int32_t new_friend = friends & !was_friend, new_conflict = conflict & !was_conflict;
    code[k] = new_friend + 2 * new_conflict;
    new_ties += new_friend + new_conflict;
    since[k] = (new_friend | new_conflict) ? day : since[k];
    friend_tie[k] = friends;
    conflict_tie[k] = conflict;
    owner_a[k] = youth[a];
    owner_b[k] = youth[b];
  }
  return new_ties;
}

ASIM_VECTOR_CLONES void update_peers(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  const int new_ties = update_ties(ctx, t);
  PairState& q = t.pairs;
  const int pairs = static_cast<int>(q.size());
  if (new_ties > 0) {  // each youth's side of a new tie: the partner's intake index as the value
    const auto* code = reinterpret_cast<const std::int32_t*>(ctx.draws.pair_c0.data());
    for (int i = 0; i < t.group_count; ++i) {
      Group& g = t.group(i);
      const DayContext gctx = ctx.group(i);
      for (int k = t.pair_offset[i]; k < t.pair_offset[i + 1]; ++k) {
        if (code[k] == 0) continue;
        const EventKind kind = code[k] == 1 ? kEvFriendship : kEvConflict;
        const int a = q.a[k], b = q.b[k];
        record_event(gctx, g, a, kind, -1, static_cast<float>(g.youth_id[b]));
        record_event(gctx, g, b, kind, -1, static_cast<float>(g.youth_id[a]));
      }
    }
  }
  // Each youth's place in the network, recounted from the ties.
  const int beds = t.beds;
  std::int32_t *friends = t.friends.data(), *conflicts = t.conflicts.data(),
               *acting_out = t.acting_out_friends.data();
  float *friend_problems = t.friend_problems.data(),
        *friend_motivation = t.friend_motivation.data();
  for (int b = 0; b < beds; ++b) {
    friends[b] = conflicts[b] = acting_out[b] = 0;
    friend_problems[b] = friend_motivation[b] = 0;
  }
  const std::int32_t *tile_a = q.tile_a.data(), *tile_b = q.tile_b.data();
  const std::int32_t *friend_tie = q.friend_tie.data(), *conflict_tie = q.conflict_tie.data();
  const std::int32_t* externalising = t.externalising.data();
  const float *problems = t.problems.data(), *motivation = t.motivation.data();
  for (int k = 0; k < pairs; ++k) {
    if (!(friend_tie[k] | conflict_tie[k])) continue;  // most pairs on most days
    const int a = tile_a[k], b = tile_b[k];
    conflicts[a] += conflict_tie[k];
    conflicts[b] += conflict_tie[k];
    if (!friend_tie[k]) continue;
    friends[a] += 1;
    friends[b] += 1;
    acting_out[a] += externalising[b];
    acting_out[b] += externalising[a];
    friend_problems[a] += problems[b];
    friend_problems[b] += problems[a];
    friend_motivation[a] += motivation[b];
    friend_motivation[b] += motivation[a];
  }
  // Per group: the standing target without ties (base and atmosphere). The peer factor of the
  // absconding hazard by [window open][conflicts counted][has a friend].
  double* base_of = ctx.draws.group_a.data();
  for (int i = 0; i < t.group_count; ++i)
    base_of[i] = p.standing_base + p.peer_atmosphere * (t.group(i).atmosphere - kReferenceClimate);
  double leave_factor[2 * (kCountedTies + 1) * 2];
  for (int w = 0; w < 2; ++w)
    for (int c = 0; c <= kCountedTies; ++c)
      for (int f = 0; f < 2; ++f)
        leave_factor[(w * (kCountedTies + 1) + c) * 2 + f] =
            model_exp(p.abscond_together * w + p.abscond_conflict * c - p.abscond_belonging * f);
  const double rate = p.peer_rate, loss = p.peer_incident_loss;
  const double w_friends = p.w_friends_standing / kCountedTies,
               w_conflicts = p.w_conflicts_standing / kCountedTies;
  const std::int32_t *occupied = t.occupied.data(), *incident = t.incident_today.data();
  const std::int32_t *group = t.tile_group.data(), *runaway = t.runaway_days.data();
  float* __restrict standing = t.peer_standing.data(), * __restrict peer_leave =
                                                           t.peer_leave.data();
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const int n = friends[b];
    const double inv = 1.0 / std::max(n, 1);
    // Friendless: the youth's own values, so that the influences below add nothing.
    friend_problems[b] = n > 0 ? static_cast<float>(friend_problems[b] * inv) : problems[b];
    friend_motivation[b] = n > 0 ? static_cast<float>(friend_motivation[b] * inv) : motivation[b];
    const int counted_friends = std::min(n, kCountedTies);
    const int counted_conflicts = std::min(conflicts[b], kCountedTies);
    const double target =
        clamp01(base_of[group[b]] + w_friends * counted_friends - w_conflicts * counted_conflicts);
    const double moved = standing[b] + rate * (target - standing[b]);
    // x - 0.0 == x for every x, so subtracting the loss or nothing is the conditional subtraction.
    const float next = clamp01(moved - (incident[b] ? loss : 0.0));
    standing[b] = occupied[b] ? next : standing[b];
    const int window = runaway[b] > 0;
    peer_leave[b] = static_cast<float>(
        leave_factor[(window * (kCountedTies + 1) + counted_conflicts) * 2 + (n > 0)]);
  }
}

// Before the day's leavers are handled (exits.cpp): which absconding youths ran off together
// with a friend, one who absconds today too or did in the last peers.together_days days.
// together[b] is 1 for those, with runaway_friend[b] the friend's intake index.
void mark_running_together(Tile& t, const std::int32_t* reason_of, std::int32_t* together) {
  const int beds = t.beds;
  const std::int32_t* runaway = t.runaway_days.data();
  for (int b = 0; b < beds; ++b) together[b] = (reason_of[b] == kAbsconded) & (runaway[b] > 0);
  const PairState& q = t.pairs;
  const int pairs = static_cast<int>(q.size());
  for (int k = 0; k < pairs; ++k) {
    const int a = q.tile_a[k], b = q.tile_b[k];
    if (!q.friend_tie[k] || reason_of[a] != kAbsconded || reason_of[b] != kAbsconded) continue;
    together[a] = together[b] = 1;
    t.runaway_friend[a] = t.youth_id[b];
    t.runaway_friend[b] = t.youth_id[a];
  }
}

// After the day's leavers have left (exits.cpp): the open windows close by a day, and friends
// of a youth who absconded today have their absconding hazard raised for the next
// peers.together_days days.
void open_runaway_windows(const ModelParams& p, Tile& t, const std::int32_t* reason_of,
                          int absconded) {
  const int beds = t.beds;
  std::int32_t* runaway = t.runaway_days.data();
  for (int b = 0; b < beds; ++b) runaway[b] = std::max(runaway[b] - 1, 0);
  if (absconded == 0) return;
  const PairState& q = t.pairs;
  const int pairs = static_cast<int>(q.size());
  for (int k = 0; k < pairs; ++k) {
    const int a = q.tile_a[k], b = q.tile_b[k];
    const bool gone_a = reason_of[a] == kAbsconded, gone_b = reason_of[b] == kAbsconded;
    if (!q.friend_tie[k] || gone_a == gone_b) continue;
    const int stays = gone_a ? b : a, left = gone_a ? a : b;
    if (!t.occupied[stays]) continue;
    runaway[stays] = p.together_days;
    t.runaway_friend[stays] = t.youth_id[left];
  }
}

}  // namespace asim
