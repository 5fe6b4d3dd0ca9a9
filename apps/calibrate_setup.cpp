// The [calibrate] table: see calibrate_setup.hpp.
#include "apps/calibrate_setup.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "engine/errors.hpp"
#include "engine/toml_text.hpp"

namespace asim {

namespace {

const std::vector<std::string> kSettingKeys{"particles", "generations", "replicates_per_particle",
                                            "quantile", "min_acceptance", "free"};

std::string line_of(const std::string& display, const toml::node& node) {
  return display + ":" + std::to_string(node.source().begin.line) + ": ";
}

double number(const std::string& display, const std::string& key, const toml::node& node) {
  if (const auto* f = node.as_floating_point()) return f->get();
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  throw ConfigError(line_of(display, node) + key + " = " + toml_value_text(node) +
                    " is not a number");
}

int integer(const std::string& display, const std::string& key, const toml::node& node, int lo,
            int hi) {
  const auto* i = node.as_integer();
  if (!i || i->get() < lo || i->get() > hi)
    throw ConfigError(line_of(display, node) + "calibrate." + key + " = " + toml_value_text(node) +
                      " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) +
                      "] (an integer)");
  return static_cast<int>(i->get());
}

double fraction(const std::string& display, const std::string& key, const toml::node& node) {
  const double v = number(display, "calibrate." + key, node);
  if (!(v > 0 && v <= 1))
    throw ConfigError(line_of(display, node) + "calibrate." + key + " = " + toml_value_text(node) +
                      " is outside (0, 1]");
  return v;
}

void read_free(const std::string& display, const Registry& registry, const toml::table& table,
               const std::string& prefix, CalibrationSpec& spec) {
  for (auto&& [key, node] : table) {
    const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const auto index = registry.index(name);
    if (!index) {
      if (const auto* sub = node.as_table()) {
        read_free(display, registry, *sub, name, spec);
        continue;
      }
      throw ConfigError(line_of(display, node) + "calibrate.free: unknown parameter '" + name +
                        "'" + did_you_mean_hint(registry.suggestions(name)) +
                        " (alliance-sim params lists them)");
    }
    const ParamSpec& p = registry.spec(*index);
    if (p.type != ParamType::Real)
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " is " +
                        (p.type == ParamType::Integer ? "an integer" : p.type == ParamType::Boolean ? "a Boolean" : "a choice") +
                        " parameter; only real-valued parameters can be free (set it in the "
                        "scenario instead)");
    const auto* range = node.as_array();
    if (!range || range->size() != 2)
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " = " +
                        toml_value_text(node) + " is not a prior range [lower, upper]; allowed: " +
                        "within " + registry.range_text(*index));
    const double lo = number(display, name, *range->get(0)), hi = number(display, name, *range->get(1));
    if (!(lo < hi))
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " = " +
                        toml_value_text(node) + ": lower must be below upper");
    if (lo < p.min || hi > p.max)
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " = " +
                        toml_value_text(node) + " is outside the parameter's range " +
                        registry.range_text(*index));
    FreeParameter f{name, *index, lo, hi, p.unit};
    const auto same = std::find_if(spec.free.begin(), spec.free.end(),
                                   [&](const FreeParameter& x) { return x.name == name; });
    if (same != spec.free.end()) *same = f;  // a --free file replaces the scenario's range
    else spec.free.push_back(f);
  }
}

}  // namespace

void read_calibrate_text(const std::string& text, const std::string& display,
                         const Registry& registry, CalibrationSpec& spec, bool required) {
  const toml::table root = parse_toml_input(text, display);
  const toml::node* node = root.get("calibrate");
  if (!node) {
    if (required)
      throw ConfigError(display + ": no [calibrate] table; write [calibrate.free] with "
                        "parameter = [lower, upper] (docs/calibration.md)");
    return;
  }
  const auto* table = node->as_table();
  if (!table)
    throw ConfigError(line_of(display, *node) + "calibrate = " + toml_value_text(*node) +
                      " is not a table");
  for (auto&& [key, value] : *table) {
    const std::string k(key.str());
    if (k == "particles") spec.particles = integer(display, k, value, 2, 1000000);
    else if (k == "generations") spec.generations = integer(display, k, value, 1, 1000);
    else if (k == "replicates_per_particle") spec.replicates_per_particle = integer(display, k, value, 1, 100000);
    else if (k == "quantile") spec.quantile = fraction(display, k, value);
    else if (k == "min_acceptance") spec.min_acceptance = fraction(display, k, value);
    else if (k == "free") {
      const auto* free = value.as_table();
      if (!free)
        throw ConfigError(line_of(display, value) + "calibrate.free = " + toml_value_text(value) +
                          " is not a table of parameter = [lower, upper]");
      read_free(display, registry, *free, "", spec);
    } else {
      throw ConfigError(line_of(display, value) + "unknown key calibrate." + k +
                        did_you_mean_hint(suggest_names(k, kSettingKeys)) + " (keys: particles, "
                        "generations, replicates_per_particle, quantile, min_acceptance, free)");
    }
  }
  std::ostringstream out;
  out << toml::table{{"calibrate", *table}};
  spec.text += "# from " + display + "\n" + out.str() + "\n";
}

void read_calibrate_table(const std::string& path, const Registry& registry, CalibrationSpec& spec,
                          bool required) {
  read_calibrate_text(read_input_file(path, "file"), path, registry, spec, required);
}

}  // namespace asim
