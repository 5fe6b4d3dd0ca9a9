// `alliance-sim report calib.h5 -o calib.html`: one self-contained HTML file on a calibration
// (docs/calibration.md): the plain-language summary, each target against its simulated value
// over the posterior (standardised, with the central 95 % of the particles), the posterior
// marginal of every free parameter against its prior range, pairwise scatter plots of the free
// parameters, and the tolerance and effective sample size per generation. Charts are drawn with
// analysis/svg.hpp like the result-file report, so the file needs no script to display.
#pragma once
#include <string>

namespace asim {

struct CalibrationRecord;

// Whether `path` is a calibration file (root attribute file_kind); false for anything else,
// unreadable files included (the result-file report then gives its own message).
bool is_calibration_file(const std::string& path);

// The HTML text.
std::string render_calibration_report(const CalibrationRecord& record, const std::string& path);

struct CalibrationReportSummary {
  int charts = 0;
  std::size_t bytes = 0;
};
// Writes the report atomically (refuses an existing file without `overwrite`).
CalibrationReportSummary write_calibration_report(const std::string& calibration_file,
                                                  const std::string& output, bool overwrite);

}  // namespace asim
