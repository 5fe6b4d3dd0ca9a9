// Scenario files: TOML parsed with toml++, every key checked against the parameter registry,
// `inherit` chains resolved (farthest ancestor first), and --set overrides applied last.
// Every problem becomes a ConfigError naming file, line, key, value and the allowed range.
#include "engine/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <sstream>
#include <tuple>

#include "engine/errors.hpp"
#include "engine/toml_text.hpp"

namespace asim {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kBuiltinPrefix = "builtin:";
constexpr std::size_t kMaxScenarioBytes = std::size_t{16} << 20;

bool is_builtin_path(std::string_view path) {
  return path.substr(0, kBuiltinPrefix.size()) == kBuiltinPrefix;
}

// The value as the user wrote it in TOML terms, shortened if long: -3, 0.5, "eight", [1, 2].
std::string value_text(const toml::node& node) {
  std::string text;
  if (const auto* s = node.as_string()) {
    text = toml_quote(s->get());
  } else if (const auto* f = node.as_floating_point()) {
    const double v = f->get();
    if (std::isnan(v)) {
      text = "nan";
    } else if (std::isinf(v)) {
      text = v > 0 ? "inf" : "-inf";
    } else {
      char buffer[64];
      const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
      text.assign(buffer, result.ptr);
    }
  } else {
    std::ostringstream out;
    node.visit([&out](const auto& n) { out << n; });
    text = out.str();
  }
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string expected_text(const Registry& registry, std::size_t i) {
  switch (registry.spec(i).type) {
    case ParamType::Real:
      return "a number in " + registry.range_text(i);
    case ParamType::Integer:
      return "a whole number in " + registry.range_text(i);
    case ParamType::Boolean:
    case ParamType::Choice:
    case ParamType::IntegerList:
    case ParamType::TextList:
      break;
  }
  return registry.range_text(i);
}

// A list parameter's value from TOML: the reason it is not allowed, or "" and sets the list
// (IntegerList) or the texts (TextList).
std::string convert_list(const Registry& registry, std::size_t i, const toml::node& node,
                         std::vector<double>& list, std::vector<std::string>& texts) {
  const ParamSpec& spec = registry.spec(i);
  const std::string wrong_type = "has the wrong type: expected " + registry.range_text(i) +
                                 ", e.g. " + spec.name + " = " + registry.default_text(i);
  const auto* array = node.as_array();
  if (!array) return wrong_type;
  list.clear();
  texts.clear();
  for (const toml::node& element : *array) {
    if (spec.type == ParamType::IntegerList) {
      if (const auto* n = element.as_integer()) {
        list.push_back(static_cast<double>(n->get()));
      } else if (const auto* f = element.as_floating_point()) {
        list.push_back(f->get());
      } else {
        return wrong_type;
      }
    } else {
      const auto* s = element.as_string();
      if (!s) return wrong_type;
      texts.push_back(s->get());
    }
  }
  return spec.type == ParamType::IntegerList ? registry.check_list(i, list)
                                             : registry.check_texts(i, texts);
}

// Converts a TOML value for parameter i; returns the reason it is not allowed, or "" and sets out.
std::string convert(const Registry& registry, std::size_t i, const toml::node& node, double& out) {
  const ParamSpec& spec = registry.spec(i);
  const std::string wrong_type = "has the wrong type: expected " + expected_text(registry, i);
  switch (spec.type) {
    case ParamType::Real:
    case ParamType::Integer:
      if (const auto* n = node.as_integer()) {
        out = static_cast<double>(n->get());
      } else if (const auto* f = node.as_floating_point()) {
        out = f->get();
      } else {
        return wrong_type;
      }
      break;
    case ParamType::Boolean:
      if (const auto* b = node.as_boolean()) {
        out = b->get() ? 1.0 : 0.0;
      } else {
        return wrong_type;
      }
      break;
    case ParamType::Choice: {
      const auto* s = node.as_string();
      if (!s) return wrong_type;
      const auto found = std::find(spec.choices.begin(), spec.choices.end(), s->get());
      if (found == spec.choices.end()) return "is not " + registry.range_text(i);
      out = static_cast<double>(found - spec.choices.begin());
      break;
    }
    case ParamType::IntegerList:
    case ParamType::TextList:
      return wrong_type;  // lists go through convert_list
  }
  return registry.check(i, out);
}

bool is_group(const Registry& registry, std::string_view name) {
  return std::any_of(registry.specs().begin(), registry.specs().end(), [name](const ParamSpec& s) {
    return s.name.size() > name.size() && s.name.compare(0, name.size(), name) == 0 &&
           s.name[name.size()] == '.';
  });
}

std::string did_you_mean(const Registry& registry, std::string_view name) {
  return did_you_mean_hint(registry.suggestions(name));
}

struct Assignment {
  std::size_t index;
  double value;
  std::string origin;
  std::vector<double> list;  // list parameters
  std::vector<std::string> texts;
  const ParamAlias* alias = nullptr;  // a deprecated key: sets element alias->element of index
};

// Applies one assignment; a deprecated alias sets one element of its list, which must have that
// element and stay strictly increasing (ConfigError naming the assignment's origin otherwise).
void apply(const Registry& registry, ParamValues& values, const Assignment& a) {
  const ParamSpec& spec = registry.spec(a.index);
  if (a.alias) {
    std::vector<double> list = values.list(a.index);
    const std::string written = a.alias->name + " = " + registry.format_value(a.index, a.value);
    if (a.alias->element >= list.size())
      throw ConfigError(a.origin + ": " + written + " (deprecated: element " +
                        std::to_string(a.alias->element + 1) + " of " + spec.name +
                        ") cannot be used with " + spec.name + " = " +
                        registry.format_list(a.index, list) + " (" + values.origin(a.index) +
                        "), which has " + std::to_string(list.size()) + " element" +
                        (list.size() == 1 ? "" : "s") + ": set " + spec.name + " instead");
    list[a.alias->element] = a.value;
    const std::string reason = registry.check_list(a.index, list);
    if (!reason.empty())
      throw ConfigError(a.origin + ": " + written + " (deprecated: element " +
                        std::to_string(a.alias->element + 1) + " of " + spec.name + ") makes " +
                        spec.name + " = " + registry.format_list(a.index, list) + ", which " +
                        reason);
    // The origin of the whole list stays where it was set, unless this is the first change.
    const std::string origin =
        values.origin(a.index) == "default"
            ? a.origin + " (" + a.alias->name + ", deprecated)"
            : values.origin(a.index) + "; " + a.origin + " (" + a.alias->name + ", deprecated)";
    values.set_list(a.index, std::move(list), origin);
  } else if (spec.type == ParamType::IntegerList) {
    values.set_list(a.index, a.list, a.origin);
  } else if (spec.type == ParamType::TextList) {
    values.set_texts(a.index, a.texts, a.origin);
  } else {
    values.set(a.index, a.value, a.origin);
  }
}

std::string deprecation_note(const Registry& registry, const ParamValues& values,
                             const Assignment& a) {
  return a.origin + ": " + a.alias->name + " is deprecated (element " +
         std::to_string(a.alias->element + 1) + " of " + registry.spec(a.index).name + "): write " +
         registry.spec(a.index).name + " = " + registry.format_list(a.index, values.list(a.index));
}

// After one source (a file, or one --set) assigned `assigned`: a text list naming the elements
// of a list that was set anew, and not set by the same source, goes back to [] (default names).
void reset_stale_labels(const Registry& registry, ParamValues& values,
                        const std::vector<Assignment>& assigned) {
  for (std::size_t t = 0; t < registry.size(); ++t) {
    const ParamSpec& spec = registry.spec(t);
    if (spec.type != ParamType::TextList) continue;
    const auto target = registry.index(registry.list_spec(t).labels);
    const Assignment* list_set = nullptr;
    bool names_set = false;
    for (const auto& a : assigned) {
      if (a.index == *target && !a.alias) list_set = &a;
      if (a.index == t) names_set = true;
    }
    if (list_set && !names_set && !values.texts(t).empty())
      values.set_texts(t, {},
                       list_set->origin + " (" + registry.list_spec(t).labels + " set without " +
                           spec.name + ")");
  }
}

// Every text list names as many elements as its list has (or is empty).
void check_labels(const Registry& registry, const ParamValues& values) {
  for (std::size_t t = 0; t < registry.size(); ++t) {
    const ParamSpec& spec = registry.spec(t);
    if (spec.type != ParamType::TextList || values.texts(t).empty()) continue;
    const std::size_t target = *registry.index(registry.list_spec(t).labels);
    const auto& texts = values.texts(t);
    const auto& list = values.list(target);
    if (texts.size() != list.size())
      throw ConfigError(
          values.origin(t) + ": " + spec.name + " = " + registry.format_texts(texts) + " has " +
          std::to_string(texts.size()) + " name" + (texts.size() == 1 ? "" : "s") + " but " +
          registry.list_spec(t).labels + " = " + registry.format_list(target, list) + " (" +
          values.origin(target) + ") has " + std::to_string(list.size()) + " element" +
          (list.size() == 1 ? "" : "s") + ": give one name each, or [] for the default names");
  }
}

// What one file says, validated, before inheritance is resolved.
struct ParsedFile {
  std::string name, question;
  std::optional<std::string> inherit;
  unsigned inherit_line = 0;
  std::vector<Assignment> assignments;
  std::optional<SweepSpec> sweep;  // the file's own [sweep] table
};

struct Issue {
  unsigned line, column;
  std::string message;
};

class FileParser {
 public:
  FileParser(const Registry& registry, const std::string& display)
      : registry_(registry), display_(display) {}

  ParsedFile parse(std::string_view text) {
    toml::table root;
    try {
      root = toml::parse(text, std::string_view(display_));
    } catch (const toml::parse_error& error) {
      throw ConfigError(display_ + ":" + std::to_string(error.source().begin.line) + ":" +
                        std::to_string(error.source().begin.column) +
                        ": TOML syntax error: " + std::string(error.description()));
    }
    walk(root, "");
    // A deprecated key beside the list it is an element of: which should win is unclear.
    for (const auto& [k, line] : alias_lines_) {
      const Assignment& a = parsed_.assignments[k];
      for (const auto& b : parsed_.assignments)
        if (b.index == a.index && !b.alias)
          issues_.push_back({line, 0,
                             a.alias->name + " (deprecated: element " +
                                 std::to_string(a.alias->element + 1) + " of " +
                                 registry_.spec(a.index).name + ") is set beside " +
                                 registry_.spec(a.index).name + " (" + b.origin +
                                 "): remove it and give the whole list"});
    }
    if (!issues_.empty()) {
      // Tables iterate in key order; report the problem that comes first in the file.
      const auto first =
          std::min_element(issues_.begin(), issues_.end(), [](const Issue& a, const Issue& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
          });
      throw ConfigError(display_ + ":" + std::to_string(first->line) + ": " + first->message);
    }
    return std::move(parsed_);
  }

 private:
  void issue(const toml::node& node, std::string message) {
    issues_.push_back({node.source().begin.line, node.source().begin.column, std::move(message)});
  }

  void walk(const toml::table& table, const std::string& prefix) {
    for (auto&& [key, node] : table) {
      const std::string full =
          prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
      if (prefix.empty() && full == "inherit") {
        read_inherit(node);
      } else if (prefix.empty() && full == "scenario") {
        read_scenario_table(node);
      } else if (prefix.empty() && full == "sweep") {
        read_sweep_table(node);
      } else if (prefix.empty() && full == "calibrate" && node.is_table()) {
        // Free parameters and settings of `alliance-sim calibrate`, which reads and checks this
        // table itself (apps/calibrate_setup.cpp); every other subcommand ignores it.
      } else if (const auto i = registry_.index(full)) {
        read_parameter(*i, node);
      } else if (const ParamAlias* alias = registry_.alias(full)) {
        read_alias(*alias, node);
      } else if (const auto* sub = node.as_table();
                 sub && (is_group(registry_, full) || !sub->empty())) {
        walk(*sub, full);
      } else if (sub) {
        issue(node, "unknown parameter table [" + full + "]" + did_you_mean(registry_, full));
      } else if (is_group(registry_, full)) {
        issue(node, full + " = " + value_text(node) +
                        " is a table of parameters, not a value: write [" + full +
                        "] followed by its keys");
      } else {
        issue(node, "unknown parameter '" + full + "'" + did_you_mean(registry_, full));
      }
    }
  }

  void read_parameter(std::size_t i, const toml::node& node) {
    const std::string& name = registry_.spec(i).name;
    if (node.is_table()) {
      issue(node, name + " is a single parameter, not a table: write " + name + " = " +
                      registry_.format_value(i, registry_.spec(i).default_value));
      return;
    }
    const std::string origin = display_ + ":" + std::to_string(node.source().begin.line);
    if (is_list(registry_.spec(i))) {
      Assignment a{i, 0.0, origin, {}, {}, nullptr};
      const std::string reason = convert_list(registry_, i, node, a.list, a.texts);
      if (!reason.empty()) {
        issue(node, name + " = " + list_text(node) + " " + reason);
        return;
      }
      parsed_.assignments.push_back(std::move(a));
      return;
    }
    double value = 0.0;
    const std::string reason = convert(registry_, i, node, value);
    if (!reason.empty()) {
      issue(node, name + " = " + value_text(node) + " " + reason);
      return;
    }
    parsed_.assignments.push_back({i, value, origin, {}, {}, nullptr});
  }

  // A deprecated key: a whole number for one element of its list (checked against the list
  // once inheritance is resolved, ChainResolver).
  void read_alias(const ParamAlias& alias, const toml::node& node) {
    const ParamSpec& target = registry_.spec(alias.target);
    const std::string range = "[" + registry_.format_value(alias.target, target.min) + ", " +
                              registry_.format_value(alias.target, target.max) + "]";
    const std::string written = alias.name + " = " + value_text(node);
    double value = 0.0;
    if (const auto* n = node.as_integer()) {
      value = static_cast<double>(n->get());
    } else if (const auto* f = node.as_floating_point()) {
      value = f->get();
    } else {
      issue(node, written + " has the wrong type: expected a whole number in " + range +
                      " (deprecated: element " + std::to_string(alias.element + 1) + " of " +
                      target.name + ")");
      return;
    }
    if (!std::isfinite(value) || value != std::floor(value) || value < target.min ||
        value > target.max) {
      issue(node, written + " is not a whole number in " + range + " (deprecated: element " +
                      std::to_string(alias.element + 1) + " of " + target.name + ")");
      return;
    }
    alias_lines_.emplace_back(parsed_.assignments.size(), node.source().begin.line);
    parsed_.assignments.push_back({alias.target,
                                   value,
                                   display_ + ":" + std::to_string(node.source().begin.line),
                                   {},
                                   {},
                                   &alias});
  }

  void read_inherit(const toml::node& node) {
    const auto* path = node.as_string();
    if (!path || path->get().empty()) {
      issue(node, "inherit = " + value_text(node) +
                      " has the wrong type: expected a file path or \"builtin:NAME\"");
      return;
    }
    parsed_.inherit = path->get();
    parsed_.inherit_line = node.source().begin.line;
  }

  void read_scenario_table(const toml::node& node) {
    const auto* table = node.as_table();
    if (!table) {
      issue(node, "scenario = " + value_text(node) +
                      " must be a table: write [scenario] followed by name, question, description");
      return;
    }
    for (auto&& [key, value] : *table) {
      const std::string full = "scenario." + std::string(key.str());
      if (key.str() != "name" && key.str() != "question" && key.str() != "description") {
        issue(value, "unknown key '" + full + "' (allowed: name, question, description)");
        continue;
      }
      const auto* text = value.as_string();
      if (!text) {
        issue(value, full + " = " + value_text(value) + " has the wrong type: expected a string");
        continue;
      }
      if (key.str() == "name") {
        const std::string& name = text->get();
        const bool valid = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.' || c == '-';
        });
        if (!valid) {
          issue(value, full + " = " + value_text(value) +
                           " is not a valid name: use only letters, digits, '_', '.' and '-'");
          continue;
        }
        parsed_.name = name;
      } else if (key.str() == "question") {
        parsed_.question = text->get();
      }
    }
  }

