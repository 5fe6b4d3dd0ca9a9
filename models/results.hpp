// What one replicate produces, in memory until the writer streams it to the result file.
// The catalogues below name every output variable once, with its unit and meaning; the HDF5
// writer, the schema document and the CLI's --daily option all read them.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace asim {

struct OutputVar {
  std::string_view name, unit, meaning;
};

// --- youth/waves/<measure> [replicate, youth, wave] -----------------------------------------
enum WaveMeasure : int {
  kAllianceYouth,
  kAllianceMentor,
  kAllianceParent,
  kAllianceObserver,
  kMotivation,
  kProblems,
  kClimateSupport,
  kClimateGrowth,
  kClimateAtmosphere,
  kClimateRepression,
  kSrs,
  kParentOutcome,
  kAllianceTrue,
  kAllianceTrueBond,
  kAllianceTrueGoals,
  kAllianceTrueTasks,
  kAllianceTrueOthers,
  kAllianceTrueParent,
  kMotivationTrue,
  kProblemsTrue,
  kEngagementTrue,
  kPeerStandingTrue,
  kPeerFriends,
  kPeerConflicts,
  kPeerActingOutFriends,
  kPeerVictimised,
  kWaveMeasureCount
};
inline constexpr std::array<OutputVar, kWaveMeasureCount> kWaveMeasures{{
    {"alliance_youth", "1-5", "youth-rated alliance with the mentor (12-item mean, WAV-12 style)"},
    {"alliance_mentor", "1-5", "mentor-rated alliance with the youth (12-item mean)"},
    {"alliance_parent", "1-5", "parent-rated alliance (12-item mean)"},
    {"alliance_observer", "0-5", "observer-rated alliance"},
    {"motivation", "1-5", "youth-rated treatment motivation"},
    {"problems", "0-40", "problems questionnaire (SDQ-like total; unfavourable at >= 12.5)"},
    {"climate_support", "1-5", "youth-rated group climate: support"},
    {"climate_growth", "1-5", "youth-rated group climate: growth"},
    {"climate_atmosphere", "1-5", "youth-rated group climate: atmosphere"},
    {"climate_repression", "1-5", "youth-rated group climate: repression"},
    {"srs", "0-40", "session rating scale; NaN unless the mentor uses routine feedback"},
    {"parent_outcome", "1-5", "parent's own outcome (parenting competence)"},
    {"alliance_true", "1-5", "latent alliance with the mentor (mean of bond, goals, tasks)"},
    {"alliance_true_bond", "1-5", "latent bond"},
    {"alliance_true_goals", "1-5", "latent agreement on goals"},
    {"alliance_true_tasks", "1-5", "latent agreement on tasks"},
    {"alliance_true_others", "1-5", "latent general alliance with the other group workers"},
    {"alliance_true_parent", "1-5", "latent parent-mentor alliance"},
    {"motivation_true", "1-5", "latent treatment motivation"},
    {"problems_true", "0-40", "latent problems"},
    {"engagement_true", "0-1", "latent engagement in treatment"},
    {"peer_standing_true", "0-1", "latent standing among the living-group peers"},
    {"peer_friends", "count", "friends in the living group (the youth's nominations)"},
    {"peer_conflicts", "count",
     "youths in the group the youth is in conflict with (quarrels, bullying)"},
    {"peer_acting_out_friends", "0-1",
     "share of the youth's friends with an externalising profile; NaN without friends"},
    {"peer_victimised", "0/1",
     "in conflict with an externalising youth of the group (victimisation)"},
}};

// --- youth/daily/<variable> [replicate, youth, day since admission] (on request) ------------
enum DailyVar : int {
  kDailyAlliance,
  kDailyBond,
  kDailyGoals,
  kDailyTasks,
  kDailyOthers,
  kDailyMotivation,
  kDailyProblems,
  kDailyEngagement,
  kDailyParentAlliance,
  kDailyRupture,
  kDailyContact,
  kDailyMentorStress,
  kDailyPeerStanding,
  kDailyVarCount
};
inline constexpr std::array<OutputVar, kDailyVarCount> kDailyVars{{
    {"alliance", "0-1", "latent alliance with the mentor"},
    {"bond", "0-1", "latent bond"},
    {"goals", "0-1", "latent goal agreement"},
    {"tasks", "0-1", "latent task agreement"},
    {"others", "0-1", "latent alliance with the other group workers"},
    {"motivation", "0-1", "latent treatment motivation"},
    {"problems", "0-40", "latent problems"},
    {"engagement", "0-1", "latent engagement"},
    {"parent_alliance", "0-1", "latent parent-mentor alliance"},
    {"rupture", "0 none, 1 undetected, 2 detected",
     "rupture state: 0 none, 1 undetected, 2 detected"},
    {"contact", "0/1", "contact with the mentor that day"},
    {"mentor_stress", "0-1", "the mentor's stress"},
    {"peer_standing", "0-1", "latent standing among the living-group peers"},
}};

