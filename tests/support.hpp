// Shared helpers for the tests: temporary directories, running the CLI, small model runs.
#pragma once
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "engine/params.hpp"
#include "models/model_params.hpp"
#include "models/scenarios.hpp"

namespace asim::test {

// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("asim-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return file(name);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int status = -1;     // exit status, or 128 + signal
  std::string output;  // stdout and stderr together
};

// Runs a shell command line, capturing stdout and stderr.
inline CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

inline std::string cli() {
  return ASIM_BINARY;
}
// The same program built with the ASIM_TEST_* hooks (engine/test_hooks.hpp), which the release
// binary leaves out: for the tests that set those variables.
inline std::string cli_with_hooks() {
  return ASIM_TEST_BINARY;
}

// A parameter declaration for registry tests (meaning and source filled in).
inline ParamSpec make_spec(std::string name, ParamType type, double def, double lo, double hi,
                           std::vector<std::string> choices = {}, std::string unit = "") {
  ParamSpec s;
  s.name = std::move(name);
  s.type = type;
  s.default_value = def;
  s.min = lo;
  s.max = hi;
  s.choices = std::move(choices);
  s.unit = std::move(unit);
  s.meaning = "meaning of " + s.name;
  s.source = "assumption";
  return s;
}

// Parameters of the built-in baseline with some overrides ("key=value" each).
inline ModelParams baseline_params(std::initializer_list<std::string> overrides = {}) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const auto& o : overrides) loader.apply_override(s, o);
  return make_model_params(s.values);
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace asim::test
