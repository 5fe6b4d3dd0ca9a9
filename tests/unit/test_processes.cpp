// One test per step of the day's schedule (models/schedule.hpp kDailySchedule), each running
// that step alone on a one-group fixture (tests/unit/process_fixture.hpp) with parameters that
// make its mechanism's effect unambiguous, and a companion that switches the mechanism off (its
// parameter at 0) and finds the effect absent. Last, a tile of three groups gives each group
// exactly what it gets alone: the tile is only a layout.
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "tests/support.hpp"
#include "tests/unit/process_fixture.hpp"

using namespace asim;
using asim::test::ProcessFixture;

namespace {

ModelParams base() {
  return test::baseline_params();
}

// Every bed of group 0 (a fixture of one group of 9 beds, all admitted and tracked on day 0).
constexpr int kBeds = 9;

template <class T>
void fill(Slice<T>& s, int n, T v) {
  for (int b = 0; b < n; ++b) s[b] = v;
}

// The same events in the same order.
void check_same_events(const std::vector<Event>& a, const std::vector<Event>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k].day == b[k].day);
    CHECK(a[k].kind == b[k].kind);
    CHECK(a[k].youth == b[k].youth);
    CHECK(a[k].staff == b[k].staff);
    CHECK(std::bit_cast<std::uint32_t>(a[k].value) == std::bit_cast<std::uint32_t>(b[k].value));
  }
}

}  // namespace

// Every step of the schedule has a test that runs it alone on the fixture: a TEST_CASE tagged
// [process][<name>], here for the model's steps, or beside a new module's validation test in
// tests/validation/ (whose [process] tests ctest runs with the unit label, tests/CMakeLists.txt).
// A step added to the schedule without one fails the first test below.
namespace {
bool has_process_test(std::string_view name) {
  const std::string tag = "[process][" + std::string(name) + "]";
  for (const char* dir : {"tests/unit", "tests/validation"})
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(ASIM_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".cpp") continue;
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      if (text.find(tag) != std::string::npos) return true;
    }
  return false;
}
}  // namespace

TEST_CASE("every step of the schedule has a test, and runs alone by its name", "[process]") {
  ProcessFixture f(base(), {kBeds});
  f.admit_all(0);
  std::set<std::string_view> names;
  for (const ProcessStep& step : kDailySchedule) {
    INFO("step " << step.name);
    CHECK(names.insert(step.name).second);  // names are unique
    CHECK(has_process_test(step.name));
    REQUIRE_NOTHROW(f.run(step.name, 1));
  }
  CHECK(names.size() == kDailySchedule.size());
  // Admissions first: every other step of the day sees the day's newcomers.
  CHECK(kDailySchedule.front().name == "admit");
  CHECK_THROWS_AS(f.run("no_such_process", 1), std::invalid_argument);
  CHECK(f.group().present == kBeds);
  CHECK(f.count_events(kEvAdmission) == kBeds);
}

// --- admit --------------------------------------------------------------------------------------

TEST_CASE("admit: the tile's waiting youths are admitted in order, as admit_youth admits them",
          "[process][admit]") {
  // Two groups in one tile; a few beds freed so that the second day refills some of them.
  auto fixture = [] {
    return std::make_unique<ProcessFixture>(base(), std::vector<int>{kBeds, 7});
  };
  const auto direct = fixture(), queued = fixture();
  direct->admit_all(0);
  queued->queue_all(0);
  CHECK(queued->tile.admissions.size() == static_cast<std::size_t>(kBeds + 7));
  CHECK(queued->group(0).present == 0);  // nobody admitted before the step runs
  queued->run("admit", 0);
  CHECK(queued->tile.admissions.empty());
  for (auto* f : {direct.get(), queued.get()})
    for (int b : {1, 4}) {
      f->group(1).occupied[b] = 0;
      f->group(1).present -= 1;
      f->group(1).mentors.caseload[f->group(1).mentor[b]] -= 1;
    }
  direct->admit_all(1);
  queued->queue_all(1);
  CHECK(queued->tile.admissions.size() == 2);
  queued->run("admit", 1);
  for (int i = 0; i < 2; ++i) {
    const Group &a = direct->group(i), &b = queued->group(i);
    CHECK(a.present == b.present);
    for (int bed = 0; bed < a.beds; ++bed) {
      CHECK(a.youth_id[bed] == b.youth_id[bed]);
      CHECK(a.cohort[bed] == b.cohort[bed]);
      CHECK(a.admit_day[bed] == b.admit_day[bed]);
      CHECK(a.mentor[bed] == b.mentor[bed]);
      CHECK(a.bond[bed] == b.bond[bed]);
      CHECK(a.exp_neg_pair[bed] == b.exp_neg_pair[bed]);
    }
    for (std::size_t s = 0; s < a.mentors.size(); ++s)
      CHECK(a.mentors.caseload[s] == b.mentors.caseload[s]);
    check_same_events(direct->events_of(i), queued->events_of(i));
  }
  CHECK(direct->group(1).youth_id[1] == queued->group(1).youth_id[1]);
  CHECK(queued->group(1).admit_day[4] == 1);
  // The cohort rows of the admitted youths are written the same way.
  for (int f = 0; f < kStaticFieldCount; ++f) {
    const auto &a = direct->out.static_values[f], &b = queued->out.static_values[f];
    REQUIRE(a.size() == b.size());
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);  // NaN rows too
  }
  // With nothing waiting the step changes nothing.
  REQUIRE_NOTHROW(queued->run("admit", 2));
  CHECK(queued->group(0).present == kBeds);
}

// --- staffing -----------------------------------------------------------------------------------

TEST_CASE("staffing: stress moves toward its load at staff.stress_rate", "[process][staffing]") {
  auto run = [](double stress_rate) {
    ModelParams p = base();
    p.stress_rate = stress_rate;
    p.annual_turnover = 0;
    p.sick_leave = 0;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    g.incident_rate = 0.2f;
    g.understaffed_rate = 0.1f;
    g.team_climate = 0.5f;
    fill(g.mentors.stress, static_cast<int>(g.mentors.size()), 0.0f);
    f->run("staffing", 1);
    return f;
  };
  const auto f = run(0.5);
  const ModelParams& p = f->p;
  Group& g = f->group();
  const double load = p.stress_caseload * (p.caseload / kReferenceCaseload) +
                      p.stress_understaffed * g.understaffed_rate +
                      p.stress_incidents * g.incident_rate -
                      p.stress_team_climate * (g.team_climate - kReferenceClimate);
  REQUIRE(load > 0.05);  // a visible target
  for (std::size_t s = 0; s < g.mentors.size(); ++s) {
    CHECK(g.mentors.stress[s] == Approx(std::min(1.0, 0.5 * load)));
    CHECK(g.mentors.stress_factor[s] == Approx(std::exp(p.rupture_stress * g.mentors.stress[s])));
    CHECK(g.mentors.exp_stress[s] == Approx(std::exp(p.w_stress * g.mentors.stress[s])));
  }
  // Off: staff.stress_rate 0 leaves the stress where it was.
  const auto off = run(0.0);
  for (std::size_t s = 0; s < off->group().mentors.size(); ++s)
    CHECK(off->group().mentors.stress[s] == 0.0f);
}