// --- groups/daily/<variable> [replicate, group, simulation day] ------------------------------
enum GroupVar : int {
  kGroupOccupancy,
  kGroupSupport,
  kGroupGrowth,
  kGroupAtmosphere,
  kGroupRepression,
  kGroupTeamClimate,
  kGroupIncidents,
  kGroupCoercions,
  kGroupUnderstaffed,
  kGroupMeanAlliance,
  kGroupMeanMotivation,
  kGroupMeanProblems,
  kGroupMeanStress,
  kGroupFriendDensity,
  kGroupConflictTies,
  kGroupMeanFriends,
  kGroupFriendless,
  kGroupVarCount
};
inline constexpr std::array<OutputVar, kGroupVarCount> kGroupVars{{
    {"occupancy", "youths", "youths in the group"},
    {"climate_support", "0-1", "latent group climate: support"},
    {"climate_growth", "0-1", "latent group climate: growth"},
    {"climate_atmosphere", "0-1", "latent group climate: atmosphere"},
    {"climate_repression", "0-1", "latent group climate: repression"},
    {"team_climate", "0-1", "the staff team's work climate (communication, cohesion, safety)"},
    {"incidents", "count", "incidents that day"},
    {"coercive_measures", "count", "coercive measures that day"},
    {"understaffed", "0/1", "a shift was understaffed that day"},
    {"mean_alliance", "0-1", "mean latent alliance of the youths present"},
    {"mean_motivation", "0-1", "mean latent motivation of the youths present"},
    {"mean_problems", "0-40", "mean latent problems of the youths present"},
    {"mean_mentor_stress", "0-1", "mean stress of the group's mentors"},
    {"friend_density", "0-1",
     "friendship ties over the possible pairs of the youths present; NaN with fewer than 2"},
    {"conflict_ties", "count", "conflict ties (quarrels, bullying) among the youths present"},
    {"mean_friends", "count", "mean friends in the group of the youths present"},
    {"friendless", "0-1", "share of the youths present without a friend in the group"},
}};

// --- youth/static/<field> and outcomes/<field> [replicate, youth] -----------------------------
enum class FieldType { I8, I32, F32 };
struct FieldVar {
  std::string_view name, unit, meaning;
  FieldType type;
};
enum StaticField : int {
  kStIntakeIndex,
  kStSetting,
  kStGroup,
  kStMentor,
  kStAdmissionDay,
  kStAge,
  kStFemale,
  kStProfile,
  kStExternalising,
  kStHelpHistory,
  kStExpectations,
  kStAutonomy,
  kStAttachment,
  kStParentInvolvement,
  kStSeverity,
  kStProblemsIntake,
  kStMandated,
  kStPlannedStay,
  kStClosedIndicated,
  kStaticFieldCount
};
inline constexpr std::array<FieldVar, kStaticFieldCount> kStaticFields{{
    {"intake_index", "", "position in the referral stream (the key of common random numbers)",
     FieldType::I32},
    {"setting", "0 open, 1 closed", "setting of the group at admission", FieldType::I8},
    {"group", "", "living group at admission", FieldType::I32},
    {"mentor", "", "staff id of the first mentor", FieldType::I32},
    {"admission_day", "simulation day", "day of admission", FieldType::I32},
    {"age", "years", "age at admission", FieldType::F32},
    {"female", "0/1", "girl", FieldType::I8},
    {"profile", "0 externalising, 1 internalising, 2 mixed", "problem profile", FieldType::I8},
    {"externalising", "0/1", "externalising profile", FieldType::I8},
    {"help_history", "placements", "earlier placements", FieldType::I32},
    {"expectations", "z", "expectations of care", FieldType::F32},
    {"autonomy", "z", "distrust of adult authority / wish for autonomy", FieldType::F32},
    {"attachment", "z", "attachment security", FieldType::F32},
    {"parent_involvement", "0-1", "parental involvement", FieldType::F32},
    {"severity", "0-40", "latent problems at intake", FieldType::F32},
    {"problems_intake", "0-40", "problems questionnaire at intake", FieldType::F32},
    {"mandated", "0/1", "placed by court order", FieldType::I8},
    {"planned_stay_days", "days", "planned length of stay", FieldType::I32},
    {"closed_indicated", "0/1", "referred for closed care", FieldType::I8},
}};
enum OutcomeField : int {
  kOutExitReason,
  kOutExitDay,
  kOutFavourable,
  kOutPremature,
  kOutMentorChanges,
  kOutRuptures,
  kOutRepairs,
  kOutIncidents,
  kOutCoercions,
  kOutcomeFieldCount
};
inline constexpr std::array<FieldVar, kOutcomeFieldCount> kOutcomeFields{{
    {"exit_reason", "0 in care, 1 planned discharge, 2 drop-out, 3 absconded, 4 transferred",
     "status at the end of follow-up", FieldType::I8},
    {"exit_day", "days since admission", "day of leaving care; -1 when still in care",
     FieldType::I32},
    {"favourable", "0/1",
     "planned discharge or in care at the end, last-wave problems < 12.5 and >= 5 below intake",
     FieldType::I8},
    {"premature_exit", "0/1", "dropped out or absconded", FieldType::I8},
    {"mentor_changes", "count", "changes of mentor during follow-up", FieldType::I32},
    {"ruptures", "count", "alliance ruptures during follow-up", FieldType::I32},
    {"repairs", "count", "repaired ruptures during follow-up", FieldType::I32},
    {"incidents", "count", "incidents the youth was involved in", FieldType::I32},
    {"coercive_measures", "count", "coercive measures applied to the youth", FieldType::I32},
}};

