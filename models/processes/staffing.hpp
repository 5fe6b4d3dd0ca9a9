// The staffing module (models/module.hpp): shifts, sick leave, turnover,
// understaffing and the mentors' stress. Kernel and registry rows: models/processes/staffing.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_staffing(const TileContext& ctx, Tile& t);
// Draws every mentor slot of a new group (simulation set-up).
void init_mentors(const DayContext& ctx, Group& g);

struct StaffingParams {
  int workers_per_shift;
  double youths_per_worker, sick_leave, sick_episode_days, flex_cover, annual_turnover,
      long_sick_days, stress_caseload, stress_understaffed, stress_incidents, stress_rate,
      stress_team_climate, initial_stress;
};

struct Staffing {
  static constexpr std::string_view name = "staffing";
  static constexpr auto run = update_staffing;
  using Params = StaffingParams;
  static void register_params(ParamRows& r);
};

}  // namespace asim
