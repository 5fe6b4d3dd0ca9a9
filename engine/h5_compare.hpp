// Compares two HDF5 files object by object: the same groups and datasets, byte-equal dataset
// contents, shapes and types, and byte-equal attributes. This is the "identical result files"
// of the determinism, resume and distributed tests (docs/architecture.md §3.3): root attributes
// named in `ignored_root_attributes` (created_utc, command_line) are skipped.
#pragma once
#include <string>
#include <vector>

namespace asim::h5 {

// Empty when identical, else a description of the first difference found.
std::string compare_files(const std::string& a, const std::string& b,
                          const std::vector<std::string>& ignored_root_attributes = {
                              "created_utc", "command_line"});

}  // namespace asim::h5
