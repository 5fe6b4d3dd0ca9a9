// A finished replicate packed for another process unpacks to what the writer needs, byte for
// byte, and a damaged message is refused rather than misread.
#include <catch2/catch.hpp>

#include "engine/errors.hpp"
#include "models/replicate_message.hpp"
#include "models/result_file.hpp"
#include "tests/support.hpp"

using namespace asim;

TEST_CASE("a packed replicate unpacks to the same shape, events and chunks",
          "[replicate_message]") {
  const Model model(test::baseline_params({"cohort.size=25", "cohort.burn_in_days=10"}));
  RunOptions options;
  options.daily[kDailyAlliance] = true;
  ReplicateResult r = model.run_replicate(2, options);
  ResultWriter::compress(r, options);
  REQUIRE_FALSE(r.events.empty());
  REQUIRE_FALSE(r.chunks.empty());

  const auto bytes = pack_replicate(r);
  const ReplicateResult back = unpack_replicate(bytes);
  CHECK(back.replicate == 2);
  CHECK(back.cohort == r.cohort);
  CHECK(back.waves == r.waves);
  CHECK(back.follow_up_days == r.follow_up_days);
  CHECK(back.groups == r.groups);
  CHECK(back.days == r.days);
  CHECK(back.youth_days == r.youth_days);
  CHECK(back.chunks == r.chunks);
  REQUIRE(back.events.size() == r.events.size());
  bool same_events = true;
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const Event &a = r.events[i], &b = back.events[i];
    same_events = same_events && a.day == b.day && a.kind == b.kind && a.youth == b.youth &&
                  a.staff == b.staff && a.value == b.value;
  }
  CHECK(same_events);
  REQUIRE(back.peer_edges.size() == r.peer_edges.size());
  bool same_edges = true;
  for (std::size_t i = 0; i < r.peer_edges.size(); ++i) {
    const PeerEdge &a = r.peer_edges[i], &b = back.peer_edges[i];
    same_edges = same_edges && a.day == b.day && a.wave == b.wave && a.youth == b.youth &&
                 a.partner == b.partner && a.partner_cohort == b.partner_cohort && a.tie == b.tie;
  }
  CHECK(same_edges);

  auto truncated = bytes;
  truncated.pop_back();
  CHECK_THROWS_AS(unpack_replicate(truncated), RuntimeFailure);
  auto longer = bytes;
  longer.push_back(0);
  CHECK_THROWS_AS(unpack_replicate(longer), RuntimeFailure);
  CHECK_THROWS_AS(unpack_replicate({}), RuntimeFailure);
}
