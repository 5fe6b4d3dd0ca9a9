// Chunks compressed outside HDF5 and written with H5Dwrite_chunk read back exactly as if HDF5
// had compressed them, including padded edge chunks and growth of an unlimited dimension.
#include <tbb/parallel_for.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "engine/deflate_rle.hpp"
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
    h5::Handle grow =
        h5::create_dataset(f.id(), "g", h5::Dtype::I32, {2, 0}, {1, 4}, {false, true}, 1);
    for (hsize_t r = 0; r < 2; ++r)
      for (hsize_t c0 = 0; c0 < 5; c0 += 4) {
        std::vector<float> chunk(4 * 3, std::nanf(""));  // padded to the full chunk shape
        for (hsize_t c = c0; c < std::min<hsize_t>(c0 + 4, 5); ++c)
          for (hsize_t k = 0; k < 3; ++k) chunk[(c - c0) * 3 + k] = values[(r * 5 + c) * 3 + k];
        h5::write_compressed_chunk(ds.id(), {r, c0, 0},
                                   h5::compress_chunk(chunk.data(), 4, chunk.size(), 1));
      }
    // Growing an unlimited dimension to 6: two chunks of 4, the second half-used.
    for (hsize_t c0 = 0; c0 < 6; c0 += 4) {
      std::vector<std::int32_t> chunk(4, 0);
      for (hsize_t c = c0; c < std::min<hsize_t>(c0 + 4, 6); ++c)
        chunk[c - c0] = static_cast<std::int32_t>(100 + c);
      h5::write_compressed_chunk(grow.id(), {1, c0}, h5::compress_chunk(chunk.data(), 4, 4, 1),
                                 {2, 6});
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
  for (std::size_t i = 0; i < n; ++i)
    series[i] = 0.5f + 0.25f * static_cast<float>(next() >> 8) * 0x1p-24f;
  std::vector<unsigned char> shuffled(n * 4);
  const auto* raw = reinterpret_cast<const unsigned char*>(series.data());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k) shuffled[k * n + i] = raw[4 * i + k];
  using h5::PlaneCoding;
  // Two noise planes; the third (the top mantissa bits, about uniform over 128 values) has no
  // sequential structure either and goes into a run-length block, and so does the exponent
  // plane (one byte throughout: one run), on trial.
  CHECK(h5::leading_planes(shuffled.data(), 4, n, 1) ==
        std::vector<PlaneCoding>{PlaneCoding::Stored, PlaneCoding::Stored, PlaneCoding::Runs,
                                 PlaneCoding::Runs});
  std::vector<float> smooth(n);
  for (std::size_t i = 0; i < n; ++i) smooth[i] = static_cast<float>(i % 7);
  std::vector<unsigned char> smooth_shuffled(n * 4);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k)
      smooth_shuffled[k * n + i] = reinterpret_cast<const unsigned char*>(smooth.data())[4 * i + k];
  // Small whole numbers: two zero low bytes (one run each, on trial), then a byte repeating with
  // period 7 (structure a matcher finds and runs do not): it and the last plane to libdeflate.
  CHECK(h5::leading_planes(smooth_shuffled.data(), 4, n, 1) ==
        std::vector<PlaneCoding>{PlaneCoding::Runs, PlaneCoding::Runs});

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

