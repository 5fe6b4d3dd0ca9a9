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
// Byte planes at the front of the shuffled chunk that hold no structure a general matcher
// would find are not handed to libdeflate's matcher, which spends most of its time there
// finding nothing (the low mantissa bytes of float series: noise, with runs where a series is
// NaN or constant):
// - a plane whose byte frequencies are close to uniform (entropy at least kStoredPlaneEntropy
//   bits; never the last, sign and exponent, plane) goes into stored blocks;
// - in chunks of at least kRunsPlaneMinElements elements (in smaller ones a block's code costs
//   about what the matcher spends on the whole plane), a plane on which a trial on its first
//   kRunsTrialBytes bytes finds a block of literals and runs (engine/deflate_rle.hpp) at most
//   kRunsTrialSlack times the size of libdeflate's, plus kRunsTrialAllowance bytes, goes into
//   such a block: noise with NaN runs, a slowly varying high byte, an exponent plane of long
//   runs. Repeats at a distance (a periodic pattern, the same mentor's series in several
//   youths' rows) fail the trial.
// The first plane that qualifies for neither, and every plane after it, go to libdeflate. A
// chunk of fewer than kStoredChunkBytes bytes is stored whole (deflate's stored blocks):
// libdeflate's set-up per call makes compressing a few kilobytes cost about as much as
// simulating them (bench/README.md), for a saving of a few kilobytes. The stream is ordinary
// zlib/deflate, read by HDF5's filter.
inline constexpr double kStoredPlaneEntropy = 7.8;           // of at most 8 bits per byte
inline constexpr std::size_t kStoredChunkBytes = 8192;       // smaller chunks: stored whole
inline constexpr std::size_t kOwnPlaneMinElements = 1024;    // smaller chunks: all to libdeflate
inline constexpr std::size_t kRunsPlaneMinElements = 16384;  // smaller: stored or libdeflate
inline constexpr std::size_t kRunsTrialBytes = 8192;
inline constexpr double kRunsTrialSlack = 1.15;
inline constexpr double kRunsTrialAllowance = 64;  // bytes: block headers of nearly empty planes
enum class PlaneCoding { Stored, Runs };
// How compress_chunk at `level` codes the leading planes of a shuffled chunk (all of them, or
// up to the first plane left to libdeflate with all the planes after it).
std::vector<PlaneCoding> leading_planes(const unsigned char* shuffled, std::size_t element_size,
                                        std::size_t elements, int level);

std::vector<unsigned char> compress_chunk(const void* data, std::size_t element_size,
                                          std::size_t elements, int level);
// The same stream without libdeflate's matcher: each byte plane in stored blocks (entropy at
// least kStoredPlaneEntropy) or in one block of literals and runs (engine/deflate_rle.hpp).
std::vector<unsigned char> runs_chunk(const void* data, std::size_t element_size,
                                      std::size_t elements);
// The same stream with every byte in stored blocks (shuffle, no matching), whatever the size:
// for chunks gathered from slices that compress_chunk would store (models/result_file.cpp).
std::vector<unsigned char> store_chunk(const void* data, std::size_t element_size,
                                       std::size_t elements);

// Writes one compressed chunk whose first element is at `offset` (a multiple of the chunk shape),
// extending unlimited dimensions when the chunk lies past the current extent (to `extent`, the
// dataset's logical size after this write; pass {} to keep the extent).
void write_compressed_chunk(hid_t dset, const std::vector<hsize_t>& offset,
                            const std::vector<unsigned char>& bytes,
                            const std::vector<hsize_t>& extent = {});

}  // namespace asim::h5
