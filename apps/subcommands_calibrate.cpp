// The subcommand that fits the model to literature targets: calibrate (docs/calibration.md).
#include "apps/calibrate_command.hpp"
#include "apps/subcommand.hpp"

namespace asim {
namespace {

class CalibrateSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand(
        "calibrate",
        "fit free parameters to literature targets by ABC-SMC; writes a calibration file");
    command_->add_option("scenario", req_.scenario_file,
                         "scenario TOML file, optionally with a [calibrate] table (none: the "
                         "built-in baseline)");
    command_->add_option("--targets", req_.targets_file,
                         "targets TOML file (e.g. targets/literature.toml)");
    command_->add_option("--free", req_.free_file,
                         "TOML file with a [calibrate] table: free parameters and settings");
    output_ = command_->add_option("-o,--output", req_.output,
                                   "calibration file (default results/<scenario>-calibration.h5)");
    command_
        ->add_option("--particles", particles_, "accepted particles per generation (default 200)")
        ->check(CLI::Range(2, 1000000));
    command_
        ->add_option("--generations", generations_,
                     "generations, the prior's generation 0 included (default 4)")
        ->check(CLI::Range(1, 1000));
    command_
        ->add_option("--replicates-per-particle", replicates_,
                     "replicates simulated per particle (default 2)")
        ->check(CLI::Range(1, 100000));
    command_
        ->add_option("--quantile", quantile_,
                     "tolerance of the next generation: this quantile of the distances "
                     "(default 0.5)")
        ->check(CLI::Range(1e-9, 1.0));
    command_
        ->add_option("--min-acceptance", min_acceptance_,
                     "stop when a generation accepts fewer of its simulations (default 0.05)")
        ->check(CLI::Range(1e-9, 1.0));
    command_->add_option("--seed", req_.seed, "random seed (overrides run.seed)")
        ->check(CLI::Range(0LL, 2147483647LL));
    command_->add_option("--threads", req_.threads, "worker threads (default: all cores)")
        ->check(CLI::Range(1, 4096));
    command_->add_option("--set", req_.overrides, "override a parameter: key=value (repeatable)");
    command_->add_flag("--list-statistics", req_.list_statistics,
                       "list the statistics a target can name, and exit");
    command_->add_flag("--quiet", req_.quiet, "no progress and no summary");
    command_->add_flag("--overwrite", req_.overwrite, "replace an existing calibration file");
    command_->add_flag("--resume", req_.resume,
                       "complete an interrupted calibration from <out>.partial");
  }
  int run(const std::string& command_line) override {
    check_output_not_empty(output_, "h5), or leave the option out for the default");
    if (particles_) req_.particles = particles_;
    if (generations_) req_.generations = generations_;
    if (replicates_) req_.replicates_per_particle = replicates_;
    if (quantile_ > 0) req_.quantile = quantile_;
    if (min_acceptance_ > 0) req_.min_acceptance = min_acceptance_;
    req_.command_line = command_line;
    return calibrate_command(req_);
  }

 private:
  CalibrateRequest req_;
  int particles_ = 0, generations_ = 0, replicates_ = 0;
  double quantile_ = 0, min_acceptance_ = 0;
  CLI::Option* output_ = nullptr;
};

}  // namespace

void add_calibrate_subcommands(Subcommands& out) {
  out.push_back(std::make_unique<CalibrateSubcommand>());
}

}  // namespace asim
