// The peer module (models/module.hpp): the peer network of a living group (friendship and
// conflict), standing among the peers, and leaving together. Kernel: models/processes/peers.cpp.
#pragma once
#include <cstdint>
#include <string_view>

#include "models/module.hpp"

namespace asim {

void update_peers(const TileContext& ctx, Tile& t);
void mark_running_together(Tile& t, const std::int32_t* reason_of, std::int32_t* together);
void open_runaway_windows(const ModelParams& p, Tile& t, const std::int32_t* reason_of,
                          int absconded);

struct Peers {
  static constexpr std::string_view name = "peers";
  static constexpr auto run = update_peers;
};

}  // namespace asim
