// `alliance-sim serve`: classroom mode, a local web server running one living group of the
// model day by day for the page in web/static/ (docs/classroom.md).
#pragma once
#include <string>
#include <vector>

namespace asim {

// Memory of one session (browser tab) at most: two simulations (side by side) run to
// ClassroomSimulation::kMaxDays, about 0.25 MB each on day 0 and 0.55 MB at the limit
// (measured: bench/README.md, "Classroom server").
inline constexpr double kServeSessionMegabytes = 1.2;

struct ServeRequest {
  std::string scenario_file;           // empty: the built-in baseline
  std::vector<std::string> overrides;  // --set key=value
  std::string host = "127.0.0.1";      // loopback unless told otherwise
  int port = 8080;                     // 0: any free port (printed)
  int max_sessions = 64;               // browser tabs served at once (a class)
  int idle_seconds = 600;              // a session idle this long may be evicted for a new one
  // Request rate limits (token buckets, answered 429 with Retry-After when exceeded). The page
  // sends at most 8 requests a second (4 step rounds of both panels in side-by-side mode).
  double rate_limit = 20;        // requests per second of one session, on average
  double rate_burst = 40;        // ... and at once
  double create_rate_limit = 2;  // new sessions per second from one remote address
  double create_burst = 64;      // ... and at once (a class behind one address)
};

// Serves until SIGINT/SIGTERM; returns the exit status. Throws ConfigError (exit 2) for a bad
// scenario or when the address cannot be bound.
int serve_command(const ServeRequest& request);

}  // namespace asim