TEST_CASE("staffing: turnover replaces every mentor, with events, and resets the mentees' pairs",
          "[process][staffing]") {
  auto run = [](double annual_turnover) {
    ModelParams p = base();
    p.annual_turnover = annual_turnover;
    p.sick_leave = 0;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    f->run("staffing", 1);
    return f;
  };
  // A daily leaving hazard of 2 (staff.annual_turnover / 365): every slot's worker leaves.
  const auto f = run(2 * kDaysPerYear);
  Group& g = f->group();
  const int slots = static_cast<int>(g.mentors.size());
  REQUIRE(slots >= 2);
  for (int s = 0; s < slots; ++s) CHECK(g.mentors.generation[s] == 1);
  CHECK(g.staff_left_today == slots);
  CHECK(f->count_events(kEvStaffLeft) == slots);
  CHECK(f->count_events(kEvMentorChange) == kBeds);
  for (const Event& e : f->events_of())
    if (e.kind == kEvMentorChange) CHECK(e.value == static_cast<float>(kChangeTurnover));
  for (int b = 0; b < kBeds; ++b) CHECK(g.mentor_changes[b] == 1);
  // Off: nobody leaves.
  const auto off = run(0.0);
  for (int s = 0; s < static_cast<int>(off->group().mentors.size()); ++s)
    CHECK(off->group().mentors.generation[s] == 0);
  CHECK(off->count_events(kEvStaffLeft) == 0);
  CHECK(off->count_events(kEvMentorChange) == 0);
}

TEST_CASE(
    "staffing: sick leave starts at its onset hazard, counts down, and a long one moves "
    "the mentees",
    "[process][staffing]") {
  ModelParams p = base();
  p.annual_turnover = 0;
  p.sick_leave = 0.5;  // with 1-day episodes an onset hazard of 1: every worker falls sick
  p.sick_episode_days = 1;
  p.long_sick_days = 1;
  const std::vector<int> beds{kBeds, 7, kBeds, 12, kBeds};
  const int groups = static_cast<int>(beds.size());
  ProcessFixture f(p, beds);
  f.admit_all(0);
  f.run("staffing", 1);
  int long_sick = 0, moved = 0;
  for (int i = 0; i < groups; ++i) {
    const Group& g = f.group(i);
    for (int s = 0; s < static_cast<int>(g.mentors.size()); ++s) {
      // The episode's length from the slot's third uniform of the day.
      const auto u = f.rng.uniforms(staff_entity(g.index, s), 1, kPurposeStaffDay, 0);
      const int days = 1 + static_cast<int>(-p.sick_episode_days * model_log(u[2]));
      CHECK(g.mentors.sick_days_left[s] == days);
      CHECK(g.mentors.on_shift[s] == 0);
      CHECK(g.mentors.tenure_days[s] == 1);
      long_sick += days > p.long_sick_days;
    }
    moved += f.count_events(kEvMentorChange, i);
  }
  REQUIRE(long_sick > 0);  // a uniform below e^-1 in some slot: true for this seed
  CHECK(moved > 0);
  for (int i = 0; i < groups; ++i)
    for (const Event& e : f.events_of(i))
      if (e.kind == kEvMentorChange) CHECK(e.value == static_cast<float>(kChangeLongSick));
  // The next day every episode counts down by one, and nobody falls sick twice.
  std::vector<int> before;
  for (int i = 0; i < groups; ++i)
    for (std::size_t s = 0; s < f.group(i).mentors.size(); ++s)
      before.push_back(f.group(i).mentors.sick_days_left[s]);
  f.run("staffing", 2);
  std::size_t k = 0;
  for (int i = 0; i < groups; ++i)
    for (std::size_t s = 0; s < f.group(i).mentors.size(); ++s, ++k)
      CHECK(f.group(i).mentors.sick_days_left[s] == before[k] - 1);  // 1 ends at 0, not anew
}

TEST_CASE(
    "staffing: a worker on sick leave who leaves is replaced, and the newcomer may fall "
    "sick the same day",
    "[process][staffing]") {
  ModelParams p = base();
  p.annual_turnover = 2 * kDaysPerYear;  // a daily leaving hazard of 2: every worker leaves
  p.sick_leave = 0.5;                    // and every newcomer falls sick (onset hazard 1)
  p.sick_episode_days = 1;
  p.long_sick_days = 365;
  ProcessFixture f(p, {kBeds, 7});
  f.admit_all(0);
  for (int day = 1; day <= 2; ++day) {
    f.run("staffing", day);
    for (int i = 0; i < 2; ++i) {
      const Group& g = f.group(i);
      for (int s = 0; s < static_cast<int>(g.mentors.size()); ++s) {
        const auto u = f.rng.uniforms(staff_entity(g.index, s), static_cast<std::uint32_t>(day),
                                      kPurposeStaffDay, 0);
        // Day 2's worker was on sick leave from day 1; the newcomer's episode is day 2's.
        CHECK(g.mentors.generation[s] == day);
        CHECK(g.mentors.tenure_days[s] == 0);
        CHECK(g.mentors.sick_days_left[s] ==
              1 + static_cast<int>(-p.sick_episode_days * model_log(u[2])));
        CHECK(g.mentors.on_shift[s] == 0);
      }
      CHECK(g.staff_left_today == static_cast<int>(g.mentors.size()));
    }
  }
  CHECK(f.count_events(kEvStaffLeft, 0) == 2 * static_cast<int>(f.group(0).mentors.size()));
}

TEST_CASE("staffing: a worker is on shift with mentor.shift_share", "[process][staffing]") {
  auto on_shift = [](double share) {
    ModelParams p = base();
    p.shift_share = share;
    p.sick_leave = 0;
    p.annual_turnover = 0;
    ProcessFixture f(p, {kBeds});
    f.admit_all(0);
    int n = 0;
    for (int day = 1; day <= 5; ++day) {
      f.run("staffing", day);
      for (std::size_t s = 0; s < f.group().mentors.size(); ++s) n += f.group().mentors.on_shift[s];
    }
    return n;
  };
  CHECK(on_shift(1.0) == 5 * 2);  // two slots for 9 beds at mentor.caseload 8
  CHECK(on_shift(0.0) == 0);
}

// --- draws --------------------------------------------------------------------------------------

TEST_CASE("draws: each bed's four uniforms are Rng::uniforms of its youth and day since admission",
          "[process][draws]") {
  ProcessFixture f(base(), {kBeds});
  f.admit_all(0);
  Group& g = f.group();
  g.admit_day[3] = -40;  // part-way through the stay: the counter is the day since admission
  for (int day : {5, 6}) {
    f.run("draws", day);
    for (int b = 0; b < kBeds; ++b) {
      const auto u =
          f.rng.uniforms(static_cast<std::uint32_t>(g.youth_id[b]),
                         static_cast<std::uint32_t>(day - g.admit_day[b]), kPurposeYouthDay);
      CHECK(f.draws.contact[b] == u[0]);
      CHECK(f.draws.rupture[b] == u[1]);
      CHECK(f.draws.incident[b] == u[2]);
      CHECK(f.draws.exit[b] == u[3]);
      CHECK(f.draws.day_index[b] == static_cast<std::uint32_t>(day - g.admit_day[b]));
    }
  }
  // The same youth in another bed and another group, admitted the same day, draws the same words.
  ProcessFixture other(base(), {4, kBeds}, 5, 7);
  const Referral r = draw_referral(other.rng, other.p, g.youth_id[2]);
  std::vector<Event> events;
  admit_youth(DayContext{other.p, other.rng, 0, other.waves, other.options, other.out, events},
              other.group(1), 6, r, 0, -1);
  other.run("draws", 6);
  CHECK(other.draws.contact[other.tile.bed_offset[1] + 6] == f.draws.contact[2]);
  CHECK(other.draws.exit[other.tile.bed_offset[1] + 6] == f.draws.exit[2]);
}

