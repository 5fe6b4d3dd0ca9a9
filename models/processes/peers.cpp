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
#include <bit>

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

// A bed's bit in the masks of its group's beds.
inline std::uint64_t bit(int bed) {
  return std::uint64_t{1} << bed;
}

}  // namespace

// The tables of a tile's peer kernels, filled once per run (the parameters do not change):
// - familiarity by days together; beyond the table's end 1 - exp(-x) is 1 in double precision;
// - the conflict hazard by the pair's incidents today and externalising youths (0-2 each);
// - the peer factor of the absconding hazard by [window open][conflicts counted][a friend].
static void init_peer_tables(const ModelParams& p, Tile& t) {
  if (!t.familiarity.empty()) return;
  const int cap = static_cast<int>(std::ceil(40.0 * p.acquaint_days));
  for (int T = 0; T <= cap; ++T)
    t.familiarity.push_back(1.0 - model_exp(-T * (1.0 / p.acquaint_days)));
  for (int i = 0; i < 3; ++i)
    for (int e = 0; e < 3; ++e)
      t.conflict_hazard.push_back(
          p.conflict_rate * model_exp(p.conflict_incident * i + p.conflict_externalising * e));
  for (int w = 0; w < 2; ++w)
    for (int c = 0; c <= kCountedTies; ++c)
      for (int f = 0; f < 2; ++f)
        t.leave_factor.push_back(
            model_exp(p.abscond_together * w + p.abscond_conflict * c - p.abscond_belonging * f));
}

