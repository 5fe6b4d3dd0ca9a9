// Parallel-friendly chunk compression (see h5_chunks.hpp).
//
// Deflate is libdeflate's whole-buffer compressor in zlib format (the format HDF5's deflate
// filter reads back with zlib's inflate): at level 1 it takes about half the instructions of
// zlib's compress2 at level 1 on the result files' shuffled float series and makes slightly
// smaller chunks (bench/README.md). Each thread keeps one compressor and its scratch buffers,
// so a chunk costs no allocation beyond its own result.
#include "engine/h5_chunks.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

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
        throw RuntimeFailure("libdeflate: cannot create a compressor at level " + std::to_string(wanted));
      level = wanted;
    }
    return compressor.get();
  }
  static unsigned char* grow(std::unique_ptr<unsigned char[]>& buf, std::size_t& size, std::size_t need) {
    if (size < need) {
      buf.reset(new unsigned char[need]);  // scratch: no need to zero it
      size = need;
    }
    return buf.get();
  }
};

}  // namespace

std::size_t stored_prefix(const unsigned char* shuffled, std::size_t element_size, std::size_t elements) {
  if (elements < kStoredPlaneMinElements) return 0;
  std::size_t stored = 0;
  for (std::size_t k = 0; k + 1 < element_size; ++k) {  // the last (sign, exponent) plane never
    const unsigned char* plane = shuffled + k * elements;
    std::uint32_t count[256] = {};
    for (std::size_t i = 0; i < elements; ++i) ++count[plane[i]];
    double entropy = 0;  // bits per byte of the plane's byte frequencies
    const double n = static_cast<double>(elements);
    for (std::uint32_t c : count)
      if (c) entropy -= c / n * std::log2(c / n);
    if (entropy < kStoredPlaneEntropy) break;
    stored += elements;
  }
  return stored;
}

std::vector<unsigned char> compress_chunk(const void* data, std::size_t element_size,
                                          std::size_t elements, int level) {
  thread_local ThreadCompressor tc;
  const std::size_t bytes = element_size * elements;
  const auto* in = static_cast<const unsigned char*>(data);
  // Shuffle: byte k of every element, for k = 0 .. element_size-1 (HDF5's H5Z_FILTER_SHUFFLE).
  const unsigned char* source = in;
  if (element_size > 1 && bytes) {
    unsigned char* shuffled = ThreadCompressor::grow(tc.shuffled, tc.shuffled_size, bytes);
    if (element_size == 4) {  // float32 and int32, nearly every chunk: one pass, four planes
      unsigned char *p0 = shuffled, *p1 = p0 + elements, *p2 = p1 + elements, *p3 = p2 + elements;
      for (std::size_t i = 0; i < elements; ++i) {
        const unsigned char* e = in + 4 * i;
        p0[i] = e[0], p1[i] = e[1], p2[i] = e[2], p3[i] = e[3];
      }
    } else {
      for (std::size_t k = 0; k < element_size; ++k)
        for (std::size_t i = 0; i < elements; ++i) shuffled[k * elements + i] = in[i * element_size + k];
    }
    source = shuffled;
  }
  libdeflate_compressor* c = tc.at_level(level);
  // Leading byte planes that look like noise (the low mantissa bytes of float series) are
  // stored, not searched for matches: see stored_prefix.
  const std::size_t stored = element_size > 1 ? stored_prefix(source, element_size, elements) : 0;
  if (stored == 0) {
    const std::size_t bound = libdeflate_zlib_compress_bound(c, bytes);
    unsigned char* out = ThreadCompressor::grow(tc.out, tc.out_size, bound);
    const std::size_t n = libdeflate_zlib_compress(c, source, bytes, out, bound);
    if (n == 0) throw RuntimeFailure("libdeflate: compressing a chunk of " + std::to_string(bytes) + " bytes failed");
    return std::vector<unsigned char>(out, out + n);
  }
  // A zlib stream (RFC 1950) of deflate blocks (RFC 1951): stored blocks for the first `stored`
  // bytes, then libdeflate's blocks for the rest (a deflate stream may mix block types, and
  // libdeflate's raw output starts on a byte boundary and ends with the final block).
  const std::size_t rest = bytes - stored;
  const std::size_t blocks = (stored + 65534) / 65535;
  const std::size_t deflate_bound = libdeflate_deflate_compress_bound(c, rest);
  std::vector<unsigned char> out(2 + blocks * 5 + stored + deflate_bound + 4);
  std::size_t at = 0;
  out[at++] = 0x78;  // CM = 8 (deflate), CINFO = 7 (32 KiB window)
  out[at++] = 0x01;  // FLEVEL = 0, no dictionary, FCHECK: 0x7801 is a multiple of 31
  for (std::size_t done = 0; done < stored;) {
    const std::size_t len = std::min<std::size_t>(65535, stored - done);
    out[at++] = 0x00;  // BFINAL = 0, BTYPE = 00 (stored), padding to the byte
    out[at++] = static_cast<unsigned char>(len & 0xFF);
    out[at++] = static_cast<unsigned char>(len >> 8);
    out[at++] = static_cast<unsigned char>(~len & 0xFF);
    out[at++] = static_cast<unsigned char>((~len >> 8) & 0xFF);
    std::memcpy(out.data() + at, source + done, len);
    at += len;
    done += len;
  }
  // rest > 0: the last plane is never stored, and libdeflate writes the final block.
  const std::size_t n = libdeflate_deflate_compress(c, source + stored, rest, out.data() + at, deflate_bound);
  if (n == 0) throw RuntimeFailure("libdeflate: compressing a chunk of " + std::to_string(bytes) + " bytes failed");
  at += n;
  const std::uint32_t adler = libdeflate_adler32(1, source, bytes);
  for (int shift = 24; shift >= 0; shift -= 8) out[at++] = static_cast<unsigned char>(adler >> shift);
  out.resize(at);
  return out;
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
