// The scenarios compiled into the binary (scenarios/*.toml), and the model's scenario loader.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/config.hpp"

namespace asim {

std::string_view embedded_scenario(std::string_view name);  // empty when unknown
std::vector<std::string> embedded_scenario_names();
ScenarioLoader model_scenario_loader();
const char* git_commit();

}  // namespace asim
