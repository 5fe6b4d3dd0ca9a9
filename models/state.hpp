// Agent state of one replicate: youths and mentors as structure-of-arrays, living groups laid out
// in tiles of consecutive groups. Processes (models/processes/*.cpp) are kernels over a tile's
// beds or functions over one group, run for one day in the order of models/schedule.hpp.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "engine/rng.hpp"
#include "models/model_params.hpp"

namespace asim {

// Random-number purposes: the third counter word. Youth draws are keyed by intake index and
// day since admission, staff draws by staff slot, group draws by group (common random numbers).
enum Purpose : std::uint32_t {
  kPurposeReferral = 1,  // youth traits at referral
  kPurposeYouthDay = 2,  // 4 words per youth-day: contact, rupture/repair, incident, exit
  kPurposeYouthEvent =
      3,  // a youth's switch request (rupture depth and coercion rescale the daily uniform)
  kPurposeMeasure = 4,  // questionnaire noise at a wave
  kPurposePair = 5,     // youth-mentor pair: fit and mentor's rating leniency (| generation << 8)
  kPurposeStaffTraits = 6,
  kPurposeStaffDay = 7,
  kPurposeGroupTraits = 8,
  kPurposeGroupDay = 9,
  kPurposePeerPair = 10,   // per pair of youths and day: a change and a wait (peers.cpp)
  kPurposePlacement = 11,  // per group and day, one word per bed (draw = bed / 4): composition
};

// A module's own purpose (models/module.hpp) follows these and is its own.
static_assert(purposes_distinct(Schedule{}, kPurposePlacement),
              "a module's purpose must be a number after the core's, used by no other module");

constexpr std::uint32_t staff_entity(int group, int slot) {
  return 0x80000000u | (static_cast<std::uint32_t>(group) * 64u + static_cast<std::uint32_t>(slot));
}
constexpr std::uint32_t group_entity(int group) {
  return 0xC0000000u | static_cast<std::uint32_t>(group);
}

enum Profile : std::int8_t { kExternalising = 0, kInternalising = 1, kMixed = 2 };
enum ExitReason : std::int8_t {
  kInCare = 0,
  kPlannedDischarge = 1,
  kDropOut = 2,
  kAbsconded = 3,
  kTransferred = 4
};
enum RuptureState : std::int8_t { kNoRupture = 0, kUndetected = 1, kDetected = 2 };
enum MentorChangeReason : int { kChangeTurnover = 1, kChangeLongSick = 2, kChangeSwitch = 3 };

// What a referral brings: a pure function of (seed, replicate, intake index).
struct Referral {
  std::int32_t intake_index;
  std::int8_t female, profile, closed_indicated;
  float age, help_history, expectations, autonomy, attachment, parent_involvement;
  float intake_problems;
  float stay_z;     // standard normal for the planned length of stay
  float mandate_u;  // uniform deciding a mandate, compared with the setting's share
  float move_u;     // uniform deciding a closed-to-open move under that policy
  float leniency_youth, leniency_parent, motivation_z;
  float elapsed_u;   // initial residents: share of the planned stay already behind them
  float observer_z;  // standard normal for the observer's persistent view of the youth
};
Referral draw_referral(const Rng& rng, const ModelParams& p, std::int32_t intake_index);

struct Mentors {
  Slice<std::int32_t> generation;  // how many workers have held this slot before
  Slice<float> skill, push, stress;
  Slice<float> repair_chance;  // daily repair chance of a detected rupture (skill, training)
  Slice<float> stress_factor;  // exp(rupture.w_stress * stress), refreshed daily
  Slice<float> exp_stress;     // exp(alliance.w_stress * stress), refreshed daily
  Slice<std::int32_t> uses_feedback, on_shift;  // 0/1; 32 bits so that kernels can gather them
  Slice<std::int32_t> sick_days_left, caseload, tenure_days;
  std::size_t size() const { return skill.size(); }
};

// The per-bed state: one Slice per field. A living group (Group) views its own beds; a tile
// (Tile, below) views the beds of several consecutive groups as one array, so that the daily
// kernels run one long loop over every bed of a tile instead of a short loop per group
// (bench/README.md: per-group loops of 8-10 beds spent most of their instructions on set-up).
struct BedState : BedsOf<Schedule> {
  // bed occupancy and youth identity. Flags and codes are 32-bit like the floats beside them: a
  // kernel's loop then runs on 8 beds per AVX2 vector, where one 8-bit array would make the
  // vectoriser take 32 beds at a time and spill.
  Slice<std::int32_t> occupied;
  Slice<std::int32_t> youth_id, cohort, admit_day, mentor, planned_stay;
  Slice<std::int32_t> female, profile, externalising, mandated;
  Slice<float> help_history, expectations, autonomy, attachment, parent_involvement, severity,
      propensity, leniency_youth, leniency_parent, leniency_mentor, fit;
  Slice<float> leniency_observer;  // the observer's persistent view of the youth (0-1 scale)
  Slice<float> motivation_own;     // the youth's own motivational disposition (0-1 scale offset)
  Slice<float> age;                // years, at admission (similarity of peers)
  // Derived values that change only at admission or a change of mentor (hot-loop caches).
  Slice<float> newcomer, parent_target, rupture_factor;
  Slice<float> exp_neg_pair;        // exp(-(propensity + fit + w_skill * skill))
  Slice<float> exp_push;            // exp(w_push * push) of the mentor
  Slice<float> exp_neg_propensity;  // exp(-propensity)
  // dynamic state
  Slice<float> motivation, problems;
  // Where the bed lies in its tile: the group's index within the tile and the tile index of the
  // group's first mentor slot (so a bed's mentor is mentor_base + mentor). Fixed at layout.
  Slice<std::int32_t> tile_group, mentor_base;
  // f(every per-bed array...): the one list of them, for the layout of a block: the core's
  // arrays, then every module's (its Beds part's arrays(), models/module.hpp).
  template <class F>
  void bed_arrays(F&& f) {
    std::apply(
        f, std::tuple_cat(
               std::tie(occupied, youth_id, cohort, admit_day, mentor, planned_stay, female,
                        profile, externalising, mandated, help_history, expectations, autonomy,
                        attachment, parent_involvement, severity, propensity, leniency_youth,
                        leniency_parent, leniency_mentor, fit, leniency_observer, motivation_own,
                        newcomer, parent_target, rupture_factor, exp_neg_pair, exp_push,
                        exp_neg_propensity, motivation, problems, age, tile_group, mentor_base),
               BedsOf<Schedule>::arrays()));
  }
};

// The peer network of living groups: one entry per unordered pair of beds of a group (bed a <
// bed b), group after group. A tie belongs to the two youths in the beds: when either bed's
// youth changes (youth_a/youth_b differ from the beds' youth_id) or a bed is empty, the pair has
// no tie (models/processes/peers.cpp). One record per pair, half a cache line: the peer kernel
// reads a pair's fields together, for the few pairs due on a day. The pairs' next candidate days
// lie apart, in one array the kernel scans every day for the pairs due.
struct PairTie {
  std::int32_t tile_a, tile_b;           // the beds' indices within the tile
  std::int32_t youth_a, youth_b;         // intake indices of the youths the tie belongs to
  std::int32_t since;                    // simulation day the current tie formed
  std::int32_t unused;                   // (the record's size: two per cache line)
  std::int16_t a, b;                     // beds within the group
  std::int8_t friend_tie, conflict_tie;  // 0/1
};
static_assert(sizeof(PairTie) == 32, "two pairs per cache line");
struct PairState {
  Slice<PairTie> tie;
  Slice<std::int32_t> next;  // per pair: its next candidate day; INT32_MAX none, INT32_MAX - 1
                             // joining (peers.cpp)
  std::size_t size() const { return tie.size(); }
  PairTie& operator[](std::size_t k) { return tie[k]; }
  const PairTie& operator[](std::size_t k) const { return tie[k]; }
  template <class F>
  void arrays(F&& f) {
    f(tie, next);
  }
};
constexpr int pair_count(int beds) {
  return beds * (beds - 1) / 2;
}

inline void mentor_arrays(Mentors& m, auto&& f) {
  f(m.generation, m.skill, m.push, m.stress, m.repair_chance, m.stress_factor, m.exp_stress,
    m.uses_feedback, m.on_shift, m.sick_days_left, m.caseload, m.tenure_days);
}

// A living group's own values, which the kernels read once per group and day: a base class
// laid out first in Group, so that they share a few cache lines at the start of the object (at
// national scale the groups' objects do not stay in cache between kernels).
struct GroupValues {
  int index = 0, setting = kOpen, beds = 0;
  // group and team climate (0-1 scales)
  float support = 0.6f, growth = 0.6f, atmosphere = 0.6f, repression = 0.35f;
  float team_climate = 0.6f;
  float incident_rate = 0, coercion_rate = 0, understaffed_rate = 0, turnover_rate = 0;
  std::int8_t understaffed_today = 0;
  int incidents_today = 0, coercions_today = 0, staff_left_today = 0;
  int present = 0;  // occupied beds, kept by admit_youth and update_exits
  // Pairs (indices into the group's pairs) of youths who arrived since the peers' last step:
  // their first candidate day is drawn there (models/processes/peers.cpp). Here, beside the
  // day's counts, because the peers' kernel looks at every group's list every day.
  std::vector<std::int32_t> joined_pairs;
  SettingMechanisms mech{};
  double p_understaffed = 0;  // daily chance of an understaffed shift
};

// One living group: beds hold youths (its BedState views, indexed by bed), slots hold mentors.
struct Group : GroupValues, BedState {
  // Constants of the group's hazards, computed once (models/processes/exits.cpp).
  std::array<double, kTransferIncidentCap + 1> transfer_hazard{};  // by incident count, capped
  double dropout_bound[2][2] = {};  // largest daily drop-out hazard by [externalising][rupture]
  Mentors mentors;
  PairState pairs;  // the group's peer network (its part of the tile's pairs)
  int occupancy() const { return present; }

