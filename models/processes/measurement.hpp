// The measure module (models/module.hpp): the waves' questionnaires, the daily series
// and the groups' daily series. Kernel and registry rows: models/processes/measurement.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void measure_youths(const TileContext& ctx, Tile& t);
void record_group_day(const TileContext& ctx, Tile& t);

struct MeasureParams {
  double rater_youth_bias, rater_youth_sd, rater_youth_noise, youth_view_bond, youth_view_goals,
      youth_view_tasks, rater_mentor_bias, rater_mentor_sd, rater_mentor_noise, mentor_view_bond,
      mentor_view_goals, mentor_view_tasks, rater_parent_bias, rater_parent_sd, rater_parent_noise,
      parent_view_youth, parent_view_own, parent_view_offset, rater_observer_sd, observer_noise,
      motivation_noise, problems_noise, climate_noise, srs_noise;
};

struct Measure {
  static constexpr std::string_view name = "measure";
  static constexpr auto run = measure_youths;
  using Params = MeasureParams;
  static void register_params(ParamRows& r);
};
struct GroupDay {
  static constexpr std::string_view name = "group_day";
  static constexpr auto run = record_group_day;
};

}  // namespace asim