  // ---- [sweep] (docs/sweeps.md) -------------------------------------------------------------

  static std::string list_text(const toml::node& node) { return sweep_text(node); }

  // Like value_text, but arrays and inline tables show their numbers as written (toml++ prints
  // 0.1 as 0.10000000000000001) and tables keep the file's key order: [5, 8], { min = 0.1, ... }.
  static std::string sweep_text(const toml::node& node) {
    std::string text;
    if (const auto* list = node.as_array()) {
      text = "[";
      for (std::size_t e = 0; e < list->size(); ++e)
        text += (e ? ", " : "") + sweep_text(*list->get(e));
      text += "]";
    } else if (const auto* table = node.as_table()) {
      std::vector<std::pair<const toml::node*, std::string>> entries;
      for (auto&& [key, value] : *table) entries.push_back({&value, std::string(key.str())});
      std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first->source().begin.line, a.first->source().begin.column) <
               std::tie(b.first->source().begin.line, b.first->source().begin.column);
      });
      text = "{ ";
      for (std::size_t e = 0; e < entries.size(); ++e)
        text += (e ? ", " : "") + entries[e].second + " = " + sweep_text(*entries[e].first);
      text += entries.empty() ? "}" : " }";
    } else {
      return value_text(node);
    }
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
  }

  std::string line_of(const toml::node& node) const {
    return display_ + ":" + std::to_string(node.source().begin.line);
  }

  // A swept parameter with its (line, column), to restore file order.
  using FoundParameter = std::pair<std::pair<unsigned, unsigned>, SweepParameter>;

  void read_sweep_table(const toml::node& node) {
    const auto* table = node.as_table();
    if (!table) {
      issue(node, "sweep = " + value_text(node) +
                      " must be a table: write [sweep] followed by design and points, then "
                      "[sweep.parameters]");
      return;
    }
    const std::size_t issues_before = issues_.size();
    SweepSpec spec;
    spec.origin = line_of(node);
    std::optional<SweepDesign> design;
    bool design_valid = false;
    const toml::node *points = nullptr, *seed = nullptr, *parameters = nullptr;
    for (auto&& [key, value] : *table) {
      const std::string_view k = key.str();
      if (k == "design") {
        const auto* text = value.as_string();
        design = text ? parse_design_name(text->get()) : std::nullopt;
        if (!design)
          issue(value, "sweep.design = " + value_text(value) + " is not " + kDesignChoices);
        design_valid = design.has_value();
      } else if (k == "points") {
        points = &value;
      } else if (k == "seed") {
        seed = &value;
      } else if (k == "parameters") {
        parameters = &value;
      } else {
        issue(value, "unknown key 'sweep." + std::string(k) +
                         "' (allowed: design, points, seed, parameters)");
      }
    }
    if (!table->contains("design")) {
      issue(node,
            "[sweep] has no design: add design = \"grid\", \"lhs\", \"sobol\" or \"saltelli\"");
    }
    const std::string design_text =
        design ? "design = " + toml_quote(design_name(*design)) : std::string("this design");

    if (points) {
      const auto* n = points->as_integer();
      const std::string range = "[1, " + std::to_string(kMaxSweepPoints) + "]";
      if (!n) {
        issue(*points, "sweep.points = " + value_text(*points) +
                           " has the wrong type: expected a whole number in " + range);
      } else if (design_valid && *design == SweepDesign::Grid) {
        issue(*points, "sweep.points = " + value_text(*points) + " is not used by " + design_text +
                           " (a grid has one point per combination of the listed values): "
                           "remove it");
      } else if (n->get() < 1 || n->get() > static_cast<std::int64_t>(kMaxSweepPoints)) {
        issue(*points, "sweep.points = " + value_text(*points) + " is outside " + range);
      } else {
        spec.points = static_cast<std::size_t>(n->get());
      }
    } else if (design_valid && *design != SweepDesign::Grid) {
      issue(node, "[sweep] " + design_text + " needs points = N" +
                      (*design == SweepDesign::Saltelli
                           ? " (the base sample size: the sweep runs N * (parameters + 2) points)"
                           : " (the number of points)"));
    }

    if (seed) {
      const auto* n = seed->as_integer();
      if (!n) {
        issue(*seed, "sweep.seed = " + value_text(*seed) +
                         " has the wrong type: expected a whole number in [0, 2147483647]");
      } else if (design_valid && *design != SweepDesign::Lhs) {
        issue(*seed, "sweep.seed = " + value_text(*seed) + " is not used by " + design_text +
                         " (only design = \"lhs\" draws at random): remove it");
      } else if (n->get() < 0 || n->get() > 2147483647) {
        issue(*seed, "sweep.seed = " + value_text(*seed) + " is outside [0, 2147483647]");
      } else {
        spec.seed = static_cast<std::uint32_t>(n->get());
      }
    }

    std::vector<FoundParameter> found;
    if (!parameters) {
      issue(node,
            "[sweep] has no [sweep.parameters]: list the parameters to sweep, e.g. "
            "\"mentor.caseload\" = [5, 8, 12]");
    } else if (const auto* sub = parameters->as_table(); !sub) {
      issue(*parameters, "sweep.parameters = " + value_text(*parameters) +
                             " must be a table: write [sweep.parameters] followed by "
                             "\"name\" = [values] or \"name\" = { min = ..., max = ... }");
    } else if (sub->empty()) {
      issue(*parameters,
            "[sweep.parameters] is empty: list the parameters to sweep, e.g. "
            "\"mentor.caseload\" = [5, 8, 12]");
    } else {
      walk_sweep_parameters(*sub, "", design, found);
    }
    // File order (toml++ iterates keys alphabetically): a grid's first parameter varies slowest.
    std::stable_sort(found.begin(), found.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t a = 0; a < found.size(); ++a)
      for (std::size_t b = 0; b < a; ++b)
        if (found[a].second.index == found[b].second.index)
          issues_.push_back({found[a].first.first, found[a].first.second,
                             "sweep " + found[a].second.name + " is swept twice (also at " +
                                 found[b].second.origin + ")"});
    for (auto& f : found) spec.parameters.push_back(std::move(f.second));

    if (design_valid && issues_.size() == issues_before) {
      spec.design = *design;
      const std::size_t runs = sweep_size(spec);
      if (spec.design == SweepDesign::Grid && runs > kMaxSweepPoints) {
        std::string product;
        for (const auto& p : spec.parameters)
          product += (product.empty() ? "" : " x ") + std::to_string(p.values.size());
        issue(node, "[sweep] grid of " + product + " = " +
                        (runs == std::numeric_limits<std::size_t>::max() ? std::string("too many")
                                                                         : std::to_string(runs)) +
                        " points is more than " + std::to_string(kMaxSweepPoints) +
                        " (the most a sweep may have)");
      } else if (spec.design == SweepDesign::Saltelli && runs > kMaxSweepPoints) {
        const std::string k = std::to_string(spec.parameters.size());
        issue(*points, "sweep.points = " + value_text(*points) + " with " + k +
                           " parameters gives " + value_text(*points) + " * (" + k +
                           " + 2) = " + std::to_string(runs) + " points, more than " +
                           std::to_string(kMaxSweepPoints) + "; allowed: points in [1, " +
                           std::to_string(kMaxSweepPoints / (spec.parameters.size() + 2)) + "]");
      }
    }
    if (issues_.size() == issues_before) parsed_.sweep = std::move(spec);
  }

  void walk_sweep_parameters(const toml::table& table, const std::string& prefix,
                             std::optional<SweepDesign> design, std::vector<FoundParameter>& out) {
    for (auto&& [key, node] : table) {
      const std::string full =
          prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
      const auto* sub = node.as_table();
      if (const auto i = registry_.index(full)) {
        read_sweep_parameter(*i, node, design, out);
      } else if (const ParamAlias* alias = registry_.alias(full)) {
        issue(node, "sweep " + full + " = " + sweep_text(node) + ": " + full +
                        " is a deprecated key for element " + std::to_string(alias->element + 1) +
                        " of " + registry_.spec(alias->target).name +
                        ", a list parameter, which cannot be swept; write one scenario file "
                        "per list and run them together");
      } else if (sub && (is_group(registry_, full) ||
                         (!sub->empty() && !sub->contains("min") && !sub->contains("max")))) {
        walk_sweep_parameters(*sub, full, design, out);
      } else {
        issue(node, "sweep: unknown parameter '" + full + "'" + did_you_mean(registry_, full));
      }
    }
  }

  void read_sweep_parameter(std::size_t i, const toml::node& node,
                            std::optional<SweepDesign> design, std::vector<FoundParameter>& out) {
    const ParamSpec& spec = registry_.spec(i);
    const std::string label = "sweep " + spec.name;
    const std::string written = label + " = " + sweep_text(node);
    if (spec.name == "run.seed") {
      issue(node, written +
                      ": run.seed cannot be swept; every point runs with the scenario's "
                      "seed, so that points differ only by their parameters (common "
                      "random numbers)");
      return;
    }
    if (spec.name == "run.replicates") {
      issue(node, written +
                      ": run.replicates cannot be swept; set it for the whole sweep "
                      "([run] replicates or --replicates)");
      return;
    }
    if (is_list(spec)) {
      issue(node, written + ": " + spec.name + " is a list parameter and cannot be swept; " +
                      "write one scenario file per list (e.g. " + spec.name + " = " +
                      registry_.default_text(i) + ") and run them together");
      return;
    }
    const bool ranged = spec.type == ParamType::Real || spec.type == ParamType::Integer;
    const std::string example_list =
        spec.type == ParamType::Boolean ? "[false, true]"
        : spec.type == ParamType::Choice
            ? "[" + registry_.format_value(i, 0) + ", " + registry_.format_value(i, spec.max) + "]"
            : "[" + registry_.format_value(i, spec.min) + ", " +
                  registry_.format_value(i, spec.max) + "]";
    SweepParameter p;
    p.index = i;
    p.name = spec.name;
    p.origin = line_of(node);
    const std::size_t issues_before = issues_.size();
    if (const auto* list = node.as_array()) {
      if (design && *design != SweepDesign::Grid) {
        std::string hint = "{ min = ..., max = ... }";
        if (ranged && !list->empty() && list->front().is_number() && list->back().is_number())
          hint =
              "{ min = " + value_text(list->front()) + ", max = " + value_text(list->back()) + " }";
        issue(node, written + " is a list of values, but design = " +
                        toml_quote(design_name(*design)) + " samples a range: write " + hint +
                        (ranged ? "" : " (or use design = \"grid\")"));
        return;
      }
      if (list->empty()) {
        issue(node, written + " is an empty list: list the values to run, e.g. " + example_list);
        return;
      }
      for (const toml::node& element : *list) {
        double value = 0.0;
        const std::string reason = convert(registry_, i, element, value);
        if (!reason.empty()) {
          issue(element, label + " = " + value_text(element) + " " + reason);
          continue;
        }
        if (std::find(p.values.begin(), p.values.end(), value) != p.values.end()) {
          issue(element, written + " lists " + registry_.format_value(i, value) + " twice");
          continue;
        }
        p.values.push_back(value);
      }
    } else if (const auto* range = node.as_table()) {
      if (!ranged) {
        issue(node, written + ": " + spec.name + " is " + registry_.range_text(i) +
                        " and has no range; list its values, e.g. " + example_list +
                        ", with design = \"grid\"");
        return;
      }
      if (design && *design == SweepDesign::Grid) {
        std::string hint = example_list;
        const auto* lo = range->get("min");
        const auto* hi = range->get("max");
        if (lo && hi && lo->is_number() && hi->is_number())
          hint = "[" + value_text(*lo) + ", " + value_text(*hi) + "]";
        issue(node, written + " is a range, but design = \"grid\" needs a list of values, e.g. " +
                        hint + " (or use design = \"lhs\", \"sobol\" or \"saltelli\")");
        return;
      }
      bool unknown_key = false;
      for (auto&& [key, value] : *range)
        if (key.str() != "min" && key.str() != "max") {
          issue(value, "unknown key '" + std::string(key.str()) + "' in the range of " + label +
                           " (allowed: min, max)");
          unknown_key = true;
        }
      std::optional<double> bounds[2];
      const char* names[2] = {"min", "max"};
      for (int b = 0; b < 2; ++b) {
        const toml::node* bound = range->get(names[b]);
        if (!bound && unknown_key) continue;  // the unknown key is the problem to report
        if (!bound) {
          issue(node, written + " has no " + names[b] +
                          ": write { min = " + registry_.format_value(i, spec.min) +
                          ", max = " + registry_.format_value(i, spec.max) +
                          " } or a range inside " + registry_.range_text(i));
          continue;
        }
        double value = 0.0;
        const std::string reason = convert(registry_, i, *bound, value);
        if (!reason.empty()) {
          issue(*bound, label + " " + names[b] + " = " + value_text(*bound) + " " + reason);
          continue;
        }
        bounds[b] = value;
      }
      if (bounds[0] && bounds[1] && !(*bounds[0] < *bounds[1])) {
        issue(node, written + ": min must be below max (allowed: " + registry_.range_text(i) + ")");
      } else if (bounds[0] && bounds[1]) {
        p.min = *bounds[0];
        p.max = *bounds[1];
      }
    } else {
      issue(node, written + " is a single value; a sweep needs a list of values, e.g. " +
                      example_list + " (design = \"grid\")" +
                      (ranged ? ", or a range { min = ..., max = ... } inside " +
                                    registry_.range_text(i) + " (lhs, sobol, saltelli)"
                              : std::string()));
      return;
    }
    if (issues_.size() == issues_before)
      out.push_back({{node.source().begin.line, node.source().begin.column}, std::move(p)});
  }

  static inline const std::string kDesignChoices =
      "one of \"grid\", \"lhs\", \"sobol\", \"saltelli\"";

  const Registry& registry_;
  const std::string& display_;
  ParsedFile parsed_;
  std::vector<Issue> issues_;
  std::vector<std::pair<std::size_t, unsigned>> alias_lines_;  // (assignment, line) of each alias
};

