// The day's schedule: one table of the daily processes in the order they run for every tile of
// living groups (docs/ODD.md, "Process overview and scheduling"). Adding a process is a kernel in
// its own file under models/processes/ and one line here (docs/contributing.md).
#pragma once
#include <array>
#include <string_view>

#include "models/processes.hpp"

namespace asim {

struct ProcessStep {
  std::string_view name;                   // as in docs/ODD.md and bench/README.md
  void (*run)(const TileContext&, Tile&);  // one day of one tile
};

inline constexpr std::array kDailySchedule{
    ProcessStep{"staffing", update_staffing},       // shifts, sick leave, turnover, stress
    ProcessStep{"draws", draw_youth_day},           // the youth-day uniforms (Philox, every bed)
    ProcessStep{"contact", update_contact},         // contact with the mentor
    ProcessStep{"incidents", update_incidents},     // incidents and coercive measures
    ProcessStep{"peers", update_peers},             // standing among the peers
    ProcessStep{"ruptures", update_ruptures},       // ruptures, detection and repair
    ProcessStep{"alliance", update_alliance},       // bond, goals, tasks; the other workers
    ProcessStep{"motivation", update_motivation},   // treatment motivation
    ProcessStep{"parents", update_parents},         // parent-mentor alliance, parent outcome
    ProcessStep{"problems", update_problems},       // engagement and problems
    ProcessStep{"switch", update_switch_requests},  // a youth's request for another mentor
    ProcessStep{"measure", measure_youths},         // waves and daily series
    ProcessStep{"exits", update_exits},             // discharge, drop-out, absconding, transfer
    ProcessStep{"climate", update_climate},         // group and team climate
    ProcessStep{"group_day", record_group_day},     // the groups' daily series
};

// One day of one tile: every step of the schedule in order.
inline void step_tile(const TileContext& ctx, Tile& t) {
  for (const ProcessStep& step : kDailySchedule) step.run(ctx, t);
}

}  // namespace asim
