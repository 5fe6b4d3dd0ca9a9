// A fast deflate block encoder for byte planes with little structure beyond runs (RFC 1951).
//
// The low mantissa bytes of a float series are close to noise, with long runs of one byte where
// the series is NaN (a youth's days after leaving care) or constant. A general deflate matcher
// (libdeflate level 1) spends most of its time there looking for matches it cannot find. This
// encoder looks only for runs (matches at distance 1, as zlib's Z_RLE strategy does) and codes
// literals and run lengths with one dynamic Huffman code per block: a few instructions per byte,
// for output a few per cent larger than libdeflate's on such planes (bench/README.md).
//
// engine/h5_chunks.cpp places these blocks ahead of libdeflate's in one zlib stream, or makes
// the whole stream of them.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace asim::h5 {

// The bit writer and the run finder store and load whole words: deflate's byte order.
static_assert(std::endian::native == std::endian::little,
              "the deflate coder assumes a little-endian host");

// Appends bits least significant first, as deflate packs them, to a byte vector from its
// current end. reserve() before writing; finish() trims the vector to what was written.
class BitWriter {
 public:
  explicit BitWriter(std::vector<unsigned char>& out) : out_(out), pos_(out.size()) {}
  // Room for `bytes` more bytes (plus the bit buffer's slack).
  void reserve(std::size_t bytes) {
    if (out_.size() < pos_ + bytes + 8) out_.resize(pos_ + bytes + 8);
  }
  // n <= 32 bits of `bits` (higher bits must be zero).
  void put(std::uint32_t bits, int n) {
    buffer_ |= static_cast<std::uint64_t>(bits) << count_;
    count_ += n;
    if (count_ >= 32) {
      const auto low = static_cast<std::uint32_t>(buffer_);
      std::memcpy(out_.data() + pos_, &low, 4);
      pos_ += 4;
      buffer_ >>= 32;
      count_ -= 32;
    }
  }
  // Pads with zero bits to the next byte boundary and writes out every whole byte.
  void align() {
    while (count_ > 0) {
      out_[pos_++] = static_cast<unsigned char>(buffer_);
      buffer_ >>= 8;
      count_ = count_ > 8 ? count_ - 8 : 0;
    }
    buffer_ = 0;
  }
  // No pending bits (whole pending bytes count as pending until align() writes them).
  bool aligned() const { return count_ == 0; }
  // Bytes written so far; only meaningful when aligned().
  std::size_t size() const { return pos_; }
  // Raw bytes at the (aligned) end.
  void put_bytes(const unsigned char* in, std::size_t n);
  // Marks `n` bytes written directly into the vector (at size()) by someone else.
  void advance(std::size_t n) { pos_ += n; }
  // Direct access for tight loops: the write position and the pending bits. reserve() first;
  // set_raw() takes back fewer than 32 pending bits.
  struct Raw {
    unsigned char* p;
    std::uint64_t buffer;
    int count;
  };
  Raw raw() { return {out_.data() + pos_, buffer_, count_}; }
  void set_raw(const Raw& r) {
    pos_ = static_cast<std::size_t>(r.p - out_.data());
    buffer_ = r.buffer;
    count_ = r.count;
  }
  void finish() {
    align();
    out_.resize(pos_);
  }

 private:
  std::vector<unsigned char>& out_;
  std::size_t pos_;
  std::uint64_t buffer_ = 0;
  int count_ = 0;
};

// Inputs are byte planes of one HDF5 chunk (under 4 GiB): n < 2^32 throughout.
//
// Writes `n` > 0 bytes as one dynamic-Huffman block of literals and distance-1 runs, or as
// stored blocks where those would be smaller; `final` marks the stream's last block. Returns
// true when it wrote Huffman code.
bool deflate_rle_block(const unsigned char* in, std::size_t n, BitWriter& bits, bool final = false);

// The size in bits deflate_rle_block would write for `n` bytes (without writing them).
std::size_t deflate_rle_bits(const unsigned char* in, std::size_t n);

// Writes `n` bytes as stored blocks of at most 65 535 bytes, the last one final if `final`;
// leaves the writer byte-aligned (n = 0 writes one empty stored block, which only aligns).
void deflate_stored_blocks(const unsigned char* in, std::size_t n, BitWriter& bits,
                           bool final = false);

// Bits per byte of the order-0 entropy of `n` bytes (8 for uniform noise), estimated from the
// bytes at an odd stride of about n / kEntropySamples (so between two thirds of kEntropySamples
// and all of them; all bytes when n is smaller; odd, so that a plane whose even and odd bytes
// differ is not sampled on one kind only): enough to tell noise, which the estimate puts short
// of 8 bits by about 255 / (2 ln 2 samples), 0.02 to 0.03.
inline constexpr std::size_t kEntropySamples = 8192;
double byte_entropy(const unsigned char* in, std::size_t n);

}  // namespace asim::h5
