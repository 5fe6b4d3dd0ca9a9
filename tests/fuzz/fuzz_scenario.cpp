// Fuzz target: scenario TOML text -> Scenario, the way `run` and `validate` take it: parse and
// validate against the parameter registry (inheritance, [scenario], [sweep]), the model's
// cross-parameter checks, the sweep design, and a `--set` override taken from the first line.
// Bad input must end in asim::ConfigError; any other exception, a crash, a leak or undefined
// behaviour is a defect.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/errors.hpp"
#include "engine/sweep.hpp"
#include "models/model_params.hpp"
#include "models/scenarios.hpp"
#include "models/simulation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const asim::ScenarioLoader loader = asim::model_scenario_loader();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // A directory that does not exist: relative `inherit` paths fail at once instead of
    // reading whatever lies in the fuzzer's working directory.
    asim::Scenario s = loader.load_text(text, "/nonexistent-asim-fuzz/scenario.toml");
    const std::string_view first_line = text.substr(0, text.find('\n'));
    try {
      loader.apply_override(s, first_line);
    } catch (const asim::ConfigError&) {
    }
    if (s.sweep) {
      const auto design = asim::make_design(*s.sweep, s.values.registry(), 1);
      (void)design;
    } else {
      const asim::Model check(asim::make_model_params(s.values));
    }
  } catch (const asim::ConfigError&) {
  }
  return 0;
}
