// How much memory the machine can give, for refusing sizes that cannot fit before allocating
// them (a run's replicates in flight, a dataset a damaged or crafted result file declares).
#pragma once
#include <string>

namespace asim {

// Memory the system can give without swapping (MemAvailable of /proc/meminfo), 0 if unknown.
double available_memory_bytes();

// "512 bytes", "1.5 KiB", "12.3 GiB", "2.0 TiB".
std::string format_bytes(double bytes);

}  // namespace asim
