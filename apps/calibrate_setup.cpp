// The [calibrate] table: see calibrate_setup.hpp.
#include "apps/calibrate_setup.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "engine/errors.hpp"
#include "engine/toml_text.hpp"

namespace asim {

namespace {

const std::vector<std::string> kSettingKeys{
    "particles", "generations", "replicates_per_particle", "quantile", "min_acceptance", "free"};

// Shortest text that reads back as the value: 0.05, 1.5, 2.
std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string range_value(const toml::node& node) {
  const auto* a = node.as_array();
  if (!a || a->size() != 2 || !(*a)[0].is_number() || !(*a)[1].is_number())
    return toml_value_text(node);
  auto v = [](const toml::node& n) {
    return n.as_floating_point() ? n.as_floating_point()->get()
                                 : static_cast<double>(n.as_integer()->get());
  };
  return "[" + number_text(v((*a)[0])) + ", " + number_text(v((*a)[1])) + "]";
}

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

struct Placed {
  unsigned line, column;
  FreeParameter free;
};

void read_free(const std::string& display, const Registry& registry, const toml::table& table,
               const std::string& prefix, std::vector<Placed>& out) {
  for (auto&& [key, node] : table) {
    const std::string name =
        prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    const auto index = registry.index(name);
    if (!index) {
      if (const auto* sub = node.as_table()) {
        read_free(display, registry, *sub, name, out);
        continue;
      }
      throw ConfigError(line_of(display, node) + "calibrate.free: unknown parameter '" + name +
                        "'" + did_you_mean_hint(registry.suggestions(name)) +
                        " (alliance-sim params lists them)");
    }
    const ParamSpec& p = registry.spec(*index);
    if (p.type != ParamType::Real)
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " is " +
                        (p.type == ParamType::Integer   ? "an integer"
                         : p.type == ParamType::Boolean ? "a Boolean"
                                                        : "a choice") +
                        " parameter; only real-valued parameters can be free (set it in the "
                        "scenario instead)");
    const auto* range = node.as_array();
    if (!range || range->size() != 2)
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " = " +
                        toml_value_text(node) + " is not a prior range [lower, upper]; allowed: " +
                        "within " + registry.range_text(*index));
    const double lo = number(display, name, *range->get(0)),
                 hi = number(display, name, *range->get(1));
    if (!(lo < hi))
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " = " +
                        range_value(node) + ": lower must be below upper");
    if (lo < p.min || hi > p.max)
      throw ConfigError(line_of(display, node) + "calibrate.free: " + name + " = " +
                        range_value(node) + " is outside the parameter's range " +
                        registry.range_text(*index));
    out.push_back({node.source().begin.line, node.source().begin.column,
                   FreeParameter{name, *index, lo, hi, p.unit}});
  }
}

// Adds the file's free parameters in the order the file lists them (toml++ iterates a table in
// key order); a --free file's range replaces the scenario's for the same parameter.
void add_free(std::vector<Placed> placed, CalibrationSpec& spec) {
  std::sort(placed.begin(), placed.end(), [](const Placed& a, const Placed& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  for (const auto& p : placed) {
    const auto same = std::find_if(spec.free.begin(), spec.free.end(),
                                   [&](const FreeParameter& x) { return x.name == p.free.name; });
    if (same != spec.free.end())
      *same = p.free;
    else
      spec.free.push_back(p.free);
  }
}

}  // namespace

void read_calibrate_text(const std::string& text, const std::string& display,
                         const Registry& registry, CalibrationSpec& spec, bool required) {
  const toml::table root = parse_toml_input(text, display);
  const toml::node* node = root.get("calibrate");
  if (!node) {
    if (required)
      throw ConfigError(display +
                        ": no [calibrate] table; write [calibrate.free] with "
                        "parameter = [lower, upper] (docs/calibration.md)");
    return;
  }
  const auto* table = node->as_table();
  if (!table)
    throw ConfigError(line_of(display, *node) + "calibrate = " + toml_value_text(*node) +
                      " is not a table");
  for (auto&& [key, value] : *table) {
    const std::string k(key.str());
    if (k == "particles")
      spec.particles = integer(display, k, value, 2, 1000000);
    else if (k == "generations")
      spec.generations = integer(display, k, value, 1, 1000);
    else if (k == "replicates_per_particle")
      spec.replicates_per_particle = integer(display, k, value, 1, 100000);
    else if (k == "quantile")
      spec.quantile = fraction(display, k, value);
    else if (k == "min_acceptance")
      spec.min_acceptance = fraction(display, k, value);
    else if (k == "free") {
      const auto* free = value.as_table();
      if (!free)
        throw ConfigError(line_of(display, value) + "calibrate.free = " + toml_value_text(value) +
                          " is not a table of parameter = [lower, upper]");
      std::vector<Placed> placed;
      read_free(display, registry, *free, "", placed);
      add_free(std::move(placed), spec);
    } else {
      throw ConfigError(line_of(display, value) + "unknown key calibrate." + k +
                        did_you_mean_hint(suggest_names(k, kSettingKeys)) +
                        " (keys: particles, "
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
