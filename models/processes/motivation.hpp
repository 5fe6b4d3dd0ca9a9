// The motivation module (models/module.hpp): treatment motivation (microsystem).
// Kernel and registry rows: models/processes/motivation.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_motivation(const TileContext& ctx, Tile& t);

struct MotivationParams {
  double motivation_rate, motivation_base, motivation_init_sd, w_alliance_motivation,
      w_growth_motivation, w_parent_motivation, motivation_expectations, motivation_w_own;
};

struct Motivation {
  static constexpr std::string_view name = "motivation";
  static constexpr auto run = update_motivation;
  using Params = MotivationParams;
  static void register_params(ParamRows& r);
};

}  // namespace asim