// The pairs' ties for today: ties of youths who left are gone, then conflicts and friendships
// form or end with the day's pair uniforms. Three passes: every pair at once with what is cheap
// (a tie ending, a conflict forming: its hazard from a table of nine), marking the pairs whose
// uniform falls below the friendship hazard's bound; those few bed by bed with the exact
// hazard; then the pairs whose ties changed, which update the beds' masks and record events.
ASIM_VECTOR_CLONES static void update_ties(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  DayDraws& d = ctx.draws;
  PairState& q = t.pairs;
  const int pairs = static_cast<int>(q.size());
  const std::int32_t *youth = t.youth_id.data(), *occupied = t.occupied.data();
  const std::int32_t *tile_a = q.tile_a.data(), *tile_b = q.tile_b.data();
  std::uint32_t* __restrict c0 = d.pair_c0.data(), * __restrict c1 = d.pair_c1.data();
  // The counter's first two words: the two youths' intake indices, the smaller first.
  ASIM_BEDS_INDEPENDENT
  for (int k = 0; k < pairs; ++k) {
    const auto ya = static_cast<std::uint32_t>(youth[tile_a[k]]);
    const auto yb = static_cast<std::uint32_t>(youth[tile_b[k]]);
    c0[k] = std::min(ya, yb);
    c1[k] = std::max(ya, yb);
  }
  philox_uniforms(ctx.rng.key(), c0, c1, static_cast<std::uint32_t>(ctx.day), kPairWord,
                  static_cast<std::size_t>(pairs), d.pair_friend.data(), d.pair_conflict.data(),
                  nullptr, nullptr);
  // What a pair reads of each bed, packed in one word (one gather per bed, not three): bit 0
  // occupied, bit 1 an incident today, bit 3 the externalising profile.
  const std::int32_t *admit_day = t.admit_day.data(), *externalising = t.externalising.data(),
                     *incident = t.incident_today.data();
  std::int32_t* __restrict packed = d.due.data();  // free until the exits (exits.cpp)
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b)
    packed[b] = occupied[b] | (incident[b] << 1) | (externalising[b] << 3);
  init_peer_tables(p, t);
  const double* familiarity = t.familiarity.data();
  const int familiar_cap = static_cast<int>(t.familiarity.size()) - 1;
  const double* conflict_hazard = t.conflict_hazard.data();
  const double *u_friend = d.pair_friend.data(), *u_conflict = d.pair_conflict.data();
  std::int32_t* __restrict owner_a = q.youth_a.data(), * __restrict owner_b = q.youth_b.data();
  std::int32_t* __restrict friend_tie = q.friend_tie.data(), * __restrict conflict_tie =
                                                                 q.conflict_tie.data();
  // Each pair's code (in the spent counter words): bit 0 the friendship changed, bit 1 the
  // conflict changed, bit 2 a friendship may form (the second pass decides), bit 3 a new
  // conflict (also where the pair's earlier youths had one).
  auto* __restrict code = reinterpret_cast<std::int32_t*>(c0);
  const double friend_rate = p.friend_rate, friend_end = p.friend_end,
               conflict_end = p.conflict_end;
  const int day = ctx.day;
  int marked = 0;
  ASIM_BEDS_INDEPENDENT
  for (int k = 0; k < pairs; ++k) {
    const int a = tile_a[k], b = tile_b[k];
    const std::int32_t pa = packed[a], pb = packed[b];
    const std::int32_t both = pa & pb & 1;
    const std::int32_t same = (owner_a[k] == youth[a]) & (owner_b[k] == youth[b]);
    const std::int32_t kept = both & same;
    const std::int32_t old_friend = friend_tie[k], old_conflict = conflict_tie[k];
    const std::int32_t was_friend = kept & old_friend, was_conflict = kept & old_conflict;
    const int together =
        std::min(std::max(0, day - std::max(admit_day[a], admit_day[b])), familiar_cap);
    const double h_conflict =
        conflict_hazard[3 * (((pa >> 1) & 1) + ((pb >> 1) & 1)) + (pa >> 3) + (pb >> 3)];
    const std::int32_t conflict =
        both & (was_conflict ? u_conflict[k] >= conflict_end : u_conflict[k] < h_conflict);
    const std::int32_t kept_friend = was_friend & !conflict & (u_friend[k] >= friend_end);
    // Below friend_rate · familiarity (the hazard with youths alike in every way) a new
    // friendship may form: the second pass decides with the exact hazard.
    const std::int32_t maybe =
        both & !was_friend & !conflict & (u_friend[k] < friend_rate * familiarity[together]);
    code[k] = (kept_friend != old_friend) | ((conflict != old_conflict) << 1) | (maybe << 2) |
              ((conflict & !was_conflict) << 3);
    marked += code[k] != 0;
    friend_tie[k] = kept_friend;
    conflict_tie[k] = conflict;
    owner_a[k] = youth[a];
    owner_b[k] = youth[b];
  }
  if (marked == 0) return;
  // The marked pairs' indices, in order, without a branch per pair (into the spent counter
  // words c1: index n is written at or before pair n).
  auto* __restrict list = reinterpret_cast<std::int32_t*>(c1);
  int listed = 0;
  for (int k = 0; k < pairs; ++k) {
    list[listed] = k;
    listed += code[k] != 0;
  }
  const std::int32_t* profile = t.profile.data();
  const float *age = t.age.data(), *problems = t.problems.data();
  const double w_profile = p.friend_same_profile, w_age = p.friend_age,
               w_problems = p.friend_problems / 10.0;
  std::int32_t* since = q.since.data();
  std::uint64_t *friend_mask = t.friend_mask.data(), *conflict_mask = t.conflict_mask.data();
  const std::int32_t* tile_group = t.tile_group.data();
  for (int n = 0; n < listed; ++n) {
    const int k = list[n];
    const int a = tile_a[k], b = tile_b[k];
    const int i = tile_group[a];
    Group& g = t.group(i);
    const int ga = q.a[k], gb = q.b[k];
    bool new_friend = false;
    if (code[k] & 4) {  // the exact friendship hazard
      const int together =
          std::min(std::max(0, day - std::max(admit_day[a], admit_day[b])), familiar_cap);
      const double dissimilar = w_profile * (profile[a] != profile[b]) +
                                w_age * std::abs(age[a] - age[b]) +
                                w_problems * std::abs(problems[a] - problems[b]);
      new_friend = u_friend[k] < friend_rate * familiarity[together] * model_exp(-dissimilar);
      friend_tie[k] = new_friend;
    }
    const bool new_conflict = (code[k] & 8) != 0;
    if (new_friend || new_conflict) since[k] = day;
    // The masks follow the ties (a bed that was emptied or refilled loses its bits).
    friend_mask[a] = (friend_mask[a] & ~bit(gb)) | (friend_tie[k] ? bit(gb) : 0);
    friend_mask[b] = (friend_mask[b] & ~bit(ga)) | (friend_tie[k] ? bit(ga) : 0);
    conflict_mask[a] = (conflict_mask[a] & ~bit(gb)) | (conflict_tie[k] ? bit(gb) : 0);
    conflict_mask[b] = (conflict_mask[b] & ~bit(ga)) | (conflict_tie[k] ? bit(ga) : 0);
    // Each youth's side of a new tie: the partner's intake index as the value.
    if (new_friend || new_conflict) {
      const EventKind kind = new_friend ? kEvFriendship : kEvConflict;
      const DayContext gctx = ctx.group(i);
      record_event(gctx, g, ga, kind, -1, static_cast<float>(g.youth_id[gb]));
      record_event(gctx, g, gb, kind, -1, static_cast<float>(g.youth_id[ga]));
    }
  }
}

