// Up-front size estimate of a run: see run_size.hpp.
#include "models/run_size.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/errors.hpp"
#include "models/results.hpp"
#include "models/simulation.hpp"

namespace asim {
namespace {

constexpr double kWaveVars = kWaveMeasureCount, kGroupSeries = kGroupVarCount,
                 kFields = static_cast<double>(kStaticFieldCount) +
                           static_cast<double>(kOutcomeFieldCount);

double field_bytes(FieldType t) {
  switch (t) {
    case FieldType::I8:
      return 1;
    case FieldType::I32:
      return 4;
    case FieldType::F32:
      return 4;
  }
  return 8;
}

// Events are not known before the run. At default parameters a tracked youth has about 6
// (admission, ruptures, repairs, mentor changes, incidents, exit; 9711 events for 1600 tracked
// youths, counting staff events too); 32 leaves room for scenarios with many incidents and
// ruptures, so the estimate stays an upper bound.
constexpr double kEventsPerYouth = 32;
// On disk an event is a row of replicate, day, kind, youth, staff, value.
constexpr double kEventFileBytes = 4 + 4 + 1 + 4 + 4 + 4;

}  // namespace

RunSize estimate_run_size(const ModelParams& p, const RunOptions& options, int threads) {
  const double cohort = p.cohort_size;
  const double waves = static_cast<double>(std::max<std::size_t>(p.wave_days.size(), 1));
  const double follow_up = p.wave_days.empty() ? 1.0 : p.wave_days.back() + 1.0;
  const double groups = p.open_groups + p.closed_groups;
  // Simulated days: the burn-in, the days to admit the cohort (beds turn over at about one
  // admission per bed per median planned stay), and the last youth's follow-up.
  const double intake_per_day = p.open_groups * p.group_size / p.open_stay_median +
                                p.closed_groups * p.group_size / p.closed_stay_median;
  const double days = std::min<double>(
      p.burn_in_days + cohort / std::max(intake_per_day, 1e-9) + follow_up, kMaxSimulationDays);
  double daily_vars = 0;
  for (bool on : options.daily) daily_vars += on;

  // In memory (ReplicateResult): float wave and daily series, double static and outcome fields.
  const double youth_memory = kWaveVars * waves * sizeof(float) +
                              daily_vars * follow_up * sizeof(float) + kFields * sizeof(double) +
                              kEventsPerYouth * sizeof(Event);
  const double group_memory = groups * days * kGroupSeries * sizeof(float);
  const double replicate_memory = cohort * youth_memory + group_memory;

  // On disk: the stored types of the catalogues.
  double youth_file =
      kWaveVars * waves * 4 + daily_vars * follow_up * 4 + kEventsPerYouth * kEventFileBytes;
  for (const auto& f : kStaticFields) youth_file += field_bytes(f.type);
  for (const auto& f : kOutcomeFields) youth_file += field_bytes(f.type);
  const double group_file = options.group_series ? groups * days * kGroupSeries * 4.0 : 0.0;

  RunSize size;
  const int workers = std::max(threads, 1);
  size.in_flight = static_cast<int>(std::min<double>(p.replicates, 2.0 * workers));
  size.memory_bytes = size.in_flight * 2.0 * replicate_memory;
  size.output_bytes = p.replicates * (cohort * youth_file + group_file);
  return size;
}

void add_scenario(RunSize& total, const RunSize& scenario) {
  total.output_bytes += scenario.output_bytes;
  if (scenario.memory_bytes > total.memory_bytes) {
    total.memory_bytes = scenario.memory_bytes;
    total.in_flight = scenario.in_flight;
  }
}

void check_run_fits(const RunSize& size, double memory_available, double disk_free,
                    const std::string& directory) {
  const bool memory_short = memory_available > 0 && size.memory_bytes > memory_available;
  const bool disk_short = disk_free > 0 && size.output_bytes > disk_free;
  if (!memory_short && !disk_short) return;
  std::ostringstream o;
  o << "this run does not fit: it needs about " << format_bytes(size.memory_bytes) << " of memory ("
    << size.in_flight << " replicate" << (size.in_flight == 1 ? "" : "s")
    << " in flight) and up to " << format_bytes(size.output_bytes)
    << " of disk for the result file; available: " << format_bytes(memory_available)
    << " of memory, " << format_bytes(disk_free) << " free in " << directory
    << "; use fewer youths (cohort.size), replicates or threads";
  throw ConfigError(o.str());
}

}  // namespace asim
