// Run-length deflate blocks with a dynamic Huffman code (see deflate_rle.hpp); the format is
// RFC 1951 section 3.2.
#include "engine/deflate_rle.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>

namespace asim::h5 {

namespace {

constexpr int kLitLenSymbols = 286;  // 0..255 literals, 256 end of block, 257..285 lengths
constexpr int kEndOfBlock = 256;
constexpr int kMaxCodeBits = 15;
constexpr int kMaxCodeLengthBits = 7;
constexpr int kMaxRun = 258;
constexpr int kMinRun = 3;

// Length code for each match length 3..258: symbol, number of extra bits, extra value.
struct LengthCode {
  std::uint16_t symbol;
  std::uint8_t extra_bits;
  std::uint8_t extra;
};

// Length symbols 257..285: the shortest length of each, and its number of extra bits.
constexpr int kLengthBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr int kLengthExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};

constexpr std::array<LengthCode, kMaxRun + 1> make_length_codes() {
  constexpr const int* base = kLengthBase;
  constexpr const int* extra = kLengthExtra;
  std::array<LengthCode, kMaxRun + 1> t{};
  for (int code = 0; code < 29; ++code) {
    const int last = code == 28 ? 258 : base[code] + (1 << extra[code]) - 1;
    for (int len = base[code]; len <= last && len <= kMaxRun; ++len)
      t[len] = {static_cast<std::uint16_t>(257 + code), static_cast<std::uint8_t>(extra[code]),
                static_cast<std::uint8_t>(len - base[code])};
  }
  return t;
}
constexpr std::array<LengthCode, kMaxRun + 1> kLengthCodes = make_length_codes();

// The order in which the code-length code's lengths are sent.
constexpr int kCodeLengthOrder[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                      11, 4,  12, 3, 13, 2, 14, 1, 15};

// Huffman code lengths (at most `limit` bits) for `n` <= 320 symbol frequencies: sorted by
// frequency, lengths by Moffat and Katajainen's in-place method, then lengths past the limit
// folded back as miniz does (Kraft sum restored by lengthening the deepest shorter codes). With
// one used symbol, it and a neighbour get length 1, so the code is always complete.
void huffman_lengths(const std::uint32_t* freq, int n, int limit, std::uint8_t* len) {
  std::fill(len, len + n, std::uint8_t{0});
  struct Sym {
    std::uint32_t key;  // frequency, then (in place) parent index, then depth
    std::uint16_t symbol;
  };
  Sym a[320];
  int m = 0;
  for (int s = 0; s < n; ++s)
    if (freq[s]) a[m++] = {freq[s], static_cast<std::uint16_t>(s)};
  if (m == 0) return;
  if (m == 1) {
    len[a[0].symbol] = 1;
    len[a[0].symbol == 0 ? 1 : 0] = 1;
    return;
  }
  std::sort(a, a + m, [](const Sym& x, const Sym& y) {
    return x.key != y.key ? x.key < y.key : x.symbol < y.symbol;
  });
  // Moffat & Katajainen (1995), "In-place calculation of minimum-redundancy codes".
  a[0].key += a[1].key;
  int root = 0, leaf = 2;
  for (int next = 1; next < m - 1; ++next) {
    if (leaf >= m || a[root].key < a[leaf].key) {
      a[next].key = a[root].key;
      a[root++].key = static_cast<std::uint32_t>(next);
    } else {
      a[next].key = a[leaf++].key;
    }
    if (leaf >= m || (root < next && a[root].key < a[leaf].key)) {
      a[next].key += a[root].key;
      a[root++].key = static_cast<std::uint32_t>(next);
    } else {
      a[next].key += a[leaf++].key;
    }
  }
  a[m - 2].key = 0;
  for (int next = m - 3; next >= 0; --next) a[next].key = a[a[next].key].key + 1;
  int available = 1, used = 0, depth = 0;
  root = m - 2;
  int next = m - 1;
  while (available > 0) {
    while (root >= 0 && static_cast<int>(a[root].key) == depth) ++used, --root;
    while (available > used) a[next--].key = static_cast<std::uint32_t>(depth), --available;
    available = 2 * used;
    ++depth;
    used = 0;
  }
  // a[i].key is now the length of the i-th least frequent symbol; count lengths, fold the
  // ones past the limit back in.
  int count[64] = {};
  for (int i = 0; i < m; ++i) ++count[std::min<std::uint32_t>(a[i].key, 63)];
  for (int l = limit + 1; l < 64; ++l) count[limit] += count[l], count[l] = 0;
  std::uint32_t kraft = 0;
  for (int l = limit; l > 0; --l) kraft += static_cast<std::uint32_t>(count[l]) << (limit - l);
  while (kraft != (1u << limit)) {
    --count[limit];
    for (int l = limit - 1; l > 0; --l)
      if (count[l]) {
        --count[l];
        count[l + 1] += 2;
        break;
      }
    --kraft;
  }
  for (int l = 1, i = m; l <= limit; ++l)  // the most frequent symbols get the shortest codes
    for (int k = count[l]; k > 0; --k) len[a[--i].symbol] = static_cast<std::uint8_t>(l);
}

// Canonical codes (RFC 1951 3.2.2), bit-reversed for least-significant-first packing.
void canonical_codes(const std::uint8_t* len, int n, std::uint16_t* code) {
  int count[kMaxCodeBits + 1] = {};
  for (int s = 0; s < n; ++s) ++count[len[s]];
  count[0] = 0;
  int next[kMaxCodeBits + 2] = {};
  int c = 0;
  for (int bits = 1; bits <= kMaxCodeBits; ++bits) {
    c = (c + count[bits - 1]) << 1;
    next[bits] = c;
  }
  for (int s = 0; s < n; ++s) {
    code[s] = 0;
    if (!len[s]) continue;
    unsigned v = static_cast<unsigned>(next[len[s]]++), r = 0;
    for (int b = 0; b < len[s]; ++b) r = (r << 1) | ((v >> b) & 1u);
    code[s] = static_cast<std::uint16_t>(r);
  }
}

// One symbol of the code-length alphabet (0..18) with its extra bits.
struct CodeLengthToken {
  std::uint8_t symbol, extra;
};

// Run-length codes the concatenated literal/length and distance code lengths (RFC 1951 3.2.7).
void code_length_tokens(const std::uint8_t* lens, int total, std::vector<CodeLengthToken>& out) {
  out.clear();
  int i = 0;
  while (i < total) {
    const std::uint8_t l = lens[i];
    int run = 1;
    while (i + run < total && lens[i + run] == l) ++run;
    i += run;
    if (l == 0) {
      while (run >= 11) {
        const int r = std::min(run, 138);
        out.push_back({18, static_cast<std::uint8_t>(r - 11)});
        run -= r;
      }
      if (run >= 3) {
        out.push_back({17, static_cast<std::uint8_t>(run - 3)});
        run = 0;
      }
      for (; run > 0; --run) out.push_back({0, 0});
    } else {
      out.push_back({l, 0});
      --run;
      while (run >= 3) {
        const int r = std::min(run, 6);
        out.push_back({16, static_cast<std::uint8_t>(r - 3)});
        run -= r;
      }
      for (; run > 0; --run) out.push_back({l, 0});
    }
  }
}

constexpr int code_length_extra_bits(int symbol) {
  return symbol == 16 ? 2 : symbol == 17 ? 3 : symbol == 18 ? 7 : 0;
}

std::size_t stored_bits(std::size_t n) {
  return 8 * n + 40 * std::max<std::size_t>(1, (n + 65534) / 65535) + 7;
}

}  // namespace

