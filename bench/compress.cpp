// Chunk-compression benchmark: times h5::compress_chunk (shuffle, then this project's coding of
// byte planes and libdeflate) against shuffle + libdeflate level 1 alone on the daily youth
// series of a result file, chunk by chunk as the writer cuts them (one replicate, up to 512
// youths, every day). Prints, per variable and in all, the best of `rounds` interleaved rounds
// in ns per input byte, the compressed bytes of each coder, and whether both decompress (zlib)
// to the input.
//
//   bench_compress RESULT.h5 [rounds]     (write RESULT.h5 with alliance-sim run --daily ...)
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/h5.hpp"
#include "engine/h5_chunks.hpp"

using namespace asim;

namespace {

struct Series {
  std::string name;
  std::vector<std::vector<float>> chunks;
};

bool inflates_to(const std::vector<unsigned char>& z, const std::vector<float>& expected) {
  std::vector<float> out(expected.size());
  uLongf len = out.size() * sizeof(float);
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &len, z.data(), z.size()) != Z_OK)
    return false;
  // Compare the shuffled bytes back: inflate gives the shuffled layout.
  const std::size_t n = expected.size();
  const auto* in = reinterpret_cast<const unsigned char*>(expected.data());
  const auto* got = reinterpret_cast<const unsigned char*>(out.data());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k)
      if (got[k * n + i] != in[4 * i + k]) return false;
  return len == n * sizeof(float);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: bench_compress RESULT.h5 [rounds]\n";
    return 2;
  }
  const int rounds = argc == 3 ? std::max(1, std::atoi(argv[2])) : 15;
  std::vector<Series> series;
  try {
    h5::quiet_errors();
    h5::Handle f = h5::open_file_read(argv[1]);
    h5::Handle scenarios = h5::open_group(f.id(), "scenarios");
    const auto names = h5::list_children(scenarios.id());
    if (names.empty()) throw std::runtime_error("no scenarios in " + std::string(argv[1]));
    const std::string daily = "scenarios/" + names.front() + "/youth/daily";
    if (!h5::exists(f.id(), daily))
      throw std::runtime_error(std::string(argv[1]) +
                               " has no daily youth series (run with --daily)");
    h5::Handle group = h5::open_group(f.id(), daily);
    for (const auto& v : h5::list_children(group.id())) {
      h5::Handle d = h5::open_dataset(group.id(), v);
      if (h5::is_scale(d.id())) continue;   // the coordinates replicate, youth, day
      const auto dims = h5::shape(d.id());  // [R, N, D]
      std::vector<float> all;
      h5::read_all(d.id(), all);
      Series s{v, {}};
      const std::size_t R = dims[0], N = dims[1], D = dims[2], per = std::min<std::size_t>(N, 512);
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t y = 0; y < N; y += per) {
          std::vector<float> chunk(per * D, std::nanf(""));
          for (std::size_t k = 0; k < per && y + k < N; ++k)
            std::copy_n(all.begin() + static_cast<std::ptrdiff_t>((r * N + y + k) * D), D,
                        chunk.begin() + static_cast<std::ptrdiff_t>(k * D));
          s.chunks.push_back(std::move(chunk));
        }
      series.push_back(std::move(s));
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_compress: " << e.what() << "\n";
    return 2;
  }
  libdeflate_compressor* c = libdeflate_alloc_compressor(1);
  std::vector<unsigned char> shuffled;
  std::printf("%-18s %8s %10s %10s %12s %12s %8s %s\n", "variable", "MB", "ours ns/B", "ld ns/B",
              "ours bytes", "ld bytes", "ratio", "round trip");
  double total_ours = 0, total_ld = 0, total_mb = 0;
  std::size_t total_bytes_ours = 0, total_bytes_ld = 0;
  bool all_ok = true;
  for (const auto& s : series) {
    double best_ours = 1e30, best_ld = 1e30;
    std::size_t bytes_ours = 0, bytes_ld = 0, in_bytes = 0;
    bool ok = true;
    for (int round = 0; round < rounds; ++round) {
      const auto t0 = std::chrono::steady_clock::now();
      std::size_t b_ours = 0;
      for (const auto& ch : s.chunks)
        b_ours += h5::compress_chunk(ch.data(), 4, ch.size(), 1).size();
      const auto t1 = std::chrono::steady_clock::now();
      std::size_t b_ld = 0;
      for (const auto& ch : s.chunks) {
        const std::size_t n = ch.size();
        shuffled.resize(4 * n);
        const auto* in = reinterpret_cast<const unsigned char*>(ch.data());
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t k = 0; k < 4; ++k) shuffled[k * n + i] = in[4 * i + k];
        std::vector<unsigned char> out(libdeflate_zlib_compress_bound(c, 4 * n));
        out.resize(libdeflate_zlib_compress(c, shuffled.data(), 4 * n, out.data(), out.size()));
        b_ld += out.size();
      }
      const auto t2 = std::chrono::steady_clock::now();
      best_ours = std::min(best_ours, std::chrono::duration<double>(t1 - t0).count());
      best_ld = std::min(best_ld, std::chrono::duration<double>(t2 - t1).count());
      bytes_ours = b_ours, bytes_ld = b_ld;
    }
    for (const auto& ch : s.chunks) {
      in_bytes += ch.size() * 4;
      ok = ok && inflates_to(h5::compress_chunk(ch.data(), 4, ch.size(), 1), ch);
    }
    all_ok = all_ok && ok;
    std::printf("%-18s %8.2f %10.2f %10.2f %12zu %12zu %8.3f %s\n", s.name.c_str(), in_bytes / 1e6,
                best_ours * 1e9 / static_cast<double>(in_bytes),
                best_ld * 1e9 / static_cast<double>(in_bytes), bytes_ours, bytes_ld,
                static_cast<double>(bytes_ours) / static_cast<double>(bytes_ld),
                ok ? "ok" : "FAILED");
    total_ours += best_ours, total_ld += best_ld, total_mb += in_bytes / 1e6;
    total_bytes_ours += bytes_ours, total_bytes_ld += bytes_ld;
  }
  std::printf("%-18s %8.2f %10.2f %10.2f %12zu %12zu %8.3f time ratio %.2f\n", "all", total_mb,
              total_ours * 1e3 / total_mb, total_ld * 1e3 / total_mb, total_bytes_ours,
              total_bytes_ld,
              static_cast<double>(total_bytes_ours) / static_cast<double>(total_bytes_ld),
              total_ours / total_ld);
  libdeflate_free_compressor(c);
  return all_ok ? 0 : 1;
}
