// The network side of `alliance-sim serve`: an httplib::Server whose connections wait in one poll
// loop until a whole request (header and body) has arrived, and only then go to a worker thread.
// cpp-httplib's own loop gives each connection a worker from accept to close, so a few clients
// that never finish their request header (a stalled phone on the lecture hall's Wi-Fi, or on
// purpose) hold every worker and everyone else waits. Here a slow client costs one entry in the
// poll set and is closed after `request_seconds`; workers only ever run complete requests.
// The routes, checks and answers are httplib's (process_request), installed as usual
// (ClassroomServer::install).
#pragma once
#include <httplib.h>

#include <memory>

namespace asim {

class PolledServer : public httplib::Server {
 public:
  struct Limits {
    double request_seconds = 2;     // from a request's first byte to its last (header and body)
    double keep_alive_seconds = 5;  // an idle connection between requests is closed after this
    double write_seconds = 5;       // an answer the client does not read within this is dropped
    int workers = 0;                // threads running complete requests; 0: 2 per core, at least 8
    int max_connections = 512;      // open connections; beyond, the longest idle one is closed
    int keep_alive_requests = 100;  // requests on one connection before it is closed
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 16 * 1024;  // a larger Content-Length is answered 413 at once
  };
  PolledServer();
  explicit PolledServer(const Limits& limits);
  ~PolledServer() override;
  PolledServer(const PolledServer&) = delete;
  PolledServer& operator=(const PolledServer&) = delete;

  // Deepens the listen queue of a bound socket (httplib's is 5, so a class opening the page at
  // once would see connection retries of a second). Call after bind_to_port.
  void deepen_listen_queue();
  int workers() const;

 private:
  struct Front;
  // Called by httplib's accept loop (through an inline task queue): hands the connection to the
  // poll loop and returns at once.
  bool process_and_close_socket(socket_t sock) override;
  friend struct Front;
  bool serve_one(httplib::Stream& stream, bool close_connection, bool& connection_closed);
  std::unique_ptr<Front> front_;
};

}  // namespace asim