// One scenario source in an inheritance chain.
struct Source {
  std::string text;
  std::string display;   // the path shown in messages and origins, or "builtin:NAME"
  std::string identity;  // what cycle detection compares: canonical path or "builtin:NAME"
};

std::string identity_of(const std::string& display) {
  if (is_builtin_path(display)) return display;
  std::error_code error;
  const fs::path canonical = fs::weakly_canonical(display, error);
  return error ? fs::absolute(display, error).lexically_normal().string() : canonical.string();
}

// Whether a file holds nothing but whitespace.
bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Reads a whole file; on failure returns nullopt and the system's reason.
std::optional<std::string> read_file(const std::string& path, std::string& reason) {
  errno = 0;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    reason = std::strerror(errno ? errno : ENOENT);
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  std::size_t count = 0;
  bool too_large = false;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, count);
    // A scenario is a few kilobytes; this bound stops /dev/zero and the like.
    if (text.size() > kMaxScenarioBytes) {
      too_large = true;
      break;
    }
  }
  const bool failed = std::ferror(file) != 0;
  const int saved = errno;
  std::fclose(file);
  if (too_large) {
    reason = "larger than 16 MiB; not a scenario file";
    return std::nullopt;
  }
  if (failed) {
    reason = std::strerror(saved ? saved : EIO);
    return std::nullopt;
  }
  return text;
}

