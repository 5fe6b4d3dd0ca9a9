// The parameter registry and resolved parameter values: declaration checks, validation of values,
// "did you mean" suggestions, and the listings (plain text, Markdown, TOML) generated from it.
#include "engine/params.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>

namespace asim {
namespace {

// Shortest text that reads back as exactly `value` ("0.25", "8", "1e+300", "nan", "inf").
std::string shortest(double value, std::chars_format format = std::chars_format::general) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[400];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, format);
  if (result.ec != std::errc{}) result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string_view group_of(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : name.substr(0, dot);
}

std::string_view last_component(std::string_view name) {
  const auto dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// An edit distance counts as "close" when it is small relative to the text the user typed.
bool close_enough(std::size_t distance, std::size_t typed_length) {
  return distance <= std::max<std::size_t>(2, typed_length / 3) && distance < typed_length;
}

bool valid_component(std::string_view part) {
  if (part.empty()) return false;
  return std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

bool valid_name(std::string_view name) {
  std::size_t start = 0;
  while (true) {
    const auto dot = name.find('.', start);
    if (!valid_component(name.substr(start, dot == std::string_view::npos ? dot : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool starts_with_group(std::string_view name, std::string_view group) {
  return name.size() > group.size() && name.substr(0, group.size()) == group &&
         name[group.size()] == '.';
}

std::string escape_markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// Groups (TOML tables) in order of first declaration, each with its parameters' indices.
std::vector<std::pair<std::string, std::vector<std::size_t>>> grouped(
    const std::vector<ParamSpec>& specs) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> groups;
  std::map<std::string, std::size_t, std::less<>> position;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const std::string group(group_of(specs[i].name));
    auto [it, inserted] = position.try_emplace(group, groups.size());
    if (inserted) groups.emplace_back(group, std::vector<std::size_t>{});
    groups[it->second].second.push_back(i);
  }
  // Top-level keys must precede every table in TOML, so the unnamed group goes first.
  std::stable_partition(groups.begin(), groups.end(),
                        [](const auto& group) { return group.first.empty(); });
  return groups;
}

}  // namespace

bool is_list(const ParamSpec& spec) {
  return spec.type == ParamType::IntegerList || spec.type == ParamType::TextList;
}

std::size_t Registry::add(ParamSpec spec, ListSpec list) {
  const auto fail = [&spec](const std::string& why) {
    throw std::logic_error("parameter '" + spec.name + "': " + why);
  };
  if (!valid_name(spec.name))
    fail("name must be dot-separated parts of letters, digits, '_' or '-'");
  if (spec.name == "inherit" || spec.name == "scenario" || starts_with_group(spec.name, "scenario"))
    fail("'inherit' and the [scenario] table are reserved for scenario files");
  if (index(spec.name)) fail("declared twice");
  for (const auto& other : specs_) {
    if (starts_with_group(other.name, spec.name) || starts_with_group(spec.name, other.name))
      fail("clashes with '" + other.name + "': a name cannot be both a value and a table");
  }
  if (spec.meaning.empty()) fail("meaning is empty");
  if (spec.source.empty())
    fail("source is empty (cite a study or a docs/evidence.md section, or write \"assumption\")");
  if (spec.type == ParamType::Boolean) {
    spec.min = 0;
    spec.max = 1;
  } else if (spec.type == ParamType::Choice) {
    if (spec.choices.empty()) fail("a choice needs at least one label");
    for (std::size_t a = 0; a < spec.choices.size(); ++a) {
      if (spec.choices[a].empty()) fail("a choice label is empty");
      for (std::size_t b = 0; b < a; ++b)
        if (spec.choices[a] == spec.choices[b])
          fail("choice label '" + spec.choices[a] + "' repeats");
    }
    spec.min = 0;
    spec.max = static_cast<double>(spec.choices.size()) - 1;
  } else if (spec.type == ParamType::IntegerList) {
    if (spec.classroom) fail("a list cannot be a classroom control");
    spec.default_value = static_cast<double>(list.default_list.size());
  } else if (spec.type == ParamType::TextList) {
    const auto target = index(list.labels);
    if (!target || specs_[*target].type != ParamType::IntegerList)
      fail("a text list must name the elements of a list parameter declared before it");
    spec.default_value = static_cast<double>(list.default_texts.size());
    spec.min = spec.max = 0;
  }
  if (std::isnan(spec.min) || std::isnan(spec.max) || spec.min > spec.max)
    fail("range [" + shortest(spec.min) + ", " + shortest(spec.max) + "] is empty");
  if (!is_list(spec) &&
      (!list.default_list.empty() || !list.default_texts.empty() || !list.labels.empty()))
    fail("only a list parameter has a default list");
  specs_.push_back(std::move(spec));
  lists_.push_back(std::move(list));
  const ParamSpec& added = specs_.back();
  const std::string reason = added.type == ParamType::IntegerList
                                 ? check_list(specs_.size() - 1, lists_.back().default_list)
                             : added.type == ParamType::TextList
                                 ? check_texts(specs_.size() - 1, lists_.back().default_texts)
                                 : check(specs_.size() - 1, added.default_value);
  if (!reason.empty()) {
    std::string message = "parameter '" + specs_.back().name + "': default " +
                          shortest(specs_.back().default_value) + " " + reason;
    specs_.pop_back();
    lists_.pop_back();
    throw std::logic_error(message);
  }
  return specs_.size() - 1;
}

void Registry::add_alias(std::string name, std::string_view target, std::size_t element,
                         std::string note) {
  const auto fail = [&name](const std::string& why) {
    throw std::logic_error("alias '" + name + "': " + why);
  };
  if (!valid_name(name)) fail("name must be dot-separated parts of letters, digits, '_' or '-'");
  if (index(name) || alias(name)) fail("declared twice");
  const auto i = index(target);
  if (!i || specs_[*i].type != ParamType::IntegerList)
    fail("must set an element of a list parameter declared before it");
  if (element >= lists_[*i].default_list.size())
    fail("sets an element the default list does not have");
  aliases_.push_back({std::move(name), *i, element, std::move(note)});
}

const ParamAlias* Registry::alias(std::string_view name) const {
  for (const auto& a : aliases_)
    if (a.name == name) return &a;
  return nullptr;
}

std::optional<std::size_t> Registry::index(std::string_view name) const {
  for (std::size_t i = 0; i < specs_.size(); ++i)
    if (specs_[i].name == name) return i;
  return std::nullopt;
}

std::vector<std::string> suggest_names(std::string_view name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max) {
  struct Candidate {
    std::size_t score, full_distance;
    const std::string* name;
  };
  std::vector<Candidate> ranked;
  const std::string_view typed_last = last_component(name);
  for (const auto& candidate : candidates) {
    const std::size_t full = edit_distance(name, candidate);
    const std::size_t last = edit_distance(typed_last, last_component(candidate));
    const bool full_close = close_enough(full, name.size());
    const bool last_close = close_enough(last, typed_last.size());
    if (!full_close && !last_close) continue;
    const std::size_t score =
        full_close && last_close ? std::min(full, last) : (full_close ? full : last);
    ranked.push_back({score, full, &candidate});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.score, a.full_distance, *a.name) <
           std::tie(b.score, b.full_distance, *b.name);
  });
  std::vector<std::string> names;
  for (std::size_t i = 0; i < ranked.size() && i < max; ++i) names.push_back(*ranked[i].name);
  return names;
}

std::string did_you_mean_hint(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  std::string hint = " (did you mean ";
  for (std::size_t k = 0; k < names.size(); ++k)
    hint += (k == 0 ? "" : k + 1 == names.size() ? " or " : ", ") + ("'" + names[k] + "'");
  return hint + "?)";
}

std::vector<std::string> Registry::suggestions(std::string_view name, std::size_t max) const {
  std::vector<std::string> names;
  names.reserve(specs_.size());
  for (const auto& spec : specs_) names.push_back(spec.name);
  return suggest_names(name, names, max);
}

std::string Registry::check(std::size_t i, double value) const {
  const ParamSpec& spec = specs_.at(i);
  if (is_list(spec)) return "must be a list: " + range_text(i);
  if (!std::isfinite(value)) return "is not a finite number";
  switch (spec.type) {
    case ParamType::Integer:
      if (value != std::floor(value)) return "must be a whole number";
      break;
    case ParamType::Boolean:
      if (value != 0.0 && value != 1.0) return "must be true or false";
      return {};
    case ParamType::Choice:
      if (value != std::floor(value) || value < spec.min || value > spec.max)
        return "is not " + range_text(i);
      return {};
    case ParamType::Real:
    case ParamType::IntegerList:
    case ParamType::TextList:
      break;
  }
  if (value < spec.min || value > spec.max) return "is outside " + range_text(i);
  return {};
}

std::string Registry::check_list(std::size_t i, const std::vector<double>& list) const {
  const ParamSpec& spec = specs_.at(i);
  const std::string range = "[" + shortest(spec.min, std::chars_format::fixed) + ", " +
                            shortest(spec.max, std::chars_format::fixed) + "]";
  if (list.empty()) return "is empty: list at least one whole number in " + range;
  for (std::size_t e = 0; e < list.size(); ++e) {
    const double v = list[e];
    if (!std::isfinite(v)) return "has " + shortest(v) + ", not a finite number";
    if (v != std::floor(v)) return "has " + shortest(v) + ", not a whole number";
    if (v < spec.min || v > spec.max)
      return "has " + shortest(v, std::chars_format::fixed) + " outside " + range;
    if (e > 0 && !(list[e - 1] < v))
      return "is not strictly increasing: " + shortest(list[e - 1], std::chars_format::fixed) +
             " then " + shortest(v, std::chars_format::fixed) + " (allowed: " + range_text(i) + ")";
  }
  return {};
}

std::string Registry::check_texts(std::size_t, const std::vector<std::string>& texts) const {
  for (std::size_t a = 0; a < texts.size(); ++a) {
    if (texts[a].empty()) return "has an empty name";
    for (std::size_t b = 0; b < a; ++b)
      if (texts[a] == texts[b]) return "names " + toml_quote(texts[a]) + " twice";
  }
  return {};
}

std::string Registry::format_list(std::size_t i, const std::vector<double>& list) const {
  std::string text = "[";
  for (std::size_t e = 0; e < list.size(); ++e)
    text += (e ? ", " : "") + shortest(list[e], specs_.at(i).type == ParamType::IntegerList
                                                    ? std::chars_format::fixed
                                                    : std::chars_format::general);
  return text + "]";
}

std::string Registry::format_texts(const std::vector<std::string>& texts) const {
  std::string text = "[";
  for (std::size_t e = 0; e < texts.size(); ++e) text += (e ? ", " : "") + toml_quote(texts[e]);
  return text + "]";
}

std::string Registry::default_text(std::size_t i) const {
  const ParamSpec& spec = specs_.at(i);
  if (spec.type == ParamType::IntegerList) return format_list(i, lists_[i].default_list);
  if (spec.type == ParamType::TextList) return format_texts(lists_[i].default_texts);
  return format_value(i, spec.default_value);
}

std::string Registry::format_value(std::size_t i, double value) const {
  const ParamSpec& spec = specs_.at(i);
  switch (spec.type) {
    case ParamType::Integer:
      return shortest(value, std::chars_format::fixed);
    case ParamType::Boolean:
      return value != 0.0 ? "true" : "false";
    case ParamType::Choice:
      if (value == std::floor(value) && value >= 0 &&
          value < static_cast<double>(spec.choices.size()))
        return toml_quote(spec.choices[static_cast<std::size_t>(value)]);
      return shortest(value);
    case ParamType::Real:
    case ParamType::IntegerList:
    case ParamType::TextList:
      break;
  }
  return shortest(value);
}

std::string Registry::range_text(std::size_t i) const {
  const ParamSpec& spec = specs_.at(i);
  switch (spec.type) {
    case ParamType::Boolean:
      return "true or false";
    case ParamType::Choice: {
      std::string text = "one of ";
      for (std::size_t c = 0; c < spec.choices.size(); ++c)
        text += (c ? ", " : "") + toml_quote(spec.choices[c]);
      return text;
    }
    case ParamType::IntegerList:
      return "a list of whole numbers in [" + shortest(spec.min, std::chars_format::fixed) + ", " +
             shortest(spec.max, std::chars_format::fixed) + "], at least one, strictly increasing";
    case ParamType::TextList:
      return "a list of distinct non-empty strings, one per element of " + lists_[i].labels +
             ", or [] for the default names";
    case ParamType::Integer:
    case ParamType::Real:
      break;
  }
  const auto format =
      spec.type == ParamType::Integer ? std::chars_format::fixed : std::chars_format::general;
  std::string text = "[";
  text += shortest(spec.min, format);
  text += ", ";
  text += shortest(spec.max, format);
  text += ']';
  return text;
}

std::string Registry::table() const {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"name", "default", "range", "unit", "meaning", "source"});
  for (std::size_t i = 0; i < specs_.size(); ++i) {
    const ParamSpec& spec = specs_[i];
    rows.push_back({spec.name, default_text(i), range_text(i), spec.unit.empty() ? "-" : spec.unit,
                    spec.meaning, spec.source});
  }
  std::array<std::size_t, 6> width{};
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string text;
  const auto append_row = [&](const std::array<std::string, 6>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + '\n';
  };
  append_row(rows[0]);
  std::array<std::string, 6> rule;
  for (std::size_t c = 0; c < rule.size(); ++c) rule[c] = std::string(width[c], '-');
  append_row(rule);
  for (std::size_t r = 1; r < rows.size(); ++r) append_row(rows[r]);
  return text;
}

std::string Registry::markdown() const {
  std::string text =
      "# Parameters\n\n"
      "This file is generated by `alliance-sim params --markdown` from the parameter registry; "
      "do not edit it by hand.\n"
      "Each table below is a TOML table of a scenario file; ranges are inclusive.\n";
  for (const auto& [group, members] : grouped(specs_)) {
    text += "\n## " + (group.empty() ? std::string("Top level") : "[" + group + "]") + "\n\n";
    text += "| Name | Default | Range | Unit | Meaning | Source |\n";
    text += "|---|---|---|---|---|---|\n";
    for (std::size_t i : members) {
      const ParamSpec& spec = specs_[i];
      text += "| `" + spec.name + "` | " + escape_markdown_cell(default_text(i)) + " | " +
              escape_markdown_cell(range_text(i)) + " | " + escape_markdown_cell(spec.unit) +
              " | " + escape_markdown_cell(spec.meaning) + " | " +
              escape_markdown_cell(spec.source) + " |\n";
    }
  }
  if (!aliases_.empty()) {
    text +=
        "\n## Deprecated keys\n\n"
        "Older scenario files may still use these keys. Each sets one element of a list "
        "parameter, which must then have that many elements; results are those of the list "
        "with that element set. A file that sets both such a key and its list is an error; "
        "a list parameter cannot be swept. Write the list instead.\n\n"
        "| Key | Sets | Meaning |\n|---|---|---|\n";
    for (const auto& a : aliases_)
      text += "| `" + a.name + "` | element " + std::to_string(a.element + 1) + " of `" +
              specs_[a.target].name + "` | " + escape_markdown_cell(a.note) + " |\n";
  }
  return text;
}

ParamValues::ParamValues(const Registry& registry)
    : registry_(&registry),
      values_(registry.size()),
      lists_(registry.size()),
      texts_(registry.size()),
      origins_(registry.size(), "default") {
  for (std::size_t i = 0; i < registry.size(); ++i) {
    values_[i] = registry.spec(i).default_value;
    lists_[i] = registry.list_spec(i).default_list;
    texts_[i] = registry.list_spec(i).default_texts;
  }
}

void ParamValues::set_list(std::size_t i, std::vector<double> list, std::string origin) {
  values_.at(i) = static_cast<double>(list.size());
  lists_.at(i) = std::move(list);
  origins_.at(i) = std::move(origin);
}

void ParamValues::set_texts(std::size_t i, std::vector<std::string> texts, std::string origin) {
  values_.at(i) = static_cast<double>(texts.size());
  texts_.at(i) = std::move(texts);
  origins_.at(i) = std::move(origin);
}

double ParamValues::get(std::string_view name) const {
  const auto i = registry_ ? registry_->index(name) : std::nullopt;
  if (!i) throw std::out_of_range("unknown parameter '" + std::string(name) + "'");
  return values_[*i];
}

void ParamValues::set(std::size_t i, double value, std::string origin) {
  values_.at(i) = value;
  origins_.at(i) = std::move(origin);
}

void ParamValues::set(std::string_view name, double value, std::string origin) {
  const auto i = registry_ ? registry_->index(name) : std::nullopt;
  if (!i) throw std::out_of_range("unknown parameter '" + std::string(name) + "'");
  set(*i, value, std::move(origin));
}

std::string ParamValues::to_toml() const {
  if (!registry_) return {};
  std::string text = "# Fully resolved parameters; each comment says where the value came from.\n";
  for (const auto& [group, members] : grouped(registry_->specs())) {
    if (!group.empty()) text += "\n[" + group + "]\n";
    for (std::size_t i : members) {
      const ParamSpec& spec = registry_->spec(i);
      std::string value = spec.type == ParamType::IntegerList ? registry_->format_list(i, lists_[i])
                          : spec.type == ParamType::TextList
                              ? registry_->format_texts(texts_[i])
                              : registry_->format_value(i, values_[i]);
      // A real written without '.' or exponent would read back as a TOML integer, which can
      // overflow 64 bits or lose the sign of -0.0; ".0" keeps it a float.
      if (spec.type == ParamType::Real && value.find_first_of(".eni") == std::string::npos)
        value += ".0";
      std::string origin = origins_[i];
      std::replace_if(
          origin.begin(), origin.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
      text += std::string(last_component(spec.name)) + " = " + value + "  # " + origin + "\n";
    }
  }
  return text;
}

// A TOML basic string: quoted, with quotes, backslashes and control characters escaped.
std::string toml_quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace asim
