// The climate module (models/module.hpp): the group climate and the team climate (mesosystem,
// exosystem). Kernel and registry rows: models/processes/climate.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_climate(const TileContext& ctx, Tile& t);

struct ClimateParams {
  double climate_rate, support_base, growth_base, atmosphere_base, w_incidents_atmosphere,
      w_alliance_growth, w_staffing_support, w_coercion_repression, w_team_support,
      w_understaffed_support, w_stress_support, w_team_growth, w_support_atmosphere, incident_ema,
      coercion_ema, understaffed_ema, team_rate, climate_base, climate_understaffed,
      climate_turnover, climate_incidents, turnover_ema, initial_climate;
  // the treatment method of the living groups (treatment.*)
  int treatment_method;
  double method_support, method_growth;
};

struct Climate {
  static constexpr std::string_view name = "climate";
  static constexpr auto run = update_climate;
  using Params = ClimateParams;
  static void register_params(ParamRows& r);
};

}  // namespace asim
