// The problems module (models/module.hpp): engagement in treatment and the youth's problems
// (microsystem). Kernel, admission values and registry rows: models/processes/problems.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_problems(const TileContext& ctx, Tile& t);

struct ProblemsParams {
  double problems_rate, engagement_base, w_engagement_motivation, w_engagement_tasks, severity_gain;
};

struct ProblemsBeds {
  Slice<float> engagement;  // engagement in treatment today
  auto arrays() { return std::tie(engagement); }
};

struct Problems {
  static constexpr std::string_view name = "problems";
  static constexpr auto run = update_problems;
  using Params = ProblemsParams;
  static void register_params(ParamRows& r);
  using Beds = ProblemsBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
