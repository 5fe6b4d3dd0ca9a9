// Fuzz target: bytes -> a temporary file -> the result-file reader as inspect and analyse use
// it: ResultFile (signature, superblock, schema_version), the list of scenarios, describe(),
// the summary of every scenario, and the analyse tables. A foreign, truncated or corrupt file
// must end in asim::ConfigError; any other exception, a crash, a leak or undefined behaviour
// in our code is a defect. Crashes inside the uninstrumented HDF5 library are reported too
// (libFuzzer catches the signal); see docs/errors.md for what the reader checks before HDF5.
#include <hdf5.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "analysis/analyse.hpp"
#include "analysis/result_reader.hpp"
#include "engine/errors.hpp"

namespace {

// One file per fuzzing process, rewritten for every input.
const std::string& scratch_path() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/asim-fuzz-result-" +
           std::to_string(::getpid()) + ".h5";
  }();
  return path;
}

bool write_bytes(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(data, 1, size, f) == size;
  return std::fclose(f) == 0 && ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string& path = scratch_path();
  if (!write_bytes(path, data, size)) return 0;
  try {
    const asim::ResultFile file(path);
    (void)file.describe();
    for (const auto& name : file.scenarios()) (void)file.summarise(name);
    (void)asim::analyse(file, "");
  } catch (const asim::ConfigError&) {
  }
  // Every identifier our code opened must be closed again, whatever the input.
  const ssize_t open_objects = H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL);
  if (open_objects != 0) {
    std::fprintf(stderr, "fuzz_result_file: %zd HDF5 objects left open\n", open_objects);
    std::abort();
  }
  std::remove(path.c_str());
  return 0;
}
