// Model invariants on small runs: scales stay in range, every tracked youth is accounted for,
// measurements stop after leaving care, the cohort design holds, bad parameter combinations
// are refused.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <iterator>
#include <vector>

#include "engine/errors.hpp"
#include "models/schedule.hpp"
#include "models/simulation.hpp"
#include "tests/support.hpp"

using namespace asim;

namespace {
ReplicateResult small_run(std::initializer_list<std::string> overrides, int replicate = 0) {
  ModelParams p = test::baseline_params({"cohort.size=120", "cohort.burn_in_days=60"});
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  loader.apply_override(s, "cohort.size=120");
  loader.apply_override(s, "cohort.burn_in_days=60");
  for (const auto& o : overrides) loader.apply_override(s, o);
  p = make_model_params(s.values);
  RunOptions options;
  options.daily.fill(true);
  return Model(p).run_replicate(replicate, options);
}
}  // namespace

TEST_CASE("every tracked youth is accounted for", "[model]") {
  const ReplicateResult r = small_run({});
  REQUIRE(r.cohort == 120);
  int counts[5] = {0, 0, 0, 0, 0};
  for (int c = 0; c < r.cohort; ++c) {
    const double reason = r.outcome_values[kOutExitReason][c];
    REQUIRE(!std::isnan(reason));
    REQUIRE(reason >= 0);
    REQUIRE(reason <= 4);
    counts[static_cast<int>(reason)]++;
    const double exit_day = r.outcome_values[kOutExitDay][c];
    if (reason == 0)
      CHECK(exit_day == -1);
    else {
      CHECK(exit_day >= 0);
      CHECK(exit_day <= 273);
    }
    REQUIRE(!std::isnan(r.static_values[kStAdmissionDay][c]));
  }
  // admitted = present at the end + discharged + dropped out + absconded + transferred
  CHECK(counts[0] + counts[1] + counts[2] + counts[3] + counts[4] == r.cohort);
  CHECK(counts[0] > 0);
  CHECK(counts[1] > 0);
}

TEST_CASE("the tracked cohort is admitted after the burn-in, in admission order", "[model]") {
  const ReplicateResult r = small_run({});
  double previous = -1;
  for (int c = 0; c < r.cohort; ++c) {
    const double day = r.static_values[kStAdmissionDay][c];
    CHECK(day >= 60);
    CHECK(day >= previous);
    previous = day;
  }
}

TEST_CASE("scales stay in range and measurements stop after leaving care", "[model]") {
  const ReplicateResult r = small_run({});
  for (int c = 0; c < r.cohort; ++c) {
    const double exit_day = r.outcome_values[kOutExitDay][c];
    const int days[4] = {14, 91, 182, 273};
    for (int w = 0; w < 4; ++w) {
      const float y = r.wave_values[kAllianceYouth][static_cast<std::size_t>(c * 4 + w)];
      const float o = r.wave_values[kAllianceObserver][static_cast<std::size_t>(c * 4 + w)];
      const float p = r.wave_values[kProblems][static_cast<std::size_t>(c * 4 + w)];
      const bool gone = exit_day >= 0 && exit_day < days[w];  // measured before leaving on that day
      if (gone) {
        CHECK(std::isnan(y));
        continue;
      }
      REQUIRE(!std::isnan(y));
      CHECK(y >= 1.0f);
      CHECK(y <= 5.0f);
      CHECK(o >= 0.0f);
      CHECK(o <= 5.0f);
      CHECK(p >= 0.0f);
      CHECK(p <= 40.0f);
    }
    for (int d = 0; d < r.follow_up_days; ++d) {
      const float a =
          r.daily_values[kDailyAlliance][static_cast<std::size_t>(c * r.follow_up_days + d)];
      if (exit_day >= 0 && d > exit_day) {
        CHECK(std::isnan(a));
      } else if (!std::isnan(a)) {
        CHECK(a >= 0.0f);
        CHECK(a <= 1.0f);
      }
    }
  }
}

