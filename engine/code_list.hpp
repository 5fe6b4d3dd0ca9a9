// The list of codes in a unit text, as the output catalogues (models/results.hpp) write it and
// schema_version 1 result files stored it in `units`: "0 open, 1 closed" (code, space, meaning;
// comma-separated) or "0/1" (no, yes). The result writer turns it into CF flag attributes; the
// exporter reads it back from old files for SPSS value labels.
#pragma once
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asim {

// The (code, meaning) pairs of `unit`, or nullopt when it is not a list of codes (a unit such
// as "days", a range such as "1-5", empty).
inline std::optional<std::vector<std::pair<long long, std::string>>> parse_code_list(
    std::string_view unit) {
  if (unit == "0/1") return std::vector<std::pair<long long, std::string>>{{0, "no"}, {1, "yes"}};
  if (unit.empty() || !std::isdigit(static_cast<unsigned char>(unit[0]))) return std::nullopt;
  std::vector<std::pair<long long, std::string>> out;
  for (std::size_t at = 0; at < unit.size();) {
    std::size_t comma = unit.find(", ", at);
    if (comma == std::string_view::npos) comma = unit.size();
    const auto item = unit.substr(at, comma - at);
    const auto space = item.find(' ');
    long long code = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), code);
    if (space == std::string_view::npos || ec != std::errc() || ptr != item.data() + space)
      return std::nullopt;
    out.emplace_back(code, std::string(item.substr(space + 1)));
    at = comma + 2;
  }
  return out;
}

}  // namespace asim
