// Checks that result files are identical in the sense of the determinism contract
// (docs/architecture.md §3.3): every dataset and attribute byte-equal except the root's
// created_utc and command_line. Used to confirm that an optimisation leaves results bit for bit
// unchanged; the root's git_commit is skipped too, since the files come from different commits.
//
//   bench_h5_identical REFERENCE.h5 CANDIDATE.h5    exit 0 identical, 1 different, 2 bad use
#include <iostream>

#include "engine/h5_compare.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: bench_h5_identical REFERENCE.h5 CANDIDATE.h5\n";
    return 2;
  }
  try {
    const std::string diff =
        asim::h5::compare_files(argv[1], argv[2], {"created_utc", "command_line", "git_commit"});
    if (!diff.empty()) {
      std::cout << "different: " << diff << "\n";
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  }
  std::cout << "identical\n";
  return 0;
}
