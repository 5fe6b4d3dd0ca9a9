// The exits module (models/module.hpp): planned discharge, drop-out, absconding and
// transfer. Kernel, admission values and registry rows: models/processes/exits.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_exits(const TileContext& ctx, Tile& t);
// The group's constant hazards (Group::transfer_hazard, dropout_bound).
void init_exit_hazards(const ModelParams& p, Group& g);
// Writes the youth's outcome at exit and frees nothing (the caller frees the bed).
void close_follow_up(const DayContext& ctx, Group& g, int bed, int exit_reason, int exit_day);

struct ExitsParams {
  double dropout_rate, dropout_alliance, dropout_rupture, dropout_motivation, dropout_externalising,
      dropout_others, abscond_rate, abscond_female, abscond_history, transfer_rate,
      transfer_incidents, goal_discharge_rate, goal_discharge_min_days;
};

struct ExitsBeds {
  Slice<float> abscond_hazard;  // daily absconding hazard before the peer factor, set at admission
  auto arrays() { return std::tie(abscond_hazard); }
};

struct Exits {
  static constexpr std::string_view name = "exits";
  static constexpr auto run = update_exits;
  using Params = ExitsParams;
  static void register_params(ParamRows& r);
  using Beds = ExitsBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
