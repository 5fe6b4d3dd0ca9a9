#include "engine/philox_batch.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ASIM_X86_SIMD 1
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's AVX-512 headers read _mm512_undefined_epi32() and warn (GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#endif

namespace asim {

namespace {

// Random123's constants (Random123/philox.h: PHILOX_M4x32_*, PHILOX_W32_*).
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;
constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
constexpr int kRounds = 10;

void philox_scalar(const Rng::Philox::key_type& key, const std::uint32_t* c0,
                   const std::uint32_t* c1, std::uint32_t c2, std::uint32_t c3, std::size_t n,
                   double* u0, double* u1, double* u2, double* u3) {
  const Rng::Philox philox;
  for (std::size_t i = 0; i < n; ++i) {
    const auto out = philox(Rng::Philox::ctr_type{{c0[i], c1[i], c2, c3}}, key);
    u0[i] = Rng::to_unit(out.v[0]);
    u1[i] = Rng::to_unit(out.v[1]);
    if (u2) u2[i] = Rng::to_unit(out.v[2]);
    if (u3) u3[i] = Rng::to_unit(out.v[3]);
  }
}

#ifdef ASIM_X86_SIMD

// (double(w) + 0.5) * 2^-32 for 16 words, exact in double as Rng::to_unit; the lanes set in
// `lanes` are stored.
__attribute__((target("avx512f"))) inline void store_avx512(__m512i w, __mmask16 lanes, double* u) {
  const __m512d half = _mm512_set1_pd(0.5), scale = _mm512_set1_pd(0x1p-32);
  const __m512d a = _mm512_cvtepu32_pd(_mm512_castsi512_si256(w));
  const __m512d b = _mm512_cvtepu32_pd(_mm512_extracti64x4_epi64(w, 1));
  _mm512_mask_storeu_pd(u, static_cast<__mmask8>(lanes & 0xFF),
                        _mm512_mul_pd(_mm512_add_pd(a, half), scale));
  _mm512_mask_storeu_pd(u + 8, static_cast<__mmask8>(lanes >> 8),
                        _mm512_mul_pd(_mm512_add_pd(b, half), scale));
}

// The same for 8 words without AVX-512 (no unsigned conversion): flip the sign bit, convert as
// signed, add 2^31 (all exact); the first m are stored.
__attribute__((target("avx2"))) inline void store_avx2(__m256i w, std::size_t m, double* u) {
  const __m256d half = _mm256_set1_pd(0.5), scale = _mm256_set1_pd(0x1p-32);
  const __m256d two31 = _mm256_set1_pd(2147483648.0);
  const __m256i s = _mm256_xor_si256(w, _mm256_set1_epi32(static_cast<int>(0x80000000u)));
  const __m256d a = _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(s)), two31);
  const __m256d b = _mm256_add_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(s, 1)), two31);
  alignas(32) double out[8];
  _mm256_store_pd(out, _mm256_mul_pd(_mm256_add_pd(a, half), scale));
  _mm256_store_pd(out + 4, _mm256_mul_pd(_mm256_add_pd(b, half), scale));
  std::memcpy(u, out, m * sizeof(double));
}

__attribute__((target("avx512f"))) void philox_avx512(const Rng::Philox::key_type& key,
                                                      const std::uint32_t* c0,
                                                      const std::uint32_t* c1, std::uint32_t c2,
                                                      std::uint32_t c3, std::size_t n, double* u0,
                                                      double* u1, double* u2, double* u3) {
  const __m512i m0 = _mm512_set1_epi32(static_cast<int>(kM0));
  const __m512i m1 = _mm512_set1_epi32(static_cast<int>(kM1));
  constexpr __mmask16 kOdd = 0xAAAA;
  for (std::size_t i = 0; i < n; i += 16) {
    const std::size_t m = std::min<std::size_t>(16, n - i);
    const auto lanes = static_cast<__mmask16>(m == 16 ? 0xFFFFu : (1u << m) - 1u);
    __m512i x0 = _mm512_maskz_loadu_epi32(lanes, c0 + i);
    __m512i x1 = _mm512_maskz_loadu_epi32(lanes, c1 + i);
    __m512i x2 = _mm512_set1_epi32(static_cast<int>(c2));
    __m512i x3 = _mm512_set1_epi32(static_cast<int>(c3));
    std::uint32_t k0 = key.v[0], k1 = key.v[1];
    for (int r = 0; r < kRounds; ++r) {
      if (r > 0) {
        k0 += kW0;
        k1 += kW1;
      }
      // mulhilo of even lanes (products in place) and odd lanes (shifted down first).
      const __m512i pe0 = _mm512_mul_epu32(x0, m0);
      const __m512i po0 = _mm512_mul_epu32(_mm512_srli_epi64(x0, 32), m0);
      const __m512i pe1 = _mm512_mul_epu32(x2, m1);
      const __m512i po1 = _mm512_mul_epu32(_mm512_srli_epi64(x2, 32), m1);
      const __m512i hi0 = _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(pe0, 32), po0);
      const __m512i lo0 = _mm512_mask_blend_epi32(kOdd, pe0, _mm512_slli_epi64(po0, 32));
      const __m512i hi1 = _mm512_mask_blend_epi32(kOdd, _mm512_srli_epi64(pe1, 32), po1);
      const __m512i lo1 = _mm512_mask_blend_epi32(kOdd, pe1, _mm512_slli_epi64(po1, 32));
      x0 = _mm512_xor_si512(_mm512_xor_si512(hi1, x1), _mm512_set1_epi32(static_cast<int>(k0)));
      x1 = lo1;
      x2 = _mm512_xor_si512(_mm512_xor_si512(hi0, x3), _mm512_set1_epi32(static_cast<int>(k1)));
      x3 = lo0;
    }
    store_avx512(x0, lanes, u0 + i);
    store_avx512(x1, lanes, u1 + i);
    if (u2) store_avx512(x2, lanes, u2 + i);
    if (u3) store_avx512(x3, lanes, u3 + i);
  }
}

