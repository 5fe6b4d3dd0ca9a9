// Classroom mode's model side: it steps the ordinary model (the same days as run_replicate),
// gives the same youths to an open and a closed group of the same seed, refuses values outside
// the registry's ranges, and tells every event of the day (the one event stream, every youth's
// and the staff's) in the event log exactly once (a peer event, recorded for both youths, once
// per pair); the day's snapshot carries the group's peer ties.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "engine/errors.hpp"
#include "models/classroom.hpp"
#include "tests/support.hpp"

using namespace asim;

namespace {
Scenario baseline() {
  return model_scenario_loader().load_builtin("baseline");
}
bool same_float(float a, float b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}
}  // namespace

TEST_CASE("stepping a replicate day by day gives run_replicate's result", "[classroom]") {
  const Model model(
      test::baseline_params({"cohort.size=40", "cohort.burn_in_days=30",
                             "institution.open_groups=2", "institution.closed_groups=1"}));
  RunOptions options;
  options.daily.fill(true);
  const ReplicateResult whole = model.run_replicate(3, options);
  ReplicateRun run(model, 3, options);
  int days = 0;
  while (!run.step_day()) ++days;
  const ReplicateResult& stepped = run.result();
  REQUIRE(stepped.days == whole.days);
  REQUIRE(days + 1 == whole.days);
  for (int v = 0; v < kGroupVarCount; ++v)
    for (std::size_t i = 0; i < whole.group_values[v].size(); ++i)
      REQUIRE(same_float(stepped.group_values[v][i], whole.group_values[v][i]));
  for (int m = 0; m < kWaveMeasureCount; ++m)
    for (std::size_t i = 0; i < whole.wave_values[m].size(); ++i)
      REQUIRE(same_float(stepped.wave_values[m][i], whole.wave_values[m][i]));
  REQUIRE(stepped.events.size() == whole.events.size());
}

TEST_CASE("the classroom group is the model's group, day by day", "[classroom]") {
  const Scenario base = baseline();
  ClassroomSimulation sim(base, {{"mentor.caseload", 4}});
  const Model model(make_model_params(sim.scenario().values));
  REQUIRE(model.group_count() == 1);
  RunOptions options;
  options.new_group = true;  // classroom mode opens the group on day 0
  const ReplicateResult whole = model.run_replicate(0, options);
  REQUIRE(whole.days > 400);
  for (int day = 1; day < 400; ++day) {
    REQUIRE(sim.step_day());
    REQUIRE(sim.day() == day);
    const float mean = static_cast<float>(sim.today().mean_alliance);
    REQUIRE(mean == whole.group_values[kGroupMeanAlliance][static_cast<std::size_t>(day)]);
    REQUIRE(static_cast<float>(sim.today().atmosphere) ==
            whole.group_values[kGroupAtmosphere][static_cast<std::size_t>(day)]);
    REQUIRE(sim.today().occupancy ==
            static_cast<int>(whole.group_values[kGroupOccupancy][static_cast<std::size_t>(day)]));
  }
}

TEST_CASE("the classroom group opens on day 0: every youth arrives that day and is logged",
          "[classroom]") {
  ClassroomSimulation sim(baseline(), {});
  const ClassroomDay& d = sim.today();
  REQUIRE(d.day == 0);
  REQUIRE(d.occupancy > 0);
  int admissions = 0, opening = 0;
  for (const auto& e : d.events) {
    admissions += e.kind == "admission";
    opening += e.kind == "opening";
    if (e.kind == "admission")
      CHECK(e.text.find("first impression of the alliance") != std::string::npos);
  }
  CHECK(opening == 1);
  CHECK(admissions == d.occupancy);
  for (const auto& y : d.youths) CHECK(y.days_in_care == 0);
  // An ordinary run's first residents are part-way through their stay (steady state).
  const Model model(make_model_params(sim.scenario().values));
  ReplicateRun steady(model, 0, RunOptions{});
  steady.step_day();
  const Group& g = steady.groups().front();
  int earlier = 0;
  for (int b = 0; b < g.beds; ++b) earlier += g.occupied[b] && g.admit_day[b] < 0;
  CHECK(earlier > 0);
}

