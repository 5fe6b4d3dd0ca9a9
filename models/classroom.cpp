// Classroom mode: one living group of the ordinary model stepped day by day, its state read
// after each day and the day's events (the one event stream of record_event, every youth's and
// the staff's) told in plain language.
#include "models/classroom.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "engine/errors.hpp"
#include "models/processes.hpp"
#include "models/result_file.hpp"

namespace asim {
namespace {

// Page labels of the registry's classroom parameters; a flagged parameter without one is shown
// with its meaning from the registry.
const std::map<std::string, std::string>& labels() {
  static const std::map<std::string, std::string> l{
      {"group.size", "Beds in the group"},
      {"youth.p_externalising",
       "Group composition: share of youths with acting-out (externalising) problems"},
      {"alliance.w_externalising", "How much acting-out problems strain the alliance"},
      {"mentor.caseload", "Caseload: youths per mentor"},
      {"policy.alliance_training", "Mentors trained in alliance building"},
      {"policy.routine_feedback", "Routine session feedback"},
      {"policy.right_to_switch", "Youths may ask for another mentor"},
      {"staff.workers_per_shift", "Supervision: group workers per shift"},
      {"staff.annual_turnover", "Staff turnover per year"},
      {"mentor_change.loss", "Trust lost when a mentor leaves"},
      {"mentor_change.carry_over", "Alliance kept after a change of mentor"},
      {"parent.contact_rate", "Mentor-parent contact"},
      {"treatment.method", "Treatment method of the group"},
      {"policy.peer_culture", "Positive peer culture programme"},
  };
  return l;
}

constexpr std::array<const char*, 24> kGirls{"Mia",   "Sara",  "Noor",  "Lina", "Emma",  "Yara",
                                             "Fenna", "Lotte", "Amira", "Zoe",  "Isa",   "Julia",
                                             "Sanne", "Nina",  "Ilse",  "Rosa", "Hanna", "Esra",
                                             "Lieke", "Maud",  "Femke", "Dewi", "Anouk", "Jade"};
constexpr std::array<const char*, 24> kBoys{"Sam",   "Daan",  "Milan", "Omar",  "Luuk",  "Finn",
                                            "Jesse", "Amir",  "Thijs", "Ryan",  "Bram",  "Levi",
                                            "Noah",  "Kevin", "Sem",   "Yusuf", "Ruben", "Stijn",
                                            "Mees",  "Tim",   "Joep",  "Hamza", "Lars",  "Gijs"};
constexpr std::array<const char*, 24> kWorkers{
    "Eva",    "Tom",     "Marieke", "Karim", "Ellen",  "Joost",  "Petra",  "Rachid",
    "Ingrid", "Bas",     "Monique", "Erik",  "Saskia", "Dennis", "Carla",  "Hugo",
    "Anne",   "Martijn", "Fatima",  "Wim",   "Linda",  "Koen",   "Esther", "Paul"};

// A name that depends only on `key` (so the same youth or worker has the same name in an open
// and a closed panel), with an initial added when someone in `taken` already has it.
template <std::size_t N>
std::string pick_name(const std::array<const char*, N>& list, std::uint32_t key,
                      const std::vector<std::string>& taken) {
  const std::string first = list[key % N];
  for (std::uint32_t k = 0;; ++k) {
    const std::string name =
        k == 0 ? first : first + " " + static_cast<char>('A' + (key / N + k - 1) % 26) + ".";
    bool used = false;
    for (const auto& t : taken) used = used || t == name;
    if (!used || k > 26) return name;
  }
}

// A slider step of 1, 2 or 5 times a power of ten giving about a hundred steps over the range.
double nice_step(double range) {
  const double raw = range / 100.0;
  const double unit = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (m * unit >= raw * (1 - 1e-9)) return m * unit;
  return 10.0 * unit;
}

std::string format_day(int day) {
  return "Day " + std::to_string(day) + ": ";
}

}  // namespace

bool set_by_classroom(const std::string& name) {
  return name.rfind("institution.", 0) == 0 || name.rfind("placement.", 0) == 0;
}

std::vector<ClassroomControl> classroom_controls(const Scenario& base) {
  const Registry& registry = base.values.registry();
  std::vector<ClassroomControl> out;
  ClassroomControl setting;
  setting.name = "setting";
  setting.label = "Setting of the group";
  setting.meaning =
      "open group, or closed (secure) group with locked doors, court orders and more coercion";
  setting.type = ParamType::Choice;
  setting.choices = {"open", "closed"};
  setting.min = 0;
  setting.max = 1;
  setting.value = base.values.get("institution.open_groups") == 0 ? 1.0 : 0.0;  // 0 open, 1 closed
  out.push_back(setting);
  for (std::size_t i = 0; i < registry.size(); ++i) {
    const ParamSpec& spec = registry.spec(i);
    if (!spec.classroom || set_by_classroom(spec.name)) continue;
    ClassroomControl c;
    c.name = spec.name;
    const auto label = labels().find(spec.name);
    c.label = label != labels().end() ? label->second : spec.meaning;
    c.unit = spec.unit;
    c.meaning = spec.meaning;
    c.type = spec.type;
    c.min = spec.min;
    c.max = spec.max;
    c.value = base.values.get(i);
    c.choices = spec.choices;
    c.step =
        spec.type == ParamType::Real && spec.max > spec.min ? nice_step(spec.max - spec.min) : 1.0;
    out.push_back(c);
  }
  return out;
}

Scenario classroom_scenario(const Scenario& base, const ClassroomSettings& settings) {
  Scenario s = base;
  const Registry& registry = s.values.registry();
  std::vector<std::string> known;
  for (const auto& c : classroom_controls(base)) known.push_back(c.name);
  int setting = base.values.get("institution.open_groups") == 0 ? kClosed : kOpen;
  for (const auto& [name, value] : settings) {
    bool is_control = false;
    for (const auto& k : known) is_control = is_control || k == name;
    if (!is_control) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw ConfigError("'" + name + "' is not a classroom control (controls: " + list + ")");
    }
    if (!std::isfinite(value)) throw ConfigError(name + ": the value is not a finite number");
    if (name == "setting") {
      if (value != 0 && value != 1) {
        std::ostringstream v;
        v << value;
        throw ConfigError("setting = " + v.str() +
                          " is not allowed: one of \"open\" (0), \"closed\" (1)");
      }
      setting = static_cast<int>(value);
      continue;
    }
    const std::size_t i = *registry.index(name);
    const std::string why = registry.check(i, value);
    if (!why.empty()) {
      std::ostringstream v;
      v << value;
      throw ConfigError(name + " = " + v.str() + " " + why);
    }
    s.values.set(i, value, "classroom");
  }
  // One group of the chosen setting; every referral is placed in it.
  s.values.set("institution.open_groups", setting == kOpen ? 1 : 0, "classroom");
  s.values.set("institution.closed_groups", setting == kClosed ? 1 : 0, "classroom");
  s.values.set("placement.closed_to_open", setting == kOpen ? 1 : 0, "classroom");
  s.values.set("placement.closed_indication_externalising", setting == kClosed ? 1 : 0,
               "classroom");
  s.values.set("placement.closed_indication_other", setting == kClosed ? 1 : 0, "classroom");
  s.values.set("run.replicates", 1, "classroom");
  s.name = std::string("classroom_") + (setting == kOpen ? "open" : "closed");
  s.question = "classroom mode: one " + std::string(setting == kOpen ? "open" : "closed") +
               " living group, day by day";
  s.sweep.reset();
  Model check(make_model_params(s.values));  // relations between parameters
  return s;
}

