// Fuzz target: bytes -> the classroom server's request handling, through cpp-httplib's own
// request parser. The input is what a client sends on one connection (request line, headers,
// body; several requests in a row are served one after another, at most 8). httplib::Server's
// process_request (protected) reads it from a memory stream and runs the routes, checks,
// sessions and limits of `alliance-sim serve` (apps/classroom_server.cpp); no socket is used.
// Each input gets a fresh server with one session; "@S" in the input stands for its id.
// Invariants: no crash, leak or undefined behaviour; every answer's status is one the server
// gives (200 400 403 404 413 414 429 503, and httplib's own 206/416 for Range requests, 100/417
// for Expect); after every request, every simulation's classroom parameters lie in their
// registry ranges.
#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "apps/classroom_server.hpp"
#include "engine/errors.hpp"

namespace {

class MemoryStream : public httplib::Stream {
 public:
  explicit MemoryStream(std::string in) : in_(std::move(in)) {}
  bool is_readable() const override { return pos_ < in_.size(); }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, in_.size() - pos_);
    in_.copy(ptr, n, pos_);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8080;
  }
  socket_t socket() const override { return 0; }
  bool at_end() const { return pos_ >= in_.size(); }
  const std::string& out() const { return out_; }

 private:
  std::string in_, out_;
  std::size_t pos_ = 0;
};

// httplib::Server with its request processing reachable from a memory stream.
class MemoryServer : public httplib::Server {
 public:
  // Serves the requests in `bytes` (at most `max_requests`); returns what the server wrote.
  std::string serve(const std::string& bytes, int max_requests) {
    MemoryStream stream(bytes);
    bool closed = false;
    for (int i = 0; i < max_requests && !closed && !stream.at_end(); ++i)
      if (!process_request(stream, false, closed, nullptr)) break;
    return stream.out();
  }
};

[[noreturn]] void defect(const std::string& what) {
  std::fprintf(stderr, "fuzz_server_request: %s\n", what.c_str());
  std::abort();
}

const asim::Scenario& base() {
  static const asim::Scenario s = asim::load_serve_scenario(asim::ServeRequest{});
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::set<int> allowed{100, 200, 206, 400, 403, 404, 413, 414, 416, 417, 429, 503};
  asim::ServeRequest request;
  request.max_sessions = 2;
  asim::ClassroomServer classroom(base(), request);
  MemoryServer server;
  classroom.install(server);
  std::vector<int> statuses;
  server.set_logger([&](const httplib::Request&, const httplib::Response& res) {
    statuses.push_back(res.status);
  });

  const std::string created =
      server.serve("POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", 1);
  const auto at = created.find("\"session\":\"");
  if (at == std::string::npos) defect("no session created: " + created);
  const std::string id = created.substr(at + 11, 32);
  std::string input(reinterpret_cast<const char*>(data), size);
  for (std::size_t p = input.find("@S"); p != std::string::npos;
       p = input.find("@S", p + id.size()))
    input.replace(p, 2, id);

  statuses.clear();
  server.serve(input, 8);
  static const bool trace = std::getenv("ASIM_FUZZ_TRACE") != nullptr;  // to read a saved input
  for (const int status : statuses) {
    if (trace) std::fprintf(stderr, "fuzz_server_request: answer %d\n", status);
    if (!allowed.count(status)) defect("answer status " + std::to_string(status));
  }
  classroom.for_each_simulation([&](const asim::ClassroomSimulation& sim) {
    for (const auto& c : classroom.controls()) {
      if (c.name == "setting") continue;
      const double v = sim.scenario().values.get(c.name);
      if (!(v >= c.min && v <= c.max))
        defect(c.name + " = " + std::to_string(v) + " outside [" + std::to_string(c.min) + ", " +
               std::to_string(c.max) + "]");
    }
  });
  return 0;
}