// --- contact ------------------------------------------------------------------------------------

TEST_CASE("contact: only with a mentor on shift, never at p(contact) 0", "[process][contact]") {
  auto run = [](double mentoring_hours, int understaffed, double understaffed_contact) {
    ModelParams p = base();
    p.mentoring_hours = mentoring_hours;  // mentor.mentoring_hours: 1e6 makes p(contact) 1
    p.understaffed_contact = understaffed_contact;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    g.understaffed_today = static_cast<std::int8_t>(understaffed);
    g.mentors.on_shift[0] = 1;
    g.mentors.on_shift[1] = 0;
    std::fill(f->draws.contact.begin(), f->draws.contact.end(), 0.5);
    f->run("contact", 1);
    return f;
  };
  const auto f = run(1e6, 0, 1.0);
  Group& g = f->group();
  int met = 0, off_shift = 0;
  for (int b = 0; b < kBeds; ++b) {
    CHECK(g.contact_today[b] == g.mentors.on_shift[g.mentor[b]]);
    met += g.contact_today[b];
    off_shift += g.mentor[b] == 1;
  }
  CHECK(met > 0);
  CHECK(off_shift > 0);  // some mentees have the mentor who is off shift
  // Off: p(contact) 0 (no mentoring hours); or an understaffed day at mentor.understaffed_contact
  // 0.
  for (const auto& none : {run(0.0, 0, 1.0), run(1e6, 1, 0.0)})
    for (int b = 0; b < kBeds; ++b) CHECK(none->group().contact_today[b] == 0);
}

// --- incidents ----------------------------------------------------------------------------------

TEST_CASE("incidents: a huge rate gives every youth an incident, its problem jump and an event",
          "[process][incidents]") {
  auto run = [](double rate, bool tracked, double coercion = 1) {
    ModelParams p = base();
    p.incident_rate = rate;
    p.open_coercion_on_incident = coercion;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0, tracked);
    fill(f->group().problems, kBeds, 10.0f);
    std::fill(f->draws.incident.begin(), f->draws.incident.end(), 0.5);
    f->run("incidents", 1);
    return f;
  };
  const auto f = run(1e9, true);
  Group& g = f->group();
  for (int b = 0; b < kBeds; ++b) {
    CHECK(g.incident_today[b] == 1);
    CHECK(g.incidents[b] == 1);
    CHECK(g.coercion_today[b] == 1);  // setting.open.coercion_on_incident 1
    CHECK(g.problems[b] == Approx(10.0 + f->p.incident_problem_jump));
  }
  CHECK(g.incidents_today == kBeds);
  CHECK(f->count_events(kEvIncident) == kBeds);
  // Untracked youths have the incidents but no events.
  const auto untracked = run(1e9, false);
  CHECK(untracked->group().incidents_today == kBeds);
  CHECK(untracked->count_events(kEvIncident) == 0);
  // Off: incident.rate 0.
  const auto off = run(0.0, true);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(off->group().incident_today[b] == 0);
    CHECK(off->group().problems[b] == 10.0f);
  }
  CHECK(off->group().incidents_today == 0);
  CHECK(off->count_events(kEvIncident) == 0);
  // Off for coercion: setting.open.coercion_on_incident 0 gives the incidents without a measure.
  const auto no_coercion = run(1e9, true, 0.0);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(no_coercion->group().incident_today[b] == 1);
    CHECK(no_coercion->group().coercion_today[b] == 0);
  }
  CHECK(no_coercion->group().coercions_today == 0);
}

// --- peers --------------------------------------------------------------------------------------

TEST_CASE("peers: standing moves toward the group's level and drops with an incident",
          "[process][peers]") {
  auto run = [](double loss) {
    ModelParams p = base();
    p.peer_rate = 0.5;
    p.peer_incident_loss = loss;
    p.friend_rate = p.conflict_rate = 0;  // no tie forms: the target without ties
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.peer_standing, kBeds, 0.0f);
    fill(g.incident_today, kBeds, 0);
    g.incident_today[0] = 1;
    f->run("peers", 1);
    return f;
  };
  const auto f = run(0.08);
  Group& g = f->group();
  const double target =
      clamp01(f->p.standing_base + f->p.peer_atmosphere * (g.atmosphere - kReferenceClimate));
  REQUIRE(0.5 * target > 0.08);
  CHECK(g.peer_standing[1] == Approx(0.5 * target));
  CHECK(g.peer_standing[0] == Approx(0.5 * target - 0.08));
  // Off: peers.incident_loss 0: the incident costs nothing.
  const auto off = run(0.0);
  CHECK(off->group().peer_standing[0] == off->group().peer_standing[1]);
}

TEST_CASE("peers: the beds' masks and counts follow the pairs' ties as youths come and go",
          "[process][peers]") {
  ModelParams p = base();
  p.friend_rate = 0.3;
  p.acquaint_days = 2;
  p.conflict_rate = 0.05;
  p.dropout_rate = 0.05;  // beds empty and refill often
  p.abscond_rate = 0.02;
  ProcessFixture f(p, {kBeds, 7});
  int ties = 0, refills = 0;
  for (int day = 0; day < 120; ++day) {
    const int before = f.group(0).present + f.group(1).present;
    f.admit_all(day);
    refills += f.group(0).present + f.group(1).present - before;
    for (const ProcessStep& step : kDailySchedule) {
      f.run(step.name, day);
      if (step.name != "peers") continue;
      for (int i = 0; i < 2; ++i) {
        const Group& g = f.group(i);
        std::vector<std::uint64_t> fm(g.beds, 0), cm(g.beds, 0);
        for (std::size_t k = 0; k < g.pairs.size(); ++k) {
          const int a = g.pairs[k].a, b = g.pairs[k].b;
          const bool tied = g.pairs[k].friend_tie || g.pairs[k].conflict_tie;
          ties += tied;
          if (tied) {  // a tie belongs to the two youths present
            REQUIRE((g.occupied[a] && g.occupied[b]));
            REQUIRE(g.pairs[k].youth_a == g.youth_id[a]);
            REQUIRE(g.pairs[k].youth_b == g.youth_id[b]);
            REQUIRE_FALSE((g.pairs[k].friend_tie && g.pairs[k].conflict_tie));
          }
          if (g.pairs[k].friend_tie) fm[a] |= 1ull << b, fm[b] |= 1ull << a;
          if (g.pairs[k].conflict_tie) cm[a] |= 1ull << b, cm[b] |= 1ull << a;
        }
        for (int b = 0; b < g.beds; ++b) {
          INFO("day " << day << " group " << i << " bed " << b);
          REQUIRE(g.friend_mask[b] == fm[b]);
          REQUIRE(g.conflict_mask[b] == cm[b]);
          if (!g.occupied[b]) continue;
          REQUIRE(g.friends[b] == std::popcount(fm[b]));
          REQUIRE(g.conflicts[b] == std::popcount(cm[b]));
        }
      }
    }
  }
  CHECK(ties > 100);
  CHECK(refills > 20);
}

