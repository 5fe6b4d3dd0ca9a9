// exp and log for the model, written with + - * / and bit operations only, so that a scalar
// call and a vectorised loop (any instruction set the compiler picks, AVX2 or AVX-512 clones,
// baseline x86-64, another architecture) give the same bits: results do not depend on the
// machine or on libm's version or its FMA code paths. Compile callers with -ffp-contract=off
// (models/CMakeLists.txt), so that no multiply and add are fused in one build and not another.
// Accuracy: within 2 ulp of the correctly rounded value over the model's range (tested in
// tests/unit/test_det_math.cpp against long double).
#pragma once
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>

namespace asim {

// The rounding trick of model_exp and the bit-identity of its vector and scalar forms need
// double arithmetic evaluated in double (not x87's extended precision).
static_assert(FLT_EVAL_METHOD == 0, "engine/det_math.hpp needs FLT_EVAL_METHOD == 0");

// e^x for x in [-708, 709] (inputs beyond are clamped; NaN gives NaN).
inline double model_exp(double x) {
#ifdef ASIM_LIBM_EXP  // libm's exp, for comparing the model's results with it
  return std::exp(x);
#endif
  // x = n ln2 + r, |r| <= ln2 / 2; n by the round-to-nearest shift (no conversion instruction).
  constexpr double kShift = 0x1.8p52;
  constexpr double kLog2e = 0x1.71547652b82fep0;
  constexpr double kLn2Hi = 0x1.62e42feep-1;        // 32 significant bits: n * kLn2Hi is exact
  constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;  // ln2 - kLn2Hi
  const double argument = x;
  const bool nan = x != x;
  x = x < -708.0 ? -708.0 : x;
  x = x > 709.0 ? 709.0 : x;
  const double kd = x * kLog2e + kShift;
  const double n = kd - kShift;
  const double r = (x - n * kLn2Hi) - n * kLn2Lo;
  // e^r by its Taylor polynomial to degree 13 (truncation below 1e-17 relative), Horner form.
  double q = 1.0 / 6227020800.0;
  q = q * r + 1.0 / 479001600.0;
  q = q * r + 1.0 / 39916800.0;
  q = q * r + 1.0 / 3628800.0;
  q = q * r + 1.0 / 362880.0;
  q = q * r + 1.0 / 40320.0;
  q = q * r + 1.0 / 5040.0;
  q = q * r + 1.0 / 720.0;
  q = q * r + 1.0 / 120.0;
  q = q * r + 1.0 / 24.0;
  q = q * r + 1.0 / 6.0;
  q = q * r + 0.5;
  q = q * r + 1.0;
  q = q * r + 1.0;
  // 2^n from n's bits in kd's low mantissa.
  const std::int64_t k = std::bit_cast<std::int64_t>(kd) - std::bit_cast<std::int64_t>(kShift);
  const double scale = std::bit_cast<double>(static_cast<std::uint64_t>(k + 1023) << 52);
  const double y = q * scale;
  return nan ? argument : y;
}

namespace detail {

// ln(x · 2^e) for a normal x > 0, without a branch (a select where the mantissa is halved), so
// that a loop over many vectorises.
inline double log_normal(double x, int e) {
  const auto bits = std::bit_cast<std::uint64_t>(x);
  e += static_cast<int>((bits >> 52) & 0x7ff) - 1023;
  double m =
      std::bit_cast<double>((bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull);  // [1, 2)
  const bool above = m > 1.4142135623730951;
  m = above ? m * 0.5 : m;
  e += above;
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716: the odd series to s^23.
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double q = 1.0 / 23.0;
  q = q * s2 + 1.0 / 21.0;
  q = q * s2 + 1.0 / 19.0;
  q = q * s2 + 1.0 / 17.0;
  q = q * s2 + 1.0 / 15.0;
  q = q * s2 + 1.0 / 13.0;
  q = q * s2 + 1.0 / 11.0;
  q = q * s2 + 1.0 / 9.0;
  q = q * s2 + 1.0 / 7.0;
  q = q * s2 + 1.0 / 5.0;
  q = q * s2 + 1.0 / 3.0;
  const double log_m = 2.0 * s + 2.0 * s * s2 * q;
  constexpr double kLn2Hi = 0x1.62e42feep-1;
  constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
  return (e * kLn2Hi + log_m) + e * kLn2Lo;
}

}  // namespace detail

// Natural logarithm for x > 0 and finite (0 gives -inf, negative or NaN gives NaN).
inline double model_log(double x) {
#ifdef ASIM_LIBM_EXP
  return std::log(x);
#endif
  if (!(x > 0.0)) return x == 0.0 ? -1.0 / 0.0 : 0.0 / 0.0;
  if (x > 1.7976931348623157e308) return x;
  // Subnormals: scale into the normal range first.
  int e = 0;
  if (x < 0x1p-1022) {
    x *= 0x1p54;
    e = -54;
  }
  return detail::log_normal(x, e);
}

// model_log for a normal x in (0, 1), such as a uniform (Rng::to_unit), without model_log's
// branches for the special cases, so that a loop over many vectorises: the same operations as
// model_log, so the same bits (tests/unit/test_det_math.cpp).
inline double model_log_unit(double x) {
#ifdef ASIM_LIBM_EXP
  return std::log(x);
#endif
  return detail::log_normal(x, 0);
}

}  // namespace asim