class ChainResolver {
 public:
  ChainResolver(const Registry& registry, EmbeddedLookup embedded, Scenario& scenario)
      : registry_(registry), embedded_(embedded), scenario_(scenario) {}

  // Applies `source` and everything it inherits to the scenario's values; returns what the
  // source itself says (name, question).
  ParsedFile resolve(const Source& source) {
    ParsedFile parsed = FileParser(registry_, source.display).parse(source.text);
    stack_.push_back({source.identity, source.display});
    if (parsed.inherit) {
      const std::string at = source.display + ":" + std::to_string(parsed.inherit_line) + ": ";
      Source parent = locate(*parsed.inherit, source, at);
      const auto seen = std::find_if(stack_.begin(), stack_.end(), [&](const auto& entry) {
        return entry.first == parent.identity;
      });
      if (seen != stack_.end()) {
        std::string chain;
        for (auto it = seen; it != stack_.end(); ++it) chain += it->second + " -> ";
        throw ConfigError(at + "inheritance cycle: " + chain + parent.display);
      }
      scenario_.inherit_chain.push_back(parent.display);
      resolve(parent);
    }
    for (const Assignment& a : parsed.assignments) {
      apply(registry_, scenario_.values, a);
      if (a.alias) scenario_.notes.push_back(deprecation_note(registry_, scenario_.values, a));
    }
    reset_stale_labels(registry_, scenario_.values, parsed.assignments);
    stack_.pop_back();
    return parsed;
  }

