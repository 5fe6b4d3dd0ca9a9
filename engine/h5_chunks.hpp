// Compressing chunks outside HDF5, so many threads can compress while one thread writes.
// compress_chunk applies the same filter pipeline as datasets made by h5::create_dataset with a
// deflate level > 0 (shuffle, then deflate); write_compressed_chunk hands the bytes to
// H5Dwrite_chunk. A chunk is always whole: edge chunks are padded (with the fill value) to the
// full chunk shape, as HDF5 itself stores them.
#pragma once
#include <hdf5.h>

#include <cstddef>
#include <vector>

namespace asim::h5 {

// Shuffle (byte transposition by element) then deflate in zlib format at `level` (1..9).
// Byte planes at the front of the shuffled chunk whose bytes are close to uniformly distributed
// (entropy of the byte frequencies at least kStoredPlaneEntropy bits) go into stored deflate
// blocks instead: searching noise for matches costs the most and gains almost nothing (the low
// mantissa bytes of float series). The stream is ordinary zlib/deflate, read by HDF5's filter.
inline constexpr double kStoredPlaneEntropy = 7.8;       // of at most 8 bits per byte
inline constexpr std::size_t kStoredPlaneMinElements = 1024;  // smaller chunks: always deflated
// How many leading bytes of a shuffled chunk compress_chunk stores (whole planes).
std::size_t stored_prefix(const unsigned char* shuffled, std::size_t element_size, std::size_t elements);

std::vector<unsigned char> compress_chunk(const void* data, std::size_t element_size,
                                          std::size_t elements, int level);

// Writes one compressed chunk whose first element is at `offset` (a multiple of the chunk shape),
// extending unlimited dimensions when the chunk lies past the current extent (to `extent`, the
// dataset's logical size after this write; pass {} to keep the extent).
void write_compressed_chunk(hid_t dset, const std::vector<hsize_t>& offset,
                            const std::vector<unsigned char>& bytes,
                            const std::vector<hsize_t>& extent = {});

}  // namespace asim::h5
