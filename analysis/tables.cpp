// Text, CSV and JSON output of result tables (see tables.hpp).
#include "analysis/tables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "engine/errors.hpp"

namespace asim {

namespace {

std::vector<const Table*> chosen(const std::vector<Table>& tables, const std::string& only,
                                 bool text_mode) {
  std::vector<const Table*> out;
  std::string names;
  for (const auto& t : tables) {
    if (only.empty() ? (!text_mode || t.in_text) : t.name == only) out.push_back(&t);
    names += (names.empty() ? "" : ", ") + t.name;
  }
  if (!only.empty() && out.empty())
    throw ConfigError("--table " + only + ": unknown table (tables: " + names + ")");
  return out;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string format_number(double v, const std::string& column) {
  char buf[64];
  if (column == "p") {
    if (v < 0.001) return "<0.001";
    std::snprintf(buf, sizeof buf, "%.3f", v);
  } else if (ends_with(column, "_pct") || column == "youth_days" || column == "mean_n") {
    std::snprintf(buf, sizeof buf, "%.1f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f", v);
  }
  return buf;
}

std::string text_cell(const Cell& c, const std::string& column) {
  if (std::holds_alternative<std::monostate>(c)) return "-";
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<long long>(&c)) return std::to_string(*i);
  return format_number(std::get<double>(c), column);
}

std::string csv_cell(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "NA";
  if (const auto* i = std::get_if<long long>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", *d);
    return buf;
  }
  const auto& s = std::get<std::string>(c);
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    if (ch == '"' || ch == '\\')
      out += '\\', out += static_cast<char>(ch);
    else if (ch == '\n')
      out += "\\n";
    else if (ch < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", ch);
      out += buf;
    } else
      out += static_cast<char>(ch);
  }
  return out + "\"";
}

std::string json_cell(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return "null";
  if (const auto* s = std::get_if<std::string>(&c)) return json_string(*s);
  return csv_cell(c);
}

}  // namespace

std::string format_tables_text(const std::string& heading, const std::vector<Table>& tables,
                               const std::string& only) {
  std::ostringstream o;
  o << heading << "\n";
  for (const Table* t : chosen(tables, only, true)) {
    o << "\n" << t->title << "   [" << t->name << "]\n";
    for (const auto& note : t->notes) o << "  " << note << "\n";
    // Merge "x", "x_ci_low", "x_ci_high" into one column "x [95% CI]".
    struct Col {
      std::string header;
      std::size_t value, low, high;  // low == high == npos: a plain column
    };
    constexpr std::size_t npos = std::string::npos;
    auto find_column = [&](const std::string& name) {
      const auto it = std::find(t->columns.begin(), t->columns.end(), name);
      return it == t->columns.end() ? npos : static_cast<std::size_t>(it - t->columns.begin());
    };
    std::vector<Col> cols;
    for (std::size_t c = 0; c < t->columns.size(); ++c) {
      const auto& name = t->columns[c];
      if (ends_with(name, "_ci_low") || ends_with(name, "_ci_high")) continue;
      const std::size_t low = find_column(name + "_ci_low"), high = find_column(name + "_ci_high");
      if (low != npos && high != npos)
        cols.push_back({name + " [95% CI]", c, low, high});
      else
        cols.push_back({name, c, npos, npos});
    }
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : t->rows) {
      std::vector<std::string> line;
      for (const auto& col : cols) {
        std::string s = text_cell(row[col.value], t->columns[col.value]);
        if (col.low != npos && !std::holds_alternative<std::monostate>(row[col.low]))
          s += " [" + text_cell(row[col.low], t->columns[col.value]) + ", " +
               text_cell(row[col.high], t->columns[col.value]) + "]";
        line.push_back(s);
      }
      cells.push_back(line);
    }
    std::vector<std::size_t> width(cols.size());
    for (std::size_t c = 0; c < cols.size(); ++c) {
      width[c] = cols[c].header.size();
      for (const auto& line : cells) width[c] = std::max(width[c], line[c].size());
    }
    auto print = [&](const std::vector<std::string>& line) {
      o << " ";
      for (std::size_t c = 0; c < line.size(); ++c) {
        const bool left = c == 0 || std::holds_alternative<std::string>(
                                        t->rows.empty() ? Cell{} : t->rows[0][cols[c].value]);
        const std::string pad(width[c] - line[c].size(), ' ');
        o << " " << (left ? line[c] + pad : pad + line[c]);
      }
      o << "\n";
    };
    std::vector<std::string> header;
    for (const auto& col : cols) header.push_back(col.header);
    print(header);
    for (const auto& line : cells) print(line);
  }
  return o.str();
}

std::string format_tables_csv(const std::vector<Table>& tables, const std::string& only) {
  std::ostringstream o;
  bool first = true;
  for (const Table* t : chosen(tables, only, false)) {
    if (!first) o << "\n";
    first = false;
    const bool block = only.empty();
    if (block) o << "table,";
    for (std::size_t c = 0; c < t->columns.size(); ++c) o << (c ? "," : "") << t->columns[c];
    o << "\n";
    for (const auto& row : t->rows) {
      if (block) o << t->name << ",";
      for (std::size_t c = 0; c < row.size(); ++c) o << (c ? "," : "") << csv_cell(row[c]);
      o << "\n";
    }
  }
  return o.str();
}

std::string format_tables_json(const std::string& file, const std::vector<Table>& tables,
                               const std::string& only) {
  std::ostringstream o;
  o << "{\n  \"file\": " << json_string(file) << ",\n  \"tables\": [";
  bool first = true;
  for (const Table* t : chosen(tables, only, false)) {
    o << (first ? "\n" : ",\n") << "    {\"name\": " << json_string(t->name)
      << ", \"title\": " << json_string(t->title) << ",\n     \"notes\": [";
    first = false;
    for (std::size_t i = 0; i < t->notes.size(); ++i)
      o << (i ? ", " : "") << json_string(t->notes[i]);
    o << "],\n     \"columns\": [";
    for (std::size_t i = 0; i < t->columns.size(); ++i)
      o << (i ? ", " : "") << json_string(t->columns[i]);
    o << "],\n     \"rows\": [";
    for (std::size_t r = 0; r < t->rows.size(); ++r) {
      o << (r ? ",\n       [" : "\n       [");
      for (std::size_t c = 0; c < t->rows[r].size(); ++c)
        o << (c ? ", " : "") << json_cell(t->rows[r][c]);
      o << "]";
    }
    o << "]}";
  }
  o << "\n  ]\n}\n";
  return o.str();
}

}  // namespace asim
