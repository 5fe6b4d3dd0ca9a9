// The alliance module (models/module.hpp): the working alliance with the mentor (bond, goals,
// tasks) and with the other workers (microsystem). Kernel, admission values and registry rows:
// models/processes/alliance.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_alliance(const TileContext& ctx, Tile& t);

struct AllianceParams {
  double w_expectations, w_attachment, w_help_history, w_autonomy, w_externalising,
      w_externalising_girls, fit_sd, bond_rate, goals_rate, tasks_rate, alliance_decay,
      alliance_base, w_skill, w_push, w_stress, w_support, w_repression, w_growth_goals, w_progress,
      alliance_initial, w_newcomer, newcomer_work, others_staffing, progress_floor, others_rate;
};

struct AllianceBeds {
  Slice<float> bond, goals, tasks, others;  // 0-1 scales
  auto arrays() { return std::tie(bond, goals, tasks, others); }
};

struct Alliance {
  static constexpr std::string_view name = "alliance";
  static constexpr auto run = update_alliance;
  using Params = AllianceParams;
  static void register_params(ParamRows& r);
  using Beds = AllianceBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