 private:
  Source builtin(std::string_view name, const std::string& at, const std::string& written) {
    const std::string_view text = embedded_ ? embedded_(name) : std::string_view{};
    if (text.empty())
      throw ConfigError(at + "inherit = " + toml_quote(written) + ": unknown built-in scenario '" +
                        std::string(name) + "'");
    const std::string display = std::string(kBuiltinPrefix) + std::string(name);
    return {std::string(text), display, display};
  }

  Source locate(const std::string& written, const Source& child, const std::string& at) {
    if (is_builtin_path(written))
      return builtin(std::string_view(written).substr(kBuiltinPrefix.size()), at, written);
    const fs::path relative(written);
    if (is_builtin_path(child.display)) {
      // Built-in scenarios are compiled from scenarios/*.toml, so a sibling file "x.toml"
      // named by one of them is the built-in scenario "x".
      if (relative.has_parent_path() || relative.extension() != ".toml")
        throw ConfigError(
            at + "inherit = " + toml_quote(written) +
            ": a built-in scenario can only inherit \"builtin:NAME\" or a sibling \"NAME.toml\"");
      return builtin(relative.stem().string(), at, written);
    }
    const fs::path path =
        relative.is_absolute() ? relative : fs::path(child.display).parent_path() / relative;
    const std::string display = path.lexically_normal().string();
    std::string reason;
    // An inherited file is named inside a scenario, so it must be an ordinary file: a FIFO or
    // a device such as /dev/stdin would block the reader (the scenario given on the command
    // line may still be a pipe, e.g. <(generate-scenario)).
    std::error_code ec;
    const auto type = fs::status(display, ec).type();
    if (type != fs::file_type::not_found && type != fs::file_type::regular && !ec)
      throw ConfigError(at + "inherit = " + toml_quote(written) + ": '" + display +
                        "' is not a regular file");
    auto text = read_file(display, reason);
    if (text && is_blank(*text)) {
      text.reset();
      reason = "empty file";
    }
    if (!text)
      throw ConfigError(at + "inherit = " + toml_quote(written) + ": cannot read inherited file '" +
                        display + "' (" + reason + ")");
    return {std::move(*text), display, identity_of(display)};
  }

