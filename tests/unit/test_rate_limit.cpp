// The classroom server's request rate limits (apps/rate_limit.hpp): token buckets driven by a
// clock given in the test, so nothing waits.
#include <catch2/catch.hpp>

#include "apps/rate_limit.hpp"

using asim::RateLimiter;
using asim::TokenBucket;

TEST_CASE("a token bucket lets a burst through, then the rate, and says how long to wait",
          "[unit]") {
  TokenBucket b(2.0, 3.0, 100.0);  // 2 a second, 3 at once
  CHECK(b.take(100.0) == 0);
  CHECK(b.take(100.0) == 0);
  CHECK(b.take(100.0) == 0);
  CHECK(b.take(100.0) == 1);  // empty: one token comes in 0.5 s, rounded up to 1 s
  CHECK(b.take(100.2) == 1);  // a refused request takes nothing
  CHECK(b.take(100.5) == 0);  // refilled by 0.5 s x 2 = 1 token
  CHECK(b.take(100.5) == 1);
  CHECK(b.take(110.0) == 0);  // long rest: full again, but never above the burst
  CHECK(b.take(110.0) == 0);
  CHECK(b.take(110.0) == 0);
  CHECK(b.take(110.0) == 1);
  CHECK(b.take(109.0) == 1);  // a clock going back adds nothing
  TokenBucket slow(0.001, 1.0, 0.0);
  CHECK(slow.take(0.0) == 0);
  CHECK(slow.take(0.0) == 1000);  // Retry-After: 1 token at 0.001 a second
  CHECK(slow.take(500.0) == 500);
}

TEST_CASE("a rate limiter keeps one bucket per client and a bounded number of them", "[unit]") {
  RateLimiter limits(1.0, 2.0, 2);  // 1 a second, 2 at once, 2 clients remembered
  CHECK(limits.take("a", 0.0) == 0);
  CHECK(limits.take("a", 0.0) == 0);
  CHECK(limits.take("a", 0.0) == 1);
  CHECK(limits.take("b", 0.0) == 0);  // another client has its own bucket
  CHECK(limits.size() == 2);
  CHECK(limits.take("c", 0.0) == 1);  // full, and neither a nor b is at rest: refused
  CHECK(limits.size() == 2);
  CHECK(limits.take("c", 2.0) == 0);  // a and b have refilled: dropped, c is taken in
  CHECK(limits.size() == 1);
  CHECK(limits.take("a", 2.0) == 0);  // a starts again with a full bucket
}