TEST_CASE("srs is recorded only when routine feedback is on", "[model]") {
  const ReplicateResult off = small_run({});
  const ReplicateResult on = small_run({"policy.routine_feedback=true", "feedback.uptake=1"});
  int off_values = 0, on_values = 0;
  for (float v : off.wave_values[kSrs]) off_values += !std::isnan(v);
  for (float v : on.wave_values[kSrs]) on_values += !std::isnan(v);
  CHECK(off_values == 0);
  CHECK(on_values > 100);
}

TEST_CASE("same seed, same youths: referral traits do not depend on the policy", "[model][crn]") {
  const ReplicateResult a = small_run({});
  const ReplicateResult b = small_run({"mentor.caseload=4", "policy.routine_feedback=true"});
  // The same intake index carries the same traits in both scenarios.
  int matched = 0;
  for (int i = 0; i < a.cohort; ++i)
    for (int j = 0; j < b.cohort; ++j)
      if (a.static_values[kStIntakeIndex][i] == b.static_values[kStIntakeIndex][j]) {
        CHECK(a.static_values[kStAge][i] == b.static_values[kStAge][j]);
        CHECK(a.static_values[kStSeverity][i] == b.static_values[kStSeverity][j]);
        CHECK(a.static_values[kStExpectations][i] == b.static_values[kStExpectations][j]);
        ++matched;
      }
  CHECK(matched > a.cohort / 2);
}

TEST_CASE("parameter combinations that cannot run are refused", "[model]") {
  // A wave list the registry would refuse, given to the model directly.
  ModelParams p = test::baseline_params();
  p.wave_days = {14, 10, 182, 273};
  CHECK_THROWS_WITH(Model(p),
                    Catch::Contains("waves.days must be whole days since admission, at "
                                    "least 1 and strictly increasing (wave 2 is day 10)"));
  p.wave_days = {};
  CHECK_THROWS_WITH(Model(p), Catch::Contains("waves.days = [] must list at least one wave day"));
  CHECK_THROWS_AS(
      Model(test::baseline_params({"institution.open_groups=0", "institution.closed_groups=0"})),
      ConfigError);
  CHECK_THROWS_AS(
      Model(test::baseline_params({"youth.p_externalising=0.8", "youth.p_internalising=0.5"})),
      ConfigError);
}

namespace {
// Equal element by element, NaN equal to NaN.
template <class T>
bool same_values(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!((std::isnan(a[i]) && std::isnan(b[i])) || a[i] == b[i])) return false;
  return true;
}

// Share of externalising youths among the tracked youths admitted to each group.
std::vector<double> externalising_share_by_group(const ReplicateResult& r) {
  std::vector<double> ext(static_cast<std::size_t>(r.groups), 0.0), all(ext.size(), 0.0);
  for (int c = 0; c < r.cohort; ++c) {
    const double g = r.static_values[kStGroup][c];
    if (std::isnan(g)) continue;
    const auto gi = static_cast<std::size_t>(g);
    all[gi] += 1;
    ext[gi] += r.static_values[kStExternalising][c];
  }
  for (std::size_t g = 0; g < ext.size(); ++g) ext[g] = all[g] > 0 ? ext[g] / all[g] : -1;
  return ext;
}
}  // namespace