  const Registry& registry_;
  EmbeddedLookup embedded_;
  Scenario& scenario_;
  std::vector<std::pair<std::string, std::string>> stack_;  // (identity, display), outermost first
};

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

ScenarioLoader::ScenarioLoader(const Registry& registry, EmbeddedLookup embedded)
    : registry_(&registry), embedded_(embedded) {}

Scenario ScenarioLoader::load_file(const std::string& path) const {
  std::string reason;
  auto text = read_file(path, reason);
  if (!text) throw ConfigError(path + ": cannot read scenario file (" + reason + ")");
  // A file with nothing in it is a failed save or copy more often than a wish for the
  // registry defaults, which a file says with a [scenario] table or a comment.
  if (is_blank(*text))
    throw ConfigError(path +
                      ": empty scenario file; for every default write at least a "
                      "[scenario] table with a name");
  return load_text(*text, path);
}

Scenario ScenarioLoader::load_builtin(std::string_view name) const {
  const std::string_view text = embedded_ ? embedded_(name) : std::string_view{};
  if (text.empty()) throw ConfigError("unknown built-in scenario '" + std::string(name) + "'");
  return load_text(text, std::string(kBuiltinPrefix) + std::string(name));
}

Scenario ScenarioLoader::load_text(std::string_view text, const std::string& display_path) const {
  Scenario scenario;
  scenario.source_path = display_path;
  scenario.text = std::string(text);
  scenario.values = ParamValues(*registry_);
  ChainResolver resolver(*registry_, embedded_, scenario);
  const ParsedFile own = resolver.resolve({scenario.text, display_path, identity_of(display_path)});
  check_labels(*registry_, scenario.values);
  if (!own.name.empty()) {
    scenario.name = own.name;
  } else if (is_builtin_path(display_path)) {
    scenario.name = display_path.substr(kBuiltinPrefix.size());
  } else {
    scenario.name = fs::path(display_path).stem().string();
  }
  if (scenario.name.empty()) scenario.name = "scenario";
  scenario.question = own.question;
  scenario.sweep = own.sweep;
  return scenario;
}

