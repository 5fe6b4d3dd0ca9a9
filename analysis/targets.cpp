// Calibration targets: reading and checking targets/*.toml, and the distance of a simulation
// from them. See targets.hpp.
#include "analysis/targets.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "engine/errors.hpp"
#include "engine/params.hpp"
#include "engine/toml_text.hpp"

namespace asim {

namespace {

const std::vector<std::string> kTargetKeys{"name",      "statistic", "where", "value",  "se",
                                           "tolerance", "weight",    "bound", "source", "note"};
const std::vector<std::string> kBoundNames{target_bound_name(TargetBound::kBoth),
                                           target_bound_name(TargetBound::kUpper),
                                           target_bound_name(TargetBound::kLower)};

std::string list(const std::vector<std::string>& names, std::size_t max = 12) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > max) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

class TargetParser {
 public:
  TargetParser(const std::string& display, const std::vector<std::string>& waves)
      : display_(display), catalogue_(statistic_catalogue(waves)) {
    for (const auto& s : catalogue_) names_.push_back(s.name);
  }

  std::vector<Target> parse(const std::string& text) {
    const toml::table root = parse_toml_input(text, display_);
    for (auto&& [key, node] : root) {
      if (key.str() != "target")
        fail(node, "unknown key '" + std::string(key.str()) + "'" +
                       did_you_mean_hint(suggest_names(key.str(), {"target"})) +
                       ": a targets file holds [[target]] tables only");
    }
    const toml::node* list_node = root.get("target");
    if (!list_node)
      throw ConfigError(display_ + ": no [[target]] tables; a targets file lists at least one");
    const toml::array* array = list_node->as_array();
    if (!array || !array->is_array_of_tables())
      fail(*list_node, "target must be written as [[target]] tables");
    std::vector<Target> out;
    std::set<std::string> seen;
    for (const toml::node& element : *array) {
      Target t = read_target(*element.as_table());
      if (!seen.insert(t.name).second)
        fail(element, "name = \"" + t.name + "\" is used by an earlier target; names are unique");
      out.push_back(std::move(t));
    }
    double total = 0;
    for (const auto& t : out) total += t.weight;
    if (!(total > 0))
      throw ConfigError(display_ + ": every target has weight 0; at least one must count");
    return out;
  }

 private:
  [[noreturn]] void fail(const toml::node& node, const std::string& message) const {
    throw ConfigError(display_ + ":" + std::to_string(node.source().begin.line) + ": " + message);
  }

  std::string string_key(const toml::table& t, const std::string& key, bool required,
                         const toml::node& where) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) fail(where, "[[target]] lacks " + key + " (a string)");
      return {};
    }
    const auto* s = n->as_string();
    if (!s) fail(*n, key + " = " + toml_value_text(*n) + " is not a string");
    if (required && s->get().empty()) fail(*n, key + " = \"\" is empty");
    return s->get();
  }

  std::optional<double> number_key(const toml::table& t, const std::string& key) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    double v = 0;
    if (const auto* f = n->as_floating_point())
      v = f->get();
    else if (const auto* i = n->as_integer())
      v = static_cast<double>(i->get());
    else
      fail(*n, key + " = " + toml_value_text(*n) + " is not a number");
    if (!std::isfinite(v)) fail(*n, key + " = " + toml_value_text(*n) + " is not a finite number");
    return v;
  }

  Target read_target(const toml::table& table) {
    Target t;
    t.line = table.source().begin.line;
    for (auto&& [key, node] : table)
      if (std::find(kTargetKeys.begin(), kTargetKeys.end(), key.str()) == kTargetKeys.end())
        fail(node, "unknown key '" + std::string(key.str()) + "' in [[target]]" +
                       did_you_mean_hint(suggest_names(key.str(), kTargetKeys)) +
                       " (keys: " + list(kTargetKeys) + ")");
    t.name = string_key(table, "name", true, table);
    t.statistic = string_key(table, "statistic", true, table);
    const toml::node* stat_node = table.get("statistic");
    const auto def = std::find_if(catalogue_.begin(), catalogue_.end(),
                                  [&](const StatisticDef& d) { return d.name == t.statistic; });
    if (def == catalogue_.end())
      fail(*stat_node, "statistic = \"" + t.statistic + "\" is not a statistic of the catalogue" +
                           did_you_mean_hint(suggest_names(t.statistic, names_)) +
                           " (alliance-sim calibrate --list-statistics lists them)");
    t.table = def->table;
    t.column = def->column;
    read_where(table, *def, t);

    const auto value = number_key(table, "value");
    if (!value) fail(table, "target '" + t.name + "' lacks value (a number)");
    t.value = *value;
    const auto se = number_key(table, "se"), tolerance = number_key(table, "tolerance");
    if (se && tolerance)
      fail(*table.get("tolerance"),
           "target '" + t.name + "' gives both se and tolerance; give one of the two");
    if (!se && !tolerance)
      fail(table, "target '" + t.name +
                      "' lacks its uncertainty: give se = <standard error> or tolerance = "
                      "<half-width>, > 0");
    const char* which = se ? "se" : "tolerance";
    t.uncertainty = se ? *se : *tolerance;
    t.is_se = se.has_value();
    if (!(t.uncertainty > 0))
      fail(*table.get(which), std::string(which) + " = " + toml_value_text(*table.get(which)) +
                                  " is outside (0, inf): the uncertainty must be positive");
    if (const auto w = number_key(table, "weight")) {
      if (*w < 0)
        fail(*table.get("weight"),
             "weight = " + toml_value_text(*table.get("weight")) + " is outside [0, inf)");
      t.weight = *w;
    }
    if (const toml::node* b = table.get("bound")) {
      const auto* text = b->as_string();
      const std::string name = text ? text->get() : std::string();
      if (std::find(kBoundNames.begin(), kBoundNames.end(), name) == kBoundNames.end())
        fail(*b, "bound = " + toml_value_text(*b) + " is not one of " + list(kBoundNames) +
                     did_you_mean_hint(suggest_names(name, kBoundNames)) +
                     " (upper: the simulated value should not exceed the figure; lower: not fall "
                     "below it)");
      t.bound = target_bound_of(name);
    }
    t.source = string_key(table, "source", true, table);
    t.note = string_key(table, "note", false, table);
    return t;
  }

  void read_where(const toml::table& table, const StatisticDef& def, Target& t) {
    const toml::node* node = table.get("where");
    std::vector<std::string> key_names;
    for (const auto& k : def.keys) key_names.push_back(k.column);
    if (!node) {
      if (def.keys.empty()) return;
      fail(table, "target '" + t.name + "': statistic " + def.name + " needs where = { " +
                      list(key_names) + " = ... } to choose its row");
    }
    const auto* where = node->as_table();
    if (!where)
      fail(*node, "where = " + toml_value_text(*node) + " is not a table, e.g. where = { " +
                      key_names.front() + " = \"...\" }");
    for (auto&& [key, value] : *where)
      if (std::find(key_names.begin(), key_names.end(), key.str()) == key_names.end())
        fail(value, "where: '" + std::string(key.str()) + "' is not a key of " + def.name +
                        did_you_mean_hint(suggest_names(key.str(), key_names)) +
                        " (keys: " + list(key_names) + ")");
    for (const auto& k : def.keys) {
      const toml::node* v = where->get(k.column);
      if (!v)
        fail(*node, "target '" + t.name + "': where lacks " + k.column + " (one of " +
                        list(k.values) + ")");
      std::string text;
      if (const auto* s = v->as_string())
        text = s->get();
      else if (const auto* i = v->as_integer())
        text = std::to_string(i->get());
      else
        fail(*v, "where." + k.column + " = " + toml_value_text(*v) + " is not a string");
      if (std::find(k.values.begin(), k.values.end(), text) == k.values.end())
        fail(*v, "where." + k.column + " = " + toml_value_text(*v) + " is not one of " +
                     list(k.values, 40) + did_you_mean_hint(suggest_names(text, k.values)));
      t.where.emplace_back(k.column, text);
    }
  }

  std::string display_;
  std::vector<StatisticDef> catalogue_;
  std::vector<std::string> names_;
};

}  // namespace

