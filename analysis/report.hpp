// `alliance-sim report FILE.h5 -o report.html`: one self-contained HTML file with the charts a
// reader would rather look at than read. With more than one scenario it opens with the
// plain-language summary of compare (analysis/plain_summary.hpp) and the forest plot of the
// paired scenario differences, coloured by the summary's verdicts; then alliance trajectories
// per scenario with bands over replicates, the youth-mentor informant scatter, favourable
// outcome of the four median-split subgroups, cross-lagged panel path diagrams by setting,
// Kaplan-Meier curves by setting and problem profile, the hazard by alliance level, and last
// compare's technical table.
//
// Every number comes from analyse() (analysis/analyse.hpp) and compare_scenarios()
// (analysis/compare.hpp), the functions behind `alliance-sim analyse` and `compare`; the report
// only draws them. Charts are SVG written here as text: no script library, no fonts or images
// to fetch, so the file opens offline, renders the same everywhere, stays small, and is
// byte-identical for the same result file. A Content-Security-Policy forbids any network
// access. One short inline script only checks, after loading, that every chart drew (it marks
// each <figure> data-drawn="yes"/"no" and <body data-render-check="done">) and that no chart's
// text reaches outside its SVG (data-text-clipped), for the browser test; the charts do not
// need it. Charts of the same measure share their y axis (report_charts.hpp).
#pragma once
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"

namespace asim {

// Scenarios a report covers unless they are chosen with --scenario: each adds about 0.23 MB of
// charts, so a sweep of thousands of points would make a report of hundreds of megabytes.
constexpr std::size_t kMaxReportScenarios = 24;

struct ReportRequest {
  std::string output;                  // the HTML file to write
  std::vector<std::string> scenarios;  // only these (default: every scenario of the file)
  std::string baseline;                // forest plot baseline (default: "baseline" or the first)
  bool overwrite = false;
};

struct ReportSummary {
  std::vector<std::string> scenarios;
  std::size_t charts = 0, bytes = 0;
  bool forest = false;  // false: a single scenario, nothing to compare
};

// The HTML text of the report (no file written). ConfigError for an unknown scenario or baseline,
// for a file that lacks what the analyses need (naming it), and for a file of more than
// kMaxReportScenarios scenarios when request.scenarios is empty.
std::string render_report(const ResultFile& file, const ReportRequest& request,
                          ReportSummary* summary = nullptr);

// Renders and writes the report atomically: to "<output>.partial", then renamed. An existing
// output is kept unless request.overwrite (ConfigError, checked before any work); on any error
// no file is left behind.
ReportSummary write_report(const ResultFile& file, const ReportRequest& request);

}  // namespace asim
