// Chunks compressed outside HDF5 and written with H5Dwrite_chunk read back exactly as if HDF5
// had compressed them, including padded edge chunks and growth of an unlimited dimension.
#include <catch2/catch.hpp>
#include <cmath>

#include "engine/h5.hpp"
#include "engine/h5_chunks.hpp"
#include "tests/support.hpp"

using namespace asim;

TEST_CASE("pre-compressed chunks read back like ordinary writes", "[h5][chunks]") {
  test::TempDir dir;
  const std::string path = dir.file("c.h5");
  // A [2, 5, 3] float dataset chunked [1, 4, 3]: along dim 1 the second chunk is an edge chunk.
  std::vector<float> values(2 * 5 * 3);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = 0.25f * static_cast<float>(i) - 3.0f;
  {
    h5::Handle f = h5::create_file(path);
    h5::Handle ds = h5::create_dataset(f.id(), "x", h5::Dtype::F32, {2, 5, 3}, {1, 4, 3}, {}, 1);
    h5::Handle grow = h5::create_dataset(f.id(), "g", h5::Dtype::I32, {2, 0}, {1, 4}, {false, true}, 1);
    for (hsize_t r = 0; r < 2; ++r)
      for (hsize_t c0 = 0; c0 < 5; c0 += 4) {
        std::vector<float> chunk(4 * 3, std::nanf(""));  // padded to the full chunk shape
        for (hsize_t c = c0; c < std::min<hsize_t>(c0 + 4, 5); ++c)
          for (hsize_t k = 0; k < 3; ++k) chunk[(c - c0) * 3 + k] = values[(r * 5 + c) * 3 + k];
        h5::write_compressed_chunk(ds.id(), {r, c0, 0}, h5::compress_chunk(chunk.data(), 4, chunk.size(), 1));
      }
    // Growing an unlimited dimension to 6: two chunks of 4, the second half-used.
    for (hsize_t c0 = 0; c0 < 6; c0 += 4) {
      std::vector<std::int32_t> chunk(4, 0);
      for (hsize_t c = c0; c < std::min<hsize_t>(c0 + 4, 6); ++c) chunk[c - c0] = static_cast<std::int32_t>(100 + c);
      h5::write_compressed_chunk(grow.id(), {1, c0}, h5::compress_chunk(chunk.data(), 4, 4, 1), {2, 6});
    }
  }
  h5::Handle f = h5::open_file_read(path);
  std::vector<float> back;
  h5::read_all(h5::open_dataset(f.id(), "x").id(), back);
  CHECK(back == values);
  h5::Handle g = h5::open_dataset(f.id(), "g");
  CHECK(h5::shape(g.id()) == std::vector<hsize_t>{2, 6});
  std::vector<std::int32_t> ints;
  h5::read_all(g.id(), ints);
  CHECK(ints == std::vector<std::int32_t>{0, 0, 0, 0, 0, 0, 100, 101, 102, 103, 104, 105});
}

TEST_CASE("shuffle groups bytes by position", "[h5][chunks]") {
  // Two 4-byte elements compress to the same bytes as their shuffled copy compressed with
  // element size 1.
  const std::uint32_t two[2] = {0x04030201u, 0x08070605u};
  const unsigned char shuffled[8] = {0x01, 0x05, 0x02, 0x06, 0x03, 0x07, 0x04, 0x08};
  CHECK(h5::compress_chunk(two, 4, 2, 6) == h5::compress_chunk(shuffled, 1, 8, 6));
}

// Float series whose low mantissa bytes are noise: those planes go into stored blocks, the
// stream stays zlib, and HDF5's own deflate filter reads it back bit for bit, including more
// than 64 KiB of stored bytes (several stored blocks).
TEST_CASE("noise planes are stored, and such chunks read back exactly", "[h5][chunks]") {
  std::uint32_t state = 12345;
  auto next = [&] { return state = state * 1664525u + 1013904223u; };
  const std::size_t n = 40000;  // 40 000 elements: planes of 40 000 bytes, two planes > 64 KiB
  std::vector<float> series(n);
  for (std::size_t i = 0; i < n; ++i) series[i] = 0.5f + 0.25f * static_cast<float>(next() >> 8) * 0x1p-24f;
  std::vector<unsigned char> shuffled(n * 4);
  const auto* raw = reinterpret_cast<const unsigned char*>(series.data());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k) shuffled[k * n + i] = raw[4 * i + k];
  CHECK(h5::stored_prefix(shuffled.data(), 4, n) == 2 * n);  // two noise planes, then structure
  std::vector<float> smooth(n);
  for (std::size_t i = 0; i < n; ++i) smooth[i] = static_cast<float>(i % 7);
  std::vector<unsigned char> smooth_shuffled(n * 4);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k)
      smooth_shuffled[k * n + i] = reinterpret_cast<const unsigned char*>(smooth.data())[4 * i + k];
  CHECK(h5::stored_prefix(smooth_shuffled.data(), 4, n) == 0);

  test::TempDir dir;
  const std::string path = dir.file("noise.h5");
  {
    h5::Handle f = h5::create_file(path);
    h5::Handle a = h5::create_dataset(f.id(), "series", h5::Dtype::F32, {n}, {n}, {}, 1);
    h5::write_compressed_chunk(a.id(), {0}, h5::compress_chunk(series.data(), 4, n, 1));
    h5::Handle b = h5::create_dataset(f.id(), "smooth", h5::Dtype::F32, {n}, {n}, {}, 1);
    h5::write_compressed_chunk(b.id(), {0}, h5::compress_chunk(smooth.data(), 4, n, 1));
    // Stored bytes cost 5 bytes per block of at most 65 535: the noise chunk is barely larger
    // than its two stored planes plus the deflated rest.
    CHECK(h5::compress_chunk(series.data(), 4, n, 1).size() < 2 * n + 2 * n / 2);
  }
  h5::Handle f = h5::open_file_read(path);
  std::vector<float> back;
  h5::read_all(h5::open_dataset(f.id(), "series").id(), back);
  CHECK(back == series);
  h5::read_all(h5::open_dataset(f.id(), "smooth").id(), back);
  CHECK(back == smooth);
}
