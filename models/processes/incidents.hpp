// The incidents module (models/module.hpp): incidents and coercive measures (microsystem).
// Kernel, admission values and registry rows: models/processes/incidents.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_incidents(const TileContext& ctx, Tile& t);

struct IncidentsParams {
  double incident_rate, incident_externalising, incident_understaffed, incident_atmosphere,
      incident_problem_jump;
};

struct IncidentsBeds {
  Slice<std::int32_t> incident_today, coercion_today;  // 0/1: today
  Slice<std::int32_t> incidents, coercions;            // counts since admission
  Slice<float> incident_factor;  // exp(incident.w_externalising * externalising), set at admission
  auto arrays() {
    return std::tie(incident_today, coercion_today, incidents, coercions, incident_factor);
  }
};

struct Incidents {
  static constexpr std::string_view name = "incidents";
  static constexpr auto run = update_incidents;
  using Params = IncidentsParams;
  static void register_params(ParamRows& r);
  using Beds = IncidentsBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
