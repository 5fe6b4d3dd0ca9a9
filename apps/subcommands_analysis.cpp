// The subcommands that read a result file: inspect, compare, analyse, export, sensitivity,
// report.
#include <iostream>
#include <sstream>

#include "analysis/analyse.hpp"
#include "analysis/compare.hpp"
#include "analysis/export.hpp"
#include "analysis/plain_summary.hpp"
#include "analysis/report.hpp"
#include "analysis/result_reader.hpp"
#include "analysis/sensitivity.hpp"
#include "apps/calibration_report.hpp"
#include "apps/subcommand.hpp"
#include "engine/errors.hpp"

namespace asim {
namespace {

class InspectSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand("inspect", "describe what a result file holds");
    command_->add_option("file", file_, "result file (.h5)")->required();
  }
  int run(const std::string&) override {
    const ResultFile file(file_);
    std::cout << file.describe() << "\n";
    std::vector<ScenarioSummary> summaries;
    for (const auto& name : file.scenarios()) summaries.push_back(file.summarise(name));
    std::cout << format_summary_table(summaries);
    return 0;
  }

 private:
  std::string file_;
};

class CompareSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand(
        "compare",
        "paired differences of every scenario against a baseline, with 95% CIs: a "
        "plain-language summary (better/worse, how sure), then the technical table");
    command_->add_option("file", file_, "result file (.h5)")->required();
    command_->add_option("--baseline", baseline_,
                         "baseline scenario (default: the scenario named baseline; in a sweep "
                         "without one, the first design point; else the first scenario)");
    std::string outcome_names;
    for (const auto& m : comparison_metrics())
      outcome_names += (outcome_names.empty() ? "" : ", ") + m;
    command_->add_option("--outcome", outcomes_,
                         "comma-separated outcomes (default: all); wave outcomes are named by the "
                         "baseline's waves (waves.names), for the default waves: " +
                             outcome_names);
    command_->add_flag("--csv", csv_, "machine-readable CSV");
    command_->add_flag("--json", json_, "machine-readable JSON");
  }
  int run(const std::string&) override {
    std::vector<std::string> outcomes;
    std::stringstream in(outcomes_);
    for (std::string item; std::getline(in, item, ',');)
      if (!item.empty()) outcomes.push_back(item);
    const ResultFile file(file_);
    std::string why;
    const std::string baseline = resolve_baseline(file, baseline_, &why);
    std::vector<std::string> notes;
    const auto rows = compare_scenarios(file, baseline, outcomes, &notes);
    if (rows.empty() && file.scenarios().size() < 2)
      throw ConfigError(file_ + ": only one scenario; nothing to compare with '" + baseline + "'");
    if (!csv_ && !json_) {
      // The plain-language summary first (analysis/plain_summary.hpp), then the technical table.
      std::cout << "baseline: " << file.display_name(baseline) << " (" << why << ")\n\n"
                << format_plain_summary(rows)
                << (rows.empty() ? "" : "\nTechnical table (for analysts):\n");
    }
    std::cout << (json_  ? format_comparison_json(rows)
                  : csv_ ? format_comparison_csv(rows)
                         : format_comparison_table(rows));
    // Outcomes of waves that only one side measured: below the table, or on stderr beside CSV
    // and JSON (which hold only compared rows).
    for (const auto& note : notes)
      (csv_ || json_ ? std::cerr : std::cout) << "note: " << note << "\n";
    return 0;
  }

 private:
  std::string file_, baseline_, outcomes_;
  bool csv_ = false, json_ = false;
};

class AnalyseSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand(
        "analyse",
        "descriptives, informant agreement, alliance and outcome, cross-lagged panel "
        "and survival tables");
    command_->add_option("file", file_, "result file (.h5)")->required();
    command_->add_option("--scenario", scenario_, "only this scenario (default: all)");
    command_->add_option("--table", table_,
                         "only this table (e.g. clpm, clpm_replicates, survival)");
    auto* csv_flag = command_->add_flag("--csv", csv_, "machine-readable CSV (NA for missing)");
    command_->add_flag("--json", json_, "machine-readable JSON (null for missing)")
        ->excludes(csv_flag);
  }
  int run(const std::string&) override {
    const ResultFile file(file_);
    const auto analysis = analyse(file, scenario_);
    std::cout << (json_  ? format_analysis_json(analysis, table_)
                  : csv_ ? format_analysis_csv(analysis, table_)
                         : format_analysis_text(analysis, table_));
    return 0;
  }

 private:
  std::string file_, scenario_, table_;
  bool csv_ = false, json_ = false;
};

class ExportSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand("export",
                                  "write a tidy CSV panel (long or wide) for R, SPSS and pandas");
    command_->add_option("file", file_, "result file (.h5)")->required();
    command_
        ->add_option("--format", request_.format,
                     "long (a row per youth and wave) or wide (a row per youth)")
        ->check(CLI::IsMember({"long", "wide"}));
    output_ = command_->add_option("-o,--output", request_.output, "CSV file to write")->required();
    command_->add_option("--scenario", request_.scenario, "only this scenario (default: all)");
    command_->add_flag("--overwrite", request_.overwrite, "replace an existing CSV file");
  }
  int run(const std::string&) override {
    check_output_not_empty(output_, "csv)");
    const ResultFile file(file_);
    const auto summary = export_csv(file, request_);
    std::cout << "wrote " << summary.rows << " rows x " << summary.columns.size() << " columns ("
              << request_.format << ") to " << request_.output
              << (summary.syntax_file.empty()
                      ? ""
                      : " and SPSS syntax (value labels) to " + summary.syntax_file)
              << "\n";
    return 0;
  }

 private:
  std::string file_;
  ExportRequest request_;
  CLI::Option* output_ = nullptr;
};

class SensitivitySubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ =
        app.add_subcommand("sensitivity",
                           "Sobol indices (first order and total, 95% CIs) of an outcome from a "
                           "saltelli sweep: which policy lever matters most");
    command_->add_option("file", file_, "result file of a saltelli sweep (.h5)")->required();
    command_->add_option("--outcome", outcome_,
                         "outcome, a name of compare's outcomes, e.g. favourable_pct "
                         "(default), alliance_youth_6m, dropout_pct");
    command_
        ->add_option("--bootstrap", bootstrap_,
                     "bootstrap resamples for the 95% CIs (default 1000)")
        ->check(CLI::Range(std::size_t{100}, std::size_t{100000}));
    auto* csv_flag = command_->add_flag("--csv", csv_, "machine-readable CSV");
    command_->add_flag("--json", json_, "machine-readable JSON")->excludes(csv_flag);
  }
  int run(const std::string&) override {
    const ResultFile file(file_);
    const auto report = sensitivity_analysis(file, outcome_, bootstrap_);
    std::cout << (json_  ? format_sensitivity_json(report)
                  : csv_ ? format_sensitivity_csv(report)
                         : format_sensitivity_table(report));
    return 0;
  }

 private:
  std::string file_, outcome_ = "favourable_pct";
  std::size_t bootstrap_ = kDefaultBootstrap;
  bool csv_ = false, json_ = false;
};

class ReportSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand(
        "report",
        "one self-contained HTML file with the charts of analyse and compare (or, for "
        "a calibration file, of the calibration)");
    command_->add_option("file", file_, "result file or calibration file (.h5)")->required();
    output_ =
        command_->add_option("-o,--output", request_.output, "HTML file to write")->required();
    command_->add_option("--scenario", request_.scenarios,
                         "only this scenario (repeatable; default: all)");
    command_->add_option(
        "--baseline", request_.baseline,
        "baseline of the scenario comparison (default: as compare's --baseline: the scenario named "
        "baseline, a sweep's first design point, else the first)");
    command_->add_flag("--overwrite", request_.overwrite, "replace an existing HTML file");
  }
  int run(const std::string&) override {
    check_output_not_empty(output_, "html)");
    if (is_calibration_file(file_)) {  // a calibration file of alliance-sim calibrate
      const auto s = write_calibration_report(file_, request_.output, request_.overwrite);
      std::cout << "wrote " << request_.output << ": calibration report, " << s.charts
                << " charts, " << (s.bytes + 512) / 1024 << " KiB\n";
      return 0;
    }
    const ResultFile file(file_);
    const auto summary = write_report(file, request_);
    std::cout << "wrote " << request_.output << ": " << summary.charts << " charts, "
              << summary.scenarios.size() << " scenario(s), " << (summary.bytes + 512) / 1024
              << " KiB" << (summary.forest ? "" : " (one scenario: no comparison)") << "\n";
    return 0;
  }

 private:
  std::string file_;
  ReportRequest request_;
  CLI::Option* output_ = nullptr;
};

}  // namespace

void add_analysis_subcommands(Subcommands& out) {
  out.push_back(std::make_unique<InspectSubcommand>());
  out.push_back(std::make_unique<CompareSubcommand>());
  out.push_back(std::make_unique<AnalyseSubcommand>());
  out.push_back(std::make_unique<ExportSubcommand>());
  out.push_back(std::make_unique<SensitivitySubcommand>());
  out.push_back(std::make_unique<ReportSubcommand>());
}

}  // namespace asim
