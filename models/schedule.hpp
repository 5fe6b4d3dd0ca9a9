// The day's schedule: the one list of the model's modules, in the order their daily processes
// run for every tile of living groups (docs/ODD.md, "Process overview and scheduling"). A module
// is a daily process in its own header and file under models/processes/ (models/module.hpp);
// its line here puts its kernel in the day, its parameters in ModelParams and the registry, its
// per-bed state in BedState and its admission values in admit_youth (docs/contributing.md §A).
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

#include "models/module.hpp"
#include "models/processes/admission.hpp"
#include "models/processes/alliance.hpp"
#include "models/processes/climate.hpp"
#include "models/processes/contact.hpp"
#include "models/processes/exits.hpp"
#include "models/processes/incidents.hpp"
#include "models/processes/measurement.hpp"
#include "models/processes/mentor_change.hpp"
#include "models/processes/motivation.hpp"
#include "models/processes/parents.hpp"
#include "models/processes/peers.hpp"
#include "models/processes/problems.hpp"
#include "models/processes/rupture.hpp"
#include "models/processes/staffing.hpp"

namespace asim {

using Schedule = ModuleList<  //
    Admit,                    // today's admissions to the tile's free beds
    Staffing,                 // shifts, sick leave, turnover, stress
    Draws,                    // the youth-day uniforms (Philox, every bed)
    Contact,                  // contact with the mentor
    Incidents,                // incidents and coercive measures
    Peers,                    // the peer network and standing among the peers
    Ruptures,                 // ruptures, detection and repair
    Alliance,                 // bond, goals, tasks; the other workers
    Motivation,               // treatment motivation
    Parents,                  // parent-mentor alliance, parent outcome
    Problems,                 // engagement and problems
    Switch,                   // a youth's request for another mentor
    Measure,                  // waves and daily series
    Exits,                    // discharge, drop-out, absconding, transfer
    Climate,                  // group and team climate
    GroupDay                  // the groups' daily series
    >;

struct ProcessStep {
  std::string_view name;                   // as in docs/ODD.md and bench/README.md
  void (*run)(const TileContext&, Tile&);  // one day of one tile
};

template <class... M>
constexpr auto schedule_steps(ModuleList<M...>) {
  return std::array<ProcessStep, sizeof...(M)>{ProcessStep{M::name, M::run}...};
}
// The schedule as a table of steps, in order.
inline constexpr auto kDailySchedule = schedule_steps(Schedule{});

// One day of one tile: every step of the schedule in order (but those a knock-out measurement
// leaves out, RunOptions::skipped_steps).
inline void step_tile(const TileContext& ctx, Tile& t, std::uint32_t skipped = 0) {
  for (std::size_t i = 0; i < kDailySchedule.size(); ++i)
    if (((skipped >> i) & 1u) == 0) kDailySchedule[i].run(ctx, t);
}
static_assert(kDailySchedule.size() <= 32, "RunOptions::skipped_steps has a bit per step");

// The bit of the step called `name` in RunOptions::skipped_steps; 0 for a name the schedule
// does not have.
constexpr std::uint32_t step_bit(std::string_view name) {
  for (std::size_t i = 0; i < kDailySchedule.size(); ++i)
    if (kDailySchedule[i].name == name) return 1u << i;
  return 0;
}

}  // namespace asim