TEST_CASE("peers: the friends' means add each friend's values in bed order, in groups of any size",
          "[process][peers]") {
  // Groups of 16 beds (the widest of the vector path), 17 and 40 (the bed-by-bed path) and 3,
  // in one tile: each bed's friends' means must have the bits of the plain sum, friend by friend
  // in bed order from +0, times 1 / friends; the youth's own values when friendless.
  ModelParams p = base();
  p.friend_rate = 0.5;
  p.acquaint_days = 1;
  ProcessFixture f(p, {16, 17, 3, 40});
  f.run_days(0, 15);
  Tile& t = f.tile;
  // Values whose sums round differently by order, a -0 and a subnormal among them.
  for (int b = 0; b < t.beds; ++b) {
    t.problems[b] = static_cast<float>((b * 7919 % 1000) / 37.0 + 1e-3 * b);
    t.motivation[b] = static_cast<float>(std::ldexp(1.0 + b % 13, -(b % 29)));
  }
  t.problems[5] = -0.0f;
  t.motivation[20] = 1e-40f;
  f.run("peers", 16);
  int with_two = 0;
  for (int i = 0; i < t.group_count; ++i) {
    const int first = t.bed_offset[i], n = t.bed_offset[i + 1] - first;
    int group_with_two = 0;
    for (int l = 0; l < n; ++l) {
      const int b = first + l;
      if (!t.occupied[b]) continue;
      const std::uint64_t mask = t.friend_mask[b];
      REQUIRE(std::popcount(mask) == t.friends[b]);
      float want_p = t.problems[b], want_m = t.motivation[b];
      if (mask != 0) {
        float sum_p = 0, sum_m = 0;
        for (int j = 0; j < n; ++j)
          if ((mask >> j) & 1) sum_p += t.problems[first + j], sum_m += t.motivation[first + j];
        want_p = static_cast<float>(sum_p * (1.0 / t.friends[b]));
        want_m = static_cast<float>(sum_m * (1.0 / t.friends[b]));
      }
      group_with_two += t.friends[b] >= 2;
      INFO("group of " << n << " beds, bed " << l);
      CHECK(std::memcmp(&want_p, &t.friend_problems[b], sizeof(float)) == 0);
      CHECK(std::memcmp(&want_m, &t.friend_motivation[b], sizeof(float)) == 0);
    }
    if (n >= 16) CHECK(group_with_two > 0);  // the sums were put to the test
    with_two += group_with_two;
  }
  CHECK(with_two > 10);
}

TEST_CASE("peers: a group of two beds, refilled often, lists each pair once a day",
          "[process][peers]") {
  // One pair in the tile, so the day's list of candidate pairs has room for one: a pair
  // rescheduled by an incident, or whose refilled beds draw the same day again, must be listed
  // once a day (the sanitizer builds would see a write past the list).
  ModelParams p = base();
  p.group_size = 2;
  p.group_size_spread = 0;
  p.friend_rate = 0.5;
  p.friend_end = 0.5;
  p.conflict_rate = 0.3;
  p.conflict_end = 0.5;
  p.acquaint_days = 1;
  p.incident_rate *= 20;
  p.dropout_rate = 0.2;  // the beds empty and refill often
  ProcessFixture f(p, {2});
  REQUIRE(f.tile.pairs.size() == 1);
  int ties = 0;
  for (int day = 0; day < 400; ++day) {
    f.admit_all(day, false);
    for (const ProcessStep& step : kDailySchedule) f.run(step.name, day);
    const Group& g = f.group();
    const bool tied = g.pairs[0].friend_tie || g.pairs[0].conflict_tie;
    ties += tied;
    INFO("day " << day);
    REQUIRE((g.friend_mask[0] != 0) == static_cast<bool>(g.pairs[0].friend_tie));
    REQUIRE((g.conflict_mask[0] != 0) == static_cast<bool>(g.pairs[0].conflict_tie));
  }
  CHECK(ties > 20);
}

TEST_CASE("peers: each tie changes at its daily hazard, on incident days too (thinning)",
          "[process][peers]") {
  // Youths alike in every way and long acquainted, so that every hazard is its rate: the
  // candidate days and the uniform that decides on them must give each change its own daily
  // chance, whatever the state's bound.
  ModelParams p = base();
  p.friend_rate = 0.05;
  p.friend_end = 0.04;
  p.conflict_rate = 0.02;
  p.conflict_end = 0.1;
  p.conflict_incident = 1.0;
  p.acquaint_days = 1;
  ProcessFixture f(p, {30, 30, 30, 30});
  f.admit_all(0);
  for (int i = 0; i < 4; ++i) {
    Group& g = f.group(i);
    for (int b = 0; b < g.beds; ++b) {
      g.profile[b] = 0;
      g.age[b] = 16;
      g.problems[b] = 20;
      g.externalising[b] = 0;
    }
  }
  enum { kNone, kFriend, kConflict };
  // [from][to] counts of pair-days, on ordinary days and on incident days (bed 0 had one).
  double ordinary[3][3] = {}, incident[3][3] = {};
  for (int day = 1; day <= 600; ++day) {
    const bool incident_day = day > 60 && day % 3 == 0;
    std::vector<std::vector<int>> before(4);
    for (int i = 0; i < 4; ++i) {
      Group& g = f.group(i);
      g.incident_today[0] = incident_day;
      g.incidents_today = incident_day;
      for (std::size_t k = 0; k < g.pairs.size(); ++k)
        before[i].push_back(g.pairs[k].friend_tie     ? kFriend
                            : g.pairs[k].conflict_tie ? kConflict
                                                      : kNone);
    }
    f.run("peers", day);
    if (day <= 60) continue;  // familiarity 1 - exp(-days together) is 1 from here on
    for (int i = 0; i < 4; ++i) {
      const Group& g = f.group(i);
      for (std::size_t k = 0; k < g.pairs.size(); ++k) {
        const int to = g.pairs[k].friend_tie     ? kFriend
                       : g.pairs[k].conflict_tie ? kConflict
                                                 : kNone;
        const bool with_incident = incident_day && g.pairs[k].a == 0;
        (with_incident ? incident : ordinary)[before[i][k]][to] += 1;
      }
    }
  }
  auto rate = [](const double(&n)[3][3], int from, int to) {
    const double days = n[from][0] + n[from][1] + n[from][2];
    const double r = n[from][to] / days;
    return std::pair{r, std::sqrt(r * (1 - r) / days)};
  };
  auto check = [&](const double(&n)[3][3], int from, int to, double expected) {
    const auto [r, se] = rate(n, from, to);
    INFO("from " << from << " to " << to << ": " << r << " (SE " << se << "), expected "
                 << expected);
    CHECK(std::abs(r - expected) < 4 * se);
  };
  check(ordinary, kNone, kFriend, p.friend_rate);
  check(ordinary, kNone, kConflict, p.conflict_rate);
  check(ordinary, kFriend, kNone, p.friend_end);
  check(ordinary, kFriend, kConflict, p.conflict_rate);
  check(ordinary, kConflict, kNone, p.conflict_end);
  // With an incident of one youth the conflict hazard is conflict_rate * e^conflict_incident.
  const double with_incident = p.conflict_rate * std::exp(p.conflict_incident);
  check(incident, kNone, kConflict, with_incident);
  check(incident, kFriend, kConflict, with_incident);
}