TEST_CASE("open and closed groups of one seed receive the same youths", "[classroom]") {
  const Scenario base = baseline();
  ClassroomSimulation open(base, {{"setting", 0}});
  ClassroomSimulation closed(base, {{"setting", 1}});
  REQUIRE(open.today().setting == kOpen);
  REQUIRE(closed.today().setting == kClosed);
  REQUIRE(open.scenario().name == "classroom_open");
  REQUIRE(closed.scenario().name == "classroom_closed");
  std::set<int> a, b;
  for (const auto& y : open.today().youths) a.insert(y.id);
  for (const auto& y : closed.today().youths) b.insert(y.id);
  REQUIRE(!a.empty());
  REQUIRE(a == b);
  // ... and the settings then differ: the closed group's growth climate is restricted.
  for (int d = 0; d < 120; ++d) {
    open.step_day();
    closed.step_day();
  }
  CHECK(closed.today().growth < open.today().growth);
}

TEST_CASE("classroom settings outside the registry's range are refused with the range",
          "[classroom]") {
  const Scenario base = baseline();
  auto message = [&](const ClassroomSettings& s) {
    try {
      classroom_scenario(base, s);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(message({{"mentor.caseload", 40}}) == "mentor.caseload = 40 is outside [1, 30]");
  CHECK(message({{"staff.annual_turnover", -0.5}})
            .find("staff.annual_turnover = -0.5 is outside [0, 1.5]") == 0);
  CHECK(message({{"setting", 2}}) ==
        R"(setting = 2 is not allowed: one of "open" (0), "closed" (1))");
  CHECK(message({{"setting", 0.5}}).find("setting = 0.5 is not allowed") == 0);
  CHECK(message({{"run.seed", 1}}).find("'run.seed' is not a classroom control") == 0);
  CHECK(message({{"institution.open_groups", 3}}).find("is not a classroom control") !=
        std::string::npos);
  CHECK(message({{"mentor.caseload", 4}}) == "accepted");
  // every control carries the registry's range and the scenario's value
  const auto controls = classroom_controls(base);
  REQUIRE(controls.front().name == "setting");
  const Registry& registry = model_registry().registry();
  for (const auto& c : controls) {
    if (c.name == "setting") continue;
    const ParamSpec& spec = registry.spec(*registry.index(c.name));
    CHECK(spec.classroom);
    CHECK(c.min == spec.min);
    CHECK(c.max == spec.max);
    CHECK(c.value == base.values.get(c.name));
    CHECK(!c.label.empty());
  }
}

TEST_CASE("the event log tells the day's changes and the run is bounded", "[classroom]") {
  ClassroomSimulation sim(baseline(), {{"policy.routine_feedback", 1}});
  std::map<std::string, int> kinds;
  int ruptures_logged = 0;
  int rupture_count_rises = 0;
  std::map<int, int> last_ruptures;  // youth id -> ruptures seen
  while (sim.day() < 730) {
    REQUIRE(sim.step_day());
    std::set<int> present;
    for (const auto& y : sim.today().youths) present.insert(y.id);
    for (const auto& e : sim.today().events) {
      kinds[e.kind] += 1;
      REQUIRE(e.day == sim.day());
      REQUIRE(e.text.rfind("Day " + std::to_string(sim.day()) + ": ", 0) == 0);
      // (a youth who left today had the day's ruptures told too, but shows no counts)
      if (e.kind == "rupture" && present.count(e.youth)) ++ruptures_logged;
    }
    for (const auto& y : sim.today().youths) {
      const auto it = last_ruptures.find(y.id);
      rupture_count_rises += y.ruptures - (it == last_ruptures.end() ? 0 : it->second);
      last_ruptures[y.id] = y.ruptures;
      REQUIRE(!y.name.empty());
      REQUIRE(!y.mentor.empty());
      REQUIRE(y.youth_rating >= 1);
      REQUIRE(y.youth_rating <= 5);
      REQUIRE(y.mentor_rating >= 1);
      REQUIRE(y.mentor_rating <= 5);
    }
  }
  // every rupture of a youth present at the end of a day is in the log
  CHECK(ruptures_logged == rupture_count_rises);
  for (const char* k : {"rupture", "rupture_detected", "repair", "admission", "exit", "incident"})
    CHECK(kinds[k] > 0);
  CHECK(sim.log().size() <= ClassroomSimulation::kLogSize);
  while (sim.step_day()) {
  }
  CHECK(sim.day() == ClassroomSimulation::kMaxDays - 1);
}

TEST_CASE("every admission and exit is logged even when a youth leaves on the day of arrival",
          "[classroom]") {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario base = loader.load_builtin("baseline");
  loader.apply_override(base, "exit.dropout_rate=0.05");  // many short stays
  ClassroomSimulation sim(base, {});
  const int beds = sim.today().beds;
  int previous = sim.today().occupancy;
  int same_day = 0;
  while (sim.day() < 1000) {
    REQUIRE(sim.step_day());
    int admissions = 0, exits = 0;
    std::set<int> arrived;
    for (const auto& e : sim.today().events) {
      if (e.kind == "admission") ++admissions, arrived.insert(e.bed);
      if (e.kind == "exit") ++exits, same_day += arrived.count(e.bed) ? 1 : 0;
    }
    INFO("day " << sim.day());
    // A day fills every free bed first; the youths then present may leave.
    REQUIRE(admissions == beds - previous);
    REQUIRE(exits == beds - sim.today().occupancy);
    previous = sim.today().occupancy;
  }
  CHECK(same_day > 0);
}

TEST_CASE("a classroom run exports as a result file of one group", "[classroom]") {
  test::TempDir dir;
  ClassroomSimulation sim(baseline(), {{"setting", 1}});
  for (int d = 0; d < 50; ++d) sim.step_day();
  const std::string path = dir.file("classroom.h5");
  sim.write_result_file(path, "test");
  const auto r = test::run_command("h5ls -r " + path);
  REQUIRE(r.status == 0);
  CHECK(r.output.find(
            "/scenarios/classroom_closed/groups/daily/mean_alliance Dataset {1, 1, 51/Inf}") !=
        std::string::npos);
}

TEST_CASE("the event log tells every event of the event stream exactly once",
          "[classroom][events]") {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario base = loader.load_builtin("baseline");
  loader.apply_override(base, "cohort.burn_in_days=30");  // tracked youths from day 30 on
  ClassroomSimulation sim(base, {{"policy.right_to_switch", 1},
                                 {"staff.annual_turnover", 1.5},
                                 {"policy.routine_feedback", 1}});
  // The same group stepped beside it, its stream and result file read directly.
  const Model model(make_model_params(sim.scenario().values));
  std::vector<std::vector<StreamEvent>> stream(1);
  RunOptions options;
  options.new_group = true;
  options.group_grain = 1;
  options.event_stream = &stream;
  ReplicateRun reference(model, 0, options);
  using Key = std::tuple<int, std::string, int, int, int>;  // day, kind, bed, youth id, staff id
  auto kind_name = [](int kind) {
    return std::string(kEventKindNames[static_cast<std::size_t>(kind)]);
  };
  auto is_peer = [](const std::string& kind) {
    return kind == "friendship" || kind == "conflict" || kind == "ran_off_together";
  };
  std::map<std::pair<int, std::string>, int> told;  // (youth id, kind) -> events told
  std::map<std::string, int> kinds;
  std::size_t result_events = 0;
  int tracked_told = 0, untracked_told = 0;
  for (int day = 0; day < 1200; ++day) {
    if (day > 0) REQUIRE(sim.step_day());
    reference.step_day();
    REQUIRE(sim.day() == day);
    INFO("day " << day);
    std::map<Key, int> log;
    // Peer events, recorded for each of the two youths, are told once per pair and day:
    // (kind, lower id, higher id) -> lines.
    using Pair = std::tuple<std::string, int, int>;
    std::map<Pair, int> peer_log;
    int opening = 0;
    for (const auto& e : sim.today().events) {
      REQUIRE(e.day == day);
      if (e.kind == "opening") {
        ++opening;
        continue;
      }
      if (is_peer(e.kind)) {
        peer_log[Pair{e.kind, std::min(e.youth, e.partner), std::max(e.youth, e.partner)}] += 1;
        kinds[e.kind] += 1;
        continue;
      }
      log[Key{e.day, e.kind, e.bed, e.youth, e.staff}] += 1;
      told[{e.youth, e.kind}] += 1;
      kinds[e.kind] += 1;
    }
    REQUIRE(opening == (day == 0 ? 1 : 0));
    // The day's stream and the log: the same events, each told once.
    std::map<Key, int> expected;
    std::set<Pair> peer_pairs;
    for (const StreamEvent& e : stream.front()) {
      const std::string kind = kind_name(e.event.kind);
      const int other = static_cast<int>(e.event.value);
      if (is_peer(kind))
        peer_pairs.insert(Pair{kind, std::min(e.youth_id, other), std::max(e.youth_id, other)});
      else
        expected[Key{e.event.day, kind, e.bed, e.youth_id, e.event.staff}] += 1;
    }
    stream.front().clear();
    REQUIRE(log == expected);
    REQUIRE(peer_log.size() == peer_pairs.size());
    for (const auto& [pair, n] : peer_log) {
      REQUIRE(peer_pairs.count(pair) == 1);
      REQUIRE(n == 1);
    }
    // The result file's events of the day (tracked youths and staff), found by their youth's
    // intake index: each is in the log once.
    const ReplicateResult& r = reference.result();
    for (; result_events < r.events.size(); ++result_events) {
      const Event& e = r.events[result_events];
      const auto cohort_row = static_cast<std::size_t>(std::max(e.youth, 0));
      const int youth =
          e.youth < 0 ? -1 : static_cast<int>(r.static_values[kStIntakeIndex][cohort_row]);
      if (is_peer(kind_name(e.kind))) {  // the pair's one line
        const int other = static_cast<int>(e.value);
        REQUIRE(peer_log.count(
                    Pair{kind_name(e.kind), std::min(youth, other), std::max(youth, other)}) == 1);
        continue;
      }
      int found = 0;
      for (const auto& [key, n] : log)
        if (std::get<0>(key) == e.day && std::get<1>(key) == kind_name(e.kind) &&
            std::get<3>(key) == youth && std::get<4>(key) == e.staff)
          found += n;
      // As many as the file holds of the same day, kind, youth and staff (a youth may make two
      // friends on one day).
      const auto same = std::count_if(r.events.begin(), r.events.end(), [&](const Event& o) {
        return o.day == e.day && o.kind == e.kind && o.youth == e.youth && o.staff == e.staff;
      });
      REQUIRE(found == same);
    }
    // Every youth present, tracked or not: as many ruptures, repairs and mentor changes told
    // as the youth's counts in the model (an oracle that does not read the stream).
    for (const auto& y : sim.today().youths) {
      INFO("youth " << y.id << (y.tracked ? " (tracked)" : " (untracked)"));
      REQUIRE(told[{y.id, "rupture"}] == y.ruptures);
      REQUIRE(told[{y.id, "repair"}] == y.repairs);
      REQUIRE(told[{y.id, "mentor_change"}] == y.mentor_changes);
      REQUIRE(told[{y.id, "admission"}] == 1);
      (y.tracked ? tracked_told : untracked_told) += y.ruptures + y.repairs + y.mentor_changes;
    }
  }
  CHECK(result_events > 0);
  CHECK(tracked_told > 0);
  CHECK(untracked_told > 0);
  for (const char* k : {"admission", "rupture", "rupture_detected", "repair", "mentor_change",
                        "incident", "exit", "staff_left"})
    CHECK(kinds[k] > 0);
}

TEST_CASE("the snapshot carries the peer ties and the log tells each peer event once in words",
          "[classroom][peers]") {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario base = loader.load_builtin("baseline");
  loader.apply_override(base, "exit.abscond_rate=0.004");  // friends running off after a friend
  ClassroomSimulation sim(base, {{"youth.p_externalising", 0.75}});
  std::map<std::string, int> kinds;
  std::map<int, std::string> names;  // youth id -> name, kept after leaving
  int ties_seen = 0, friendship_ties = 0, conflict_ties = 0, new_ties_checked = 0;
  while (sim.day() < 1500) {
    REQUIRE(sim.step_day());
    const ClassroomDay& d = sim.today();
    INFO("day " << d.day);
    std::map<int, const ClassroomYouth*> present;
    for (const auto& y : d.youths) present[y.id] = &y, names[y.id] = y.name;
    // the day's peer events: one line per pair, in plain words with both names
    std::map<std::tuple<std::string, int, int>, int> told;
    for (const auto& e : d.events) {
      if (e.kind != "friendship" && e.kind != "conflict" && e.kind != "ran_off_together") continue;
      kinds[e.kind] += 1;
      REQUIRE(e.youth >= 0);
      REQUIRE(e.partner >= 0);
      REQUIRE(e.partner != e.youth);
      told[{e.kind, std::min(e.youth, e.partner), std::max(e.youth, e.partner)}] += 1;
      const std::string one = names.count(e.youth) ? names[e.youth] : "?";
      const std::string two = names.count(e.partner) ? names[e.partner] : "?";
      const std::string day = "Day " + std::to_string(d.day) + ": ";
      if (e.kind == "friendship") {
        CHECK(e.text == day + one + " and " + two + " became friends");
      } else if (e.kind == "conflict") {
        CHECK(e.text == day + "a conflict between " + one + " and " + two + " began");
      } else {
        const bool together = e.text == day + one + " and " + two + " ran off together";
        const bool after = e.text.rfind(day + one + " ran off, ", 0) == 0 &&
                           e.text.find(" after friend " + two) != std::string::npos;
        CHECK((together || after));
      }
    }
    for (const auto& [key, n] : told) REQUIRE(n == 1);
    // the ties: between two present youths, each pair once, a tie formed today told today
    std::set<std::pair<int, int>> pairs;
    for (const auto& t : d.ties) {
      REQUIRE(t.a < t.b);
      REQUIRE(present.count(t.a));
      REQUIRE(present.count(t.b));
      REQUIRE(pairs.insert({t.a, t.b}).second);
      REQUIRE(t.since <= d.day);
      ++ties_seen;
      (t.friendship ? friendship_ties : conflict_ties) += 1;
      if (t.since == d.day) {
        REQUIRE(told.count({t.friendship ? "friendship" : "conflict", t.a, t.b}) == 1);
        ++new_ties_checked;
      }
    }
    // every friendship or conflict told today between youths still present is a tie today
    for (const auto& [key, n] : told) {
      const auto& [kind, a, b] = key;
      if (kind == "ran_off_together" || !present.count(a) || !present.count(b)) continue;
      bool found = false;
      for (const auto& t : d.ties)
        found = found || (t.a == a && t.b == b && t.friendship == (kind == "friendship") &&
                          t.since == d.day);
      REQUIRE(found);
    }
  }
  CHECK(ties_seen > 0);
  CHECK(friendship_ties > 0);
  CHECK(conflict_ties > 0);
  CHECK(new_ties_checked > 0);
  for (const char* k : {"friendship", "conflict", "ran_off_together"}) CHECK(kinds[k] > 0);
}