namespace {

// Codes `in` as one run-length block followed by a final empty block (a block ends between
// bytes: nothing may be padded in between), then raw-inflates the stream with zlib.
struct RoundTrip {
  bool huffman = false;
  std::size_t coded_bytes = 0;
  std::vector<unsigned char> back;
};
RoundTrip round_trip(const std::vector<unsigned char>& in) {
  RoundTrip r;
  std::vector<unsigned char> stream;
  h5::BitWriter bits(stream);
  r.huffman = h5::deflate_rle_block(in.data(), in.size(), bits);
  bits.reserve(4);
  bits.put(1u | (1u << 1), 3);  // BFINAL = 1, BTYPE = 01 (fixed Huffman codes)
  bits.put(0, 7);               // end of block: code 256 is seven zero bits
  bits.finish();
  r.coded_bytes = stream.size();
  std::vector<unsigned char> out(in.size() + 16);
  z_stream z{};
  REQUIRE(inflateInit2(&z, -15) == Z_OK);
  z.next_in = stream.data();
  z.avail_in = static_cast<uInt>(stream.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  const std::size_t produced = z.total_out;
  inflateEnd(&z);
  CHECK(rc == Z_STREAM_END);
  out.resize(rc == Z_STREAM_END ? produced : 0);
  r.back = std::move(out);
  return r;
}

}  // namespace

// The run-length blocks are checked against zlib's own inflate on the inputs that stress each
// part of the format: one symbol (a complete code must still have two), noise (stored instead),
// runs up to and past the longest match (258), skewed frequencies whose Huffman code would be
// longer than deflate's 15 bits without length limiting, and long codes with extra bits.
TEST_CASE("run-length deflate blocks inflate with zlib to their input", "[h5][chunks]") {
  std::mt19937 rng(7);
  auto check = [](const std::vector<unsigned char>& in, bool expect_huffman) {
    const RoundTrip r = round_trip(in);
    CHECK(r.huffman == expect_huffman);
    CHECK(r.back == in);
    return r.coded_bytes;
  };
  const std::size_t n = 100000;
  std::vector<unsigned char> in(n);
  for (auto& b : in) b = static_cast<unsigned char>(rng());
  CHECK(check(in, false) <= n + 5 * 2 + 2);  // noise: two stored blocks (+ the final block)
  std::fill(in.begin(), in.end(), 0x7F);
  CHECK(check(in, true) < 400);  // one literal, then runs of 258
  for (std::size_t i = 0; i < n; ++i)
    in[i] = (i / 300) % 2 ? 0xFF : static_cast<unsigned char>(rng() % 40);  // runs and literals
  CHECK(check(in, true) < n / 2);
  for (auto& b : in) {  // P(k) = 2^-(k+1): a plain Huffman code would need up to ~17 bits
    int k = 0;
    while (k < 40 && (rng() & 1u)) ++k;
    b = static_cast<unsigned char>(k);
  }
  CHECK(check(in, true) < n / 3);
  {  // rare long runs among skewed literals: length codes of up to 15 bits plus 5 extra bits
    std::vector<unsigned char> rare;
    for (int length = 131; length < 258; ++length) {
      for (int k = 0; k < 2000; ++k) {
        int z = 0;
        while (z < 12 && (rng() & 1u)) ++z;
        rare.push_back(static_cast<unsigned char>(20 + z));
      }
      rare.insert(rare.end(), static_cast<std::size_t>(length) + 1, 1);
    }
    CHECK(check(rare, true) < rare.size() / 3);
  }
  for (bool noise : {true, false}) {  // a final block ends the stream by itself
    std::vector<unsigned char> last(5000);
    for (std::size_t i = 0; i < last.size(); ++i)
      last[i] = static_cast<unsigned char>(noise ? rng() : (i / 100) % 3);
    std::vector<unsigned char> stream;
    h5::BitWriter bits(stream);
    CHECK(h5::deflate_rle_block(last.data(), last.size(), bits, true) == !noise);
    bits.finish();
    std::vector<unsigned char> out(last.size() + 16);
    uLongf out_len = out.size();
    std::vector<unsigned char> zlib = {0x78, 0x01};  // wrap as zlib for uncompress()
    zlib.insert(zlib.end(), stream.begin(), stream.end());
    const uLong adler =
        adler32(adler32(0, nullptr, 0), last.data(), static_cast<uInt>(last.size()));
    for (int shift = 24; shift >= 0; shift -= 8)
      zlib.push_back(static_cast<unsigned char>(adler >> shift));
    REQUIRE(uncompress(out.data(), &out_len, zlib.data(), zlib.size()) == Z_OK);
    out.resize(out_len);
    CHECK(out == last);
  }
  for (std::size_t len : {1, 2, 3, 4, 258, 259, 262})  // short inputs and runs around the limit
    check(std::vector<unsigned char>(len, 9), len > 8);
  for (int trial = 0; trial < 200; ++trial) {  // small random mixtures of runs and literals
    std::vector<unsigned char> mix(1 + rng() % 2000);
    const unsigned alphabet = 1 + rng() % 64, stay = rng() % 100;
    for (std::size_t i = 0; i < mix.size(); ++i)
      mix[i] =
          i > 0 && rng() % 100 < stay ? mix[i - 1] : static_cast<unsigned char>(rng() % alphabet);
    REQUIRE(round_trip(mix).back == mix);
  }
}

// Float series like the daily youth series: noisy low mantissa bytes and NaN runs (the days
// after a youth left) go into run-length blocks, and the chunk reads back exactly through HDF5.
TEST_CASE("chunks with run-length planes read back exactly", "[h5][chunks]") {
  std::mt19937 rng(11);
  const std::size_t n = 274 * 80;  // at least kRunsPlaneMinElements
  std::vector<float> series(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t youth = i / 274, day = i % 274;
    series[i] = day > 100 + 2 * youth
                    ? std::nanf("")
                    : 0.5f + 0.1f * std::sin(0.05f * static_cast<float>(day + youth)) +
                          0.01f * static_cast<float>(rng() % 1000) / 1000.0f;
  }
  std::vector<unsigned char> shuffled(n * 4);
  const auto* raw = reinterpret_cast<const unsigned char*>(series.data());
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k) shuffled[k * n + i] = raw[4 * i + k];
  const auto planes = h5::leading_planes(shuffled.data(), 4, n, 1);
  REQUIRE(!planes.empty());
  CHECK(planes[0] == h5::PlaneCoding::Runs);
  test::TempDir dir;
  const std::string path = dir.file("runs.h5");
  {
    h5::Handle f = h5::create_file(path);
    h5::Handle a = h5::create_dataset(f.id(), "series", h5::Dtype::F32, {n}, {n}, {}, 1);
    h5::write_compressed_chunk(a.id(), {0}, h5::compress_chunk(series.data(), 4, n, 1));
  }
  h5::Handle f = h5::open_file_read(path);
  std::vector<float> back;
  h5::read_all(h5::open_dataset(f.id(), "series").id(), back);
  REQUIRE(back.size() == n);
  CHECK(std::memcmp(back.data(), series.data(), n * sizeof(float)) == 0);  // NaNs too
}

