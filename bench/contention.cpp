// What one core loses when the other cores are busy: two controls for bench/contention.sh, run
// alone and as several processes at once.
//
//   bench_contention alu [SECONDS]          four independent multiply chains (registers only)
//   bench_contention stream MIB [SECONDS]   a read-modify-write pass over MIB MiB, one word per
//                                           64-byte line, again and again
//
// Prints the CPU nanoseconds per unit of work (a chain step, a line touched). A busy neighbour
// that slows `alu` shares the core's execution units (two hardware threads of one core); one
// that slows only `stream` shares the caches or the memory bus. The work stops after SECONDS
// (default 1) of CPU time.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

volatile std::uint64_t kept;

int usage() {
  std::fprintf(stderr, "usage: bench_contention alu [SECONDS] | stream MIB [SECONDS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  const bool stream = mode == "stream";
  if (!stream && mode != "alu") return usage();
  if (stream && argc < 3) return usage();
  const long mib = stream ? std::atol(argv[2]) : 0;
  const int seconds_arg = stream ? 3 : 2;
  const double seconds = argc > seconds_arg ? std::atof(argv[seconds_arg]) : 1.0;
  if ((stream && (mib < 1 || mib > 4096)) || !(seconds > 0 && seconds <= 600)) return usage();

  std::uint64_t units = 0, sink = 0;
  const double start = cpu_seconds();
  double now = start;
  if (stream) {
    const std::size_t words = static_cast<std::size_t>(mib) * 1024 * 1024 / 8;
    std::vector<std::uint64_t> x(words);
    for (std::size_t i = 0; i < words; ++i) x[i] = i;
    std::uint64_t s = 0;
    const double begin = cpu_seconds();  // the pages are in; time the passes only
    do {
      for (std::size_t i = 0; i < words; i += 8) {
        s += x[i];
        x[i] = s;
      }
      units += words / 8;
      now = cpu_seconds();
    } while (now - begin < seconds);
    sink = s;
    std::printf("stream %ld MiB: %.3f ns per line\n", mib,
                1e9 * (now - begin) / static_cast<double>(units));
  } else {
    std::uint64_t a = 1, b = 2, c = 3, d = 4;
    do {
      for (int i = 0; i < 10000000; ++i) {
        a = a * 6364136223846793005ull + 1;
        b = b * 6364136223846793005ull + 3;
        c = c * 2862933555777941757ull + 5;
        d = d * 2862933555777941757ull + 7;
      }
      units += 10000000;
      now = cpu_seconds();
    } while (now - start < seconds);
    sink = a ^ b ^ c ^ d;
    std::printf("alu: %.3f ns per step\n", 1e9 * (now - start) / static_cast<double>(units));
  }
  kept = sink;  // the results are used: the loops are not optimised away
  return 0;
}
