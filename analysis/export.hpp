// `alliance-sim export`: a result file as a tidy CSV panel that R, SPSS and pandas read directly.
//
//   long: one row per scenario x replicate x youth x wave:
//         scenario, replicate, youth, wave, wave_day, <every youth/static field>,
//         <every youth/waves measure>, <every outcomes field>
//   wide: one row per scenario x replicate x youth:
//         scenario, replicate, youth, <every youth/static field>,
//         <every measure suffixed by wave name: alliance_youth_first, alliance_youth_3m, ...;
//          characters other than letters and digits as '_', "day 30" -> alliance_youth_day_30>,
//         <every outcomes field>
//
// Conventions of the CSV (RFC 4180, UTF-8, "\n" line ends, a header row):
//   - missing values are written NA: R's read.csv and SPSS (GET DATA ... /NA) read NA as
//     missing, pandas' read_csv reads NA as NaN by default. A measure is NA at every wave after
//     the youth left care; an integer field the file marks missing with -1 is NA, so exit_day is
//     NA for a youth still in care on the last wave day;
//   - replicate and youth are 0-based, as in the file; wave is the wave's name (the attribute
//     names of youth/waves/wave; waves/day in schema_version 1), by default ("first", "3m",
//     "6m", "9m"), one per wave of the scenario (waves.days, any number), and wave_day its day
//     since admission;
//   - codes are kept as stored (setting 0 open / 1 closed, profile 0/1/2, exit_reason 0-4; see
//     docs/hdf5-schema.md); float32 values are written in the shortest form that reads back to
//     the same float32;
//   - columns: the datasets of schema_version 1 in documented order, then any others the file
//     holds, alphabetically; static fields, measures and outcomes share no names.
// Beside the CSV it writes SPSS syntax (x.csv -> x.sps; x.sps -> x.sps.sps): GET DATA reading
// the CSV with every column's type, VARIABLE LABELS (each dataset's long_name, with its scale),
// and VALUE LABELS for every coded column, from the datasets' own attributes: flag_values and
// flag_meanings (schema_version 2), or the codes schema_version 1 wrote in `units`
// ("0 open, 1 closed"). PSPP runs it as well as SPSS.
// Only the first `replicates_written` replicates of each scenario are exported. The file is
// written to "<output>.partial" and renamed when complete (engine/atomic_output.hpp), and so is
// the syntax file; an existing output or syntax file is replaced only with overwrite. Memory:
// one replicate at a time.
#pragma once
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"

namespace asim {

struct ExportRequest {
  std::string output;           // CSV path
  std::string format = "long";  // "long" or "wide"
  std::string scenario;         // empty: every scenario
  bool overwrite = false;
};

struct ExportSummary {
  long long rows = 0;  // data rows (without the header)
  std::vector<std::string> columns;
  std::string syntax_file;  // the SPSS syntax file written beside the CSV
};

// Throws ConfigError for a bad format, an unknown scenario, a file lacking a documented dataset,
// scenarios with different datasets, or an existing output without overwrite; RuntimeFailure
// when writing fails (the .partial is then removed).
ExportSummary export_csv(const ResultFile& file, const ExportRequest& request);

}  // namespace asim