// The size the planner computes is the size written (the writer's reserve relies on it), for
// every run length from 3 to 600 at every offset modulo 8, runs ending at the plane's end, and
// random mixtures.
TEST_CASE("run-length blocks are exactly their planned size", "[h5][chunks]") {
  std::mt19937 rng(3);
  auto written_bits = [](const std::vector<unsigned char>& in) {
    std::vector<unsigned char> stream;
    h5::BitWriter bits(stream);
    const bool huffman = h5::deflate_rle_block(in.data(), in.size(), bits);
    const h5::BitWriter::Raw end = bits.raw();
    return std::pair{huffman, static_cast<std::size_t>(end.p - stream.data()) * 8 +
                                  static_cast<std::size_t>(end.count)};
  };
  for (std::size_t length = 3; length <= 600; length += 1) {
    std::vector<unsigned char> in;
    for (std::size_t k = 0; k < 40 + length % 8; ++k)
      in.push_back(static_cast<unsigned char>(rng() % 16));
    in.push_back(200);
    in.insert(in.end(), length, 200);  // a literal, then `length` copies: a run of `length`
    if (length % 3)
      in.push_back(static_cast<unsigned char>(rng() % 16));  // else the run ends the plane
    const auto [huffman, bits] = written_bits(in);
    if (huffman) CHECK(bits == h5::deflate_rle_bits(in.data(), in.size()));
    REQUIRE(round_trip(in).back == in);
  }
  for (int trial = 0; trial < 100; ++trial) {
    std::vector<unsigned char> mix(20 + rng() % 5000);
    for (std::size_t i = 0; i < mix.size(); ++i)
      mix[i] = i > 0 && rng() % 100 < 60 ? mix[i - 1] : static_cast<unsigned char>(rng() % 50);
    const auto [huffman, bits] = written_bits(mix);
    REQUIRE(huffman);
    CHECK(bits == h5::deflate_rle_bits(mix.data(), mix.size()));
  }
}

// Whole chunks of every mixture of plane kinds (noise, noise with runs, smooth, periodic,
// constant), sizes around the thresholds and odd element counts, so that the run-length blocks
// end at every bit offset before libdeflate takes over: each decompresses with zlib's own
// uncompress() to the shuffled chunk, and compressing in parallel gives the serial bytes.
TEST_CASE("chunks of mixed plane kinds are valid zlib streams, serial or parallel",
          "[h5][chunks]") {
  std::mt19937 rng(5);
  std::vector<std::vector<std::uint32_t>> chunks;
  for (int trial = 0; trial < 48; ++trial) {
    const std::size_t n = (trial % 3 == 0   ? 1000
                           : trial % 3 == 1 ? 16384
                                            : 17000) +
                          static_cast<std::size_t>(trial);
    std::vector<std::uint32_t> chunk(n);
    int kind[4];
    for (int& k : kind) k = static_cast<int>(rng() % 5);
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t v = 0;
      for (int b = 0; b < 4; ++b) {
        unsigned byte = 0;
        switch (kind[b]) {
          case 0:
            byte = rng() & 0xFFu;
            break;  // noise
          case 1:
            byte = (i / 97) % 3 == 0 ? 0u : (rng() & 0x3Fu);
            break;  // noise and runs
          case 2:
            byte = static_cast<unsigned>(i / 300) & 0xFFu;
            break;  // smooth
          case 3:
            byte = static_cast<unsigned>((i % 7) * 37) & 0xFFu;
            break;  // periodic
          default:
            byte = 0x3Fu;
            break;  // constant
        }
        v |= byte << (8 * b);
      }
      chunk[i] = v;
    }
    chunks.push_back(std::move(chunk));
  }
  std::vector<std::vector<unsigned char>> serial(chunks.size()), parallel(chunks.size());
  for (std::size_t c = 0; c < chunks.size(); ++c)
    serial[c] = h5::compress_chunk(chunks[c].data(), 4, chunks[c].size(), 1);
  tbb::parallel_for(std::size_t{0}, chunks.size(), [&](std::size_t c) {
    parallel[c] = h5::compress_chunk(chunks[c].data(), 4, chunks[c].size(), 1);
  });
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const std::size_t n = chunks[c].size();
    std::vector<unsigned char> expected(4 * n);
    const auto* raw = reinterpret_cast<const unsigned char*>(chunks[c].data());
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < 4; ++k) expected[k * n + i] = raw[4 * i + k];
    std::vector<unsigned char> out(4 * n);
    uLongf len = out.size();
    REQUIRE(uncompress(out.data(), &len, serial[c].data(), serial[c].size()) == Z_OK);
    CHECK(len == 4 * n);
    CHECK(out == expected);
    CHECK(parallel[c] == serial[c]);
  }
}

