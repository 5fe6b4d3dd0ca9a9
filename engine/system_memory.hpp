// How much memory the machine can give, for refusing sizes that cannot fit before allocating
// them (a run's replicates in flight, a dataset a damaged or crafted result file declares).
#pragma once
#include <string>

namespace asim {

// Memory the system can give without swapping (MemAvailable of /proc/meminfo), 0 if unknown.
double available_memory_bytes();

// Sets the C library's allocator for a long run of replicates, before any thread starts: one
// malloc arena for all threads, and blocks of 128 KiB and more mapped from the system and
// returned to it when freed (glibc's mallopt; elsewhere nothing). With glibc's defaults (an
// arena per thread, a threshold for mapped blocks that rises with the largest block freed) the
// replicates' large result buffers, made by the simulating threads and freed by the writer, left
// the heap more fragmented with every replicate: peak memory of the national workload on 2
// threads grew from 147 MiB after 10 replicates to 176 MiB after 80; so configured, 128 and
// 140 MiB (bench/README.md, "Memory"). The program allocates a few hundred blocks per replicate,
// none in the day loop's kernels, so one arena is no bottleneck; mapping the large blocks afresh
// costs the default run with its file some 20 page faults per replicate (at most 0.3 %).
// The environment's MALLOC_ARENA_MAX and MALLOC_MMAP_THRESHOLD_, when set, are left to rule.
void configure_allocator();

// "512 bytes", "1.5 KiB", "12.3 GiB", "2.0 TiB".
std::string format_bytes(double bytes);

}  // namespace asim