enum EventKind : std::int8_t {
  kEvAdmission = 0,
  kEvRupture = 1,
  kEvRuptureDetected = 2,
  kEvRepair = 3,
  kEvMentorChange = 4,
  kEvIncident = 5,
  kEvExit = 6,
  kEvStaffLeft = 7,
  kEvFriendship = 8,       // a friendship formed; value: the friend's intake index
  kEvConflict = 9,         // a conflict (quarrel, bullying) began; value: the other's intake index
  kEvRanOffTogether = 10,  // absconded with a friend (same day or within peers.together_days after
                           // the friend); value: the friend's intake index
  kEventKindCount = 11
};
inline constexpr std::array<std::string_view, kEventKindCount> kEventKindNames{
    "admission", "rupture",    "rupture_detected", "repair",   "mentor_change",   "incident",
    "exit",      "staff_left", "friendship",       "conflict", "ran_off_together"};

struct Event {
  std::int32_t day;  // simulation day
  std::int8_t kind;
  std::int32_t youth;  // cohort index, -1 for staff events
  std::int32_t staff;  // staff id, -1 when none
  // kind-specific: exit reason, change reason, coercion 0/1, drop size, or a partner's intake
  // index (exact in float up to 2^24 = 16 777 216 referrals per replicate; Model refuses more)
  float value;
};

// One tie of a tracked youth's ego network at a wave (peers/edges, docs/hdf5-schema.md).
enum PeerTie : std::int8_t { kTieFriendship = 1, kTieConflict = 2 };
struct PeerEdge {
  std::int32_t day;             // simulation day of the wave
  std::int32_t wave;            // wave index
  std::int32_t youth;           // tracked youth: cohort index
  std::int32_t partner;         // the other youth's intake index
  std::int32_t partner_cohort;  // the other youth's cohort index, -1 when not tracked
  std::int8_t tie;              // PeerTie
};

struct ReplicateResult {
  int replicate = 0;
  int cohort = 0, waves = 0, follow_up_days = 0, groups = 0, days = 0;
  double youth_days = 0;
  std::vector<float> wave_values[kWaveMeasureCount];  // [youth * waves + wave]
  std::vector<float> daily_values[kDailyVarCount];  // [youth * follow_up_days + day], if requested
  std::vector<float> group_values[kGroupVarCount];  // [group * days + day]
  std::vector<double> static_values[kStaticFieldCount];    // [youth]
  std::vector<double> outcome_values[kOutcomeFieldCount];  // [youth]
  std::vector<Event> events;
  std::vector<PeerEdge> peer_edges;  // the ego networks of the tracked youths at their waves
  // Chunks compressed by ResultWriter::compress in the parallel stage, in the writer's order.
  std::vector<std::vector<unsigned char>> chunks;
};

}  // namespace asim