TEST_CASE("placement.concentrate_externalising: 0 leaves placement as it was, 1 concentrates",
          "[model][crn]") {
  const ReplicateResult base = small_run({});
  // 0, and a chance below every uniform the generator makes, place exactly as first come,
  // first served: the placement draws disturb no other stream.
  for (const char* o :
       {"placement.concentrate_externalising=0", "placement.concentrate_externalising=1e-12"}) {
    INFO(o);
    const ReplicateResult r = small_run({o});
    for (int f = 0; f < kStaticFieldCount; ++f)
      CHECK(same_values(r.static_values[f], base.static_values[f]));
    for (int f = 0; f < kOutcomeFieldCount; ++f)
      CHECK(same_values(r.outcome_values[f], base.outcome_values[f]));
    for (std::size_t v = 0; v < std::size(base.wave_values); ++v)
      CHECK(same_values(r.wave_values[v], base.wave_values[v]));
    CHECK(r.events.size() == base.events.size());
  }
  // Baseline: 6 open groups (externalising share of open referrals 0.33: groups 0-1 designated)
  // and 4 closed (share 0.64: groups 6-8 designated).
  const std::vector<bool> designated = {true,  true, false, false, false,
                                        false, true, true,  true,  false};
  const ReplicateResult conc = small_run({"placement.concentrate_externalising=1"});
  const std::vector<double> spread = externalising_share_by_group(base);
  const std::vector<double> share = externalising_share_by_group(conc);
  REQUIRE(share.size() == designated.size());
  for (std::size_t g = 0; g < share.size(); ++g) {
    INFO("group " << g << ": " << spread[g] << " -> " << share[g]);
    REQUIRE(share[g] >= 0);  // every group admitted tracked youths
    if (designated[g])
      CHECK(share[g] > 0.9);
    else
      CHECK(share[g] < 0.1);
    CHECK(spread[g] > 0.1);
    CHECK(spread[g] < 0.9);
  }
  // Deterministic: the same run twice gives the same placements.
  CHECK(small_run({"placement.concentrate_externalising=0.5"}).static_values[kStGroup] ==
        small_run({"placement.concentrate_externalising=0.5"}).static_values[kStGroup]);
}

TEST_CASE("a knock-out run leaves out exactly the steps it names (bench_throughput --skip)",
          "[model]") {
  ModelParams p = test::baseline_params({"cohort.size=60", "cohort.burn_in_days=30"});
  auto step = [](std::string_view name) {
    const std::uint32_t bit = step_bit(name);
    if (bit == 0) FAIL("no step " << name);
    return bit;
  };
  auto count = [](const ReplicateResult& r, std::initializer_list<EventKind> kinds) {
    int n = 0;
    for (const Event& e : r.events)
      for (const EventKind k : kinds) n += e.kind == k;
    return n;
  };
  const auto ties = {kEvFriendship, kEvConflict};
  const auto ruptures = {kEvRupture};
  const auto exits = {kEvExit};
  auto run = [&](std::uint32_t skipped) {
    RunOptions options;
    options.skipped_steps = skipped;
    return Model(p).run_replicate(0, options);
  };
  const ReplicateResult full = run(0);
  REQUIRE(count(full, ties) > 0);
  REQUIRE(count(full, ruptures) > 0);
  REQUIRE(count(full, exits) > 0);
  // Without the peers' step no tie forms; the steps before and after it still run.
  const ReplicateResult no_peers = run(step("peers"));
  CHECK(count(no_peers, ties) == 0);
  CHECK(count(no_peers, ruptures) > 0);
  CHECK(count(no_peers, exits) > 0);
  // Without the ruptures' step, the other way round; two steps left out together.
  const ReplicateResult no_ruptures = run(step("ruptures"));
  CHECK(count(no_ruptures, ruptures) == 0);
  CHECK(count(no_ruptures, ties) > 0);
  const ReplicateResult neither = run(step("peers") | step("ruptures"));
  CHECK(count(neither, ties) + count(neither, ruptures) == 0);
  CHECK(count(neither, exits) > 0);
  // No step left out: the full run, event for event.
  const ReplicateResult again = run(0);
  REQUIRE(again.events.size() == full.events.size());
  for (std::size_t i = 0; i < full.events.size(); ++i) {
    CHECK(again.events[i].kind == full.events[i].kind);
    CHECK(again.events[i].day == full.events[i].day);
  }
}

