// Step latency of the classroom server under a class: starts `alliance-sim serve --port 0`, opens
// N sessions in side-by-side mode (two simulations each) and lets every session step as the page
// does (a request per panel every --pace-ms, --days days each; 0 ms: back to back) from its own
// thread for --seconds. Prints the median, 95th percentile and maximum latency of a step request,
// the requests served per second and the server's resident memory before and after.
//   build/bench/bench_classroom_load [--sessions 64] [--seconds 20] [--days 2] [--pace-ms 250]
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace {

long rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

int usage(const std::string& why) {
  std::cerr << "bench_classroom_load: " << why
            << "\nusage: bench_classroom_load [--sessions N] [--seconds S] [--days D] [--pace-ms "
               "MS] [--binary PATH]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int sessions = 64, days = 2, pace_ms = 250;
  double seconds = 20;
  std::string binary = ASIM_CLI;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return usage(a + " needs a value");
    const std::string v = argv[++i];
    try {
      if (a == "--sessions")
        sessions = std::stoi(v);
      else if (a == "--seconds")
        seconds = std::stod(v);
      else if (a == "--days")
        days = std::stoi(v);
      else if (a == "--pace-ms")
        pace_ms = std::stoi(v);
      else if (a == "--binary")
        binary = v;
      else
        return usage("unknown option " + a);
    } catch (const std::exception&) {
      return usage(a + " = '" + v + "' is not a number");
    }
  }
  if (sessions < 1 || sessions > 1000 || days < 1 || days > 30 || pace_ms < 0 || !(seconds > 0))
    return usage("--sessions 1-1000, --days 1-30, --pace-ms >= 0, --seconds > 0");
  const std::string command = "exec 2>&1; echo $$; exec " + binary +
                              " serve --port 0 --max-sessions " + std::to_string(sessions) +
                              " --create-burst " + std::to_string(sessions + 1) +
                              " --rate-limit 1000 --rate-burst 1000";
  FILE* pipe = popen(command.c_str(), "r");
  char line[4096];
  if (!pipe || !fgets(line, sizeof line, pipe)) return usage("cannot start " + binary);
  const int pid = std::stoi(line);
  if (!fgets(line, sizeof line, pipe)) return usage("the server printed nothing");
  std::cmatch m;
  if (!std::regex_search(line, m, std::regex(R"(http://127\.0\.0\.1:([0-9]+)/)")))
    return usage(std::string("no address in: ") + line);
  const int port = std::stoi(m[1]);
  const long rss_empty = rss_kib(pid);

  std::vector<std::string> ids;
  {
    httplib::Client c("127.0.0.1", port);
    for (int k = 0; k < sessions; ++k) {
      const auto r = c.Post("/api/session", "", "text/plain");
      std::smatch s;
      if (!r || r->status != 200 ||
          !std::regex_search(r->body, s, std::regex(R"re("session":"([0-9a-f]+)")re")))
        return usage("session " + std::to_string(k) + " refused");
      ids.push_back(s[1]);
      for (int panel = 0; panel < 2; ++panel)
        c.Post(("/api/reset?session=" + ids.back() + "&panel=" + std::to_string(panel) +
                "&setting=" + std::to_string(panel))
                   .c_str(),
               "", "text/plain");
    }
  }
  const long rss_sessions = rss_kib(pid);

  std::mutex mutex;
  std::vector<double> latencies;
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int k = 0; k < sessions; ++k)
    threads.emplace_back([&, k] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(60);
      std::vector<double> mine;
      auto next =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(k * pace_ms / sessions);
      std::this_thread::sleep_until(next);
      while (std::chrono::steady_clock::now() < end) {
        for (int panel = 0; panel < 2; ++panel) {
          const auto t0 = std::chrono::steady_clock::now();
          const auto r =
              c.Post(("/api/step?session=" + ids[static_cast<std::size_t>(k)] +
                      "&panel=" + std::to_string(panel) + "&days=" + std::to_string(days))
                         .c_str(),
                     "", "text/plain");
          if (!r || r->status != 200) ++failures;
          mine.push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                  .count());
        }
        next += std::chrono::milliseconds(pace_ms);
        std::this_thread::sleep_until(next);
      }
      std::lock_guard lock(mutex);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  for (auto& t : threads) t.join();
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long rss_end = rss_kib(pid);
  kill(pid, SIGTERM);
  pclose(pipe);
  if (latencies.empty()) return usage("no request was answered");
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies[std::min(latencies.size() - 1,
                              static_cast<std::size_t>(p * latencies.size()))];
  };
  std::printf(
      "sessions %d (2 panels each), %d day(s) a step, a step per panel every %d ms, %.1f s\n",
      sessions, days, pace_ms, wall);
  std::printf("step requests %zu (%.0f/s), failed %d\n", latencies.size(), latencies.size() / wall,
              failures.load());
  std::printf("step latency ms: median %.2f, p95 %.2f, max %.2f\n", pct(0.5), pct(0.95),
              latencies.back());
  std::printf(
      "server memory MiB: empty %.1f, %d sessions on day 0 %.1f, at the end %.1f (%.2f per "
      "session)\n",
      rss_empty / 1024.0, sessions, rss_sessions / 1024.0, rss_end / 1024.0,
      (rss_end - rss_empty) / 1024.0 / sessions);
  return failures ? 1 : 0;
}