void BitWriter::put_bytes(const unsigned char* in, std::size_t n) {
  reserve(n + 4);  // align() may write up to four pending bytes first
  align();
  if (n) std::memcpy(out_.data() + pos_, in, n);
  pos_ += n;
}

void deflate_stored_blocks(const unsigned char* in, std::size_t n, BitWriter& bits, bool final) {
  std::size_t done = 0;
  do {
    const std::size_t len = std::min<std::size_t>(65535, n - done);
    const bool last = final && done + len == n;
    bits.reserve(8);
    bits.put(last ? 1u : 0u, 3);  // BFINAL, BTYPE = 00 (stored), then padding to the byte
    bits.align();
    const unsigned char header[4] = {
        static_cast<unsigned char>(len & 0xFF), static_cast<unsigned char>(len >> 8),
        static_cast<unsigned char>(~len & 0xFF), static_cast<unsigned char>((~len >> 8) & 0xFF)};
    bits.put_bytes(header, 4);
    bits.put_bytes(in + done, len);
    done += len;
  } while (done < n);
}

namespace {

std::uint64_t load8(const unsigned char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// A run: `length` (3..258) bytes from `start`, each equal to the byte before `start`.
struct Run {
  std::uint32_t start;
  std::uint32_t length;
};

// Finds the runs of `in` (at least 3 bytes equal to the byte before), longest first match from
// the left, split into pieces of at most 258; the first byte is never in a run. Eight bytes
// at a time: a position starts a run when it and the next two bytes equal their predecessors.
void find_runs(const unsigned char* in, std::size_t n, std::vector<Run>& runs) {
  runs.clear();
  std::size_t i = 1;
  auto take = [&](std::size_t start) {  // in[start..start+2] == in[start-1]
    const unsigned char b = in[start - 1];
    const std::uint64_t eight = 0x0101010101010101ull * b;
    std::size_t end = start + 3;
    while (end + 8 <= n && load8(in + end) == eight) end += 8;
    while (end < n && in[end] == b) ++end;
    while (end - start >= kMinRun) {
      std::size_t piece = std::min<std::size_t>(kMaxRun, end - start);
      // 259 or 260 bytes: 256 or 257 now and 3 after, not 258 and one or two literals
      if (end - start > kMaxRun && end - start - kMaxRun < kMinRun) piece = end - start - kMinRun;
      runs.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(piece)});
      start += piece;
    }
    return start;  // at most two bytes of the run left (a run of 1 or 2 bytes): literals
  };
  constexpr std::uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
  constexpr std::uint64_t first6 = 0x0000808080808080ull;
  while (i + 8 <= n) {
    const std::uint64_t v = load8(in + i) ^ load8(in + i - 1);  // byte j zero: in[i+j] == in[i+j-1]
    const std::uint64_t zero = ~(((v & low7) + low7) | v) & high;
    const std::uint64_t three = zero & (zero >> 8) & (zero >> 16) & first6;
    if (!three) {
      i += 6;
      continue;
    }
    i = take(i + static_cast<std::size_t>(std::countr_zero(three)) / 8);
  }
  for (; i + 3 <= n; ++i)
    if (in[i] == in[i - 1] && in[i + 1] == in[i - 1] && in[i + 2] == in[i - 1]) i = take(i) - 1;
}

}  // namespace

