// Classroom mode: one living group of the model, stepped day by day for a live view
// (`alliance-sim serve`, docs/classroom.md). The group is a replicate of the ordinary model with
// one group (models/simulation.hpp, ReplicateRun): nothing is re-implemented here. This file
// only chooses the scenario, reads the group's state after each day and tells the day's events
// in plain language: the events record_event records for every youth, tracked or not, and the
// staff (the one event stream, RunOptions::event_stream), of which the result file keeps the
// tracked cohort's.
#pragma once
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/config.hpp"
#include "models/simulation.hpp"

namespace asim {

// A control of the classroom page: a parameter of the registry flagged `classroom` (range, unit
// and meaning from the registry), or "setting", the setting of the one group shown.
struct ClassroomControl {
  std::string name, label, unit, meaning;
  ParamType type = ParamType::Real;
  double min = 0, max = 0, value = 0, step = 1;
  std::vector<std::string> choices;  // Choice only
};

// Values chosen on the page: control name -> value (Boolean 0/1, Choice the index).
using ClassroomSettings = std::map<std::string, double>;

// The controls, with their values in `base`.
std::vector<ClassroomControl> classroom_controls(const Scenario& base);

// The scenario of a classroom run: `base` with the settings, one replicate of one living group
// of the chosen setting, and every referral placed in that group, so an open and a closed group
// with the same seed receive the same youths. Throws ConfigError naming the control and its
// allowed range ("mentor.caseload = 40 is outside [1, 30]") or the model's complaint.
Scenario classroom_scenario(const Scenario& base, const ClassroomSettings& settings);

// Whether classroom mode sets the parameter itself (institution.*: one group of the page's
// setting; placement.*: every referral placed in it), so that it cannot be given with --set.
bool set_by_classroom(const std::string& name);

struct ClassroomYouth {
  int bed = 0, id = 0;  // id: intake index in the referral stream
  std::string name, mentor;
  bool female = false, tracked = false;
  int profile = 0, days_in_care = 0, mentor_slot = 0, rupture = 0;
  int ruptures = 0, repairs = 0, mentor_changes = 0;
  double age = 0;
  // latent state (0-1) and what youth and mentor would rate today (1-5, without occasion noise)
  double bond = 0, goals = 0, tasks = 0, alliance = 0, motivation = 0, problems = 0;
  double youth_rating = 0, mentor_rating = 0;
};

struct ClassroomWorker {
  int slot = 0;
  std::string name;
  int caseload = 0, tenure_days = 0;
  bool on_shift = false, sick = false, uses_feedback = false;
  double stress = 0;
};

// A tie of the group's peer network between two present youths (ids: ClassroomYouth::id).
struct ClassroomTie {
  int a = 0, b = 0;        // a < b
  bool friendship = true;  // false: a conflict (quarrel, bullying)
  int since = 0;           // day the tie formed
};

// One event of the log: an event of the stream (kind from kEventKindNames: admission, rupture,
// rupture_detected, repair, mentor_change, incident, exit, staff_left, friendship, conflict,
// ran_off_together), or the group's "opening" on day 0, told in plain language. The stream
// records a peer event for each of the two youths; the log tells it once per pair and day,
// with the other youth as `partner`.
struct ClassroomEvent {
  int day = 0;
  std::string kind;
  std::string text;  // "Day 41: Sam and mentor Eva had a rupture"
  int bed = -1;      // -1 for staff events and the opening
  int youth = -1;    // the youth's id (intake index, ClassroomYouth::id), -1 for staff events
  int staff = -1;    // the event's staff id (models/processes.hpp staff_id), -1 when none
  int partner = -1;  // peer events: the other youth's id
};

// The group after one simulated day.
struct ClassroomDay {
  int day = 0;
  int setting = kOpen;
  int beds = 0, occupancy = 0;
  double support = 0, growth = 0, atmosphere = 0, repression = 0, team_climate = 0;
  double mood = 0;  // (support + growth + atmosphere + 1 - repression) / 4: the room's mood, 0-1
  double mean_alliance = 0, mean_motivation = 0;
  int incidents = 0, coercions = 0;
  bool understaffed = false;
  std::vector<ClassroomYouth> youths;    // occupied beds, by bed
  std::vector<ClassroomWorker> workers;  // every staff slot
  std::vector<ClassroomTie> ties;        // the peer network among the present youths
  std::vector<ClassroomEvent> events;    // what happened that day
};

class ClassroomSimulation {
 public:
  // Days a classroom run may last (ten years): bounds its memory.
  static constexpr int kMaxDays = 3650;
  // Simulates day 0: the group opens, every first resident arrives that day
  // (RunOptions::new_group).
  ClassroomSimulation(const Scenario& base, const ClassroomSettings& settings);
  ~ClassroomSimulation();
  ClassroomSimulation(const ClassroomSimulation&) = delete;
  ClassroomSimulation& operator=(const ClassroomSimulation&) = delete;

  // Simulates the next day; returns false (and does nothing) once kMaxDays are simulated.
  bool step_day();
  int day() const;  // the last simulated day
  const ClassroomDay& today() const { return today_; }
  const std::deque<ClassroomEvent>& log() const { return log_; }  // the latest kLogSize events
  static constexpr std::size_t kLogSize = 300;
  const Scenario& scenario() const { return scenario_; }
  const ClassroomSettings& settings() const { return settings_; }
  // Writes the days simulated so far as a result file (the layout of `alliance-sim run`, one
  // scenario named after the setting, one replicate, one group) through the run's writer.
  void write_result_file(const std::string& path, const std::string& command_line) const;

 private:
  void simulate_day();
  void tell(const StreamEvent& e);
  void log_event(const ClassroomEvent& e);
  void take_snapshot();
  std::string youth_name(int bed) const { return youth_names_[static_cast<std::size_t>(bed)]; }
  std::string name_of_youth(int id) const;
  const std::string& staff_name(int staff) const;
  void name_worker(int staff);

  Scenario scenario_;
  ClassroomSettings settings_;
  std::unique_ptr<Model> model_;
  std::vector<std::vector<StreamEvent>> stream_;  // the day's events (RunOptions::event_stream)
  RunOptions options_;
  std::unique_ptr<ReplicateRun> run_;
  // What the log has told so far, from the events alone: names of the present youths (by bed)
  // and workers (by slot, and by staff id for those who left), each bed's mentor (staff id)
  // and the day of its open rupture (-1 when none).
  std::vector<std::string> youth_names_, worker_names_;
  std::map<int, std::string> staff_names_;
  std::vector<int> mentor_of_bed_, rupture_day_;
  std::vector<double> ages_;  // age at admission (the youth's referral)
  // Every youth's name by id (also after leaving: a peer event may name a youth who left), the
  // day each youth absconded, and the peer events of the day already told (kind, lower id,
  // higher id).
  std::map<int, std::string> names_by_id_;
  std::map<int, int> absconded_on_;
  std::set<std::tuple<int, int, int>> peer_told_;
  std::unique_ptr<Rng> rng_;  // the replicate's generator, to read referrals
  ClassroomDay today_;
  std::deque<ClassroomEvent> log_;
};

}  // namespace asim