TEST_CASE("peers: a friend's absconding raises the hazard for peers.together_days days",
          "[process][peers]") {
  ModelParams p = base();
  p.together_days = 3;
  p.abscond_together = 2.0;
  p.abscond_conflict = 0;
  p.abscond_belonging = 0;
  p.friend_rate = p.conflict_rate = 0;
  ProcessFixture f(p, {kBeds});
  f.admit_all(0);
  Group& g = f.group();
  // Beds 0 and 1 are friends (pair 0 is beds 0 and 1); bed 0 absconds on day 1.
  g.pairs[0].friend_tie = 1;
  g.pairs[0].youth_a = g.youth_id[0];
  g.pairs[0].youth_b = g.youth_id[1];
  g.friend_mask[0] = 1ull << 1;
  g.friend_mask[1] = 1ull << 0;
  std::vector<std::int32_t> reason(f.tile.beds, kInCare);
  reason[0] = kAbsconded;
  open_runaway_windows(p, f.tile, reason.data(),
                       1);  // as the exits call it, before the leavers leave
  CHECK(g.runaway_days[1] == 3);
  CHECK(g.runaway_friend[1] == g.youth_id[0]);
  CHECK(g.runaway_days[2] == 0);
  // The absconder leaves (the ties end); the peers step of the next days: raised on days 2, 3
  // and 4, not on day 5.
  g.occupied[0] = 0;
  g.present -= 1;
  leave_peer_network(g, 0);
  CHECK(g.friend_mask[1] == 0);
  reason[0] = kInCare;
  for (int day = 2; day <= 5; ++day) {
    f.run("peers", day);
    INFO("day " << day);
    CHECK(g.peer_leave[1] == Approx(day <= 4 ? std::exp(2.0) : 1.0).epsilon(1e-6));
    CHECK(g.peer_leave[2] == Approx(1.0));
    open_runaway_windows(p, f.tile, reason.data(), 0);  // the countdown, as after the exits
  }
}

// --- ruptures -----------------------------------------------------------------------------------

TEST_CASE("ruptures: on a contact day a huge rate ruptures every alliance, undetected",
          "[process][ruptures]") {
  auto run = [](double rate, int contact) {
    ModelParams p = base();
    p.rupture_rate = rate;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.contact_today, kBeds, contact);
    fill(g.bond, kBeds, 0.7f);
    fill(g.tasks, kBeds, 0.6f);
    std::fill(f->draws.rupture.begin(), f->draws.rupture.end(), 0.5);
    f->run("ruptures", 1);
    return f;
  };
  const auto f = run(1e9, 1);
  Group& g = f->group();
  for (int b = 0; b < kBeds; ++b) {
    CHECK(g.rupture[b] == kUndetected);
    CHECK(g.ruptures[b] == 1);
    CHECK(g.bond[b] < 0.7f);
    CHECK(g.tasks[b] < 0.6f);
    CHECK(g.rupture_drop[b] == Approx(0.7f - g.bond[b]));
  }
  CHECK(f->count_events(kEvRupture) == kBeds);
  // Off: rupture.rate 0; or no contact today.
  for (const auto& none : {run(0.0, 1), run(1e9, 0)}) {
    for (int b = 0; b < kBeds; ++b) {
      CHECK(none->group().rupture[b] == kNoRupture);
      CHECK(none->group().bond[b] == 0.7f);
    }
    CHECK(none->count_events(kEvRupture) == 0);
  }
}

TEST_CASE("ruptures: an undetected rupture is detected at feedback.detect_base, else erodes",
          "[process][ruptures]") {
  auto run = [](double detect) {
    ModelParams p = base();
    p.detect_base = detect;
    p.detect_feedback = detect;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.rupture, kBeds, static_cast<std::int32_t>(kUndetected));
    fill(g.bond, kBeds, 0.5f);
    std::fill(f->draws.rupture.begin(), f->draws.rupture.end(), 0.5);
    f->run("ruptures", 1);
    return f;
  };
  const auto f = run(1.0);
  for (int b = 0; b < kBeds; ++b) CHECK(f->group().rupture[b] == kDetected);
  CHECK(f->count_events(kEvRuptureDetected) == kBeds);
  // Off: never detected; the unrepaired rupture erodes the bond by rupture.erosion.
  const auto off = run(0.0);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(off->group().rupture[b] == kUndetected);
    CHECK(off->group().bond[b] == Approx(0.5 - off->p.rupture_erosion));
  }
  CHECK(off->count_events(kEvRuptureDetected) == 0);
}

TEST_CASE("ruptures: a detected rupture is repaired at rupture.repair_rate, restoring the bond",
          "[process][ruptures]") {
  auto run = [](double repair_rate) {
    ModelParams p = base();
    p.repair_rate =
        repair_rate;  // with the skill factor, the mentors' repair_chance (init_mentors)
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.rupture, kBeds, static_cast<std::int32_t>(kDetected));
    fill(g.rupture_drop, kBeds, 0.2f);
    fill(g.bond, kBeds, 0.3f);
    std::fill(f->draws.rupture.begin(), f->draws.rupture.end(), 0.5);
    f->run("ruptures", 1);
    return f;
  };
  const auto f = run(1e9);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(f->group().rupture[b] == kNoRupture);
    CHECK(f->group().repairs[b] == 1);
    CHECK(f->group().bond[b] == Approx(0.3 + f->p.repair_gain * 0.2));
  }
  CHECK(f->count_events(kEvRepair) == kBeds);
  // Off: rupture.repair_rate 0: still detected, and eroding.
  const auto off = run(0.0);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(off->group().rupture[b] == kDetected);
    CHECK(off->group().bond[b] == Approx(0.3 - off->p.rupture_erosion));
  }
  CHECK(off->count_events(kEvRepair) == 0);
}

// --- alliance -----------------------------------------------------------------------------------

TEST_CASE("alliance: with contact the bond moves toward its target, without it fades",
          "[process][alliance]") {
  // From a bond of 0 with alliance.decay 0: only contact can move it.
  auto from_zero = [](double bond_rate, int contact) {
    ModelParams p = base();
    p.bond_rate = bond_rate;
    p.alliance_decay = 0;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    fill(f->group().bond, kBeds, 0.0f);
    fill(f->group().contact_today, kBeds, contact);
    f->run("alliance", 1);
    return f;
  };
  const auto met = from_zero(0.5, 1);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(met->group().bond[b] > 0.01f);
    CHECK(met->group().bond[b] < 0.5f);  // half-way to a target below 1
  }
  for (const auto& none : {from_zero(0.0, 1), from_zero(0.5, 0)})
    for (int b = 0; b < kBeds; ++b) CHECK(none->group().bond[b] == 0.0f);

  // Without contact, from a bond of 1: toward the newcomer level at alliance.decay.
  auto fade = [](double decay) {
    ModelParams p = base();
    p.alliance_decay = decay;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    fill(f->group().bond, kBeds, 1.0f);
    fill(f->group().contact_today, kBeds, 0);
    f->run("alliance", 1);
    return f;
  };
  const auto faded = fade(0.1);
  for (int b = 0; b < kBeds; ++b) {
    const double newcomer = faded->group().newcomer[b];
    REQUIRE(newcomer < 0.95);
    CHECK(faded->group().bond[b] == Approx(1.0 - 0.1 * (1.0 - newcomer)));
  }
  const auto kept = fade(0.0);
  for (int b = 0; b < kBeds; ++b) CHECK(kept->group().bond[b] == 1.0f);
}

