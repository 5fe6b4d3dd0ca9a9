// One poll loop holds every connection between requests and while a request arrives; a pool of
// workers runs complete requests through httplib's process_request (apps/polled_server.hpp).
#include "apps/polled_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/errors.hpp"

namespace asim {
namespace {

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void close_connection(int fd) {
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

// A short answer written by the poll loop itself (never blocks), then the connection is closed.
void answer_and_close(int fd, int status, const char* reason, const std::string& text) {
  const std::string body = text + "\n";
  const std::string out =
      "HTTP/1.1 " + std::to_string(status) + " " + reason +
      "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  [[maybe_unused]] const ssize_t n =
      ::send(fd, out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  close_connection(fd);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    port = ntohs(a.sin6_port);
  }
  ip = text;
}

// One complete request (and nothing after it) for process_request to read; the answer goes to
// the socket. Reading past the request gives end of stream, so a POST without Content-Length
// has an empty body at once (RFC 9112 6.3: no length, no body) instead of waiting for more.
class RequestStream : public httplib::Stream {
 public:
  RequestStream(int fd, std::string request, double write_seconds)
      : fd_(fd), in_(std::move(request)), write_seconds_(write_seconds) {}
  bool is_readable() const override { return pos_ < in_.size(); }
  bool is_writable() const override { return !failed_; }
  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, in_.size() - pos_);
    in_.copy(ptr, n, pos_);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (failed_) return -1;
    const double deadline = now_seconds() + write_seconds_;
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::send(fd_, ptr + done, size - done, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      const double left = deadline - now_seconds();
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && left > 0) {
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, static_cast<int>(left * 1000) + 1) >= 0) continue;
      }
      failed_ = true;  // the client went away or does not read its answer
      return -1;
    }
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      address_of(addr, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      address_of(addr, ip, port);
  }
  socket_t socket() const override { return fd_; }
  bool failed() const { return failed_; }

 private:
  int fd_;
  std::string in_;
  std::size_t pos_ = 0;
  double write_seconds_;
  bool failed_ = false;
};

}  // namespace

struct PolledServer::Front {
  struct Connection {
    int fd = -1;
    std::string buffer;     // received, not yet served
    double started = 0;     // when the buffered request's first byte came
    double idle_since = 0;  // when the connection was accepted or its last answer sent
    int served = 0;
    bool continued = false;  // "100 Continue" sent for the buffered request
  };
  struct Job {
    Connection connection;
    std::string request;  // one whole request
    bool close_after = false;
  };

  Front(PolledServer& s, const Limits& l) : server(s), limits(l) {
    if (limits.workers <= 0)
      limits.workers = static_cast<int>(std::max(8u, 2 * std::thread::hardware_concurrency()));
    if (::pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0)
      throw RuntimeFailure("serve: cannot make a pipe");
    poller = std::thread([this] { poll_loop(); });
    for (int i = 0; i < limits.workers; ++i) workers.emplace_back([this] { work(); });
  }
  ~Front() {
    {
      std::lock_guard lock(mutex);
      stopping = true;
    }
    jobs_ready.notify_all();
    poke();
    poller.join();
    for (auto& w : workers) w.join();
    for (auto& c : incoming) close_connection(c.fd);
    for (auto& j : jobs) close_connection(j.connection.fd);
    ::close(wake[0]);
    ::close(wake[1]);
  }

  void poke() {
    const char c = 0;
    [[maybe_unused]] const ssize_t n = ::write(wake[1], &c, 1);
  }

  // A connection new from accept, or back from a worker after its answer.
  void add(Connection c) {
    {
      std::lock_guard lock(mutex);
      if (stopping) return close_connection(c.fd);
      incoming.push_back(std::move(c));
    }
    poke();
  }

