// Philox4x32-10 for many counters at once: the same words and uniforms as Rng::words and
// Rng::uniforms, bit for bit, computed 16 (AVX-512) or 8 (AVX2) counters per instruction where
// the processor has those instructions, and one by one (Random123) where it has not. The
// instruction set is chosen once at run time; ASIM_SIMD=scalar|avx2|avx512 in the environment
// caps it (for benchmarks and tests). Only integer instructions and exact conversions are
// used, so every path gives identical results.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/rng.hpp"

namespace asim {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// What this processor supports, capped by ASIM_SIMD (read once).
SimdLevel simd_level();
std::string simd_level_name(SimdLevel level);

// For i < n: the four words of counter (c0[i], c1[i], c2, c3) under key, as uniforms in (0, 1)
// exactly as Rng::to_unit makes them, into u0[i] .. u3[i]. u2 and u3 may be null: those words
// are then not converted (a caller that needs two uniforms per counter).
void philox_uniforms(const Rng::Philox::key_type& key, const std::uint32_t* c0,
                     const std::uint32_t* c1, std::uint32_t c2, std::uint32_t c3, std::size_t n,
                     double* u0, double* u1, double* u2, double* u3);
// The same on a given instruction set (at most simd_level(); for tests and benchmarks).
void philox_uniforms(SimdLevel level, const Rng::Philox::key_type& key, const std::uint32_t* c0,
                     const std::uint32_t* c1, std::uint32_t c2, std::uint32_t c3, std::size_t n,
                     double* u0, double* u1, double* u2, double* u3);

}  // namespace asim
