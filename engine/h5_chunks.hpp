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
// Byte planes at the front of the shuffled chunk that have no sequential structure beyond runs
// of one byte (the low mantissa bytes of float series: noise, with runs where a series is NaN
// or constant) are not handed to libdeflate's matcher, which spends most of its time there
// finding nothing: a plane whose byte frequencies are close to uniform (entropy at least
// kStoredPlaneEntropy bits) goes into stored blocks; one whose byte-to-byte differences are
// about as unpredictable as its bytes (difference entropy above the byte entropy less
// kRunsPlaneDeltaMargin) into a block of literals and runs (engine/deflate_rle.hpp), provided
// its byte entropy is at least kRunsPlaneMinEntropy (below that a plane may hold repeats a
// matcher finds and runs do not, a periodic pattern, and libdeflate is fast there anyway) and
// the chunk has at least kRunsPlaneMinElements elements (a block's code costs about as much
// to build as a matcher spends on a few thousand bytes). The
// stream is ordinary zlib/deflate, read by HDF5's filter.
inline constexpr double kStoredPlaneEntropy = 7.8;         // of at most 8 bits per byte
inline constexpr double kRunsPlaneDeltaMargin = 1.0;       // bits per byte
inline constexpr double kRunsPlaneMinEntropy = 3.0;        // bits per byte
inline constexpr std::size_t kOwnPlaneMinElements = 1024;    // smaller chunks: all to libdeflate
inline constexpr std::size_t kRunsPlaneMinElements = 16384;  // smaller: stored or libdeflate
enum class PlaneCoding { Stored, Runs };
// How compress_chunk codes the leading planes of a shuffled chunk (up to the first plane, never
// the last, left to libdeflate with all the planes after it).
std::vector<PlaneCoding> leading_planes(const unsigned char* shuffled, std::size_t element_size,
                                        std::size_t elements);

std::vector<unsigned char> compress_chunk(const void* data, std::size_t element_size,
                                          std::size_t elements, int level);

// Writes one compressed chunk whose first element is at `offset` (a multiple of the chunk shape),
// extending unlimited dimensions when the chunk lies past the current extent (to `extent`, the
// dataset's logical size after this write; pass {} to keep the extent).
void write_compressed_chunk(hid_t dset, const std::vector<hsize_t>& offset,
                            const std::vector<unsigned char>& bytes,
                            const std::vector<hsize_t>& extent = {});

}  // namespace asim::h5
