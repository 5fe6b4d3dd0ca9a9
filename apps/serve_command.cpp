// `alliance-sim serve`: the classroom web server (cpp-httplib's request handling behind the poll
// loop of apps/polled_server.hpp, so slow clients cannot hold the workers). The page polls: it
// asks for the next day(s) at the speed the lecturer chose and draws each answer
// (docs/classroom.md says why not server-sent events). Every browser tab gets its own session
// with up to two simulations (side-by-side mode); sessions are bounded in number, each
// simulation in days.
#include "apps/serve_command.hpp"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <thread>

#include "apps/classroom_server.hpp"
#include "apps/polled_server.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "engine/test_hooks.hpp"

namespace asim {

int serve_command(const ServeRequest& request) {
  const Scenario base = load_serve_scenario(request);
  ClassroomServer classroom(base, request);
  PolledServer server;
  classroom.install(server);

  int port = request.port;
  if (port == 0) {
    port = server.bind_to_any_port(request.host);
    if (port < 0) throw ConfigError("--host " + request.host + ": cannot listen on this address");
  } else if (!server.bind_to_port(request.host, port)) {
    throw ConfigError("--host " + request.host + " --port " + std::to_string(port) +
                      ": cannot listen there (in use, or not an address of this machine)");
  }
  server.deepen_listen_queue();
  install_stop_handlers();  // before the banner: a client may stop the server once it reads it
  const bool ipv6 = request.host.find(':') != std::string::npos;
  std::cout << "classroom mode: open http://" << (ipv6 ? "[" + request.host + "]" : request.host)
            << ":" << port << "/ in a browser (scenario '" << base.name << "'; at most "
            << request.max_sessions << " tabs, up to "
            << static_cast<int>(std::ceil(request.max_sessions * kServeSessionMegabytes))
            << " MB; Ctrl+C stops)" << std::endl;

  std::atomic<bool> done{false};
  // SIGINT/SIGTERM only set a flag; the server is stopped from here. httplib's stop() does
  // nothing until the accept loop runs (is_running()), so a signal that comes between the
  // banner and the start of listen_after_bind must wait for it: stopped then, not lost (a lost
  // stop left the server running for good).
  std::thread watcher([&] {
    while (!done) {
      if (stop_requested() && server.is_running()) {
        server.stop();
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(stop_requested() ? 5 : 100));
    }
  });
  test_pause_before_listen();  // test builds only (engine/test_hooks.hpp)
  const bool ok = server.listen_after_bind();
  done = true;
  watcher.join();
  std::cout << "classroom mode: stopped" << std::endl;
  return ok || stop_requested() ? 0 : 1;
}

}  // namespace asim
