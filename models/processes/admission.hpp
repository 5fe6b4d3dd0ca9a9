// The admission step (models/module.hpp): the youths the ordered admission phase of the day
// placed in a tile's free beds are admitted at the start of the tile's day. Kernel:
// models/processes/admission.cpp.
#pragma once
#include <string_view>

#include "models/module.hpp"

namespace asim {

// Admits the tile's waiting youths (Tile::admissions) in order with admit_youth, then empties
// the list.
void admit_waiting(const TileContext& ctx, Tile& t);

struct Admit {
  static constexpr std::string_view name = "admit";
  static constexpr auto run = admit_waiting;
};

}  // namespace asim