namespace {

// A worker's slot and generation from their staff id, and the id of the newcomer who takes the
// slot after them: the inverse of staff_id (models/processes/admission.cpp), which is
// (group * 64 + slot) * 1024 + generation % 1024.
int slot_of(int staff) {
  return staff / 1024 % 64;
}
int generation_of(int staff) {
  return staff % 1024;
}
int successor_of(int staff) {
  return staff - generation_of(staff) + (generation_of(staff) + 1) % 1024;
}
std::string kind_name(int kind) {
  return std::string(kEventKindNames[static_cast<std::size_t>(kind)]);
}

}  // namespace

ClassroomSimulation::ClassroomSimulation(const Scenario& base, const ClassroomSettings& settings)
    : scenario_(classroom_scenario(base, settings)), settings_(settings) {
  model_ = std::make_unique<Model>(make_model_params(scenario_.values));
  stream_.resize(1);  // the one living group's events of the day
  options_.group_grain = 1;
  options_.new_group =
      true;  // the class sees the group open: every youth new, every alliance forming
  options_.event_stream = &stream_;
  run_ = std::make_unique<ReplicateRun>(*model_, 0, options_);
  const Group& g = run_->groups().front();
  const auto beds = static_cast<std::size_t>(g.beds);
  youth_names_.assign(beds, "");
  worker_names_.assign(g.mentors.size(), "");
  mentor_of_bed_.assign(beds, -1);
  rupture_day_.assign(beds, -1);
  ages_.assign(beds, 0.0);
  rng_ = std::make_unique<Rng>(static_cast<std::uint32_t>(model_->params().seed), 0u);
  // The first team, before the group opens.
  for (int s = 0; s < static_cast<int>(g.mentors.size()); ++s) name_worker(staff_id(g, s));
  simulate_day();
}