ASIM_VECTOR_CLONES void update_peers(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  update_ties(ctx, t);
  // Each youth's place in the network, from the masks: friends, conflicts, externalising
  // friends, and the friends' mean problems and motivation (the youth's own when friendless).
  const int beds = t.beds;
  std::uint64_t* ext_of = ctx.draws.group_masks.data();  // per group: its externalising beds
  for (int i = 0; i < t.group_count; ++i) {
    const Group& g = t.group(i);
    std::uint64_t m = 0;
    for (int b = 0; b < g.beds; ++b) m |= g.externalising[b] ? bit(b) : 0;
    ext_of[i] = m;
  }
  const std::uint64_t *friend_mask = t.friend_mask.data(), *conflict_mask = t.conflict_mask.data();
  const std::int32_t* group = t.tile_group.data();
  std::int32_t *friends = t.friends.data(), *conflicts = t.conflicts.data(),
               *acting_out = t.acting_out_friends.data();
  float *friend_problems = t.friend_problems.data(),
        *friend_motivation = t.friend_motivation.data();
  const float *problems = t.problems.data(), *motivation = t.motivation.data();
  for (int b = 0; b < beds; ++b) {
    const std::uint64_t fm = friend_mask[b];
    friends[b] = std::popcount(fm);
    conflicts[b] = std::popcount(conflict_mask[b]);
    acting_out[b] = std::popcount(fm & ext_of[group[b]]);
    if (fm == 0) {  // friendless: the youth's own values, so the influences add nothing
      friend_problems[b] = problems[b];
      friend_motivation[b] = motivation[b];
      continue;
    }
    const int first = t.bed_offset[group[b]];
    float sum_problems = 0, sum_motivation = 0;  // in bed order
    for (std::uint64_t m = fm; m != 0; m &= m - 1) {
      const int j = first + std::countr_zero(m);
      sum_problems += problems[j];
      sum_motivation += motivation[j];
    }
    const double inv = 1.0 / friends[b];
    friend_problems[b] = static_cast<float>(sum_problems * inv);
    friend_motivation[b] = static_cast<float>(sum_motivation * inv);
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

// A newcomer starts without ties (update_peers drops the ties of the bed's earlier youth).
void Peers::admit(const DayContext& ctx, Group& g, int bed, const Referral& r) {
  g.peer_standing[bed] = static_cast<float>(ctx.p.initial_standing);
  g.friends[bed] = g.conflicts[bed] = g.acting_out_friends[bed] = 0;
  g.friend_mask[bed] = g.conflict_mask[bed] = 0;
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
