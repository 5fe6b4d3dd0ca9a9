// The parents module (models/module.hpp): the parents: their alliance with the mentor and their own
// outcome (mesosystem). Kernel, admission values and registry rows: models/processes/parents.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_parents(const TileContext& ctx, Tile& t);

struct ParentsParams {
  double parent_contact_rate, parent_rate, parent_outcome_rate, involvement_mean, involvement_sd,
      target_base, w_mentor_skill, w_involvement, initial_alliance, initial_alliance_involvement,
      initial_outcome, initial_outcome_involvement, outcome_base, outcome_alliance;
};

struct ParentsBeds {
  Slice<float> parent_alliance, parent_outcome;  // 0-1 scales
  auto arrays() { return std::tie(parent_alliance, parent_outcome); }
};

struct Parents {
  static constexpr std::string_view name = "parents";
  static constexpr auto run = update_parents;
  using Params = ParentsParams;
  static void register_params(ParamRows& r);
  using Beds = ParentsBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