  enum class Verdict { wait, ready, closed };
  // Whether `c` holds a whole request; when it does, hands it to the workers. Answers at once
  // what cannot be served (a body sent in chunks, a bad Content-Length).
  Verdict check(Connection& c) {
    const auto end = c.buffer.find("\r\n\r\n");
    if (end == std::string::npos) {
      if (c.buffer.size() <= limits.max_header_bytes) return Verdict::wait;
      dispatch(c, c.buffer.size(), true);  // httplib answers 400 or 414
      return Verdict::ready;
    }
    const std::size_t header = end + 4;
    std::size_t length = 0;
    bool expect_continue = false;
    for (std::size_t at = c.buffer.find("\r\n") + 2; at < end;) {
      const std::size_t eol = c.buffer.find("\r\n", at);
      const std::string line = c.buffer.substr(at, eol - at);
      at = eol + 2;
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      const std::string name = lower(trim(line.substr(0, colon))),
                        value = trim(line.substr(colon + 1));
      if (name == "transfer-encoding" && lower(value) != "identity") {
        answer_and_close(c.fd, 411, "Length Required",
                         "send the request body with a Content-Length");
        return Verdict::closed;
      }
      if (name == "expect" && lower(value) == "100-continue") expect_continue = true;
      if (name == "content-length") {
        if (value.empty() || value.size() > 12 ||
            value.find_first_not_of("0123456789") != std::string::npos) {
          answer_and_close(c.fd, 400, "Bad Request", "Content-Length is not a number");
          return Verdict::closed;
        }
        length = std::stoull(value);
      }
    }
    if (length > limits.max_body_bytes) {
      dispatch(c, header, true);  // httplib answers 413 without the body
      return Verdict::ready;
    }
    if (c.buffer.size() >= header + length) {
      dispatch(c, header + length, false);
      return Verdict::ready;
    }
    if (expect_continue && !c.continued) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      [[maybe_unused]] const ssize_t n =
          ::send(c.fd, kContinue, sizeof kContinue - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
      c.continued = true;
    }
    return Verdict::wait;
  }

  void dispatch(Connection& c, std::size_t length, bool close_after) {
    Job job;
    job.request = c.buffer.substr(0, length);
    c.buffer.erase(0, length);
    if (c.continued) {  // answered already: httplib must not send a second "100 Continue"
      const std::string l = lower(job.request.substr(0, job.request.find("\r\n\r\n")));
      const auto at = l.find("\r\nexpect:");
      if (at != std::string::npos) job.request.erase(at, l.find("\r\n", at + 2) - at);
    }
    job.close_after = close_after;
    job.connection = std::move(c);
    job.connection.continued = false;
    {
      std::lock_guard lock(mutex);
      jobs.push_back(std::move(job));
    }
    jobs_ready.notify_one();
  }