TEST_CASE("a replicate run in a reused result's buffers equals a fresh run", "[model]") {
  // run_replicates hands each replicate the buffers of one already written: whatever they held
  // (another cohort size, daily series, group series, events, chunks) must not show.
  const ModelParams small = test::baseline_params({"cohort.size=60", "cohort.burn_in_days=30"});
  const ModelParams large = test::baseline_params({"cohort.size=90", "cohort.burn_in_days=30"});
  RunOptions everything;
  everything.daily.fill(true);
  everything.group_series = true;
  ReplicateResult used = Model(large).run_replicate(3, everything);
  used.chunks.assign(2, std::vector<unsigned char>(16, 7));
  REQUIRE(!used.events.empty());
  REQUIRE(!used.peer_edges.empty());
  RunOptions lean;  // no daily or group series
  lean.daily.fill(false);
  lean.group_series = false;
  const ReplicateResult fresh = Model(small).run_replicate(1, lean);
  const ReplicateResult reused = Model(small).run_replicate(1, lean, std::move(used));
  auto same_bytes = [](const auto& a, const auto& b) {
    return a.size() == b.size() &&
           std::equal(reinterpret_cast<const unsigned char*>(a.data()),
                      reinterpret_cast<const unsigned char*>(a.data() + a.size()),
                      reinterpret_cast<const unsigned char*>(b.data()));
  };
  CHECK(reused.replicate == fresh.replicate);
  CHECK(reused.cohort == fresh.cohort);
  CHECK(reused.waves == fresh.waves);
  CHECK(reused.follow_up_days == fresh.follow_up_days);
  CHECK(reused.groups == fresh.groups);
  CHECK(reused.days == fresh.days);
  CHECK(reused.youth_days == fresh.youth_days);
  for (int m = 0; m < kWaveMeasureCount; ++m)
    CHECK(same_bytes(reused.wave_values[m], fresh.wave_values[m]));
  for (int v = 0; v < kDailyVarCount; ++v) CHECK(reused.daily_values[v].empty());
  for (int v = 0; v < kGroupVarCount; ++v) CHECK(reused.group_values[v].empty());
  // With group series in both, but the step that records them left out: a fresh run's series
  // stay zero, and so must those of a run in buffers that held another run's series.
  RunOptions series;
  series.group_series = true;
  series.skipped_steps = step_bit("group_day");
  REQUIRE(series.skipped_steps != 0);
  const ReplicateResult fresh_series = Model(small).run_replicate(2, series);
  ReplicateResult used_again = Model(large).run_replicate(0, everything);
  REQUIRE(std::any_of(used_again.group_values[0].begin(), used_again.group_values[0].end(),
                      [](float x) { return x != 0; }));
  const ReplicateResult reused_series =
      Model(small).run_replicate(2, series, std::move(used_again));
  for (int v = 0; v < kGroupVarCount; ++v) {
    CHECK(!fresh_series.group_values[v].empty());
    CHECK(same_bytes(reused_series.group_values[v], fresh_series.group_values[v]));
  }
  for (int f = 0; f < kStaticFieldCount; ++f)
    CHECK(same_bytes(reused.static_values[f], fresh.static_values[f]));
  for (int f = 0; f < kOutcomeFieldCount; ++f)
    CHECK(same_bytes(reused.outcome_values[f], fresh.outcome_values[f]));
  REQUIRE(reused.events.size() == fresh.events.size());
  for (std::size_t i = 0; i < fresh.events.size(); ++i) {
    const Event &a = reused.events[i], &b = fresh.events[i];
    CHECK((a.day == b.day && a.kind == b.kind && a.youth == b.youth && a.staff == b.staff &&
           same_bytes(std::vector<float>{a.value}, std::vector<float>{b.value})));
  }
  REQUIRE(reused.peer_edges.size() == fresh.peer_edges.size());
  for (std::size_t i = 0; i < fresh.peer_edges.size(); ++i) {
    const PeerEdge &a = reused.peer_edges[i], &b = fresh.peer_edges[i];
    CHECK((a.day == b.day && a.wave == b.wave && a.youth == b.youth && a.partner == b.partner &&
           a.partner_cohort == b.partner_cohort && a.tie == b.tie));
  }
  CHECK(reused.chunks.empty());
}
