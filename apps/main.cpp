// alliance-sim command line. Exit status: 0 ok, 1 runtime failure, 2 usage or input error,
// 128+signal when interrupted (the .partial file keeps finished scenarios).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "analysis/analyse.hpp"
#include "analysis/compare.hpp"
#include "analysis/export.hpp"
#include "analysis/report.hpp"
#include "analysis/result_reader.hpp"
#include "analysis/sensitivity.hpp"
#include "apps/run_command.hpp"
#include "apps/serve_command.hpp"
#include "engine/errors.hpp"
#include "models/model_params.hpp"

namespace {

std::string join_command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    const bool quote = a.find_first_of(" \t\"'$\\") != std::string::npos || a.empty();
    if (quote) {
      std::string q = "'";
      for (char c : a) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
      a = q + "'";
    }
    out += (i ? " " : "") + a;
  }
  return out;
}

// Optimal string alignment distance (Levenshtein with adjacent transpositions): the number of
// typing slips between a mistyped word and a subcommand.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The first word of the command line must be a subcommand. CLI11 alone answers a mistyped one
// with "A subcommand is required"; this names the word, suggests the nearest subcommand and
// lists them all. Returns the message, or "" when the word is a subcommand (or absent).
std::string unknown_subcommand(int argc, char** argv, const CLI::App& app) {
  if (argc < 2 || argv[1][0] == '-') return "";
  const std::string word = argv[1];
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  if (std::find(names.begin(), names.end(), word) != names.end()) return "";
  std::string nearest, all;
  std::size_t best = std::string::npos;
  for (const auto& n : names) {
    // A prefix of a subcommand ("calib" of "calibrate") counts as one slip.
    const std::size_t dist = n.rfind(word, 0) == 0 ? 1 : edit_distance(word, n);
    if (dist < best) best = dist, nearest = n;
    all += (all.empty() ? "" : ", ") + n;
  }
  // Suggest only a near miss: at most two slips, or a third of a long word.
  const bool near = best <= std::max<std::size_t>(2, word.size() / 3);
  return "'" + word + "' is not a subcommand of alliance-sim" +
         (near ? "; did you mean '" + nearest + "'?" : "") + " (subcommands: " + all +
         "; alliance-sim --help describes them)";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"alliance-sim: agent-based simulation of working alliance and treatment motivation "
               "in residential youth care"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("alliance-sim ") + ASIM_VERSION);

  asim::RunRequest run;
  auto* run_cmd = app.add_subcommand("run", "simulate scenarios and write an HDF5 result file");
  run_cmd->add_option("scenarios", run.scenario_files,
                      "scenario TOML files (none: the built-in baseline)");
  auto* run_output = run_cmd->add_option(
      "-o,--output", run.output, "result file (default results/default.h5, or results/<scenario>.h5)");
  run_cmd->add_option("--replicates", run.replicates, "replicates per scenario (overrides run.replicates)")
      ->check(CLI::Range(1, 100000));
  run_cmd->add_option("--seed", run.seed, "random seed (overrides run.seed)")
      ->check(CLI::Range(0LL, 2147483647LL));
  run_cmd->add_option("--threads", run.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 4096));
  run_cmd->add_option("--set", run.overrides, "override a parameter: key=value (repeatable)");
  run_cmd->add_option("--daily", run.daily,
                      "record daily youth series: comma-separated variables, main (alliance, motivation, problems) or all");
  run_cmd->add_option("--group-series", run.group_series,
                      "write each living group's daily series (groups/daily): yes or no "
                      "(default: yes; no for a sweep, a lean file of waves, outcomes and events)")
      ->check(CLI::IsMember({"yes", "no"}));
  run_cmd->add_flag("--quiet", run.quiet, "no progress and no summary");
  run_cmd->add_flag("--overwrite", run.overwrite, "replace an existing result file");
  run_cmd->add_flag("--resume", run.resume,
                    "complete an interrupted run: keep the scenarios finished in <out>.partial, run the rest");

  std::vector<std::string> validate_files, validate_overrides;
  auto* validate_cmd = app.add_subcommand("validate", "check scenario files without running");
  validate_cmd->add_option("scenarios", validate_files, "scenario TOML files")->required();
  validate_cmd->add_option("--set", validate_overrides, "override a parameter: key=value");

  bool markdown = false;
  auto* params_cmd = app.add_subcommand("params", "list every parameter of the model");
  params_cmd->add_flag("--markdown", markdown, "print docs/parameters.md");

  std::string inspect_file;
  auto* inspect_cmd = app.add_subcommand("inspect", "describe what a result file holds");
  inspect_cmd->add_option("file", inspect_file, "result file (.h5)")->required();

  std::string compare_file, compare_baseline, compare_outcomes;
  bool compare_csv = false, compare_json = false;
  auto* compare_cmd = app.add_subcommand(
      "compare", "paired differences of every scenario against a baseline, with 95% CIs");
  compare_cmd->add_option("file", compare_file, "result file (.h5)")->required();
  compare_cmd->add_option("--baseline", compare_baseline,
                          "baseline scenario (default: the scenario named baseline; in a sweep "
                          "without one, the first design point; else the first scenario)");
  std::string outcome_names;
  for (const auto& m : asim::comparison_metrics())
    outcome_names += (outcome_names.empty() ? "" : ", ") + m;
  compare_cmd->add_option("--outcome", compare_outcomes,
                          "comma-separated outcomes (default: all): " + outcome_names);
  compare_cmd->add_flag("--csv", compare_csv, "machine-readable CSV");
  compare_cmd->add_flag("--json", compare_json, "machine-readable JSON");

  std::string analyse_file, analyse_scenario, analyse_table;
  bool analyse_csv = false, analyse_json = false;
  auto* analyse_cmd = app.add_subcommand(
      "analyse", "descriptives, informant agreement, alliance and outcome, cross-lagged panel "
                 "and survival tables");
  analyse_cmd->add_option("file", analyse_file, "result file (.h5)")->required();
  analyse_cmd->add_option("--scenario", analyse_scenario, "only this scenario (default: all)");
  analyse_cmd->add_option("--table", analyse_table,
                          "only this table (e.g. clpm, clpm_replicates, survival)");
  auto* analyse_csv_flag =
      analyse_cmd->add_flag("--csv", analyse_csv, "machine-readable CSV (NA for missing)");
  analyse_cmd->add_flag("--json", analyse_json, "machine-readable JSON (null for missing)")
      ->excludes(analyse_csv_flag);

  std::string export_file;
  asim::ExportRequest export_request;
  auto* export_cmd = app.add_subcommand(
      "export", "write a tidy CSV panel (long or wide) for R, SPSS and pandas");
  export_cmd->add_option("file", export_file, "result file (.h5)")->required();
  export_cmd->add_option("--format", export_request.format,
                         "long (a row per youth and wave) or wide (a row per youth)")
      ->check(CLI::IsMember({"long", "wide"}));
  auto* export_output =
      export_cmd->add_option("-o,--output", export_request.output, "CSV file to write")->required();
  export_cmd->add_option("--scenario", export_request.scenario,
                         "only this scenario (default: all)");
  export_cmd->add_flag("--overwrite", export_request.overwrite, "replace an existing CSV file");

  std::string sensitivity_file, sensitivity_outcome = "favourable_pct";
  std::size_t sensitivity_bootstrap = asim::kDefaultBootstrap;
  bool sensitivity_csv = false, sensitivity_json = false;
  auto* sensitivity_cmd = app.add_subcommand(
      "sensitivity", "Sobol indices (first order and total, 95% CIs) of an outcome from a "
                     "saltelli sweep: which policy lever matters most");
  sensitivity_cmd->add_option("file", sensitivity_file, "result file of a saltelli sweep (.h5)")
      ->required();
  sensitivity_cmd->add_option("--outcome", sensitivity_outcome,
                              "outcome, a name of compare's outcomes, e.g. favourable_pct "
                              "(default), alliance_youth_6m, dropout_pct");
  sensitivity_cmd->add_option("--bootstrap", sensitivity_bootstrap,
                              "bootstrap resamples for the 95% CIs (default 1000)")
      ->check(CLI::Range(std::size_t{100}, std::size_t{100000}));
  auto* sensitivity_csv_flag =
      sensitivity_cmd->add_flag("--csv", sensitivity_csv, "machine-readable CSV");
  sensitivity_cmd->add_flag("--json", sensitivity_json, "machine-readable JSON")
      ->excludes(sensitivity_csv_flag);

  std::string report_file;
  asim::ReportRequest report_request;
  auto* report_cmd = app.add_subcommand(
      "report", "one self-contained HTML file with the charts of analyse and compare");
  report_cmd->add_option("file", report_file, "result file (.h5)")->required();
  auto* report_output =
      report_cmd->add_option("-o,--output", report_request.output, "HTML file to write")->required();
  report_cmd->add_option("--scenario", report_request.scenarios,
                         "only this scenario (repeatable; default: all)");
  report_cmd->add_option("--baseline", report_request.baseline,
                         "baseline of the scenario comparison (default: baseline, or the first)");
  report_cmd->add_flag("--overwrite", report_request.overwrite, "replace an existing HTML file");

  asim::ServeRequest serve;
  auto* serve_cmd = app.add_subcommand(
      "serve", "classroom mode: a local web page showing one living group live, day by day");
  serve_cmd->add_option("scenario", serve.scenario_file,
                        "scenario TOML file for the defaults (none: the built-in baseline)");
  serve_cmd->add_option("--port", serve.port, "port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--host", serve.host,
                        "address to listen on (default 127.0.0.1, this machine only)");
  serve_cmd->add_option("--set", serve.overrides, "override a parameter: key=value (repeatable)");
  serve_cmd->add_option("--max-sessions", serve.max_sessions,
                        "browser tabs served at once (default 64; about 1.2 MB of memory each)")
      ->check(CLI::Range(1, 1000));
  serve_cmd->add_option("--idle-seconds", serve.idle_seconds,
                        "a tab idle this long gives way to a new one when all are taken (default 600)")
      ->check(CLI::Range(0, 86400));
  serve_cmd->add_option("--rate-limit", serve.rate_limit,
                        "requests per second one tab may send on average; more answer 429 (default 20)")
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--rate-burst", serve.rate_burst,
                        "requests one tab may send at once before --rate-limit applies (default 40)")
      ->check(CLI::Range(1.0, 1e9));
  serve_cmd->add_option("--create-rate-limit", serve.create_rate_limit,
                        "new tabs (sessions) per second from one address on average (default 2)")
      ->check(CLI::PositiveNumber);
  serve_cmd->add_option("--create-burst", serve.create_burst,
                        "new tabs one address may open at once (default 64, a class behind one address)")
      ->check(CLI::Range(1.0, 1e9));

  if (const std::string message = unknown_subcommand(argc, argv, app); !message.empty()) {
    std::cerr << "alliance-sim: error: " << message << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    // An empty file name given on purpose (-o "") is a mistake, not a request for the default.
    for (const auto* opt : {run_output, export_output, report_output})
      if (opt->count() > 0 && opt->as<std::string>().empty())
        throw asim::ConfigError(
            opt->get_name() + " \"\": the file name is empty; give a path (e.g. results/x." +
            (opt == run_output      ? std::string("h5), or leave the option out for the default")
             : opt == export_output ? std::string("csv)")
                                    : std::string("html)")));
    if (*run_cmd) {
      run.command_line = join_command_line(argc, argv);
      return asim::run_command(run);
    }
    if (*serve_cmd) return asim::serve_command(serve);
    if (*validate_cmd) return asim::validate_command(validate_files, validate_overrides);
    if (*params_cmd) {
      const auto& registry = asim::model_registry().registry();
      std::cout << (markdown ? registry.markdown() : registry.table());
      return 0;
    }
    if (*compare_cmd) {
      std::vector<std::string> outcomes;
      std::stringstream in(compare_outcomes);
      for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) outcomes.push_back(item);
      const asim::ResultFile file(compare_file);
      std::string why;
      const std::string baseline = asim::resolve_baseline(file, compare_baseline, &why);
      const auto rows = asim::compare_scenarios(file, baseline, outcomes);
      if (rows.empty())
        throw asim::ConfigError(compare_file + ": only one scenario; nothing to compare with '" +
                                baseline + "'");
      if (!compare_csv && !compare_json)
        std::cout << "baseline: " << file.display_name(baseline) << " (" << why << ")\n";
      std::cout << (compare_json  ? asim::format_comparison_json(rows)
                    : compare_csv ? asim::format_comparison_csv(rows)
                                  : asim::format_comparison_table(rows));
      return 0;
    }
    if (*analyse_cmd) {
      const asim::ResultFile file(analyse_file);
      const auto analysis = asim::analyse(file, analyse_scenario);
      std::cout << (analyse_json  ? asim::format_analysis_json(analysis, analyse_table)
                    : analyse_csv ? asim::format_analysis_csv(analysis, analyse_table)
                                  : asim::format_analysis_text(analysis, analyse_table));
      return 0;
    }
    if (*export_cmd) {
      const asim::ResultFile file(export_file);
      const auto summary = asim::export_csv(file, export_request);
      std::cout << "wrote " << summary.rows << " rows x " << summary.columns.size()
                << " columns (" << export_request.format << ") to " << export_request.output
                << (summary.syntax_file.empty() ? "" : " and SPSS syntax (value labels) to " +
                                                           summary.syntax_file)
                << "\n";
      return 0;
    }
    if (*report_cmd) {
      const asim::ResultFile file(report_file);
      const auto summary = asim::write_report(file, report_request);
      std::cout << "wrote " << report_request.output << ": " << summary.charts << " charts, "
                << summary.scenarios.size() << " scenario(s), " << (summary.bytes + 512) / 1024
                << " KiB" << (summary.forest ? "" : " (one scenario: no comparison)") << "\n";
      return 0;
    }
    if (*sensitivity_cmd) {
      const asim::ResultFile file(sensitivity_file);
      const auto report =
          asim::sensitivity_analysis(file, sensitivity_outcome, sensitivity_bootstrap);
      std::cout << (sensitivity_json  ? asim::format_sensitivity_json(report)
                    : sensitivity_csv ? asim::format_sensitivity_csv(report)
                                      : asim::format_sensitivity_table(report));
      return 0;
    }
    if (*inspect_cmd) {
      const asim::ResultFile file(inspect_file);
      std::cout << file.describe() << "\n";
      std::vector<asim::ScenarioSummary> summaries;
      for (const auto& name : file.scenarios()) summaries.push_back(file.summarise(name));
      std::cout << asim::format_summary_table(summaries);
      return 0;
    }
  } catch (const asim::ConfigError& e) {
    std::cerr << "alliance-sim: error: " << e.what() << "\n";
    return 2;
  } catch (const asim::RuntimeFailure& e) {
    std::cerr << "alliance-sim: failed: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "alliance-sim: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
