// Helpers for the TOML inputs besides scenario files (calibration targets and free parameters,
// docs/calibration.md), so that their messages read like the scenario loader's
// (engine/config.hpp): the value as the user wrote it, and the same file-reading checks.
#pragma once
#include <toml++/toml.h>

#include <string>

namespace asim {

// The value as written in TOML terms, shortened if long: -3, 0.5, "eight", [1, 2].
std::string toml_value_text(const toml::node& node);

// A whole input file (at most 16 MiB); ConfigError "<path>: cannot read <what> (reason)", or
// "<path>: empty <what>" for a file of only whitespace.
std::string read_input_file(const std::string& path, const std::string& what);

// Parses TOML text; ConfigError "<display>:<line>:<column>: TOML syntax error: ...".
toml::table parse_toml_input(const std::string& text, const std::string& display);

}  // namespace asim