// --- motivation ---------------------------------------------------------------------------------

TEST_CASE("motivation: the alliance raises it, unless autonomy is restricted",
          "[process][motivation]") {
  auto gap = [](double autonomy_restriction) {
    ModelParams p = base();
    p.motivation_rate = 0.5;
    ProcessFixture f(p, {kBeds});
    f.admit_all(0);
    Group& g = f.group();
    g.mech.autonomy_restriction = autonomy_restriction;  // setting.open.autonomy_restriction
    for (int b = 0; b < kBeds; ++b) {
      const float a = b % 2 == 0 ? 1.0f : 0.0f;  // strong alliance in even beds, none in odd
      g.bond[b] = g.goals[b] = g.tasks[b] = a;
      g.motivation[b] = 0.5f;
      g.parent_alliance[b] = 0.5f;
      g.mandated[b] = 0;
      g.motivation_own[b] = 0.0f;     // the same disposition: only the alliance differs
      g.friend_motivation[b] = 0.5f;  // friends as motivated as the youth: no peer pull
    }
    f.run("motivation", 1);
    return static_cast<double>(g.motivation[0]) - g.motivation[1];
  };
  CHECK(gap(0.0) == Approx(0.5 * base().w_alliance_motivation).epsilon(1e-5));
  CHECK(gap(1.0) == 0.0);
}

TEST_CASE("motivation: the youth's own disposition stays in the target, in every setting",
          "[process][motivation]") {
  auto gap = [](double w_own) {
    ModelParams p = base();
    p.motivation_rate = 0.5;
    p.motivation_w_own = w_own;
    ProcessFixture f(p, {kBeds});
    f.admit_all(0);
    Group& g = f.group();
    g.mech.autonomy_restriction = 1.0;  // no alliance path at all
    for (int b = 0; b < kBeds; ++b) {
      g.bond[b] = g.goals[b] = g.tasks[b] = 0.6f;
      g.motivation[b] = 0.5f;
      g.parent_alliance[b] = 0.5f;
      g.mandated[b] = 0;
      g.motivation_own[b] = b % 2 == 0 ? 0.1f : -0.1f;  // a motivated and a reluctant youth
      g.friend_motivation[b] = 0.5f;  // friends as motivated as the youth: no peer pull
    }
    f.run("motivation", 1);
    return static_cast<double>(g.motivation[0]) - g.motivation[1];
  };
  CHECK(gap(1.0) == Approx(0.5 * 0.2).epsilon(1e-5));
  CHECK(gap(0.5) == Approx(0.5 * 0.5 * 0.2).epsilon(1e-5));
  CHECK(gap(0.0) == 0.0);  // without it, youths converge to one target
}

// --- parents ------------------------------------------------------------------------------------

TEST_CASE("parents: the parent's alliance grows with involvement; the outcome follows it",
          "[process][parents]") {
  auto run = [](float involvement, double outcome_rate) {
    ModelParams p = base();
    p.parent_outcome_rate = outcome_rate;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.parent_involvement, kBeds, involvement);
    fill(g.parent_alliance, kBeds, 0.0f);
    fill(g.parent_outcome, kBeds, 0.5f);
    f->run("parents", 1);
    return f;
  };
  const auto f = run(1.0f, 0.5);
  const ModelParams& p = f->p;
  for (int b = 0; b < kBeds; ++b) {
    const Group& g = f->group();
    const double alliance = p.parent_contact_rate * p.parent_rate * g.parent_target[b];
    REQUIRE(alliance > 0.001);
    CHECK(g.parent_alliance[b] == Approx(alliance));
    const double outcome =
        0.5 + 0.5 * (p.outcome_base + p.outcome_alliance * g.parent_alliance[b] - 0.5);
    CHECK(g.parent_outcome[b] == Approx(outcome));
    REQUIRE(std::abs(outcome - 0.5) > 0.01);
  }
  // Off: an uninvolved parent has no contact; parent.outcome_rate 0 leaves the outcome.
  const auto uninvolved = run(0.0f, 0.5);
  const auto still = run(1.0f, 0.0);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(uninvolved->group().parent_alliance[b] == 0.0f);
    CHECK(still->group().parent_outcome[b] == 0.5f);
  }
}

// --- problems -----------------------------------------------------------------------------------

TEST_CASE("problems: deviancy training pulls a youth toward the friends' higher problems",
          "[process][problems]") {
  // friend_problems is what the peers step leaves: the friends' mean, or the youth's own.
  auto run = [](double rate, bool understaffed, bool programme) {
    ModelParams p = base();
    p.problems_rate = 0;  // no treatment effect: deviancy training alone
    p.deviancy_rate = rate;
    p.deviancy_understaffed = 2.0;
    p.deviancy_team = 0;
    p.peer_programme = programme;
    p.programme_deviancy = 0.5;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    g.understaffed_today = understaffed;
    fill(g.problems, kBeds, 20.0f);
    fill(g.friend_problems, kBeds, 20.0f);
    g.problems[1] = 5.0f;  // friends at 30: pulled up toward 30
    g.friend_problems[1] = 30.0f;
    g.problems[2] = 35.0f;  // friends at 30, below: not pulled down
    g.friend_problems[2] = 30.0f;
    f->run("problems", 1);
    return f;
  };
  const auto f = run(0.1, false, false);
  CHECK(f->group().problems[1] == Approx(5.0 + 0.1 * (30.0 - 5.0)));
  CHECK(f->group().problems[2] == 35.0f);
  CHECK(f->group().problems[0] == 20.0f);  // friends at its own level (or none)
  // Thin supervision: three times as strong on an understaffed day (1 + 2); the programme halves.
  CHECK(run(0.1, true, false)->group().problems[1] == Approx(5.0 + 0.3 * (30.0 - 5.0)));
  CHECK(run(0.1, false, true)->group().problems[1] == Approx(5.0 + 0.05 * (30.0 - 5.0)));
  // Off: peers.deviancy_rate 0.
  CHECK(run(0.0, true, false)->group().problems[1] == 5.0f);
}

TEST_CASE("problems: engagement lowers problems at problems.rate", "[process][problems]") {
  auto run = [](double rate) {
    ModelParams p = base();
    p.problems_rate = rate;
    p.deviancy_rate = 0;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.problems, kBeds, 20.0f);
    fill(g.severity, kBeds, 20.0f);
    fill(g.motivation, kBeds, 0.8f);
    fill(g.tasks, kBeds, 0.8f);
    f->run("problems", 1);
    return f;
  };
  const auto f = run(0.05);
  const ModelParams& p = f->p;
  const double engagement = std::clamp(
      p.engagement_base + p.w_engagement_motivation * 0.8f + p.w_engagement_tasks * 0.8f, 0.0, 1.0);
  REQUIRE(engagement > 0.05);
  for (int b = 0; b < kBeds; ++b) {
    CHECK(f->group().engagement[b] == Approx(engagement));
    CHECK(f->group().problems[b] == Approx(20.0 - 0.05 * engagement * 20.0));
  }
  const auto off = run(0.0);
  for (int b = 0; b < kBeds; ++b) CHECK(off->group().problems[b] == 20.0f);
}

