// Progress display for long runs, on stderr: a redrawn bar on a terminal, plain lines when
// stderr is a file or pipe (CI logs), nothing with --quiet. Display only: the timing here never
// affects results or tests.
#pragma once
#include <chrono>
#include <cstddef>
#include <iostream>
#include <mutex>
#include <ostream>
#include <string>

namespace asim {

class Progress {
 public:
  enum class Mode { Bar, Lines, Quiet };
  // Quiet if `quiet`, else Bar if stderr is a terminal, else Lines.
  static Mode detect(bool quiet);

  // `total_units` counts what update() reports as done (e.g. replicates); `unit_name` names it.
  Progress(Mode mode, std::string label, std::size_t total_units, std::ostream& out = std::cerr,
           std::string unit_name = "replicates");
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Ends an unfinished bar's line so that later output starts on a fresh line.
  ~Progress();

  // Reports progress so far; thread-safe, and values lower than already reported are ignored.
  // Output is rate-limited: the bar is redrawn (with '\r') at most 10 times a second, lines are
  // printed at most every 2 seconds. Reaching 100 % is always shown, as the final line.
  //   Bar:   baseline [#########...........]  10/50  20%  3.1 M youth-days/s  ETA 0:12
  //   Lines: baseline: 10/50 replicates (20%), 3.1 M youth-days/s, ETA 0:12
  void update(std::size_t done_units, double youth_days_done);
  // Prints the final state (elapsed time instead of ETA) and ends the line, unless reaching
  // 100 % already did. Idempotent. `stopped`: the run was interrupted before it was done, so
  // the line says "stopped after" instead of "done in".
  void finish(bool stopped = false);

  // Helpers, public for tests: 12345678 -> "12.3 M", 950 -> "950"; 75 s -> "1:15",
  // 3725 s -> "1:02:05".
  static std::string format_rate(double per_second);
  static std::string format_duration(double seconds);

 private:
  using Clock = std::chrono::steady_clock;
  std::string render(bool final_line, double elapsed_s) const;
  void emit(bool final_line, Clock::time_point now);

  Mode mode_;
  std::string label_;
  std::string unit_name_;
  std::size_t total_;
  std::ostream* out_;
  std::mutex mutex_;
  Clock::time_point start_;
  Clock::time_point last_emit_;
  std::size_t done_ = 0;
  double youth_days_ = 0.0;
  bool bar_open_ = false;  // a bar line was drawn and not yet ended with '\n'
  bool finished_ = false;
  bool stopped_ = false;  // finish(true): interrupted before it was done
};

}  // namespace asim
