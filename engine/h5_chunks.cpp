// Parallel-friendly chunk compression (see h5_chunks.hpp).
//
// Deflate is libdeflate's whole-buffer compressor in zlib format (the format HDF5's deflate
// filter reads back with zlib's inflate): at level 1 it takes about half the instructions of
// zlib's compress2 at level 1 on the result files' shuffled float series and makes slightly
// smaller chunks (bench/README.md). Leading byte planes in which a matcher finds nothing go to
// the run-length coder of engine/deflate_rle.hpp instead (see leading_planes). Each thread keeps
// one compressor and its scratch buffers, so a chunk costs no allocation beyond its own result.
#include "engine/h5_chunks.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>

#include "engine/deflate_rle.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim::h5 {

namespace {

struct CompressorDeleter {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

// One thread's compressor at one level, and its shuffle and output buffers.
struct ThreadCompressor {
  int level = -1;
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor;
  std::unique_ptr<unsigned char[]> shuffled, out;
  std::size_t shuffled_size = 0, out_size = 0;

  libdeflate_compressor* at_level(int wanted) {
    if (level != wanted || !compressor) {
      compressor.reset(libdeflate_alloc_compressor(wanted));
      if (!compressor)
        throw RuntimeFailure("libdeflate: cannot create a compressor at level " +
                             std::to_string(wanted));
      level = wanted;
    }
    return compressor.get();
  }
  static unsigned char* grow(std::unique_ptr<unsigned char[]>& buf, std::size_t& size,
                             std::size_t need) {
    if (size < need) {
      buf.reset(new unsigned char[need]);  // scratch: no need to zero it
      size = need;
    }
    return buf.get();
  }
};

}  // namespace

namespace {

thread_local ThreadCompressor tc;

// A zlib stream (RFC 1950) around deflate blocks: the two-byte header (deflate, 32 KiB window;
// 0x7801 % 31 == 0), and the Adler-32 of the uncompressed bytes, which ends the stream.
void put_zlib_header(BitWriter& bits) {
  const unsigned char zlib_header[2] = {0x78, 0x01};
  bits.put_bytes(zlib_header, 2);
}
void put_zlib_trailer(BitWriter& bits, const unsigned char* source, std::size_t bytes) {
  const std::uint32_t adler = libdeflate_adler32(1, source, bytes);
  const unsigned char trailer[4] = {
      static_cast<unsigned char>(adler >> 24), static_cast<unsigned char>(adler >> 16),
      static_cast<unsigned char>(adler >> 8), static_cast<unsigned char>(adler)};
  bits.put_bytes(trailer, 4);
  bits.finish();
}

// Whether a run-length block codes the first kRunsTrialBytes of a plane in at most
// kRunsTrialSlack times the bytes libdeflate needs for them, plus kRunsTrialAllowance.
bool runs_trial(const unsigned char* plane, std::size_t elements, int level) {
  const std::size_t n = std::min(elements, kRunsTrialBytes);
  libdeflate_compressor* c = tc.at_level(level);
  const std::size_t bound = libdeflate_deflate_compress_bound(c, n);
  unsigned char* out = ThreadCompressor::grow(tc.out, tc.out_size, bound);
  const std::size_t matched = libdeflate_deflate_compress(c, plane, n, out, bound);
  if (matched == 0) return false;
  const double runs = static_cast<double>(deflate_rle_bits(plane, n)) / 8.0;
  return runs <= kRunsTrialSlack * static_cast<double>(matched) + kRunsTrialAllowance;
}

}  // namespace

std::vector<PlaneCoding> leading_planes(const unsigned char* shuffled, std::size_t element_size,
                                        std::size_t elements, int level) {
  std::vector<PlaneCoding> planes;
  if (elements < kOwnPlaneMinElements) return planes;
  const bool runs_allowed = elements >= kRunsPlaneMinElements;
  for (std::size_t k = 0; k < element_size; ++k) {
    const unsigned char* plane = shuffled + k * elements;
    const bool last = k + 1 == element_size;
    if (!last && byte_entropy(plane, elements) >= kStoredPlaneEntropy)
      planes.push_back(PlaneCoding::Stored);
    else if (runs_allowed && runs_trial(plane, elements, level))
      planes.push_back(PlaneCoding::Runs);
    else
      break;
  }
  return planes;
}

namespace {

// Shuffle: byte k of every element, for k = 0 .. element_size-1 (HDF5's H5Z_FILTER_SHUFFLE),
// into the thread's scratch buffer; single bytes stay where they are.
const unsigned char* shuffle(const unsigned char* in, std::size_t element_size,
                             std::size_t elements) {
  const std::size_t bytes = element_size * elements;
  if (element_size <= 1 || bytes == 0) return in;
  unsigned char* shuffled = ThreadCompressor::grow(tc.shuffled, tc.shuffled_size, bytes);
  if (element_size == 4) {  // float32 and int32, nearly every chunk: one pass, four planes
    unsigned char *p0 = shuffled, *p1 = p0 + elements, *p2 = p1 + elements, *p3 = p2 + elements;
    for (std::size_t i = 0; i < elements; ++i) {
      const unsigned char* e = in + 4 * i;
      p0[i] = e[0], p1[i] = e[1], p2[i] = e[2], p3[i] = e[3];
    }
  } else {
    for (std::size_t k = 0; k < element_size; ++k)
      for (std::size_t i = 0; i < elements; ++i)
        shuffled[k * elements + i] = in[i * element_size + k];
  }
  return shuffled;
}

// One zlib stream of stored blocks of the shuffled bytes.
std::vector<unsigned char> stored_stream(const unsigned char* source, std::size_t bytes) {
  thread_local std::vector<unsigned char> stored;
  stored.clear();
  BitWriter bits(stored);
  put_zlib_header(bits);
  deflate_stored_blocks(source, bytes, bits, true);
  put_zlib_trailer(bits, source, bytes);
  return std::vector<unsigned char>(stored.begin(), stored.end());
}

}  // namespace

std::vector<unsigned char> store_chunk(const void* data, std::size_t element_size,
                                       std::size_t elements) {
  const auto* in = static_cast<const unsigned char*>(data);
  return stored_stream(shuffle(in, element_size, elements), element_size * elements);
}

std::vector<unsigned char> runs_chunk(const void* data, std::size_t element_size,
                                      std::size_t elements) {
  const std::size_t bytes = element_size * elements;
  const unsigned char* source =
      shuffle(static_cast<const unsigned char*>(data), element_size, elements);
  if (bytes < kStoredChunkBytes || elements == 0) return stored_stream(source, bytes);
  thread_local std::vector<unsigned char> out;
  out.clear();
  BitWriter bits(out);
  put_zlib_header(bits);
  for (std::size_t k = 0; k < element_size; ++k) {
    const unsigned char* plane = source + k * elements;
    const bool final = k + 1 == element_size;
    if (byte_entropy(plane, elements) >= kStoredPlaneEntropy)
      deflate_stored_blocks(plane, elements, bits, final);
    else
      deflate_rle_block(plane, elements, bits, final);
  }
  put_zlib_trailer(bits, source, bytes);
  return std::vector<unsigned char>(out.begin(), out.end());
}

std::vector<unsigned char> compress_chunk(const void* data, std::size_t element_size,
                                          std::size_t elements, int level) {
  const std::size_t bytes = element_size * elements;
  const auto* in = static_cast<const unsigned char*>(data);
  const unsigned char* source = shuffle(in, element_size, elements);
  libdeflate_compressor* c = tc.at_level(level);
  // Leading byte planes without sequential structure (the low mantissa bytes of float series)
  // are coded here, not searched for matches: see leading_planes.
  const std::vector<PlaneCoding> planes =
      element_size > 1 && bytes >= kStoredChunkBytes
          ? leading_planes(source, element_size, elements, level)
          : std::vector<PlaneCoding>{};
  // A small chunk is stored: compressing its few kilobytes costs about as much as simulating
  // them.
  if (bytes < kStoredChunkBytes) return stored_stream(source, bytes);
  if (planes.empty()) {
    const std::size_t bound = libdeflate_zlib_compress_bound(c, bytes);
    unsigned char* out = ThreadCompressor::grow(tc.out, tc.out_size, bound);
    const std::size_t n = libdeflate_zlib_compress(c, source, bytes, out, bound);
    if (n == 0)
      throw RuntimeFailure("libdeflate: compressing a chunk of " + std::to_string(bytes) +
                           " bytes failed");
    return std::vector<unsigned char>(out, out + n);
  }
  // A zlib stream (RFC 1950) of deflate blocks (RFC 1951): this file's blocks for the leading
  // planes, then (unless they are all the planes, the last block final) an empty stored block if
  // they ended between bytes and libdeflate's blocks for the rest (a deflate stream may mix
  // block types; libdeflate's raw output starts on a byte boundary and ends with the final
  // block), then the Adler-32 of all the shuffled bytes.
  // Coded in a per-thread scratch vector, returned as an exact-size copy: a chunk waiting for
  // the writer holds only its compressed bytes.
  thread_local std::vector<unsigned char> out;
  out.clear();
  BitWriter bits(out);
  put_zlib_header(bits);
  const std::size_t own = planes.size() * elements;
  for (std::size_t k = 0; k < planes.size(); ++k) {
    const unsigned char* plane = source + k * elements;
    const bool final = own == bytes && k + 1 == planes.size();
    if (planes[k] == PlaneCoding::Stored)
      deflate_stored_blocks(plane, elements, bits, final);
    else
      deflate_rle_block(plane, elements, bits, final);
  }
  if (own < bytes) {
    if (!bits.aligned()) deflate_stored_blocks(nullptr, 0, bits);
    const std::size_t rest = bytes - own;
    const std::size_t bound = libdeflate_deflate_compress_bound(c, rest);
    bits.reserve(bound + 4);
    const std::size_t n =
        libdeflate_deflate_compress(c, source + own, rest, out.data() + bits.size(), bound);
    if (n == 0)
      throw RuntimeFailure("libdeflate: compressing a chunk of " + std::to_string(bytes) +
                           " bytes failed");
    bits.advance(n);
  }
  put_zlib_trailer(bits, source, bytes);
  return std::vector<unsigned char>(out.begin(), out.end());
}

void write_compressed_chunk(hid_t dset, const std::vector<hsize_t>& offset,
                            const std::vector<unsigned char>& bytes,
                            const std::vector<hsize_t>& extent) {
  if (!extent.empty()) {
    const auto now = shape(dset);
    bool grow = false;
    std::vector<hsize_t> next = now;
    for (std::size_t d = 0; d < now.size() && d < extent.size(); ++d)
      if (extent[d] > now[d]) next[d] = extent[d], grow = true;
    if (grow) check(H5Dset_extent(dset, next.data()), "extend dataset", dset);
  }
  check(H5Dwrite_chunk(dset, H5P_DEFAULT, 0, offset.data(), bytes.size(), bytes.data()),
        "write compressed chunk", dset);
}

}  // namespace asim::h5