void ScenarioLoader::apply_override(Scenario& scenario, std::string_view assignment) const {
  const std::string where = "--set " + std::string(assignment) + ": ";
  const auto equals = assignment.find('=');
  if (equals == std::string_view::npos)
    throw ConfigError(where + "expected KEY=VALUE, e.g. mentor.caseload=8");
  const std::string key(trim(assignment.substr(0, equals)));
  const std::string raw(trim(assignment.substr(equals + 1)));
  if (key.empty()) throw ConfigError(where + "missing parameter name before '='");
  if (raw.empty()) throw ConfigError(where + "missing value after '='");
  const auto i = registry_->index(key);
  const ParamAlias* alias = i ? nullptr : registry_->alias(key);
  if (!i && !alias) {
    if (is_group(*registry_, key)) {
      const auto member =
          std::find_if(registry_->specs().begin(), registry_->specs().end(),
                       [&key](const ParamSpec& s) { return s.name.rfind(key + ".", 0) == 0; });
      throw ConfigError(
          where + "'" + key + "' is a table of parameters; set one of its keys, e.g. " +
          member->name + "=" +
          registry_->format_value(member - registry_->specs().begin(), member->default_value));
    }
    throw ConfigError(where + "unknown parameter '" + key + "'" + did_you_mean(*registry_, key));
  }
  std::optional<toml::table> parsed;
  try {
    parsed = toml::parse("v = " + raw, std::string_view("--set"));
  } catch (const toml::parse_error&) {
  }
  const toml::node* node = parsed && parsed->size() == 1 ? parsed->get("v") : nullptr;
  if (scenario.values.values().size() != registry_->size())
    scenario.values = ParamValues(*registry_);

  if (alias) {
    const ParamSpec& target = registry_->spec(alias->target);
    const double value = node && node->is_integer() ? static_cast<double>(node->as_integer()->get())
                         : node && node->is_floating_point() ? node->as_floating_point()->get()
                                                             : std::nan("");
    if (!std::isfinite(value) || value != std::floor(value) || value < target.min ||
        value > target.max)
      throw ConfigError(where + key + " = " + raw + " is not a whole number in [" +
                        registry_->format_value(alias->target, target.min) + ", " +
                        registry_->format_value(alias->target, target.max) +
                        "] (deprecated: element " + std::to_string(alias->element + 1) + " of " +
                        target.name + ")");
    const Assignment a{alias->target, value, "--set", {}, {}, alias};
    apply(*registry_, scenario.values, a);
    scenario.notes.push_back(deprecation_note(*registry_, scenario.values, a));
    return;
  }
  const ParamSpec& spec = registry_->spec(*i);
  if (is_list(spec)) {
    Assignment a{*i, 0.0, "--set", {}, {}, nullptr};
    const std::string reason = node
                                   ? convert_list(*registry_, *i, *node, a.list, a.texts)
                                   : "is not a valid value: expected " + registry_->range_text(*i) +
                                         ", e.g. " + spec.name + "=" + registry_->default_text(*i);
    if (!reason.empty()) throw ConfigError(where + spec.name + " = " + raw + " " + reason);
    apply(*registry_, scenario.values, a);
    // A list set by --set resets its names, unless they were set by --set too.
    for (std::size_t t = 0; t < registry_->size(); ++t)
      if (registry_->spec(t).type == ParamType::TextList &&
          registry_->list_spec(t).labels == spec.name && scenario.values.origin(t) != "--set" &&
          !scenario.values.texts(t).empty())
        scenario.values.set_texts(
            t, {}, "--set (" + spec.name + " set without " + registry_->spec(t).name + ")");
    check_labels(*registry_, scenario.values);
    return;
  }

  double value = 0.0;
  if (node) {
    const std::string reason = convert(*registry_, *i, *node, value);
    if (!reason.empty())
      throw ConfigError(where + spec.name + " = " + value_text(*node) + " " + reason);
  } else if (spec.type == ParamType::Choice) {
    const auto found = std::find(spec.choices.begin(), spec.choices.end(), raw);
    if (found == spec.choices.end())
      throw ConfigError(where + spec.name + " = " + raw + " is not " + registry_->range_text(*i));
    value = static_cast<double>(found - spec.choices.begin());
  } else {
    throw ConfigError(where + spec.name + " = " + raw + " is not a valid value: expected " +
                      expected_text(*registry_, *i));
  }
  scenario.values.set(*i, value, "--set");
}

std::string toml_value_text(const toml::node& node) {
  return value_text(node);
}

std::string read_input_file(const std::string& path, const std::string& what) {
  std::string reason;
  auto text = read_file(path, reason);
  if (!text) throw ConfigError(path + ": cannot read " + what + " (" + reason + ")");
  if (is_blank(*text)) throw ConfigError(path + ": empty " + what);
  return *text;
}

toml::table parse_toml_input(const std::string& text, const std::string& display) {
  try {
    return toml::parse(text, std::string_view(display));
  } catch (const toml::parse_error& error) {
    throw ConfigError(display + ":" + std::to_string(error.source().begin.line) + ":" +
                      std::to_string(error.source().begin.column) +
                      ": TOML syntax error: " + std::string(error.description()));
  }
}

}  // namespace asim
