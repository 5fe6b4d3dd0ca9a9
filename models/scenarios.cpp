// Lookup of the embedded scenarios; the default scenario is "baseline".
#include "models/scenarios.hpp"

#include "models/model_params.hpp"

namespace asim {

struct EmbeddedScenario {
  std::string_view name, text;
};
extern const EmbeddedScenario kEmbeddedScenarios[];
extern const int kEmbeddedScenarioCount;

std::string_view embedded_scenario(std::string_view name) {
  for (int i = 0; i < kEmbeddedScenarioCount; ++i)
    if (kEmbeddedScenarios[i].name == name) return kEmbeddedScenarios[i].text;
  return {};
}

std::vector<std::string> embedded_scenario_names() {
  std::vector<std::string> names;
  for (int i = 0; i < kEmbeddedScenarioCount; ++i) names.emplace_back(kEmbeddedScenarios[i].name);
  return names;
}

ScenarioLoader model_scenario_loader() {
  return ScenarioLoader(model_registry().registry(), &embedded_scenario);
}

}  // namespace asim
