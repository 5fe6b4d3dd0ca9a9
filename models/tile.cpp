// The layout of a tile: one zeroed block holding every per-bed and per-slot array of its groups.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "models/state.hpp"

namespace asim {

void Tile::layout(Group* first, int count, const int* slots) {
  groups = first;
  group_count = count;
  bed_offset.assign(static_cast<std::size_t>(count) + 1, 0);
  mentor_entity.clear();
  group_entity.clear();
  slot_group.clear();
  mentor_offset.assign(static_cast<std::size_t>(count) + 1, 0);
  pair_offset.assign(static_cast<std::size_t>(count) + 1, 0);
  for (int i = 0; i < count; ++i) {
    bed_offset[i + 1] = bed_offset[i] + first[i].beds;
    mentor_offset[i + 1] = mentor_offset[i] + slots[i];
    pair_offset[i + 1] = pair_offset[i] + pair_count(first[i].beds);
  }
  const auto all_pairs = static_cast<std::size_t>(pair_offset[count]);
  beds = (bed_offset[count] + kTilePad - 1) / kTilePad * kTilePad;
  const int mentor_slots = mentor_offset[count];
  // Each array on a 64-byte boundary (a cache line; aligned vector loads), in the list's order.
  constexpr std::size_t kAlign = 64;
  auto rounded = [](std::size_t n) { return (n + kAlign - 1) / kAlign * kAlign; };
  std::size_t bytes = 0;
  auto count_bytes = [&](std::size_t n) {
    return [&, n](auto&... v) { ((bytes += rounded(n * sizeof(v[0]))), ...); };
  };
  bed_arrays(count_bytes(static_cast<std::size_t>(beds)));
  mentor_arrays(mentors, count_bytes(static_cast<std::size_t>(mentor_slots)));
  pairs.arrays(count_bytes(all_pairs));
  block_.reset(new std::byte[bytes + kAlign]());
  std::byte* at = block_.get();
  at += (kAlign - reinterpret_cast<std::uintptr_t>(at) % kAlign) % kAlign;
  auto bind = [&](std::size_t n) {
    return [&, n](auto&... v) {
      ((v.bind(reinterpret_cast<std::remove_reference_t<decltype(v[0])>*>(at), n),
        at += rounded(n * sizeof(v[0]))),
       ...);
    };
  };
  bed_arrays(bind(static_cast<std::size_t>(beds)));
  mentor_arrays(mentors, bind(static_cast<std::size_t>(mentor_slots)));
  pairs.arrays(bind(all_pairs));
  // Each group's views: its own part of every tile array.
  for (int i = 0; i < count; ++i) {
    Group& g = first[i];
    g.joined_pairs.clear();
    const auto b0 = static_cast<std::size_t>(bed_offset[i]);
    const auto n = static_cast<std::size_t>(g.beds);
    auto sub = [&](auto& whole, auto& part, std::size_t from, std::size_t size) {
      part.bind(whole.data() + from, size);
    };
    // Pairwise over the two lists (the same order): the tile's arrays and the group's.
    auto pair_beds = [&](auto&... whole) {
      auto bind_group = [&](auto&... part) { (sub(whole, part, b0, n), ...); };
      g.bed_arrays(bind_group);
    };
    bed_arrays(pair_beds);
    const auto m0 = static_cast<std::size_t>(mentor_offset[i]);
    const auto m = static_cast<std::size_t>(slots[i]);
    auto pair_mentors = [&](auto&... whole) {
      auto bind_group = [&](auto&... part) { (sub(whole, part, m0, m), ...); };
      mentor_arrays(g.mentors, bind_group);
    };
    mentor_arrays(mentors, pair_mentors);
    const auto k0 = static_cast<std::size_t>(pair_offset[i]);
    const auto k = static_cast<std::size_t>(pair_count(g.beds));
    auto pair_pairs = [&](auto&... whole) {
      auto bind_group = [&](auto&... part) { (sub(whole, part, k0, k), ...); };
      g.pairs.arrays(bind_group);
    };
    pairs.arrays(pair_pairs);
    std::size_t at_pair = 0;
    for (int a = 0; a < g.beds; ++a)
      for (int b = a + 1; b < g.beds; ++b, ++at_pair) {
        g.pairs[at_pair].a = static_cast<std::int16_t>(a);
        g.pairs[at_pair].b = static_cast<std::int16_t>(b);
        g.pairs[at_pair].tile_a = bed_offset[i] + a;
        g.pairs[at_pair].tile_b = bed_offset[i] + b;
        g.pairs[at_pair].youth_a = g.pairs[at_pair].youth_b = -1;
        g.pairs.next[at_pair] = std::numeric_limits<std::int32_t>::max();  // no candidate day
      }
    group_entity.push_back(asim::group_entity(g.index));
    for (int s = 0; s < slots[i]; ++s) {
      mentor_entity.push_back(staff_entity(g.index, s));
      slot_group.push_back(i);
    }
    for (std::size_t b = 0; b < n; ++b) {
      tile_group[b0 + b] = i;
      mentor_base[b0 + b] = mentor_offset[i];
    }
    g.present = 0;
  }
  // Padding beds: empty, counted to the last group, mentor slot 0 of it.
  for (int b = bed_offset[count]; b < beds; ++b) {
    tile_group[b] = count - 1;
    mentor_base[b] = mentor_offset[count - 1];
  }
}

}  // namespace asim
