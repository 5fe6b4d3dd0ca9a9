// Parallel-friendly chunk compression (see h5_chunks.hpp).
#include "engine/h5_chunks.hpp"

#include <zlib.h>

#include <cstring>

#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim::h5 {

std::vector<unsigned char> compress_chunk(const void* data, std::size_t element_size,
                                          std::size_t elements, int level) {
  const std::size_t bytes = element_size * elements;
  const auto* in = static_cast<const unsigned char*>(data);
  // Shuffle: byte k of every element, for k = 0 .. element_size-1 (HDF5's H5Z_FILTER_SHUFFLE).
  std::vector<unsigned char> shuffled(bytes);
  if (element_size > 1) {
    for (std::size_t k = 0; k < element_size; ++k)
      for (std::size_t i = 0; i < elements; ++i)
        shuffled[k * elements + i] = in[i * element_size + k];
  } else if (bytes) {
    std::memcpy(shuffled.data(), in, bytes);
  }
  uLongf out_size = compressBound(static_cast<uLong>(bytes));
  std::vector<unsigned char> out(out_size);
  const int rc = compress2(out.data(), &out_size, shuffled.data(), static_cast<uLong>(bytes), level);
  if (rc != Z_OK) throw RuntimeFailure("zlib compress2 failed with code " + std::to_string(rc));
  out.resize(out_size);
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
