// Counter-based random numbers (Random123 Philox4x32-10). A draw is a pure function of
// key = (seed, replicate) and counter = (entity, day, purpose, draw), so results never depend on
// threads or scheduling, and two scenarios run with the same seed see the same draws for the
// same (entity, day, purpose): common random numbers.
#pragma once
#include <Random123/philox.h>

#include <array>
#include <cstdint>
#include <limits>

namespace asim {

class Rng {
 public:
  using Philox = r123::Philox4x32;

  Rng(std::uint32_t seed, std::uint32_t replicate) : key_{{seed, replicate}} {}

  // Four independent 32-bit words for one (entity, day, purpose, draw) counter.
  std::array<std::uint32_t, 4> words(std::uint32_t entity, std::uint32_t day, std::uint32_t purpose,
                                     std::uint32_t draw = 0) const {
    Philox::ctr_type ctr{{entity, day, purpose, draw}};
    const auto out = Philox{}(ctr, key_);
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
  }

  // Four uniforms in the open interval (0, 1) from one Philox call.
  std::array<double, 4> uniforms(std::uint32_t entity, std::uint32_t day, std::uint32_t purpose,
                                 std::uint32_t draw = 0) const {
    const auto w = words(entity, day, purpose, draw);
    return {to_unit(w[0]), to_unit(w[1]), to_unit(w[2]), to_unit(w[3])};
  }

  static double to_unit(std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; }

  const Philox::key_type& key() const { return key_; }

 private:
  Philox::key_type key_;
};

// A UniformRandomNumberGenerator over one (entity, day, purpose) stream, for Boost.Random
// distributions: successive calls walk the draw counter and use all four words of each block.
class StreamEngine {
 public:
  using result_type = std::uint32_t;
  StreamEngine(const Rng& rng, std::uint32_t entity, std::uint32_t day, std::uint32_t purpose)
      : rng_(&rng), entity_(entity), day_(day), purpose_(purpose) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  result_type operator()() {
    if (used_ == 4) {
      block_ = rng_->words(entity_, day_, purpose_, draw_++);
      used_ = 0;
    }
    return block_[used_++];
  }
  double uniform() { return Rng::to_unit((*this)()); }

 private:
  const Rng* rng_;
  std::uint32_t entity_, day_, purpose_;
  std::uint32_t draw_ = 0;
  std::array<std::uint32_t, 4> block_{};
  int used_ = 4;
};

}  // namespace asim