ClassroomSimulation::~ClassroomSimulation() = default;

int ClassroomSimulation::day() const {
  return run_->day() - 1;
}

bool ClassroomSimulation::step_day() {
  if (run_->day() >= kMaxDays) return false;
  simulate_day();
  return true;
}

void ClassroomSimulation::simulate_day() {
  run_->step_day();
  today_.events.clear();
  std::vector<StreamEvent>& events = stream_.front();
  if (day() == 0) {
    const Group& g = run_->groups().front();
    int arrivals = 0;
    for (const StreamEvent& e : events) arrivals += e.event.kind == kEvAdmission;
    const std::string text = std::string("the ") + (g.setting == kOpen ? "open" : "closed") +
                             " group opens its doors: " + std::to_string(arrivals) +
                             " youths arrive today and meet " + std::to_string(g.mentors.size()) +
                             " group workers; each youth gets a mentor";
    log_event(ClassroomEvent{0, "opening", format_day(0) + text, -1, -1, -1});
  }
  // Who absconds today: a friend who ran off with them is told "together" whichever of the two
  // the schedule records first.
  peer_told_.clear();
  for (const StreamEvent& e : events)
    if (e.event.kind == kEvExit && static_cast<int>(e.event.value) == kAbsconded)
      absconded_on_[e.youth_id] = e.event.day;
  for (const StreamEvent& e : events) tell(e);  // in the order of the day's schedule
  events.clear();
  take_snapshot();
}

void ClassroomSimulation::log_event(const ClassroomEvent& e) {
  today_.events.push_back(e);
  log_.push_back(e);
  while (log_.size() > kLogSize) log_.pop_front();
}

std::string ClassroomSimulation::name_of_youth(int id) const {
  const auto it = names_by_id_.find(id);
  return it != names_by_id_.end() ? it->second : "a youth";
}

const std::string& ClassroomSimulation::staff_name(int staff) const {
  static const std::string unknown = "a group worker";
  const auto it = staff_names_.find(staff);
  return it != staff_names_.end() ? it->second : unknown;
}

// The worker with this staff id joins the team: a name of their slot and generation, with an
// initial if a colleague has it already.
void ClassroomSimulation::name_worker(int staff) {
  const auto s = static_cast<std::size_t>(slot_of(staff));
  const auto key = static_cast<std::uint32_t>(s * 7 + generation_of(staff) * 5);
  worker_names_[s] = pick_name(kWorkers, key, worker_names_);
  staff_names_[staff] = worker_names_[s];
}

