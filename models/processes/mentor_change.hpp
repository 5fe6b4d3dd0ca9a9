// The switch module (models/module.hpp): a change of mentor, and a youth's request for another
// mentor (the right to switch). Kernel, admission values and registry rows:
// models/processes/mentor_change.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_switch_requests(const TileContext& ctx, Tile& t);
// Moves the youth in `bed` to mentor slot `new_slot` (a MentorChangeReason), with its event.
void change_mentor(const DayContext& ctx, Group& g, int bed, int new_slot, int reason);
// The slot with the fewest mentees, other than `excluded_slot` (-1: none).
int least_loaded_slot(const Group& g, int excluded_slot);

struct SwitchParams {
  bool right_to_switch;
  double switch_threshold;
  int switch_after_days;
  double switch_request_rate, change_loss, newcomer_carry_over;
};

struct SwitchBeds {
  Slice<std::int32_t> mentor_changes;  // changes of mentor since admission
  Slice<std::int32_t> poor_days;       // days in a row the alliance has been below switch.threshold
  auto arrays() { return std::tie(mentor_changes, poor_days); }
};

struct Switch {
  static constexpr std::string_view name = "switch";
  static constexpr auto run = update_switch_requests;
  using Params = SwitchParams;
  static void register_params(ParamRows& r);
  using Beds = SwitchBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
