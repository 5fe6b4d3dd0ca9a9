// The peer module (models/module.hpp): the peer network of a living group (friendship and
// conflict), standing among the peers, and leaving together. Kernel, admission
// values and registry rows: models/processes/peers.cpp.
#pragma once
#include <cstdint>
#include <string_view>
#include <tuple>

#include "models/module.hpp"

namespace asim {

void update_peers(const TileContext& ctx, Tile& t);
// A youth admitted to `bed` joins the group's peer network: no ties, and each pair with a youth
// present draws its first candidate day; a leaver's ties end (peers.cpp).
void join_peer_network(Group& g, int bed);
void leave_peer_network(Group& g, int bed);
void mark_running_together(Tile& t, const std::int32_t* reason_of, std::int32_t* together);
void open_runaway_windows(const ModelParams& p, Tile& t, const std::int32_t* reason_of,
                          int absconded);

struct PeersParams {
  double peer_rate, peer_incident_loss, peer_atmosphere, standing_base, initial_standing,
      w_friends_standing, w_conflicts_standing;
  // the peer network: ties, influence through ties, leaving together
  double friend_rate, acquaint_days, friend_same_profile, friend_age, friend_problems, friend_end,
      conflict_rate, conflict_incident, conflict_externalising, conflict_end, deviancy_rate,
      deviancy_understaffed, deviancy_team, positive_rate;
  bool peer_programme;  // policy.peer_culture
  double programme_deviancy, programme_positive, abscond_together;
  int together_days;
  double abscond_conflict, abscond_belonging, dropout_peers;
};

// The youth's place in the peer network: friends and conflicts in the group and friends with an
// externalising profile (kept as the ties change), the friends' mean problems and motivation
// (daily; own values when friendless), days left in which a friend's absconding raises the
// youth's own absconding hazard and that friend's intake index, the peer factor of the
// absconding hazard; and the youth's standing among the peers.
struct PeersBeds {
  Slice<float> peer_standing;  // 0-1
  Slice<std::int32_t> friends, conflicts, acting_out_friends, runaway_days, runaway_friend;
  // The same ties as bit masks over the group's beds (bit j: bed j of the group), kept by
  // peers.cpp as ties form and end, so that a youth's friends are found without a scan of pairs.
  Slice<std::uint64_t> friend_mask, conflict_mask;
  Slice<float> friend_problems, friend_motivation, peer_leave;
  auto arrays() {
    return std::tie(peer_standing, friends, conflicts, acting_out_friends, runaway_days,
                    runaway_friend, friend_mask, conflict_mask, friend_problems, friend_motivation,
                    peer_leave);
  }
};

struct Peers {
  static constexpr std::string_view name = "peers";
  static constexpr auto run = update_peers;
  using Params = PeersParams;
  static void register_params(ParamRows& r);
  using Beds = PeersBeds;
  static void admit(const DayContext& ctx, Group& g, int bed, const Referral& r);
};

}  // namespace asim