// One event of the stream in plain language, read with what the log told before it.
void ClassroomSimulation::tell(const StreamEvent& se) {
  const Group& g = run_->groups().front();
  const Event& e = se.event;
  const int b = se.bed;
  const auto bi = static_cast<std::size_t>(std::max(b, 0));
  auto say = [&](const std::string& text, int partner = -1) {
    const std::string kind = kind_name(e.kind);
    log_event(
        ClassroomEvent{e.day, kind, format_day(e.day) + text, b, se.youth_id, e.staff, partner});
  };
  if (e.kind == kEvStaffLeft) {
    const std::string left = staff_name(e.staff);
    name_worker(successor_of(e.staff));
    say("group worker " + left + " left the team; " + staff_name(successor_of(e.staff)) +
        " joins as a new colleague");
    return;
  }
  const std::string mentor = staff_name(e.staff);
  if (b < 0) {  // a staff event of a kind without a sentence of its own
    say(mentor + ": " + kind_name(e.kind));
    return;
  }
  if (e.kind == kEvAdmission) {
    const Referral r = draw_referral(*rng_, model_->params(), se.youth_id);
    ages_[bi] = r.age;
    const auto key = static_cast<std::uint32_t>(se.youth_id);
    youth_names_[bi] = pick_name(r.female ? kGirls : kBoys, key, youth_names_);
    names_by_id_[se.youth_id] = youth_names_[bi];
    mentor_of_bed_[bi] = e.staff;
    rupture_day_[bi] = -1;
    std::ostringstream text;
    text << youth_name(b) << " (" << static_cast<int>(ages_[bi]) << ") arrives; mentor " << mentor
         << "; first impression of the alliance " << std::fixed << std::setprecision(1)
         << scale_1_5(alliance_of(g, b)) << " (1-5)";
    say(text.str());
    return;
  }
  if (e.kind == kEvFriendship || e.kind == kEvConflict || e.kind == kEvRanOffTogether) {
    // Recorded for each of the two youths: told once per pair and day.
    const int other = static_cast<int>(e.value);
    const auto told = std::make_tuple(static_cast<int>(e.kind), std::min(se.youth_id, other),
                                      std::max(se.youth_id, other));
    if (!peer_told_.insert(told).second) return;
    const std::string one = name_of_youth(se.youth_id), two = name_of_youth(other);
    if (e.kind == kEvFriendship) {
      say(one + " and " + two + " became friends", other);
    } else if (e.kind == kEvConflict) {
      say("a conflict between " + one + " and " + two + " began", other);
    } else {
      const auto gone = absconded_on_.find(other);
      const int after = gone != absconded_on_.end() ? e.day - gone->second : -1;
      if (after == 0)
        say(one + " and " + two + " ran off together", other);
      else if (after > 0)
        say(one + " ran off, " + std::to_string(after) + (after == 1 ? " day" : " days") +
                " after friend " + two,
            other);
      else
        say(one + " ran off after friend " + two, other);
    }
    return;
  }
  const std::string who = youth_name(b);
  switch (e.kind) {
    case kEvRupture:
      rupture_day_[bi] = e.day;
      say(who + " and mentor " + mentor + " had a rupture");
      break;
    case kEvRuptureDetected: {
      const auto slot = static_cast<std::size_t>(slot_of(e.staff));
      const bool feedback = g.mentors.uses_feedback[slot] != 0;
      say(mentor + " noticed the rupture with " + who + (feedback ? " (routine feedback)" : ""));
      break;
    }
    case kEvRepair:
      say(who + " and mentor " + mentor + " repaired their rupture" +
          (rupture_day_[bi] >= 0 ? " of day " + std::to_string(rupture_day_[bi]) : ""));
      rupture_day_[bi] = -1;
      break;
    case kEvMentorChange: {
      const std::string old = staff_name(mentor_of_bed_[bi]);
      std::string text;
      switch (static_cast<int>(e.value)) {
        case kChangeTurnover:
          text = who + "'s mentor " + old + " left; the new mentor is " + mentor;
          break;
        case kChangeLongSick:
          text = who + "'s mentor " + old + " is on long sick leave; " + mentor + " takes over";
          break;
        default:
          text = who + " asked for another mentor: " + mentor + " instead of " + old;
          break;
      }
      if (rupture_day_[bi] >= 0)
        text += " (the rupture of day " + std::to_string(rupture_day_[bi]) + " was never repaired)";
      mentor_of_bed_[bi] = e.staff;
      rupture_day_[bi] = -1;
      say(text);
      break;
    }
    case kEvIncident:
      say("incident involving " + who + (e.value != 0 ? "; a coercive measure was used" : ""));
      break;
    case kEvExit: {
      const char* how = "left the group";
      switch (static_cast<int>(e.value)) {
        case kPlannedDischarge:
          how = "left the group as planned";
          break;
        case kDropOut:
          how = "dropped out of care";
          break;
        case kAbsconded:
          how = "ran away from the group (absconded)";
          break;
        case kTransferred:
          how = "was transferred to another setting";
          break;
        default:
          break;
      }
      say(who + " " + how);
      youth_names_[bi].clear();
      mentor_of_bed_[bi] = -1;
      rupture_day_[bi] = -1;
      break;
    }
    default:
      say(who + ": " + kind_name(e.kind));
      break;
  }
}