const char* target_bound_name(TargetBound b) {
  return b == TargetBound::kUpper ? "upper" : b == TargetBound::kLower ? "lower" : "both";
}

TargetBound target_bound_of(const std::string& name) {
  for (const TargetBound b : {TargetBound::kBoth, TargetBound::kUpper, TargetBound::kLower})
    if (name == target_bound_name(b)) return b;
  throw ConfigError("target bound '" + name + "' is not one of " + list(kBoundNames));
}

double standardised_error(double simulated, double value, double uncertainty, TargetBound bound) {
  const double z = (simulated - value) / uncertainty;
  if (bound == TargetBound::kUpper) return z > 0 ? z : (std::isnan(z) ? z : 0.0);
  if (bound == TargetBound::kLower) return z < 0 ? z : (std::isnan(z) ? z : 0.0);
  return z;
}

std::string TargetSet::where(std::size_t i) const {
  return path + ":" + std::to_string(targets[i].line) + ": target '" + targets[i].name + "'";
}

TargetSet parse_targets(const std::string& text, const std::string& display_path,
                        const std::vector<std::string>& wave_names) {
  TargetSet set;
  set.path = display_path;
  set.text = text;
  set.targets = TargetParser(display_path, wave_names).parse(text);
  return set;
}

TargetSet load_targets(const std::string& path, const std::vector<std::string>& wave_names) {
  return parse_targets(read_input_file(path, "targets file"), path, wave_names);
}

std::vector<double> evaluate_targets(const TargetSet& set, const std::vector<Table>& tables) {
  std::vector<double> out(set.targets.size());
  for (std::size_t i = 0; i < set.targets.size(); ++i) {
    const auto& t = set.targets[i];
    const auto v = lookup_statistic(tables, t.table, t.column, t.where);
    if (!v) {
      std::string keys;
      for (const auto& [c, value] : t.where) keys += (keys.empty() ? "" : ", ") + c + " = " + value;
      throw ConfigError(set.where(i) + ": table " + t.table + " has no row with " + keys +
                        " (that combination of keys does not occur)");
    }
    out[i] = *v;
  }
  return out;
}

std::vector<double> standardised_errors(const TargetSet& set,
                                        const std::vector<double>& simulated) {
  std::vector<double> z(set.targets.size());
  for (std::size_t i = 0; i < z.size(); ++i)
    z[i] = standardised_error(simulated[i], set.targets[i].value, set.targets[i].uncertainty,
                              set.targets[i].bound);
  return z;
}

double target_distance(const TargetSet& set, const std::vector<double>& simulated) {
  const auto z = standardised_errors(set, simulated);
  double d = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    if (set.targets[i].weight == 0) continue;
    if (std::isnan(z[i])) return std::numeric_limits<double>::infinity();
    d += set.targets[i].weight * z[i] * z[i];
  }
  return d;
}

}  // namespace asim
