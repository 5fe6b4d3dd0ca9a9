// The one event stream: record_event records every event once, for every youth (tracked or
// not) and the staff. RunOptions::event_stream sees all of them; the result file keeps the
// tracked cohort's and the staff's, in the same order, and is the same with or without a
// reader of the stream.
#include <catch2/catch.hpp>
#include <cstring>
#include <map>

#include "models/simulation.hpp"
#include "tests/support.hpp"

using namespace asim;

namespace {
bool same_event(const Event& a, const Event& b) {
  return a.day == b.day && a.kind == b.kind && a.youth == b.youth && a.staff == b.staff &&
         std::memcmp(&a.value, &b.value, sizeof a.value) == 0;
}
}  // namespace

TEST_CASE("the result file's events are the event stream's events of tracked youths and staff",
          "[model][events]") {
  const Model model(test::baseline_params(
      {"cohort.size=120", "cohort.burn_in_days=60", "institution.open_groups=3",
       "institution.closed_groups=2", "staff.annual_turnover=1", "policy.right_to_switch=true"}));
  const ReplicateResult whole = model.run_replicate(2, RunOptions{});
  std::vector<std::vector<StreamEvent>> stream(static_cast<std::size_t>(model.group_count()));
  RunOptions options;
  options.group_grain = 1;  // a tile per group: the groups' days run in parallel
  options.event_stream = &stream;
  ReplicateRun run(model, 2, options);
  std::vector<Event> kept;           // the stream, filtered as the result file is
  std::map<int, int> untracked;      // kind -> events of youths outside the tracked cohort
  std::map<int, int> arrived, left;  // group -> admissions and exits in the stream so far
  bool done = false;
  while (!done) {
    done = run.step_day();
    const ReplicateResult& r = run.result();
    for (std::size_t gi = 0; gi < stream.size(); ++gi) {
      const Group& g = run.groups()[gi];
      for (const StreamEvent& e : stream[gi]) {
        REQUIRE(e.group == g.index);
        REQUIRE(e.event.day == r.days - 1);
        if (e.bed < 0) {  // a staff event
          REQUIRE(e.event.kind == kEvStaffLeft);
          REQUIRE(e.youth_id == -1);
          REQUIRE(e.event.youth == -1);
        } else {
          REQUIRE(e.bed < g.beds);
          REQUIRE(e.youth_id >= 0);
          if (e.event.youth >= 0)  // a tracked youth: the cohort row of the same youth
            REQUIRE(r.static_values[kStIntakeIndex][static_cast<std::size_t>(e.event.youth)] ==
                    e.youth_id);
          else
            untracked[e.event.kind] += 1;
        }
        arrived[g.index] += e.event.kind == kEvAdmission;
        left[g.index] += e.event.kind == kEvExit;
        if (e.bed < 0 || e.event.youth >= 0) kept.push_back(e.event);
      }
      stream[gi].clear();
      // every admission and exit, tracked or not, is in the stream
      REQUIRE(arrived[g.index] - left[g.index] == g.present);
    }
  }
  const ReplicateResult& r = run.result();
  REQUIRE(r.events.size() == whole.events.size());
  REQUIRE(kept.size() == r.events.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    INFO("event " << i);
    REQUIRE(same_event(kept[i], r.events[i]));
    REQUIRE(same_event(whole.events[i], r.events[i]));
  }
  // the stream holds what the result file leaves out: the untracked residents' events
  for (EventKind k : {kEvAdmission, kEvRupture, kEvIncident, kEvExit}) CHECK(untracked[k] > 0);
}
