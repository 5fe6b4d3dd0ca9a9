// What one core loses when the other cores are busy: two controls for bench/contention.sh, run
// alone and as several processes at once.
//
//   bench_contention alu [SECONDS]          eight independent multiply-add chains in registers
//   bench_contention stream MIB [SECONDS]   a read-modify-write pass over MIB MiB, one word per
//                                           64-byte line, again and again
//
// Prints the figure last on its line: CPU nanoseconds per step of the eight chains (alu) or per
// line touched (stream). A busy neighbour that slows `alu` shares the core's execution units
// (two hardware threads of one core); one that slows only `stream` shares the caches or, for
// sizes beyond the last-level cache, the memory bus. The work stops after SECONDS (default 1)
// of CPU time.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace {

volatile std::uint64_t kept;  // the loops' results are used: they are not optimised away

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_contention alu [SECONDS] | stream MIB [SECONDS]\n"
               "  MIB: 1 to 4096; SECONDS: above 0, at most 600 (default 1)\n");
  return 2;
}

// A whole number or a real number and nothing after it.
bool parse(const char* text, long& value) {
  char* end = nullptr;
  value = std::strtol(text, &end, 10);
  return end != text && *end == '\0';
}
bool parse(const char* text, double& value) {
  char* end = nullptr;
  value = std::strtod(text, &end);
  return end != text && *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  const bool stream = mode == "stream";
  if (!stream && mode != "alu") return usage();
  const int first_optional = stream ? 3 : 2;  // where SECONDS is
  if (argc > first_optional + 1 || (stream && argc < 3)) return usage();
  long mib = 0;
  double seconds = 1.0;
  if (stream && (!parse(argv[2], mib) || mib < 1 || mib > 4096)) return usage();
  if (argc > first_optional &&
      (!parse(argv[first_optional], seconds) || !(seconds > 0 && seconds <= 600)))
    return usage();

  std::uint64_t units = 0;
  if (stream) {
    const std::size_t words = static_cast<std::size_t>(mib) * 1024 * 1024 / 8;
    std::vector<std::uint64_t> x(words);
    for (std::size_t i = 0; i < words; ++i) x[i] = i;
    std::uint64_t s = 0;
    const double begin = cpu_seconds();  // the pages are in: only the passes are timed
    double now = begin;
    do {
      for (std::size_t i = 0; i < words; i += 8) {
        s += x[i];
        x[i] = s;
      }
      units += words / 8;
      now = cpu_seconds();
    } while (now - begin < seconds);
    kept = s;
    std::printf("stream %ld MiB, ns per line: %.3f\n", mib,
                1e9 * (now - begin) / static_cast<double>(units));
  } else {
    std::uint64_t c[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    const double begin = cpu_seconds();
    double now = begin;
    do {
      for (int i = 0; i < 10000000; ++i)
        for (int k = 0; k < 8; ++k) c[k] = c[k] * 6364136223846793005ull + 2 * k + 1;
      units += 10000000;
      now = cpu_seconds();
    } while (now - begin < seconds);
    kept = c[0] ^ c[1] ^ c[2] ^ c[3] ^ c[4] ^ c[5] ^ c[6] ^ c[7];
    std::printf("alu, ns per step of eight chains: %.3f\n",
                1e9 * (now - begin) / static_cast<double>(units));
  }
  return 0;
}
