// Event-column coding benchmark: times the two coders the writer could use for the columns of
// events/ and peers/edges/ (models/result_file.cpp write_event_chunks), on the columns of a
// result file cut into the writer's chunks of 8 192 rows: h5::compress_chunk at deflate level 1
// (shuffle, noise planes stored, then libdeflate) against h5::runs_chunk (shuffle, each plane
// stored or coded as literals and runs, no matcher). Prints per column the best of `rounds`
// rounds in milliseconds, the coded bytes of each, and whether both inflate (zlib) to the
// shuffled input.
//
//   bench_event_coding RESULT.h5 [rounds]     (write RESULT.h5 with alliance-sim run)
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/h5.hpp"
#include "engine/h5_chunks.hpp"

using namespace asim;

namespace {

constexpr std::size_t kRows = 8192;  // the writer's chunk of an events/ or peers/edges/ column

struct Totals {
  double ms[2] = {0, 0};
  std::size_t bytes[2] = {0, 0}, in = 0;
  bool ok = true;
};

bool inflates_to_shuffled(const std::vector<unsigned char>& z, const unsigned char* in,
                          std::size_t element_size, std::size_t elements) {
  std::vector<unsigned char> out(element_size * elements);
  uLongf len = out.size();
  if (uncompress(out.data(), &len, z.data(), z.size()) != Z_OK || len != out.size()) return false;
  for (std::size_t k = 0; k < element_size; ++k)
    for (std::size_t i = 0; i < elements; ++i)
      if (out[k * elements + i] != in[i * element_size + k]) return false;
  return true;
}

template <class T>
void column(hid_t group, const std::string& where, const std::string& name, int rounds,
            Totals& all) {
  h5::Handle ds = h5::open_dataset(group, name);
  std::vector<T> values;
  h5::read_all(ds.id(), values);
  const std::size_t n = values.size() / kRows * kRows;  // whole chunks
  if (n == 0) return;
  Totals t;
  t.in = n * sizeof(T);
  for (int coder = 0; coder < 2; ++coder) {
    double best = 1e30;
    for (int round = 0; round < rounds; ++round) {
      std::size_t bytes = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (std::size_t i = 0; i < n; i += kRows) {
        const auto z = coder == 0 ? h5::compress_chunk(values.data() + i, sizeof(T), kRows, 1)
                                  : h5::runs_chunk(values.data() + i, sizeof(T), kRows);
        bytes += z.size();
        if (round == 0)
          t.ok = t.ok &&
                 inflates_to_shuffled(z, reinterpret_cast<const unsigned char*>(values.data() + i),
                                      sizeof(T), kRows);
      }
      best = std::min(best,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      t.bytes[coder] = bytes;
    }
    t.ms[coder] = best * 1e3;
  }
  std::printf("%-28s %8.2f %10.2f %10.2f %10zu %10zu %s\n", (where + "/" + name).c_str(),
              t.in / 1e6, t.ms[0], t.ms[1], t.bytes[0], t.bytes[1], t.ok ? "ok" : "FAILED");
  for (int c = 0; c < 2; ++c) all.ms[c] += t.ms[c], all.bytes[c] += t.bytes[c];
  all.in += t.in;
  all.ok = all.ok && t.ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: bench_event_coding RESULT.h5 [rounds]\n";
    return 2;
  }
  const int rounds = argc == 3 ? std::max(1, std::atoi(argv[2])) : 5;
  Totals all;
  try {
    h5::quiet_errors();
    h5::Handle f = h5::open_file_read(argv[1]);
    h5::Handle scenarios = h5::open_group(f.id(), "scenarios");
    const auto names = h5::list_children(scenarios.id());
    if (names.empty()) throw std::runtime_error("no scenarios in " + std::string(argv[1]));
    std::printf("%-28s %8s %10s %10s %10s %10s %s\n", "column", "MB", "level1 ms", "runs ms",
                "level1 B", "runs B", "round trip");
    for (const std::string where : {"events", "peers/edges"}) {
      const std::string path = "scenarios/" + names.front() + "/" + where;
      if (!h5::exists(f.id(), path)) continue;
      h5::Handle g = h5::open_group(f.id(), path);
      for (const auto& name : h5::list_children(g.id())) {
        h5::Handle d = h5::open_dataset(g.id(), name);
        if (h5::shape(d.id()).size() != 1) continue;
        if (name == "kind" || name == "tie")
          column<std::int8_t>(g.id(), where, name, rounds, all);
        else if (name == "value")
          column<float>(g.id(), where, name, rounds, all);
        else
          column<std::int32_t>(g.id(), where, name, rounds, all);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_event_coding: " << e.what() << "\n";
    return 2;
  }
  std::printf("%-28s %8.2f %10.2f %10.2f %10zu %10zu time ratio %.2f, size ratio %.3f\n", "all",
              all.in / 1e6, all.ms[0], all.ms[1], all.bytes[0], all.bytes[1], all.ms[1] / all.ms[0],
              static_cast<double>(all.bytes[1]) / static_cast<double>(all.bytes[0]));
  return all.ok ? 0 : 1;
}
