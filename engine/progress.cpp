// Progress display: see progress.hpp.
#include "engine/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <utility>

namespace asim {
namespace {

constexpr auto kBarInterval = std::chrono::milliseconds(100);
constexpr auto kLineInterval = std::chrono::seconds(2);
constexpr std::size_t kBarWidth = 24;

}  // namespace

Progress::Mode Progress::detect(bool quiet) {
  if (quiet) return Mode::Quiet;
  return ::isatty(STDERR_FILENO) ? Mode::Bar : Mode::Lines;
}

Progress::Progress(Mode mode, std::string label, std::size_t total_units, std::ostream& out,
                   std::string unit_name)
    : mode_(mode),
      label_(std::move(label)),
      unit_name_(std::move(unit_name)),
      total_(total_units),
      out_(&out),
      start_(Clock::now()),
      last_emit_(start_) {}

Progress::~Progress() {
  std::lock_guard lock(mutex_);
  if (bar_open_) {
    *out_ << '\n' << std::flush;
    bar_open_ = false;
  }
}

std::string Progress::format_rate(double per_second) {
  if (!(per_second > 0.0) || !std::isfinite(per_second)) return "0";
  static constexpr const char* suffixes[] = {"", " k", " M", " G", " T"};
  std::size_t i = 0;
  while (per_second >= 1000.0 && i + 1 < std::size(suffixes)) {
    per_second /= 1000.0;
    ++i;
  }
  char buf[32];
  if (i == 0)
    std::snprintf(buf, sizeof buf, "%.0f", per_second);
  else
    std::snprintf(buf, sizeof buf, "%.1f%s", per_second, suffixes[i]);
  return buf;
}

std::string Progress::format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0.0) return "--:--";
  const auto total = static_cast<long long>(std::llround(seconds));
  const long long h = total / 3600, m = (total / 60) % 60, s = total % 60;
  char buf[48];
  if (h > 0)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", h, m, s);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", m, s);
  return buf;
}

std::string Progress::render(bool final_line, double elapsed_s) const {
  const double fraction =
      total_ == 0 ? 1.0 : std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
  const int percent = static_cast<int>(std::floor(fraction * 100.0));
  const std::string rate =
      format_rate(elapsed_s > 0.0 ? youth_days_ / elapsed_s : 0.0) + " youth-days/s";
  std::string time;
  if (final_line) {
    time = (stopped_ ? "stopped after " : "done in ") + format_duration(elapsed_s);
  } else if (done_ == 0 || total_ == 0) {
    time = "ETA --:--";
  } else {
    time = "ETA " + format_duration(elapsed_s * (1.0 - fraction) / fraction);
  }
  const std::string counts = std::to_string(done_) + "/" + std::to_string(total_);

  if (mode_ == Mode::Bar) {
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(kBarWidth));
    return label_ + " [" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "]  " +
           counts + "  " + std::to_string(percent) + "%  " + rate + "  " + time;
  }
  return label_ + ": " + counts + " " + unit_name_ + " (" + std::to_string(percent) + "%), " +
         rate + ", " + time;
}

void Progress::emit(bool final_line, Clock::time_point now) {
  const double elapsed_s = std::chrono::duration<double>(now - start_).count();
  const std::string text = render(final_line, elapsed_s);
  if (mode_ == Mode::Bar) {
    // Clear to the end of the line (ANSI EL) so a shorter redraw leaves no remnants.
    *out_ << '\r' << text << "\x1b[K";
    if (final_line) {
      *out_ << '\n';
      bar_open_ = false;
    } else {
      bar_open_ = true;
    }
  } else {
    *out_ << text << '\n';
  }
  *out_ << std::flush;
  last_emit_ = now;
}

void Progress::update(std::size_t done_units, double youth_days_done) {
  if (mode_ == Mode::Quiet) return;
  std::lock_guard lock(mutex_);
  if (finished_) return;
  done_ = std::max(done_, std::min(done_units, total_));
  youth_days_ = std::max(youth_days_, youth_days_done);
  const Clock::time_point now = Clock::now();
  if (done_ >= total_) {
    // Reaching 100 % ends the display; finish() then has nothing left to print.
    finished_ = true;
    emit(true, now);
    return;
  }
  const auto interval =
      mode_ == Mode::Bar ? Clock::duration(kBarInterval) : Clock::duration(kLineInterval);
  if (now - last_emit_ >= interval) emit(false, now);
}

void Progress::finish(bool stopped) {
  if (mode_ == Mode::Quiet) return;
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  stopped_ = stopped;
  emit(true, Clock::now());
}

}  // namespace asim
