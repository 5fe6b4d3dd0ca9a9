// Result tables: named columns, rows of cells, and their output as aligned text, CSV and JSON.
#pragma once
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace asim {

// A cell: NA (monostate), text, a number or a count.
using Cell = std::variant<std::monostate, std::string, double, long long>;

// Cells from values: a number (NaN gives NA), a count, a text.
inline Cell num(double v) {
  return v != v ? Cell{} : Cell{v};
}
inline Cell count(long long v) {
  return Cell{v};
}
inline Cell text(std::string s) {
  return Cell{std::move(s)};
}

struct Table {
  std::string name, title;
  std::vector<std::string> notes;  // how to read it: printed in text and JSON, not in CSV
  std::vector<std::string> columns;
  std::vector<std::vector<Cell>> rows;
  bool in_text = true;  // false: in CSV/JSON, and in text only when asked for with --table
};

// Output of a list of tables. `only` names one table (ConfigError listing the tables for an
// unknown name) or is empty for all.
//   text: a heading line, then per table its title, notes and aligned columns; a column "x"
//         with columns "x_ci_low" and "x_ci_high" is shown as "0.412 [0.381, 0.440]"; NA as "-";
//         p-values below 0.001 as "<0.001";
//   csv:  one block per table, a header row then data rows, each row starting with the table
//         name, blocks separated by an empty line; with `only` a single plain CSV table. Numbers
//         with 10 significant digits, missing as NA (as R and SPSS read it; pandas reads NA as
//         NaN by default);
//   json: {"file": ..., "tables": [{"name", "title", "notes", "columns", "rows": [[...]]}]},
//         missing as null.
std::string format_tables_text(const std::string& heading, const std::vector<Table>& tables,
                               const std::string& only = "");
std::string format_tables_csv(const std::vector<Table>& tables, const std::string& only = "");
std::string format_tables_json(const std::string& file, const std::vector<Table>& tables,
                               const std::string& only = "");

}  // namespace asim