void ClassroomSimulation::take_snapshot() {
  const Group& g = run_->groups().front();
  ClassroomDay& t = today_;
  t.day = day();
  t.setting = g.setting;
  t.beds = g.beds;
  t.occupancy = g.occupancy();
  t.support = g.support;
  t.growth = g.growth;
  t.atmosphere = g.atmosphere;
  t.repression = g.repression;
  t.team_climate = g.team_climate;
  t.mood = (t.support + t.growth + t.atmosphere + 1.0 - t.repression) / 4.0;
  t.incidents = g.incidents_today;
  t.coercions = g.coercions_today;
  t.understaffed = g.understaffed_today != 0;
  t.youths.clear();
  double alliance = 0, motivation = 0;
  for (int b = 0; b < g.beds; ++b) {
    const auto bi = static_cast<std::size_t>(b);
    if (!g.occupied[bi]) continue;
    ClassroomYouth y;
    y.bed = b;
    y.id = g.youth_id[bi];
    y.name = youth_name(b);
    y.mentor_slot = g.mentor[bi];
    y.mentor = worker_names_[static_cast<std::size_t>(y.mentor_slot)];
    y.female = g.female[bi] != 0;
    y.tracked = g.cohort[bi] >= 0;
    y.profile = g.profile[bi];
    y.age = ages_[bi] + day_since_admission(g, b, t.day) / 365.25;
    y.days_in_care = day_since_admission(g, b, t.day);
    y.rupture = g.rupture[bi];
    y.ruptures = g.ruptures[bi];
    y.repairs = g.repairs[bi];
    y.mentor_changes = g.mentor_changes[bi];
    y.bond = g.bond[bi];
    y.goals = g.goals[bi];
    y.tasks = g.tasks[bi];
    y.alliance = alliance_of(g, b);
    y.motivation = g.motivation[bi];
    y.problems = g.problems[bi];
    y.youth_rating = scale_1_5(youth_view_of(model_->params(), g, b));
    y.mentor_rating = scale_1_5(mentor_view_of(model_->params(), g, b));
    alliance += y.alliance;
    motivation += y.motivation;
    t.youths.push_back(y);
  }
  const double n = static_cast<double>(t.youths.size());
  t.mean_alliance = n > 0 ? alliance / n : 0;
  t.mean_motivation = n > 0 ? motivation / n : 0;
  t.ties.clear();
  const PairState& q = g.pairs;
  for (std::size_t k = 0; k < q.size(); ++k) {
    if (!(q[k].friend_tie | q[k].conflict_tie)) continue;
    const auto a = static_cast<std::size_t>(q[k].a), b = static_cast<std::size_t>(q[k].b);
    // a tie of two youths still present in the two beds
    if (!g.occupied[a] || !g.occupied[b] || q[k].youth_a != g.youth_id[a] ||
        q[k].youth_b != g.youth_id[b])
      continue;
    ClassroomTie tie;
    tie.a = std::min(g.youth_id[a], g.youth_id[b]);
    tie.b = std::max(g.youth_id[a], g.youth_id[b]);
    tie.friendship = q[k].friend_tie != 0;
    tie.since = q[k].since;
    t.ties.push_back(tie);
  }
  t.workers.clear();
  for (std::size_t s = 0; s < g.mentors.size(); ++s) {
    ClassroomWorker w;
    w.slot = static_cast<int>(s);
    w.name = worker_names_[s];
    w.caseload = g.mentors.caseload[s];
    w.tenure_days = g.mentors.tenure_days[s];
    w.on_shift = g.mentors.on_shift[s] != 0;
    w.sick = g.mentors.sick_days_left[s] > 0;
    w.uses_feedback = g.mentors.uses_feedback[s] != 0;
    w.stress = g.mentors.stress[s];
    t.workers.push_back(w);
  }
}

void ClassroomSimulation::write_result_file(const std::string& path,
                                            const std::string& command_line) const {
  ResultWriter writer(path, command_line);
  writer.begin_scenario(scenario_, *model_, options_, 1);
  writer.write_replicate(run_->result());
  writer.end_scenario();
  writer.close();
}

}  // namespace asim
