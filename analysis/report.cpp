// `alliance-sim report` (see report.hpp): assembles the charts of report_charts.hpp into one
// HTML document and writes it atomically.
#include "analysis/report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/analyse.hpp"
#include "analysis/compare.hpp"
#include "analysis/panel.hpp"
#include "analysis/plain_summary.hpp"
#include "analysis/report_charts.hpp"
#include "analysis/svg.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim {

namespace {

using svg::escape;

// Points drawn per scenario in the informant scatter: enough to show the cloud, few enough to
// keep the file small (the caption says how many of how many).
constexpr std::size_t kMaxScatterPoints = 1500;
// Outcomes of the forest plot: the alliance, motivation and the two outcomes policy cares about.
// The wave outcomes are read at the third wave (6m in the study; the last with fewer waves),
// named by the baseline's waves (forest_metrics).
const std::vector<std::string> kForestOutcomes{"favourable_pct", "premature_exit_pct"};
// The pathways beside them (compare's per-youth counts): why the outcomes move.
const std::vector<std::string> kPathwayMetrics{"ruptures", "repairs", "incidents",
                                               "coercive_measures"};

const char* const kStyle = R"(
body{font-family:"DejaVu Sans",Verdana,sans-serif;color:#1d2430;margin:0 auto;max-width:1220px;padding:18px 28px;line-height:1.4}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 .3em;border-bottom:1px solid #d5dbe2;padding-bottom:.2em}
p.intro,p.note{max-width:980px}p.note{background:#fff8e6;border-left:4px solid #E69F00;padding:.5em .8em}
table.meta{border-collapse:collapse;font-size:.88em}table.meta td,table.meta th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}
nav a{margin-right:1em}.charts{display:flex;flex-wrap:wrap;gap:18px 26px}
figure.chart{margin:0;max-width:100%}.charts{gap:22px 24px}figure.chart svg{max-width:100%;height:auto;display:block}
figcaption{font-size:.82em;color:#4a5361;margin-top:4px}
figcaption b{color:#1d2430}
svg text{font-family:"DejaVu Sans",Verdana,sans-serif;font-size:11px;fill:#1d2430}
svg .tick{font-size:10px;fill:#4a5361}svg .axis-label{font-size:11px}svg .chart-title{font-size:12.5px;font-weight:bold}
svg .legend{font-size:11px}svg .value{font-size:10.5px;font-weight:bold}svg .node{font-size:10.5px}
svg .grid{stroke:#e3e7ec;stroke-width:1}svg .axis{stroke:#55606e;stroke-width:1}
footer{margin-top:2.5em;font-size:.8em;color:#6b7480}
table.summary{border-collapse:collapse;font-size:.9em}table.summary th,table.summary td{padding:3px 10px;text-align:left;border-bottom:1px solid #e3e7ec;vertical-align:top}
table.summary td:first-child,table.summary td:last-child{text-align:right}table.summary td.verdict,table.summary td:nth-child(2),table.summary td:nth-child(6){white-space:nowrap}ul.summary-notes{font-size:.88em;max-width:980px}
pre.technical{font-size:.8em;overflow-x:auto;background:#f6f8fa;padding:.6em}
)";

// Marks every figure data-drawn="yes" when its chart's data marks have a non-empty bounding box,
// and data-text-clipped with the texts of its SVG that reach outside the SVG's box (cut off on
// screen), and the body data-render-check="done" (with data-charts, data-charts-failed and
// data-text-clipped, the ids of figures with a clipped text): for the test that renders the
// report in a headless browser. The charts themselves need no script.
const char* const kRenderCheck = R"(
(function () {
  var figures = document.querySelectorAll('figure.chart'), failed = [], clipped = [];
  for (var i = 0; i < figures.length; i++) {
    var f = figures[i], s = f.querySelector('svg'), marks = s && s.querySelector('g.marks'), ok = false;
    if (marks && marks.childElementCount > 0) {
      var b = marks.getBBox();
      ok = b.width > 0 && b.height > 0;
    }
    f.setAttribute('data-drawn', ok ? 'yes' : 'no');
    if (!ok) failed.push(f.id);
    if (!s) continue;
    var box = s.getBoundingClientRect(), texts = s.querySelectorAll('text'), cut = [];
    for (var k = 0; k < texts.length; k++) {
      var r = texts[k].getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
                          r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5))
        cut.push(texts[k].textContent);
    }
    f.setAttribute('data-text-clipped', cut.join(' | '));
    if (cut.length) clipped.push(f.id);
  }
  document.body.setAttribute('data-charts', String(figures.length));
  document.body.setAttribute('data-charts-failed', failed.join(' '));
  document.body.setAttribute('data-text-clipped', clipped.join(' '));
  document.body.setAttribute('data-render-check', 'done');
})();
)";

std::string attribute_or(hid_t loc, const std::string& name, const std::string& fallback) {
  try {
    return h5::has_attr(loc, name) ? h5::get_attr_string(loc, name) : fallback;
  } catch (const std::exception&) {
    return fallback;
  }
}

// A name usable in an HTML id (not one-to-one: "a.b" and "a_b" give the same).
std::string id_part(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

// `scenarios`: those of the report, whose position makes the figure's id unique.
std::string figure_html(const report::Figure& f, const std::vector<std::string>& scenarios) {
  const auto at = std::find(scenarios.begin(), scenarios.end(), f.scenario) - scenarios.begin();
  const std::string id =
      f.kind +
      (f.scenario.empty() ? "" : "-" + std::to_string(at + 1) + "-" + id_part(f.scenario)) + "-" +
      id_part(f.title);
  return "<figure class=\"chart\" id=\"" + escape(id) + "\" data-chart=\"" + escape(f.kind) + "\"" +
         (f.scenario.empty() ? "" : " data-scenario=\"" + escape(f.scenario) + "\"") +
         (std::isnan(f.y_low)
              ? ""
              : " data-y-range=\"" + svg::num(f.y_low, 3) + " " + svg::num(f.y_high, 3) + "\"") +
         " style=\"width:" + svg::num(f.width, 0) + "px\">" + f.svg + "<figcaption><b>" +
         escape(f.title) + ".</b> " + escape(f.caption) + "</figcaption></figure>\n";
}

struct Section {
  std::string id, heading, intro;
};

// The plain-language summary and the policy effects first (for policymakers), then the
// researcher's charts, and the technical table of compare last.
const Section kSections[] = {
    {"summary", "Summary for policymakers",
     "What each scenario changes compared with the baseline: better, worse or no clear "
     "difference, by how much and how sure, ranked (the same summary as alliance-sim compare "
     "prints first)."},
    {"forest", "Policy effects",
     "Each scenario's difference from the baseline with its 95% interval, coloured by whether "
     "the change is better or worse."},
    {"trajectories", "Alliance trajectories",
     "How the alliance develops over the measurement waves (in the study: the first impression "
     "at day 14, then 3, 6 and 9 months), as rated by the youth and by the mentor, for each "
     "scenario."},
    {"scatter", "Informant agreement: youth and mentor",
     "Each youth's own rating of the alliance against the mentor's rating of it at the second "
     "wave (3 months in the study)."},
    {"subgroups", "Alliance subgroups and outcome",
     "Favourable outcome in the four subgroups of a median split of youth- and mentor-rated "
     "alliance at the second wave (3 months in the study): does agreement that the alliance is "
     "strong matter?"},
    {"clpm", "Cross-lagged panel: alliance and motivation",
     "Does alliance at one wave predict motivation at the next, or the other way round? "
     "Standardised autoregressive and cross-lagged paths between consecutive waves after the "
     "first (3m, 6m and 9m in the study), by setting."},
    {"survival", "Staying in care: Kaplan-Meier curves",
     "The share of youths not yet dropped out or absconded, by day since admission, by setting "
     "and by problem profile."},
    {"hazard", "Premature exit by alliance level",
     "The rate of drop-out and absconding by tertile of the youth-rated alliance at the first "
     "wave."},
    {"technical", "Technical table (for analysts)",
     "Every outcome of every scenario as alliance-sim compare prints it, with what its terms "
     "mean."},
};

// As compare prints the summary's sizes: "0.10", not "0.1".
std::string two_decimals(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// The summary of plain_summary.hpp as an HTML table, each row marked and coloured by its
// verdict, with the sentences that say how to read it.
std::string summary_html(const std::vector<Difference>& rows) {
  std::ostringstream o;
  o << "<table class=\"summary\" id=\"summary-table\"><thead><tr><th>rank</th><th>scenario</th>"
       "<th>outcome</th><th>change [95 % interval]</th><th>verdict</th><th>how sure</th>"
       "<th>size</th></tr></thead><tbody>\n";
  for (const auto& r : plain_summary(rows)) {
    const Difference& d = rows[r.row];
    o << "<tr data-verdict=\"" << escape(r.verdict) << "\"><td>" << r.rank << "</td><td>"
      << escape(d.scenario) << "</td><td>" << escape(r.outcome) << "</td><td>" << escape(r.change)
      << "</td><td class=\"verdict\" style=\"color:" << report::verdict_colour(r.verdict)
      << "\"><b>" << escape(r.verdict) << "</b></td><td>" << escape(r.how_sure) << "</td><td>"
      << (std::isnan(r.size) ? std::string("n/a") : two_decimals(r.size)) << "</td></tr>\n";
  }
  o << "</tbody></table>\n<ul class=\"summary-notes\">";
  for (const auto& note : summary_notes(rows)) o << "<li>" << escape(note) << "</li>";
  o << "</ul>\n";
  return o.str();
}

// Appends the rows of every table of `more` to the tables of `into` (same table order).
void append_tables(Analysis& into, const Analysis& more) {
  if (into.tables.empty()) {
    into = more;
    return;
  }
  for (std::size_t i = 0; i < into.tables.size() && i < more.tables.size(); ++i)
    into.tables[i].rows.insert(into.tables[i].rows.end(), more.tables[i].rows.begin(),
                               more.tables[i].rows.end());
}

const Table& table(const Analysis& a, const std::string& name) {
  for (const auto& t : a.tables)
    if (t.name == name) return t;
  throw std::logic_error("report: analyse() made no table " + name);
}

}  // namespace

std::string render_report(const ResultFile& file, const ReportRequest& request,
                          ReportSummary* summary) {
  std::vector<std::string> scenarios;
  if (request.scenarios.empty()) {
    scenarios = file.scenarios();
    if (scenarios.size() > kMaxReportScenarios)
      throw ConfigError(file.path() + ": holds " + std::to_string(scenarios.size()) +
                        " scenarios; a report covers at most " +
                        std::to_string(kMaxReportScenarios) +
                        " unless they are chosen: give --scenario NAME for each scenario to "
                        "report on (alliance-sim inspect lists them)");
  } else {
    for (const auto& s : request.scenarios) {
      select_scenarios(file, s);  // ConfigError naming the file's scenarios
      if (std::find(scenarios.begin(), scenarios.end(), s) == scenarios.end())
        scenarios.push_back(s);
    }
  }
  if (scenarios.empty()) throw ConfigError(file.path() + ": holds no scenarios to report on");
  // The same baseline as compare's (resolve_baseline): --baseline, else "baseline", else a
  // sweep's first design point, else the first scenario.
  // Without --baseline, one outside the scenarios chosen with --scenario gives way to the first.
  std::string baseline = request.baseline;
  if (!baseline.empty()) {
    select_scenarios(file, baseline);
  } else {
    baseline = resolve_baseline(file, "");
    if (std::find(scenarios.begin(), scenarios.end(), baseline) == scenarios.end())
      baseline = scenarios.front();
  }

  // The numbers: the same functions as `analyse` and `compare`.
  Analysis analysis;
  for (const auto& s : scenarios) append_tables(analysis, analyse(file, s));
  std::vector<Difference> differences;
  std::vector<std::string> compared;
  for (const auto& s : scenarios)
    if (s != baseline) compared.push_back(s);
  // Wave outcomes at the baseline's third wave (6m in the study; the last with fewer waves).
  std::vector<std::string> forest_metrics;
  {
    PanelRequest layout;
    layout.replicates = 0;
    const Panel p = read_panel(file, baseline, layout);
    const std::string third =
        wave_suffixes(p.wave_names, p.wave_days)[std::min<std::size_t>(2, p.waves - 1)];
    forest_metrics = {"alliance_youth_" + third, "motivation_" + third};
    forest_metrics.insert(forest_metrics.end(), kForestOutcomes.begin(), kForestOutcomes.end());
  }
  std::vector<Difference> pathways;
  std::vector<Difference> all_differences;  // every outcome: the summary and the technical table
  std::vector<std::string> forest_notes;
  if (!compared.empty()) {
    // Every metric, so that a scenario measured at other waves is compared on what it shares
    // (and named in a note) instead of stopping the report.
    std::vector<std::string> notes;
    for (const auto& d : compare_scenarios(file, baseline, {}, &notes)) {
      if (std::find(compared.begin(), compared.end(), d.scenario) == compared.end()) continue;
      all_differences.push_back(d);
      if (std::find(forest_metrics.begin(), forest_metrics.end(), d.metric) != forest_metrics.end())
        differences.push_back(d);
      if (std::find(kPathwayMetrics.begin(), kPathwayMetrics.end(), d.metric) !=
          kPathwayMetrics.end())
        pathways.push_back(d);
    }
    for (const auto& note : notes)
      for (const auto& s : compared)
        if (note.rfind(s + " vs ", 0) == 0) forest_notes.push_back(note);
  }

  std::map<std::string, std::vector<report::Figure>> figures;
  // Charts of the same measure share their y axis: the youth- and mentor-rated trajectories, and
  // each scenario's subgroup and hazard charts.
  const auto& trajectories = table(analysis, "trajectories");
  const auto alliance_range =
      report::trajectory_range(trajectories, {"alliance_youth", "alliance_mentor"}, scenarios);
  figures["trajectories"] = {
      report::trajectory_chart(trajectories, "alliance_youth", scenarios, alliance_range),
      report::trajectory_chart(trajectories, "alliance_mentor", scenarios, alliance_range)};
  const double subgroup_max = report::subgroup_y_max(table(analysis, "median_split"), scenarios);
  const double hazard_max = report::hazard_y_max(table(analysis, "hazard"), scenarios);
  PanelRequest ratings;
  ratings.wave_measures = {"alliance_youth", "alliance_mentor"};
  ratings.static_fields = {"setting"};
  std::string scenario_rows;
  for (const auto& s : scenarios) {
    const Panel panel = read_panel(file, s, ratings);
    scenario_rows += "<tr><td>" + escape(s) + "</td><td>" + std::to_string(panel.replicates) +
                     "</td><td>" + std::to_string(panel.youths) + "</td><td>" +
                     (panel.complete ? "yes" : "no (partial)") + "</td></tr>";
    figures["scatter"].push_back(report::scatter_chart(panel, table(analysis, "agreement"),
                                                       panel.wave_names[settled_wave(panel.waves)],
                                                       kMaxScatterPoints));
    figures["subgroups"].push_back(
        report::subgroup_chart(table(analysis, "median_split"), s, subgroup_max,
                               panel.wave_names[settled_wave(panel.waves)]));
    figures["clpm"].push_back(report::clpm_chart(table(analysis, "clpm"), s));
    for (const char* by : {"setting", "profile"})
      figures["survival"].push_back(report::survival_chart(table(analysis, "survival_curve"),
                                                           table(analysis, "survival"), s, by));
    figures["hazard"].push_back(
        report::hazard_chart(table(analysis, "hazard"), s, hazard_max, panel.wave_days.front()));
  }
  // Runs over posterior draws (run --posterior): the forest shows the interval with parameter
  // uncertainty, and its caption says so.
  std::string posterior_note;
  for (auto* list : {&differences, &pathways})
    for (auto& d : *list)
      if (d.posterior_draws > 0) {
        d.ci_low = d.param_low;
        d.ci_high = d.param_high;
        posterior_note = " Lines here: the interval includes parameter uncertainty from " +
                         d.posterior_file + ", " + std::to_string(d.posterior_draws) +
                         " draws of its posterior (the central 95 % of the effect over the draws), "
                         "not only the Monte Carlo CI.";
      }
  if (!differences.empty())
    figures["forest"].push_back(report::forest_chart(differences, forest_metrics, baseline));
  if (!pathways.empty())
    figures["forest"].push_back(report::forest_chart(pathways, kPathwayMetrics, baseline, true));
  for (auto& f : figures["forest"]) f.caption += posterior_note;

  std::ostringstream html;
  const std::string title = "alliance-sim report: " + file.path();
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<title>" << escape(title) << "</title>\n<style>" << kStyle
       << "</style>\n</head>\n<body>\n"
       << "<header><h1>alliance-sim report</h1>\n<table class=\"meta\">"
       << "<tr><th>result file</th><td>" << escape(file.path()) << "</td></tr>"
       << "<tr><th>generator</th><td>" << escape(attribute_or(file.id(), "generator", "?"))
       << "</td></tr><tr><th>git commit</th><td>"
       << escape(attribute_or(file.id(), "git_commit", "?"))
       << "</td></tr><tr><th>created (UTC)</th><td>"
       << escape(attribute_or(file.id(), "created_utc", "?")) << "</td></tr></table>\n"
       << "<table class=\"meta\"><tr><th>scenario</th><th>replicates</th><th>youths per "
          "replicate</th><th>complete</th></tr>"
       << scenario_rows << "</table>\n<nav>";
  for (const auto& s : kSections)
    html << "<a href=\"#" << s.id << "\">" << escape(s.heading) << "</a>";
  html << "</nav></header>\n";
  std::size_t charts = 0;
  for (const auto& s : kSections) {
    html << "<section id=\"" << s.id << "\">\n<h2>" << escape(s.heading)
         << "</h2>\n<p class=\"intro\">" << escape(s.intro) << "</p>\n";
    const auto it = figures.find(s.id);
    const bool text_section = std::string(s.id) == "summary" || std::string(s.id) == "technical";
    if (text_section && !all_differences.empty()) {
      if (std::string(s.id) == "summary")
        html << summary_html(all_differences);
      else
        html << "<pre class=\"technical\" id=\"technical-table\">"
             << escape(format_comparison_table(all_differences)) << "</pre>\n";
    } else if (it == figures.end() || it->second.empty()) {
      html << "<p class=\"note\" id=\"" << s.id << "-none\">"
           << escape(file.scenarios().size() == 1
                         ? "The file holds one scenario (" + scenarios.front() +
                               "): there is nothing to compare. Run two or more scenarios into "
                               "one file (alliance-sim run a.toml b.toml -o FILE.h5) for a "
                               "scenario comparison."
                         : "This report covers one scenario (" + scenarios.front() +
                               ", chosen with --scenario): there is nothing to compare. Leave "
                               "out --scenario, or give it two or more times, for a scenario "
                               "comparison.")
           << "</p>\n";
    } else {
      html << "<div class=\"charts\">\n";
      for (const auto& f : it->second) html << figure_html(f, scenarios);
      html << "</div>\n";
      charts += it->second.size();
    }
    if (std::string(s.id) == "forest")
      for (const auto& note : forest_notes)
        html << "<p class=\"note\" id=\"forest-waves\">" << escape(note) << "</p>\n";
    html << "</section>\n";
  }
  html << "<footer>Written by <code>alliance-sim report</code> from the tables of "
          "<code>alliance-sim analyse</code> and <code>alliance-sim compare</code> on the same "
          "file; charts are inline SVG, nothing is loaded from the network.</footer>\n"
       << "<script>" << kRenderCheck << "</script>\n</body>\n</html>\n";
  if (summary) {
    summary->scenarios = scenarios;
    summary->charts = charts;
    summary->forest = !differences.empty();
  }
  return html.str();
}

ReportSummary write_report(const ResultFile& file, const ReportRequest& request) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(request.output, file.path(), ec))
    throw ConfigError(request.output + ": is the result file itself; give another -o");
  AtomicOutput atomic(request.output, request.overwrite);  // refuses an existing file first
  ReportSummary summary;
  const std::string html = render_report(file, request, &summary);
  atomic.write_partial(html);
  atomic.commit();
  summary.bytes = html.size();
  return summary;
}

}  // namespace asim
