// Request rate limits of the classroom server: a token bucket per client (per session, and per
// remote address for session creation). Time is passed in by the caller (seconds on any
// monotonic clock), so the buckets can be tested without waiting.
#pragma once
#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace asim {

// `burst` requests at once, refilled at `rate` requests per second.
class TokenBucket {
 public:
  TokenBucket(double rate, double burst, double now)
      : rate_(rate), burst_(burst), tokens_(burst), last_(now) {}
  // Takes one token: 0 when the request may go ahead, else the whole seconds to wait (>= 1)
  // until one is available (the Retry-After of the 429 answer).
  long take(double now) {
    refill(now);
    if (tokens_ >= 1) {
      tokens_ -= 1;
      return 0;
    }
    const double wait = rate_ > 0 ? (1 - tokens_) / rate_ : 1e9;
    return std::max(1L, static_cast<long>(std::ceil(std::min(wait, 1e9))));
  }
  bool full(double now) {
    refill(now);
    return tokens_ >= burst_;
  }

 private:
  void refill(double now) {
    if (now > last_) tokens_ = std::min(burst_, tokens_ + (now - last_) * rate_);
    last_ = std::max(last_, now);
  }
  double rate_, burst_, tokens_, last_;
};

// One bucket per key (a remote address); at most `max_keys` are kept: when full, the buckets
// that have refilled completely (clients at rest) are dropped, and if none has, the new key is
// refused like an exhausted one, so a flood of addresses cannot grow the map.
class RateLimiter {
 public:
  RateLimiter(double rate, double burst, std::size_t max_keys = 4096)
      : rate_(rate), burst_(burst), max_keys_(max_keys) {}
  long take(const std::string& key, double now) {
    auto it = buckets_.find(key);
    if (it == buckets_.end()) {
      if (buckets_.size() >= max_keys_)
        for (auto b = buckets_.begin(); b != buckets_.end();)
          b = b->second.full(now) ? buckets_.erase(b) : ++b;
      if (buckets_.size() >= max_keys_) return 1;
      it = buckets_.emplace(key, TokenBucket(rate_, burst_, now)).first;
    }
    return it->second.take(now);
  }
  std::size_t size() const { return buckets_.size(); }

 private:
  double rate_, burst_;
  std::size_t max_keys_;
  std::map<std::string, TokenBucket> buckets_;
};

}  // namespace asim
