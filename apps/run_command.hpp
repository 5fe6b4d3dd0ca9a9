// `alliance-sim run`: load and validate scenarios, simulate, stream results to an atomic file.
#pragma once
#include <string>
#include <vector>

namespace asim {

struct RunRequest {
  std::vector<std::string> scenario_files;  // empty: the built-in baseline
  std::string output;   // empty: results/<name>.h5 (results/default.h5 for the default)
  int replicates = 0;   // 0: from the scenario
  long long seed = -1;  // -1: from the scenario
  int threads = 0;      // 0: all cores
  std::vector<std::string> overrides;  // --set key=value
  std::string daily;                   // --daily var,var|all
  std::string group_series;            // --group-series yes|no; empty: no
  std::string posterior;               // --posterior calib.h5: run over its posterior draws
  int draws = 0;                       // --draws K (0: 20)
  bool quiet = false, overwrite = false, resume = false;
  std::string command_line;
};

// Returns the process exit status: 0 done, 130/143 interrupted by SIGINT/SIGTERM.
// Throws ConfigError (exit 2) and RuntimeFailure (exit 1).
int run_command(const RunRequest& request);
int validate_command(const std::vector<std::string>& files,
                     const std::vector<std::string>& overrides);

}  // namespace asim