namespace {

// Everything about one block but its bits: runs, codes, and its exact size.
struct BlockPlan {
  std::vector<Run> runs;
  std::uint32_t freq[kLitLenSymbols];
  std::uint8_t lens[kLitLenSymbols + 1];  // literal/length lengths, then the one distance length
  int hlit = 0, hclen = 0;
  std::vector<CodeLengthToken> cl_tokens;
  std::uint32_t cl_freq[19];
  std::uint8_t cl_lens[19];
  std::size_t bits = 0;  // of the Huffman block, header included
};

void plan_block(const unsigned char* in, std::size_t n, BlockPlan& plan) {
  // Pass 1: the runs, and the symbol frequencies (of the literals between them, and of their
  // length codes).
  find_runs(in, n, plan.runs);
  std::uint32_t* freq = plan.freq;
  std::fill(freq, freq + kLitLenSymbols, 0u);
  std::size_t at = 0;
  for (const Run& r : plan.runs) {
    for (; at < r.start; ++at) ++freq[in[at]];
    ++freq[kLengthCodes[r.length].symbol];
    at = r.start + r.length;
  }
  for (; at < n; ++at) ++freq[in[at]];
  freq[kEndOfBlock] = 1;

  std::uint8_t* lens = plan.lens;
  huffman_lengths(freq, kLitLenSymbols, kMaxCodeBits, lens);
  int hlit = kLitLenSymbols;
  while (hlit > 257 && lens[hlit - 1] == 0) --hlit;
  // One distance code (0: distance 1) of one bit, as RFC 1951 3.2.7 allows for a single code.
  std::uint8_t all[kLitLenSymbols + 1];
  std::memcpy(all, lens, static_cast<std::size_t>(hlit));
  all[hlit] = 1;
  code_length_tokens(all, hlit + 1, plan.cl_tokens);
  std::fill(plan.cl_freq, plan.cl_freq + 19, 0u);
  for (const auto& t : plan.cl_tokens) ++plan.cl_freq[t.symbol];
  huffman_lengths(plan.cl_freq, 19, kMaxCodeLengthBits, plan.cl_lens);
  int hclen = 19;
  while (hclen > 4 && plan.cl_lens[kCodeLengthOrder[hclen - 1]] == 0) --hclen;
  plan.hlit = hlit;
  plan.hclen = hclen;

  std::size_t cost = 3 + 5 + 5 + 4 + 3 * static_cast<std::size_t>(hclen);
  for (int s = 0; s < 19; ++s)
    cost += plan.cl_freq[s] * static_cast<std::size_t>(plan.cl_lens[s] + code_length_extra_bits(s));
  for (int s = 0; s < kLitLenSymbols; ++s) cost += static_cast<std::size_t>(freq[s]) * lens[s];
  for (int s = 257; s < kLitLenSymbols; ++s)  // length extra bits, and one distance bit per run
    cost += static_cast<std::size_t>(freq[s]) * (kLengthExtra[s - 257] + 1u);
  plan.bits = cost;
}

thread_local BlockPlan plan;  // one thread's scratch for the block being planned

}  // namespace

std::size_t deflate_rle_bits(const unsigned char* in, std::size_t n) {
  plan_block(in, n, plan);
  return std::min(plan.bits, stored_bits(n));
}