  Group() = default;
  Group(Group&&) noexcept = default;
  Group& operator=(Group&&) noexcept = default;
  Group(const Group&) = delete;  // the slices view the tile's block: one owner
  Group& operator=(const Group&) = delete;
};

// Consecutive living groups whose beds (and mentor slots) lie in one zeroed block, group after
// group, each group's arrays viewing its part. The tile's own BedState and mentors view the whole
// block: the daily kernels loop over all of a tile's beds at once (models/schedule.hpp). The
// bed count is padded to a multiple of kTilePad with empty beds that belong to the last group.
inline constexpr int kTilePad = 8;
// A youth to be admitted today to a free bed of one of a tile's groups: decided in the ordered
// admission phase (ReplicateRun::step_day: which referral, which cohort position), applied by the
// tile's first step (admit_waiting, models/processes/admission.cpp) while the tile's state is in
// the cache of the thread that runs its day.
struct WaitingAdmission {
  int group;  // within the tile
  int bed;    // within the group
  int admit_day, cohort_index;
  Referral referral;
};
struct Tile : BedState {
  Group* groups = nullptr;  // the tile's groups, consecutive in the replicate's vector
  int group_count = 0;
  int beds = 0;  // padded
  Mentors mentors;
  PairState pairs;  // every group's pairs, group after group
  std::vector<int> bed_offset, mentor_offset, pair_offset;  // per group, and one past the last
  // Per group, for the exit kernel (models/processes/exits.cpp, filled on its first day): the
  // leaving barrier's complement, the 4 drop-out bounds, the kTransferIncidentCap + 1 transfer
  // hazards.
  std::vector<double> leave_open, dropout_bounds, transfer_hazards;
  // The peer kernels' tables (peers.cpp, filled on their first day): the conflict hazard
  // without incidents, a pair's candidate-day chance and 1 / log(1 - chance), an incident day's
  // extra conflict chance, the peer factor of the absconding hazard.
  std::vector<double> conflict_hazard, pair_rate, pair_per_log_stay, incident_conflict,
      leave_factor;
  // The random-number entities (models/state.hpp Purpose) of each slot and each group.
  std::vector<std::uint32_t> mentor_entity, group_entity;
  std::vector<std::int32_t> slot_group;  // per mentor slot of the tile: its group
  // Today's admissions to the tile's beds, in group and bed order (see WaitingAdmission).
  std::vector<WaitingAdmission> admissions;
  // Lays out `count` groups starting at `first`, whose `beds` are set, with `slots[i]` mentor
  // slots each, and binds their arrays (and the tile's) to a new block.
  void layout(Group* first, int count, const int* slots);
  Group& group(int i) { return groups[i]; }

  Tile() = default;
  Tile(Tile&&) noexcept = default;
  Tile& operator=(Tile&&) noexcept = default;
  Tile(const Tile&) = delete;  // the groups' slices point into this tile's block
  Tile& operator=(const Tile&) = delete;

 private:
  std::unique_ptr<std::byte[]> block_;  // every Slice of the tile and its groups views part of it
};

}  // namespace asim
