// The request handling of `alliance-sim serve` without the network: the routes of the classroom
// API and the page, their parameter checks, sessions and rate limits, installed on an
// httplib::Server. serve_command binds and listens; the fuzz target
// (tests/fuzz/fuzz_server_request.cpp) feeds requests to the same routes from memory.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "apps/serve_command.hpp"
#include "models/classroom.hpp"

namespace httplib {
class Server;
}

namespace asim {

class ClassroomServer {
 public:
  // `base`: the served scenario (load_serve_scenario). Throws ConfigError for bad limits.
  ClassroomServer(const Scenario& base, const ServeRequest& request);
  ~ClassroomServer();
  ClassroomServer(const ClassroomServer&) = delete;
  ClassroomServer& operator=(const ClassroomServer&) = delete;

  // Installs the routes, the Host check (loopback binds), the limits and the error answers.
  void install(httplib::Server& server);

  // Every simulation of every session (for checks: the fuzz target's range invariant).
  void for_each_simulation(const std::function<void(const ClassroomSimulation&)>& f);
  const std::vector<ClassroomControl>& controls() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The served scenario: the file (or the built-in baseline) with the --set overrides, checked to
// make a valid classroom group. Throws ConfigError.
Scenario load_serve_scenario(const ServeRequest& request);

}  // namespace asim