__attribute__((target("avx2"))) void philox_avx2(const Rng::Philox::key_type& key,
                                                 const std::uint32_t* c0, const std::uint32_t* c1,
                                                 std::uint32_t c2, std::uint32_t c3, std::size_t n,
                                                 double* u0, double* u1, double* u2, double* u3) {
  const __m256i m0 = _mm256_set1_epi32(static_cast<int>(kM0));
  const __m256i m1 = _mm256_set1_epi32(static_cast<int>(kM1));
  for (std::size_t i = 0; i < n; i += 8) {
    const std::size_t m = std::min<std::size_t>(8, n - i);
    alignas(32) std::uint32_t in0[8] = {}, in1[8] = {};
    std::memcpy(in0, c0 + i, m * sizeof(std::uint32_t));
    std::memcpy(in1, c1 + i, m * sizeof(std::uint32_t));
    __m256i x0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in0));
    __m256i x1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(in1));
    __m256i x2 = _mm256_set1_epi32(static_cast<int>(c2));
    __m256i x3 = _mm256_set1_epi32(static_cast<int>(c3));
    std::uint32_t k0 = key.v[0], k1 = key.v[1];
    for (int r = 0; r < kRounds; ++r) {
      if (r > 0) {
        k0 += kW0;
        k1 += kW1;
      }
      const __m256i pe0 = _mm256_mul_epu32(x0, m0);
      const __m256i po0 = _mm256_mul_epu32(_mm256_srli_epi64(x0, 32), m0);
      const __m256i pe1 = _mm256_mul_epu32(x2, m1);
      const __m256i po1 = _mm256_mul_epu32(_mm256_srli_epi64(x2, 32), m1);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA);
      const __m256i lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
      x0 = _mm256_xor_si256(_mm256_xor_si256(hi1, x1), _mm256_set1_epi32(static_cast<int>(k0)));
      x1 = lo1;
      x2 = _mm256_xor_si256(_mm256_xor_si256(hi0, x3), _mm256_set1_epi32(static_cast<int>(k1)));
      x3 = lo0;
    }
    store_avx2(x0, m, u0 + i);
    store_avx2(x1, m, u1 + i);
    if (u2) store_avx2(x2, m, u2 + i);
    if (u3) store_avx2(x3, m, u3 + i);
  }
}

#endif  // ASIM_X86_SIMD

SimdLevel detect() {
  SimdLevel level = SimdLevel::kScalar;
#ifdef ASIM_X86_SIMD
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) level = SimdLevel::kAvx2;
  if (__builtin_cpu_supports("avx512f")) level = SimdLevel::kAvx512;
#endif
  if (const char* cap = std::getenv("ASIM_SIMD")) {
    const std::string want = cap;
    SimdLevel limit = level;
    if (want == "scalar")
      limit = SimdLevel::kScalar;
    else if (want == "avx2")
      limit = SimdLevel::kAvx2;
    else if (want == "avx512")
      limit = SimdLevel::kAvx512;
    level = std::min(level, limit);
  }
  return level;
}

}  // namespace

SimdLevel simd_level() {
  static const SimdLevel level = detect();
  return level;
}

std::string simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::kAvx512:
      return "avx512";
    case SimdLevel::kAvx2:
      return "avx2";
    default:
      return "scalar";
  }
}

void philox_uniforms(SimdLevel level, const Rng::Philox::key_type& key, const std::uint32_t* c0,
                     const std::uint32_t* c1, std::uint32_t c2, std::uint32_t c3, std::size_t n,
                     double* u0, double* u1, double* u2, double* u3) {
  level = std::min(level, simd_level());
#ifdef ASIM_X86_SIMD
  if (level == SimdLevel::kAvx512) return philox_avx512(key, c0, c1, c2, c3, n, u0, u1, u2, u3);
  if (level == SimdLevel::kAvx2) return philox_avx2(key, c0, c1, c2, c3, n, u0, u1, u2, u3);
#endif
  philox_scalar(key, c0, c1, c2, c3, n, u0, u1, u2, u3);
}

void philox_uniforms(const Rng::Philox::key_type& key, const std::uint32_t* c0,
                     const std::uint32_t* c1, std::uint32_t c2, std::uint32_t c3, std::size_t n,
                     double* u0, double* u1, double* u2, double* u3) {
  philox_uniforms(simd_level(), key, c0, c1, c2, c3, n, u0, u1, u2, u3);
}

}  // namespace asim