// --- switch -------------------------------------------------------------------------------------

TEST_CASE(
    "switch: with the right to switch, a poor alliance for switch.after_days changes the mentor",
    "[process][switch]") {
  auto run = [](bool right, int days) {
    ModelParams p = base();
    p.right_to_switch = right;
    p.switch_after_days = 3;
    p.switch_threshold = 0.5;
    p.switch_request_rate = 1;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    for (int b = 0; b < kBeds; ++b) g.bond[b] = g.goals[b] = g.tasks[b] = b == 0 ? 0.1f : 0.9f;
    for (int day = 1; day <= days; ++day) f->run("switch", day);
    return f;
  };
  const auto before = run(true, 2);  // two poor days: not yet
  CHECK(before->group().mentor_changes[0] == 0);
  CHECK(before->group().poor_days[0] == 2);
  const auto f = run(true, 3);
  const Group& g = f->group();
  CHECK(g.mentor[0] != before->group().mentor[0]);
  CHECK(g.mentor_changes[0] == 1);
  CHECK(g.poor_days[0] == 0);
  for (int b = 1; b < kBeds; ++b) CHECK(g.mentor_changes[b] == 0);
  REQUIRE(f->count_events(kEvMentorChange) == 1);
  for (const Event& e : f->events_of())
    if (e.kind == kEvMentorChange) CHECK(e.value == static_cast<float>(kChangeSwitch));
  // Off: no right to switch (policy.right_to_switch false).
  const auto off = run(false, 10);
  CHECK(off->group().mentor_changes[0] == 0);
  CHECK(off->group().mentor[0] == before->group().mentor[0]);
  CHECK(off->count_events(kEvMentorChange) == 0);
}

// --- measure ------------------------------------------------------------------------------------

TEST_CASE("measure: a wave day writes the tracked youths' wave values, other days do not",
          "[process][measure]") {
  auto run = [](int day, bool tracked) {
    auto f = std::make_unique<ProcessFixture>(base(), std::vector<int>{kBeds});
    f->admit_all(0, tracked);
    f->run("measure", day);
    return f;
  };
  const int first = base().wave_days.front();
  const auto f = run(first, true);
  const ReplicateResult& out = f->out;
  for (int b = 0; b < kBeds; ++b) {
    const auto at = static_cast<std::size_t>(f->cohort_of(b)) * 4;
    CHECK(out.wave_values[kAllianceTrueBond][at] == Approx(1.0 + 4.0 * f->group().bond[b]));
    CHECK(out.wave_values[kProblemsTrue][at] == f->group().problems[b]);
    CHECK(out.wave_values[kAllianceYouth][at] >= 1.0f);
    CHECK(out.wave_values[kAllianceYouth][at] <= 5.0f);
    CHECK(std::isnan(out.wave_values[kAllianceTrueBond][at + 1]));  // the next wave: not yet
  }
  // Off: the day before the wave; or youths who are not tracked.
  const auto early = run(first - 1, true);
  const auto untracked = run(first, false);
  for (int m = 0; m < kWaveMeasureCount; ++m)
    for (std::size_t i = 0; i < f->out.wave_values[m].size(); ++i) {
      CHECK(std::isnan(early->out.wave_values[m][i]));
      CHECK(std::isnan(untracked->out.wave_values[m][i]));
    }
}

// --- exits --------------------------------------------------------------------------------------

TEST_CASE("exits: a youth past the planned stay leaves, the bed is freed and the caseload falls",
          "[process][exits]") {
  auto run = [](int day) {
    auto f = std::make_unique<ProcessFixture>(base(), std::vector<int>{kBeds});
    f->admit_all(0);
    Group& g = f->group();
    fill(g.planned_stay, kBeds, 1000);
    g.planned_stay[0] = 5;
    std::fill(f->draws.exit.begin(), f->draws.exit.end(), 0.999);  // above every hazard
    f->run("exits", day);
    return f;
  };
  const auto before = run(4);
  CHECK(before->group().present == kBeds);
  for (int b = 0; b < kBeds; ++b) CHECK(before->group().occupied[b] == 1);
  const auto f = run(5);
  const Group& g = f->group();
  CHECK(g.occupied[0] == 0);
  CHECK(g.present == kBeds - 1);
  for (int b = 1; b < kBeds; ++b) CHECK(g.occupied[b] == 1);
  CHECK(g.mentors.caseload[g.mentor[0]] == before->group().mentors.caseload[g.mentor[0]] - 1);
  REQUIRE(!f->events_of().empty());
  CHECK(f->events_of().back().kind == kEvExit);
  CHECK(f->events_of().back().value == static_cast<float>(kPlannedDischarge));
  const auto c = static_cast<std::size_t>(0);  // bed 0's youth: cohort index 0
  CHECK(f->out.outcome_values[kOutExitReason][c] == static_cast<double>(kPlannedDischarge));
  CHECK(f->out.outcome_values[kOutExitDay][c] == 5);
  CHECK(f->count_events(kEvExit) == 1);
}

TEST_CASE("exits: a huge drop-out rate empties the group, none at rate 0", "[process][exits]") {
  auto run = [](double dropout_rate) {
    ModelParams p = base();
    p.dropout_rate = dropout_rate;
    auto f = std::make_unique<ProcessFixture>(p, std::vector<int>{kBeds});
    f->admit_all(0);
    std::fill(f->draws.exit.begin(), f->draws.exit.end(), 0.5);
    f->run("exits", 1);
    return f;
  };
  const auto f = run(1e9);
  CHECK(f->group().present == 0);
  CHECK(f->count_events(kEvExit) == kBeds);
  for (const Event& e : f->events_of())
    if (e.kind == kEvExit) CHECK(e.value == static_cast<float>(kDropOut));
  const auto off = run(0.0);
  CHECK(off->group().present == kBeds);
  CHECK(off->count_events(kEvExit) == 0);
}

// --- climate ------------------------------------------------------------------------------------

TEST_CASE("climate: incidents lower the atmosphere", "[process][climate]") {
  auto atmosphere = [](double w_incidents, bool incidents) {
    ModelParams p = base();
    p.w_incidents_atmosphere = w_incidents;
    ProcessFixture f(p, {kBeds});
    f.admit_all(0);
    f.group().incidents_today = incidents ? kBeds : 0;
    f.run("climate", 1);
    return f.group().atmosphere;
  };
  CHECK(atmosphere(3.0, true) < atmosphere(3.0, false) - 0.001f);
  // Off: climate.w_incidents_atmosphere 0.
  CHECK(atmosphere(0.0, true) == atmosphere(0.0, false));
}

// --- group_day ----------------------------------------------------------------------------------

TEST_CASE("group_day: the group's cell of the day is written, at its group index",
          "[process][group_day]") {
  auto run = [](bool group_series) {
    // Group index 2 of a replicate of 4 groups.
    auto f = std::make_unique<ProcessFixture>(base(), std::vector<int>{kBeds}, 2, 4);
    f->options.group_series = group_series;
    f->admit_all(0);
    for (auto& v : f->out.group_values) v.assign(4 * 4, std::numeric_limits<float>::quiet_NaN());
    f->run("group_day", 3);
    return f;
  };
  const auto f = run(true);
  const auto& occupancy = f->out.group_values[kGroupOccupancy];
  CHECK(occupancy[3 * 4 + 2] == kBeds);
  CHECK(f->out.group_values[kGroupAtmosphere][3 * 4 + 2] == f->group().atmosphere);
  for (std::size_t i = 0; i < occupancy.size(); ++i)
    if (i != 3 * 4 + 2) CHECK(std::isnan(occupancy[i]));
  // Off: RunOptions::group_series false.
  const auto off = run(false);
  for (float v : off->out.group_values[kGroupOccupancy]) CHECK(std::isnan(v));
}