  void poll_loop() {
    std::vector<Connection> conns;
    std::vector<pollfd> fds;
    char buf[16384];
    for (;;) {
      std::vector<Connection> fresh;
      {
        std::lock_guard lock(mutex);
        if (stopping) break;
        fresh.swap(incoming);
      }
      const double now = now_seconds();
      for (auto& c : fresh) {
        if (!c.buffer.empty()) c.started = now;  // a pipelined request already arrived
        if (check(c) == Verdict::wait) conns.push_back(std::move(c));
      }
      // Too many connections: close the longest idle ones, then the slowest requests.
      while (static_cast<int>(conns.size()) > limits.max_connections) {
        auto victim = conns.begin();
        for (auto it = conns.begin(); it != conns.end(); ++it) {
          const bool idle = it->buffer.empty(), victim_idle = victim->buffer.empty();
          if (idle != victim_idle
                  ? idle
                  : (idle ? it->idle_since < victim->idle_since : it->started < victim->started))
            victim = it;
        }
        close_connection(victim->fd);
        conns.erase(victim);
      }
      fds.assign(1, pollfd{wake[0], POLLIN, 0});
      double next = now + 1;
      for (const auto& c : conns) {
        fds.push_back(pollfd{c.fd, POLLIN, 0});
        next = std::min(next, c.buffer.empty() ? c.idle_since + limits.keep_alive_seconds
                                               : c.started + limits.request_seconds);
      }
      const int timeout = std::max(0, static_cast<int>((next - now) * 1000) + 1);
      if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) {
        // ENOMEM and the like are transient: say so once a second, wait, and poll again rather
        // than leave every connection unanswered.
        static double last_report = -1;
        if (now - last_report >= 1) {
          std::cerr << "alliance-sim serve: poll failed (" << std::strerror(errno)
                    << "); retrying\n";
          last_report = now;
        }
        ::usleep(100000);
        continue;
      }
      if (fds[0].revents)
        while (::read(wake[0], buf, sizeof buf) > 0) {
        }
      const double t = now_seconds();
      std::vector<Connection> keep;
      keep.reserve(conns.size());
      for (std::size_t i = 0; i < conns.size(); ++i) {
        Connection& c = conns[i];
        if (fds[i + 1].revents) {
          bool gone = false;
          for (;;) {
            const ssize_t n = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n > 0) {
              if (c.buffer.empty()) c.started = t;
              c.buffer.append(buf, static_cast<std::size_t>(n));
              if (c.buffer.size() > limits.max_header_bytes + limits.max_body_bytes) break;
              continue;
            }
            if (n < 0 && errno == EINTR) continue;
            gone = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
            break;
          }
          if (gone) {  // closed by the client (a half-sent request cannot be answered)
            close_connection(c.fd);
            continue;
          }
          if (check(c) != Verdict::wait) continue;
        }
        if (!c.buffer.empty() && t - c.started > limits.request_seconds) {
          answer_and_close(c.fd, 408, "Request Timeout", "the request did not arrive in time");
          continue;
        }
        if (c.buffer.empty() && t - c.idle_since > limits.keep_alive_seconds) {
          close_connection(c.fd);
          continue;
        }
        keep.push_back(std::move(c));
      }
      conns.swap(keep);
    }
    for (auto& c : conns) close_connection(c.fd);
  }

  void work() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(mutex);
        jobs_ready.wait(lock, [&] { return stopping || !jobs.empty(); });
        if (stopping) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      Connection& c = job.connection;
      RequestStream stream(c.fd, std::move(job.request), limits.write_seconds);
      const bool last = job.close_after || c.served + 1 >= limits.keep_alive_requests;
      bool client_closed = false;
      const bool ok = server.serve_one(stream, last, client_closed);
      if (!ok || last || client_closed || stream.failed()) {
        close_connection(c.fd);
        continue;
      }
      c.served += 1;
      c.idle_since = now_seconds();
      add(std::move(c));
    }
  }

  PolledServer& server;
  Limits limits;
  int wake[2] = {-1, -1};
  std::mutex mutex;
  std::condition_variable jobs_ready;
  bool stopping = false;
  std::vector<Connection> incoming;
  std::deque<Job> jobs;
  std::thread poller;
  std::vector<std::thread> workers;
};

namespace {

// httplib's accept loop hands each connection to its task queue; this one passes it straight on
// to the poll loop on the accepting thread (which never blocks there).
class InlineQueue : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

}  // namespace

PolledServer::PolledServer() : PolledServer(Limits{}) {}

PolledServer::PolledServer(const Limits& limits) {
  set_keep_alive_timeout(static_cast<time_t>(limits.keep_alive_seconds));
  set_keep_alive_max_count(static_cast<std::size_t>(limits.keep_alive_requests));
  set_payload_max_length(limits.max_body_bytes);
  new_task_queue = [] { return new InlineQueue; };
  front_ = std::make_unique<Front>(*this, limits);
}

PolledServer::~PolledServer() = default;

int PolledServer::workers() const {
  return front_->limits.workers;
}

void PolledServer::deepen_listen_queue() {
  if (svr_sock_ != INVALID_SOCKET) ::listen(svr_sock_, SOMAXCONN);
}

bool PolledServer::process_and_close_socket(socket_t sock) {
  const int one = 1;  // an answer is written as header, then body: no Nagle delay between them
  ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  Front::Connection c;
  c.fd = sock;
  c.idle_since = now_seconds();
  front_->add(std::move(c));
  return true;
}

bool PolledServer::serve_one(httplib::Stream& stream, bool close_connection,
                             bool& connection_closed) {
  return process_request(stream, close_connection, connection_closed, nullptr);
}

}  // namespace asim
