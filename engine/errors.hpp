// Error types shared by every layer. The command line maps them to exit statuses:
// ConfigError -> 2 (bad input: file, line, key, value, allowed range), RuntimeFailure -> 1.
#pragma once
#include <stdexcept>
#include <string>

namespace asim {

// Bad user input: scenario files, --set overrides, command-line values, foreign result files.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A failure while running: I/O errors, interrupted runs.
struct RuntimeFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace asim
