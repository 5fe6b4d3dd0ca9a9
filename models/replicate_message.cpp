// Packing of finished replicates: see replicate_message.hpp. Host byte order: every rank of one
// job runs the same binary on the same architecture.
#include "models/replicate_message.hpp"

#include <cstring>
#include <string>

#include "engine/errors.hpp"

namespace asim {
namespace {

template <class T>
void put(std::vector<unsigned char>& out, const T& value) {
  const auto* p = reinterpret_cast<const unsigned char*>(&value);
  out.insert(out.end(), p, p + sizeof(T));
}

template <class T>
T get(const std::vector<unsigned char>& in, std::size_t& at) {
  if (at + sizeof(T) > in.size()) throw RuntimeFailure("replicate message is truncated");
  T value;
  std::memcpy(&value, in.data() + at, sizeof(T));
  at += sizeof(T);
  return value;
}

}  // namespace

std::vector<unsigned char> pack_replicate(const ReplicateResult& r) {
  std::size_t bytes = 72 + r.events.size() * 17 + r.peer_edges.size() * 21;
  for (const auto& c : r.chunks) bytes += 8 + c.size();
  std::vector<unsigned char> out;
  out.reserve(bytes);
  for (int v : {r.replicate, r.cohort, r.waves, r.follow_up_days, r.groups, r.days}) put(out, v);
  put(out, r.youth_days);
  put(out, static_cast<std::uint64_t>(r.events.size()));
  for (const Event& e : r.events) {
    put(out, e.day);
    put(out, e.kind);
    put(out, e.youth);
    put(out, e.staff);
    put(out, e.value);
  }
  put(out, static_cast<std::uint64_t>(r.peer_edges.size()));
  for (const PeerEdge& e : r.peer_edges) {
    for (std::int32_t v : {e.day, e.wave, e.youth, e.partner, e.partner_cohort}) put(out, v);
    put(out, e.tie);
  }
  put(out, static_cast<std::uint64_t>(r.chunks.size()));
  for (const auto& c : r.chunks) {
    put(out, static_cast<std::uint64_t>(c.size()));
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

ReplicateResult unpack_replicate(const std::vector<unsigned char>& in) {
  ReplicateResult r;
  std::size_t at = 0;
  for (int* v : {&r.replicate, &r.cohort, &r.waves, &r.follow_up_days, &r.groups, &r.days})
    *v = get<int>(in, at);
  r.youth_days = get<double>(in, at);
  const auto events = get<std::uint64_t>(in, at);
  if (events > in.size()) throw RuntimeFailure("replicate message: bad event count");
  r.events.resize(events);
  for (Event& e : r.events) {
    e.day = get<std::int32_t>(in, at);
    e.kind = get<std::int8_t>(in, at);
    e.youth = get<std::int32_t>(in, at);
    e.staff = get<std::int32_t>(in, at);
    e.value = get<float>(in, at);
  }
  const auto edges = get<std::uint64_t>(in, at);
  if (edges > in.size()) throw RuntimeFailure("replicate message: bad edge count");
  r.peer_edges.resize(edges);
  for (PeerEdge& e : r.peer_edges) {
    for (std::int32_t* v : {&e.day, &e.wave, &e.youth, &e.partner, &e.partner_cohort})
      *v = get<std::int32_t>(in, at);
    e.tie = get<std::int8_t>(in, at);
  }
  const auto chunks = get<std::uint64_t>(in, at);
  if (chunks > in.size()) throw RuntimeFailure("replicate message: bad chunk count");
  r.chunks.resize(chunks);
  for (auto& c : r.chunks) {
    const auto size = get<std::uint64_t>(in, at);
    if (size > in.size() - at) throw RuntimeFailure("replicate message is truncated");
    c.assign(in.begin() + static_cast<std::ptrdiff_t>(at),
             in.begin() + static_cast<std::ptrdiff_t>(at + size));
    at += size;
  }
  if (at != in.size())
    throw RuntimeFailure("replicate message has " + std::to_string(in.size() - at) +
                         " unexpected trailing bytes");
  return r;
}

}  // namespace asim