TEST_CASE("chunks coded without the matcher, or stored, inflate with zlib to the shuffled input",
          "[h5][chunks]") {
  // Columns like the events table's: a day that rises slowly, a code, ids with -1 among them,
  // noise, and a constant; int8 and float among them; small (stored whole) and large chunks.
  std::mt19937 rng(11);
  // Checks the round trip of both coders and returns runs_chunk's size.
  const auto check = [](const void* data, std::size_t element_size, std::size_t elements) {
    const auto* in = static_cast<const unsigned char*>(data);
    std::vector<unsigned char> shuffled(element_size * elements);
    for (std::size_t k = 0; k < element_size; ++k)
      for (std::size_t i = 0; i < elements; ++i)
        shuffled[k * elements + i] = in[i * element_size + k];
    for (int coder = 0; coder < 2; ++coder) {
      const std::vector<unsigned char> z = coder == 0
                                               ? h5::runs_chunk(data, element_size, elements)
                                               : h5::store_chunk(data, element_size, elements);
      std::vector<unsigned char> back(shuffled.size() + 1);
      uLongf len = back.size();
      REQUIRE(uncompress(back.data(), &len, z.data(), z.size()) == Z_OK);
      back.resize(len);
      CHECK(back == shuffled);
      if (coder == 1) CHECK(z.size() > shuffled.size());  // stored: nothing saved
    }
    return h5::runs_chunk(data, element_size, elements).size();
  };
  for (const std::size_t n : {std::size_t{100}, std::size_t{8192}, std::size_t{20000}}) {
    std::vector<std::int32_t> day(n), staff(n), constant(n, 7), index(n), noise_ids(n);
    std::vector<float> value(n);
    std::vector<std::int8_t> kind(n);
    std::uniform_int_distribution<int> code(0, 10), id(0, 600000);
    std::uniform_real_distribution<float> noise(0.0f, 1.0f);
    for (std::size_t i = 0; i < n; ++i) {
      day[i] = static_cast<std::int32_t>(i / 7);
      kind[i] = static_cast<std::int8_t>(code(rng));
      staff[i] = kind[i] < 5 ? -1 : id(rng);
      value[i] = kind[i] < 3 ? noise(rng) : static_cast<float>(code(rng));
      index[i] = static_cast<std::int32_t>(i);               // a coordinate: its low byte is noise
      noise_ids[i] = static_cast<std::int32_t>(rng() >> 1);  // every plane noise: stored
    }
    const std::size_t bytes = 4 * n;
    const std::size_t day_size = check(day.data(), 4, n),
                      constant_size = check(constant.data(), 4, n);
    check(staff.data(), 4, n);
    check(value.data(), 4, n);
    check(kind.data(), 1, n);
    const std::size_t index_size = check(index.data(), 4, n),
                      noise_size = check(noise_ids.data(), 4, n);
    if (n >= 8192) {  // coded, not stored whole: runs shrink, noise planes cost little more
      CHECK(constant_size < bytes / 20);
      CHECK(day_size < bytes * 3 / 10);    // its low byte is nearly noise, the rest runs
      CHECK(index_size < bytes * 3 / 10);  // the same for a coordinate
      CHECK(noise_size < bytes + 64);      // stored planes
    }
  }
}
