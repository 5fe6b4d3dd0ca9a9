// The subcommands that run the model or check its input: run, validate, params.
#include <iostream>

#include "apps/run_command.hpp"
#include "apps/subcommand.hpp"
#include "models/model_params.hpp"

namespace asim {
namespace {

class RunSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand("run", "simulate scenarios and write an HDF5 result file");
    command_->add_option("scenarios", run_.scenario_files,
                         "scenario TOML files (none: the built-in baseline)");
    output_ =
        command_->add_option("-o,--output", run_.output,
                             "result file (default results/default.h5, or results/<scenario>.h5)");
    command_
        ->add_option("--replicates", run_.replicates,
                     "replicates per scenario (overrides run.replicates)")
        ->check(CLI::Range(1, 100000));
    command_->add_option("--seed", run_.seed, "random seed (overrides run.seed)")
        ->check(CLI::Range(0LL, 2147483647LL));
    command_->add_option("--threads", run_.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    command_->add_option("--set", run_.overrides, "override a parameter: key=value (repeatable)");
    command_->add_option("--daily", run_.daily,
                         "record daily youth series: comma-separated variables, main (alliance, "
                         "motivation, problems) or all");
    command_
        ->add_option("--group-series", run_.group_series,
                     "write each living group's daily series (groups/daily): yes or no "
                     "(default: no, a lean file of waves, outcomes and events)")
        ->check(CLI::IsMember({"yes", "no"}));
    command_->add_option("--posterior", run_.posterior,
                         "calibration file (alliance-sim calibrate): run every scenario over draws "
                         "of its posterior, so compare and report include parameter uncertainty");
    command_
        ->add_option("--draws", run_.draws,
                     "posterior draws with --posterior (default 20); each runs the scenario's "
                     "replicates")
        ->check(CLI::Range(1, 100000));
    command_->add_flag("--quiet", run_.quiet, "no progress and no summary");
    command_->add_flag("--overwrite", run_.overwrite, "replace an existing result file");
    command_->add_flag("--resume", run_.resume,
                       "complete an interrupted run: keep the scenarios finished in "
                       "<out>.partial, run the rest");
  }
  int run(const std::string& command_line) override {
    check_output_not_empty(output_, "h5), or leave the option out for the default");
    run_.command_line = command_line;
    return run_command(run_);
  }

 private:
  RunRequest run_;
  CLI::Option* output_ = nullptr;
};

class ValidateSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand("validate", "check scenario files without running");
    command_->add_option("scenarios", files_, "scenario TOML files")->required();
    command_->add_option("--set", overrides_, "override a parameter: key=value");
  }
  int run(const std::string&) override { return validate_command(files_, overrides_); }

 private:
  std::vector<std::string> files_, overrides_;
};

class ParamsSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand("params", "list every parameter of the model");
    command_->add_flag("--markdown", markdown_, "print docs/parameters.md");
  }
  int run(const std::string&) override {
    const auto& registry = model_registry().registry();
    std::cout << (markdown_ ? registry.markdown() : registry.table());
    return 0;
  }

 private:
  bool markdown_ = false;
};

}  // namespace

void add_run_subcommands(Subcommands& out) {
  out.push_back(std::make_unique<RunSubcommand>());
  out.push_back(std::make_unique<ValidateSubcommand>());
  out.push_back(std::make_unique<ParamsSubcommand>());
}

}  // namespace asim
