// The contact module (models/module.hpp): contact with the mentor (microsystem), and the youth-day
// uniforms every later step reads. Kernel, admission values and registry rows:
// models/processes/contact.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void draw_youth_day(const TileContext& ctx, Tile& t);
void update_contact(const TileContext& ctx, Tile& t);

struct ContactParams {
  double mentoring_hours, contact_reference_hours, understaffed_contact;
};

struct ContactBeds {
  Slice<std::int32_t> contact_today;  // 0/1: contact with the mentor today
  auto arrays() { return std::tie(contact_today); }
};

struct Draws {
  static constexpr std::string_view name = "draws";
  static constexpr auto run = draw_youth_day;
};
struct Contact {
  static constexpr std::string_view name = "contact";
  static constexpr auto run = update_contact;
  using Params = ContactParams;
  static void register_params(ParamRows& r);
  using Beds = ContactBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