bool deflate_rle_block(const unsigned char* in, std::size_t n, BitWriter& bits, bool final) {
  plan_block(in, n, plan);
  const std::size_t cost = plan.bits;
  if (cost >= stored_bits(n)) {  // stored blocks where they are no larger
    deflate_stored_blocks(in, n, bits, final);
    return false;
  }
  const std::vector<Run>& runs = plan.runs;
  const std::uint8_t* lens = plan.lens;
  const std::uint8_t* cl_lens = plan.cl_lens;
  const int hlit = plan.hlit, hclen = plan.hclen;
  const std::vector<CodeLengthToken>& cl_tokens = plan.cl_tokens;

  // Pass 2: the header, then the literals and runs.
  std::uint16_t codes[kLitLenSymbols], cl_codes[19];
  canonical_codes(lens, kLitLenSymbols, codes);
  canonical_codes(cl_lens, 19, cl_codes);
  bits.reserve(cost / 8 + 16);
  bits.put(2u << 1 | (final ? 1u : 0u), 3);  // BFINAL, BTYPE = 10 (dynamic Huffman codes)
  bits.put(static_cast<std::uint32_t>(hlit - 257), 5);
  bits.put(0, 5);  // HDIST: one distance code
  bits.put(static_cast<std::uint32_t>(hclen - 4), 4);
  for (int k = 0; k < hclen; ++k) bits.put(cl_lens[kCodeLengthOrder[k]], 3);
  for (const auto& t : cl_tokens) {
    bits.put(cl_codes[t.symbol], cl_lens[t.symbol]);
    if (const int e = code_length_extra_bits(t.symbol)) bits.put(t.extra, e);
  }
  // Literals between the runs, three codes of at most 15 bits per 8-byte store, and the runs;
  // the pending bits stay in registers (fewer than 8 after each store).
  std::uint32_t literal[256];  // code | length << 16
  for (int b = 0; b < 256; ++b) literal[b] = codes[b] | static_cast<std::uint32_t>(lens[b]) << 16;
  BitWriter::Raw w = bits.raw();
  auto store = [&w] {
    std::memcpy(w.p, &w.buffer, 8);
    w.p += w.count >> 3;
    w.buffer >>= w.count & ~7;
    w.count &= 7;
  };
  auto code = [&w](std::uint32_t entry) {
    w.buffer |= static_cast<std::uint64_t>(entry & 0xFFFFu) << w.count;
    w.count += static_cast<int>(entry >> 16);
  };
  auto literals = [&](std::size_t from, std::size_t to) {
    for (; from + 3 <= to; from += 3) {
      code(literal[in[from]]);
      code(literal[in[from + 1]]);
      code(literal[in[from + 2]]);
      store();
    }
    for (; from < to; ++from) code(literal[in[from]]);
    store();
  };
  store();
  std::size_t at = 0;
  for (const Run& r : runs) {
    literals(at, r.start);
    const LengthCode& lc = kLengthCodes[r.length];
    // length code, its extra bits, then the distance code (one bit, 0): at most 21 bits
    const int n_code = lens[lc.symbol];
    w.buffer |= static_cast<std::uint64_t>(codes[lc.symbol] | static_cast<std::uint32_t>(lc.extra)
                                                                  << n_code)
                << w.count;
    w.count += n_code + lc.extra_bits + 1;
    store();
    at = r.start + r.length;
  }
  literals(at, n);
  code(codes[kEndOfBlock] | static_cast<std::uint32_t>(lens[kEndOfBlock]) << 16);
  store();
  bits.set_raw(w);
  return true;
}

namespace {

double entropy_bits(const std::uint32_t* count, std::size_t total) {
  double h = 0;
  const double n = static_cast<double>(total);
  for (int k = 0; k < 256; ++k)
    if (count[k]) h -= count[k] / n * std::log2(count[k] / n);
  return h;
}

}  // namespace

double byte_entropy(const unsigned char* in, std::size_t n) {
  // Four tables, one per sample in each group of four, added at the end: a plane of one
  // repeated byte (most low-entropy planes) then increments four counters in turn instead of
  // waiting on one counter's store for every sample.
  std::uint32_t bytes[4][256] = {};
  const std::size_t stride = std::max<std::size_t>(1, n / kEntropySamples) | 1;
  std::size_t samples = 0, i = stride - 1;
  for (; i + 3 * stride < n; i += 4 * stride, samples += 4) {
    ++bytes[0][in[i]];
    ++bytes[1][in[i + stride]];
    ++bytes[2][in[i + 2 * stride]];
    ++bytes[3][in[i + 3 * stride]];
  }
  for (; i < n; i += stride, ++samples) ++bytes[0][in[i]];
  for (int k = 0; k < 256; ++k) bytes[0][k] += bytes[1][k] + bytes[2][k] + bytes[3][k];
  return entropy_bits(bytes[0], samples);
}

}  // namespace asim::h5