TEST_CASE("group_day: the network summaries count the current ties of the youths present",
          "[process][group_day]") {
  auto f = std::make_unique<ProcessFixture>(base(), std::vector<int>{kBeds}, 2, 4);
  f->admit_all(0);
  for (auto& v : f->out.group_values) v.assign(4 * 4, std::numeric_limits<float>::quiet_NaN());
  Group& g = f->group();
  auto tie = [&](int a, int b, bool friendship) {
    for (std::size_t k = 0; k < g.pairs.size(); ++k)
      if (g.pairs[k].a == a && g.pairs[k].b == b) {
        g.pairs[k].youth_a = g.youth_id[a];
        g.pairs[k].youth_b = g.youth_id[b];
        g.pairs[k].friend_tie = friendship;
        g.pairs[k].conflict_tie = !friendship;
        return k;
      }
    FAIL("no pair");
    return std::size_t{0};
  };
  tie(0, 1, true);
  tie(0, 2, true);
  tie(3, 4, false);
  // Ties that no longer count: one of a youth who has left its bed since, one whose bed holds
  // another youth now.
  const std::size_t stale = tie(5, 6, true);
  g.pairs[stale].youth_b = g.youth_id[6] + 1000;
  tie(7, 8, true);
  g.occupied[8] = 0;
  g.present -= 1;
  f->run("group_day", 3);
  const std::size_t at = 3 * 4 + 2;
  const double n = kBeds - 1;
  const auto& v = f->out.group_values;
  CHECK(v[kGroupOccupancy][at] == n);
  CHECK(v[kGroupFriendDensity][at] == Approx(2.0 / (n * (n - 1) / 2)));
  CHECK(v[kGroupConflictTies][at] == 1);
  CHECK(v[kGroupMeanFriends][at] == Approx(4.0 / n));
  CHECK(v[kGroupFriendless][at] == Approx((n - 3) / n));
}

// --- the tile is only a layout ------------------------------------------------------------------

namespace {

template <class T>
bool same_bits(const Slice<T>& a, const Slice<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}
template <class T>
bool same_bits(const std::vector<T>& a, std::size_t from, std::size_t n, const std::vector<T>& b) {
  return std::memcmp(a.data() + from, b.data() + from, n * sizeof(T)) == 0;
}

}  // namespace

TEST_CASE("a tile of three groups gives each group what it gets alone", "[process][tile]") {
  ModelParams p = base();
  p.wave_days = {2, 4, 6, 8};  // every wave within the run
  p.incident_rate *= 5;
  p.rupture_rate *= 5;
  p.annual_turnover = 10;
  p.friend_rate = 0.5;  // ties within the 12 days
  p.acquaint_days = 1;
  const std::vector<int> beds{9, 10, 8};
  ProcessFixture tile(p, beds, 0, 3);
  CHECK(tile.tile.group_count == 3);
  tile.run_days(0, 12);
  for (int i = 0; i < 3; ++i) {
    ProcessFixture alone(p, {beds[i]}, i, 3);
    alone.run_days(0, 12);
    Group &a = tile.group(i), &b = alone.group(0);
    REQUIRE(a.index == b.index);
    int arrays = 0, differ = 0;
    a.bed_arrays([&](auto&... x) {
      b.bed_arrays([&](auto&... y) {
        // tile_group and mentor_base say where a bed lies in its tile: they differ by layout.
        auto one = [&](auto& u, auto& v) {
          if (static_cast<const void*>(&u) == &a.tile_group ||
              static_cast<const void*>(&u) == &a.mentor_base)
            return;
          ++arrays;
          differ += !same_bits(u, v);
        };
        (one(x, y), ...);
      });
    });
    CHECK(arrays > 40);
    CHECK(differ == 0);
    differ = 0;
    mentor_arrays(a.mentors, [&](auto&... x) {
      mentor_arrays(b.mentors, [&](auto&... y) { ((differ += !same_bits(x, y)), ...); });
    });
    CHECK(differ == 0);
    // The peer network, but for the pairs' tile indices (which differ by layout).
    differ = 0;
    for (std::size_t k = 0; k < a.pairs.size(); ++k)
      differ += a.pairs[k].a != b.pairs[k].a || a.pairs[k].b != b.pairs[k].b ||
                a.pairs[k].youth_a != b.pairs[k].youth_a ||
                a.pairs[k].youth_b != b.pairs[k].youth_b ||
                a.pairs[k].friend_tie != b.pairs[k].friend_tie ||
                a.pairs[k].conflict_tie != b.pairs[k].conflict_tie ||
                a.pairs[k].since != b.pairs[k].since;
    CHECK(same_bits(a.pairs.next, b.pairs.next));  // the pairs' next candidate days
    CHECK(a.pairs.size() == b.pairs.size());
    CHECK(differ == 0);
    CHECK(tile.count_events(kEvFriendship, i) > 0);
    CHECK(a.present == b.present);
    CHECK(a.support == b.support);
    CHECK(a.growth == b.growth);
    CHECK(a.atmosphere == b.atmosphere);
    CHECK(a.repression == b.repression);
    CHECK(a.team_climate == b.team_climate);
    CHECK(a.incident_rate == b.incident_rate);
    CHECK(a.turnover_rate == b.turnover_rate);
    // Their tracked youths' results, their column of the groups' series and their events.
    const auto c0 = static_cast<std::size_t>(i) * ProcessFixture::kCohortPerGroup;
    const auto n = static_cast<std::size_t>(ProcessFixture::kCohortPerGroup);
    for (int m = 0; m < kWaveMeasureCount; ++m)
      CHECK(same_bits(tile.out.wave_values[m], c0 * 4, n * 4, alone.out.wave_values[m]));
    for (int v = 0; v < kDailyVarCount; ++v) {
      const auto days = static_cast<std::size_t>(tile.out.follow_up_days);
      CHECK(same_bits(tile.out.daily_values[v], c0 * days, n * days, alone.out.daily_values[v]));
    }
    for (int s = 0; s < kStaticFieldCount; ++s)
      CHECK(same_bits(tile.out.static_values[s], c0, n, alone.out.static_values[s]));
    for (int o = 0; o < kOutcomeFieldCount; ++o)
      CHECK(same_bits(tile.out.outcome_values[o], c0, n, alone.out.outcome_values[o]));
    for (int v = 0; v < kGroupVarCount; ++v)
      for (int day = 0; day <= 12; ++day)
        CHECK(same_bits(tile.out.group_values[v], static_cast<std::size_t>(day * 3 + i), 1,
                        alone.out.group_values[v]));
    check_same_events(tile.events_of(i), alone.events_of(0));
    // Something happened: the comparison is not of empty results.
    CHECK(tile.events_of(i).size() > static_cast<std::size_t>(beds[i]));
    CHECK(!std::isnan(tile.out.wave_values[kAllianceTrue][c0 * 4 + 3]));
  }
}
