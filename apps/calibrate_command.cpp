// `alliance-sim calibrate`: see calibrate_command.hpp and docs/calibration.md.
#include "apps/calibrate_command.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "apps/calibration_file.hpp"
#include "apps/calibration_panel.hpp"
#include "apps/run_plan.hpp"
#include "engine/atomic_output.hpp"
#ifdef ASIM_WITH_MPI
#include "apps/calibrate_distributed.hpp"
#include "engine/mpi_world.hpp"
#endif
#include "engine/errors.hpp"
#include "engine/progress.hpp"
#include "engine/test_hooks.hpp"
#include "models/model_params.hpp"
#include "models/result_file.hpp"
#include "models/simulation.hpp"

namespace asim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Defaults of the ABC-SMC settings (docs/calibration.md, "Keeping the cost sane").
constexpr int kDefaultParticles = 200, kDefaultGenerations = 4, kDefaultReplicates = 2;
constexpr double kDefaultQuantile = 0.5, kDefaultMinAcceptance = 0.05;

// The model seed of generation g: a SplitMix64 hash of (seed, g), kept in run.seed's range.
int generation_seed(long long seed, int generation) {
  std::uint64_t z = static_cast<std::uint64_t>(seed) * 0x9E3779B97F4A7C15ULL +
                    static_cast<std::uint64_t>(generation + 1) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<int>(z & 0x7fffffffULL);
}

std::string fmt(double v, int precision = 3) {
  if (std::isnan(v)) return "NA";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, v);
  return buf;
}

std::string where_text(const KeyValues& where) {
  std::string out;
  for (const auto& [k, v] : where) out += (out.empty() ? "" : ", ") + k + " = " + v;
  return out;
}

// A target fits when its posterior mean is within the tolerance, or within 2 standard errors.
bool fits(const CalibrationTargetRecord& t, double z) {
  return std::isfinite(z) && std::fabs(z) <= (t.uncertainty_kind == "se" ? 2.0 : 1.0);
}

#ifdef ASIM_WITH_MPI
using World = mpi::World;
#else
// Without MPI there is no second rank: this type is never constructed.
struct World {
  int rank() const { return 0; }
  int size() const { return 1; }
  int max_over_ranks(int v) const { return v; }
  int broadcast_from_root(int v) const { return v; }
  [[noreturn]] void abort(int status) const { std::exit(status); }
};
AbcEvaluator distributed_evaluator(World&, tbb::task_arena&, const AbcSmc&) {
  return {};
}
#endif

}  // namespace

std::string statistic_listing() {
  std::ostringstream out;
  out << "Statistics a calibration target can name: statistic = \"<table>.<column>\", and\n"
         "where = { key = value, ... } choosing the row (docs/calibration.md).\n";
  const auto catalogue = statistic_catalogue(calibration_wave_names());
  for (std::size_t i = 0; i < catalogue.size();) {
    const auto& s = catalogue[i];
    std::string columns;
    std::size_t j = i;
    for (; j < catalogue.size() && catalogue[j].table == s.table; ++j)
      columns += (columns.empty() ? "" : ", ") + catalogue[j].column;
    out << "\n" << s.table << ".{" << columns << "}\n    " << s.meaning << "\n";
    for (const auto& k : s.keys) {
      out << "    where." << k.column << ": ";
      for (std::size_t v = 0; v < k.values.size(); ++v) out << (v ? ", " : "") << k.values[v];
      out << "\n";
    }
    i = j;
  }
  return out.str();
}

AbcSimulator model_simulator(const ParamValues& base, const std::vector<FreeParameter>& free,
                             const TargetSet& targets, int replicates, long long seed,
                             std::atomic<double>* youth_days) {
  return [base, free, &targets, replicates, seed, youth_days](const std::vector<double>& theta,
                                                              const SimulationKey& key) {
    ParamValues values = base;
    for (std::size_t j = 0; j < free.size(); ++j)
      values.set(free[j].index, theta[j], "calibration");
    ModelParams p = make_model_params(values);
    p.seed = generation_seed(seed, key.generation);
    p.replicates = replicates;
    std::optional<Model> model;
    try {
      model.emplace(p);
    } catch (const ConfigError&) {
      // Parameters that do not make a valid model are never accepted.
      return std::vector<double>(targets.targets.size(), kNaN);
    }
    RunOptions options;
    options.group_series = false;
    std::vector<ReplicateResult> results;
    results.reserve(static_cast<std::size_t>(replicates));
    run_replicates(
        *model, options, 0, replicates,
        [&](ReplicateResult&& r) { results.push_back(std::move(r)); }, [] { return false; });
    if (youth_days) {
      double days = 0;
      for (const auto& r : results) days += r.youth_days;
      double seen = youth_days->load();
      while (!youth_days->compare_exchange_weak(seen, seen + days)) {
      }
    }
    const Panel panel = panel_from_results(results, model->wave_days(), wave_names(model->params()),
                                           statistic_panel_request(), "calibration");
    return evaluate_targets(targets, statistic_tables(panel));
  };
}

std::string calibration_summary(const CalibrationRecord& rec) {
  std::ostringstream out;
  if (rec.generations.empty()) return "no generation finished\n";
  const AbcGeneration& last = rec.generations.back();
  long long sims = 0;
  for (const auto& g : rec.generations) sims += g.simulations + g.tolerance_simulations;
  const std::size_t N = last.theta.size();
  out << "Calibration of scenario '" << rec.scenario_name << "' to " << rec.targets_path << ": "
      << rec.generations.size() << " generation" << (rec.generations.size() == 1 ? "" : "s")
      << " of " << N << " particles, " << sims << " simulations of " << rec.replicates_per_particle
      << " replicate" << (rec.replicates_per_particle == 1 ? "" : "s") << " each; " << rec.status
      << ".\nFinal tolerance " << fmt(last.tolerance) << " (distance: weighted sum of squared "
      << "standardised errors), effective sample size " << fmt(last.ess(), 4) << " of " << N
      << ".\n\nHow well each target fits (the simulated statistic over the posterior: mean and the "
         "central 95 % of the particles, against the target and its uncertainty; a target fits "
         "when the mean is within its tolerance, or within 2 standard errors):\n";
  std::vector<std::string> missed;
  for (std::size_t j = 0; j < rec.targets.size(); ++j) {
    const auto& t = rec.targets[j];
    std::vector<double> v(N);
    for (std::size_t i = 0; i < N; ++i) v[i] = last.simulated[i][j];
    const auto s = weighted_summary(v, last.weight);
    const double z = t.z(s.mean);
    const bool ok = fits(t, z);
    if (!ok) missed.push_back(t.name);
    out << "  " << (ok ? "fits  " : "MISSES") << "  " << t.name << ": simulated " << fmt(s.mean)
        << " [" << fmt(s.q025) << ", " << fmt(s.q975) << "], target "
        << (t.bound == "upper"   ? "at most "
            : t.bound == "lower" ? "at least "
                                 : "")
        << fmt(t.value) << " +- " << fmt(t.uncertainty) << " (" << t.uncertainty_kind << "), "
        << (z >= 0 ? "+" : "") << fmt(z, 2) << " uncertainties " << (z >= 0 ? "above" : "below")
        << "  [" << t.source << "]\n";
  }
  out << "  " << rec.targets.size() - missed.size() << " of " << rec.targets.size()
      << " targets fit";
  if (!missed.empty()) {
    out << "; not matched: ";
    for (std::size_t i = 0; i < missed.size(); ++i) out << (i ? ", " : "") << missed[i];
  }
  out << ".\n\nFree parameters (posterior mean and 95 % interval; how much of the prior range the "
         "interval still spans: 100 % = the targets say nothing about it):\n";
  for (std::size_t k = 0; k < rec.priors.size(); ++k) {
    const auto& p = rec.priors[k];
    std::vector<double> v(N);
    for (std::size_t i = 0; i < N; ++i) v[i] = last.theta[i][k];
    const auto s = weighted_summary(v, last.weight);
    const double share = (s.q975 - s.q025) / (p.upper - p.lower);
    out << "  " << p.name << ": " << fmt(s.mean) << " [" << fmt(s.q025) << ", " << fmt(s.q975)
        << "], prior [" << fmt(p.lower) << ", " << fmt(p.upper) << "], interval "
        << fmt(100 * share, 2) << " % of the prior range\n";
  }
  return out.str();
}

namespace {

int calibrate_in(const CalibrateRequest& req, World* world) {
  if (req.targets_file.empty())
    throw ConfigError(
        "calibrate: --targets FILE is required (e.g. --targets targets/literature.toml)");
  if (req.threads < 0 || req.threads > 4096)
    throw ConfigError("--threads " + std::to_string(req.threads) + " is outside [1, 4096]");
  std::vector<std::string> files;
  if (!req.scenario_file.empty()) files.push_back(req.scenario_file);
  const LoadedRun loaded = load_scenarios(files, req.overrides, 0, req.seed);
  if (loaded.sweep || loaded.scenarios.size() != 1)
    throw ConfigError(req.scenario_file +
                      ": a scenario with a [sweep] cannot be calibrated; "
                      "calibrate the scenario without its [sweep] table");
  const LoadedScenario& scenario = loaded.scenarios.front();
  const Registry& registry = model_registry().registry();

  CalibrationSpec spec;
  if (!req.scenario_file.empty()) read_calibrate_table(req.scenario_file, registry, spec, false);
  if (!req.free_file.empty()) read_calibrate_table(req.free_file, registry, spec, true);
  if (spec.free.empty())
    throw ConfigError((req.scenario_file.empty() ? std::string("calibrate") : req.scenario_file) +
                      ": no free parameters; give them in a [calibrate.free] table of the "
                      "scenario or of a --free file: parameter = [lower, upper]");
  const TargetSet targets = load_targets(req.targets_file, calibration_wave_names());

  AbcSettings settings;
  settings.particles = req.particles.value_or(spec.particles.value_or(kDefaultParticles));
  settings.generations = req.generations.value_or(spec.generations.value_or(kDefaultGenerations));
  settings.quantile = req.quantile.value_or(spec.quantile.value_or(kDefaultQuantile));
  settings.min_acceptance =
      req.min_acceptance.value_or(spec.min_acceptance.value_or(kDefaultMinAcceptance));
  const int replicates = req.replicates_per_particle.value_or(
      spec.replicates_per_particle.value_or(kDefaultReplicates));
  const long long seed = scenario.params.seed;
  settings.seed = static_cast<std::uint32_t>(seed);
  settings.common_random_numbers = true;  // model_simulator: one seed per generation

  CalibrationRecord rec;
  rec.command_line = req.command_line;
  rec.scenario_name = scenario.scenario.name;
  rec.scenario_source = scenario.scenario.source_path;
  rec.scenario_text = scenario.scenario.text;
  rec.resolved_toml = resolved_toml(scenario.scenario);
  rec.targets_path = req.targets_file;
  rec.targets_text = targets.text;
  rec.calibrate_text = spec.text;
  rec.seed = seed;
  rec.replicates_per_particle = replicates;
  rec.settings = settings;
  std::vector<AbcPrior> priors;
  for (const auto& f : spec.free) {
    priors.push_back({f.name, f.lower, f.upper});
    rec.parameter_units.push_back(f.unit);
  }
  rec.priors = priors;
  for (const auto& t : targets.targets)
    rec.targets.push_back({t.name, t.statistic, where_text(t.where), t.is_se ? "se" : "tolerance",
                           t.source, t.value, t.uncertainty, t.weight, target_bound_name(t.bound)});

  std::string output = req.output;
  if (output.empty()) {
    std::filesystem::create_directories("results");
    output = "results/" + scenario.scenario.name + "-calibration.h5";
  }
  // Output checks on rank 0 (the only rank that writes); every rank learns the outcome, so a
  // refused output ends every rank before any work.
  const bool root = world == nullptr || world->rank() == 0;
  const std::string partial = output + ".partial";
  std::optional<AtomicOutput> atomic;
  int output_ok = 1;
  std::string output_error;
  if (root) {
    try {
      atomic.emplace(output, req.overwrite);
      if (req.resume && !atomic->partial_exists())
        throw ConfigError(
            "--resume: " + atomic->partial_path() +
            " not found; there is no interrupted calibration of this output to complete");
    } catch (const ConfigError& e) {
      output_ok = 0;
      output_error = e.what();
    }
  }
  if (world) output_ok = world->broadcast_from_root(output_ok);
  if (!output_ok) {
    if (root) throw ConfigError(output_error);
    return 2;
  }
  auto keep_partial = [&] {
    if (atomic) atomic->keep_partial();
  };

  std::atomic<double> youth_days{0};
  AbcSmc abc(
      priors, settings,
      model_simulator(scenario.scenario.values, spec.free, targets, replicates, seed, &youth_days),
      [&targets](const std::vector<double>& sim) { return target_distance(targets, sim); });
  if (req.resume) {
    CalibrationRecord done;
    try {
      done = read_calibration_file(partial);
    } catch (const std::exception& e) {
      keep_partial();
      throw ConfigError("--resume: " + partial + " cannot be read (" + e.what() +
                        "); it is kept; run without --resume to start again");
    }
    const bool same =
        done.scenario_text == rec.scenario_text && done.resolved_toml == rec.resolved_toml &&
        done.targets_text == rec.targets_text && done.calibrate_text == rec.calibrate_text &&
        done.seed == rec.seed && done.replicates_per_particle == replicates &&
        done.settings.particles == settings.particles &&
        done.settings.generations == settings.generations &&
        done.settings.quantile == settings.quantile &&
        done.settings.min_acceptance == settings.min_acceptance;
    if (!same) {
      keep_partial();
      throw ConfigError("--resume: " + partial +
                        " was started with another scenario, targets, free parameters, seed or "
                        "settings; it is kept; give the same command, or run without --resume");
    }
    abc.restore(done.generations);
  } else if (root) {
    write_calibration_file(partial, rec);
  }

  install_stop_handlers();
  const auto started = std::chrono::steady_clock::now();
  tbb::task_arena arena(req.threads > 0 ? req.threads : tbb::task_arena::automatic);
  const std::size_t N = static_cast<std::size_t>(settings.particles);
  Progress progress(root ? Progress::detect(req.quiet) : Progress::Mode::Quiet,
                    "calibrate " + scenario.scenario.name,
                    N * static_cast<std::size_t>(settings.generations), std::cerr, "particles");
  if (root && !req.quiet && abc.generations().size() > 0)
    std::cerr << "resuming " << partial << ": " << abc.generations().size() << " generation"
              << (abc.generations().size() == 1 ? "" : "s") << " kept\n";
  if (world) abc.set_evaluator(distributed_evaluator(*world, arena, abc));
  AbcSmc::Step step = AbcSmc::Step::Added;
  auto run = [&] {
    step = abc.run(
        [&] {
          const int stop = stop_requested() ? 1 : 0;
          return (world ? world->max_over_ranks(stop) : stop) != 0;
        },
        [&](int accepted, long long) {
          progress.update(abc.generations().size() * N + static_cast<std::size_t>(accepted),
                          youth_days.load());
        },
        [&](const AbcGeneration&) {
          if (!root) return;
          rec.generations = abc.generations();
          rec.status =
              "interrupted after " + std::to_string(rec.generations.size()) + " generations";
          try {
            write_calibration_file(partial, rec);
          } catch (const std::exception& e) {
            if (!world) throw;
            // The other ranks wait in the next round's collectives: end the whole job.
            std::cerr << "alliance-sim: failed: " << e.what() << "\n";
            world->abort(1);
          }
          test_signal_after_scenarios(static_cast<int>(rec.generations.size()));  // tests only
        });
  };
  // Under MPI only this thread may call MPI (MPI_THREAD_FUNNELED): the evaluator enters the
  // arena for the simulations alone.
  if (world)
    run();
  else
    arena.execute(run);
  const bool interrupted = step == AbcSmc::Step::Stopped;
  progress.finish(interrupted);
  if (interrupted) {
    int sig = stop_signal();
    if (world) sig = world->broadcast_from_root(sig);
    if (!root) return 128 + (sig ? sig : SIGINT);
    keep_partial();
    std::cerr << "alliance-sim: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT") << "; "
              << abc.generations().size() << " finished generation"
              << (abc.generations().size() == 1 ? " is" : "s are") << " kept in " << partial
              << "; the same command with --resume completes it\n";
    return 128 + (sig ? sig : SIGINT);
  }
  rec.generations = abc.generations();
  if (rec.generations.empty())
    throw RuntimeFailure(
        "calibrate: generation 0 accepted too few of its simulations (below "
        "min_acceptance " +
        fmt(settings.min_acceptance) +
        "): most parameter vectors of the prior give statistics that cannot be "
        "estimated; narrow the prior or raise --replicates-per-particle");
  if (!root) return 0;
  rec.complete = true;
  rec.status = step == AbcSmc::Step::LowAcceptance
                   ? "stopped after generation " + std::to_string(rec.generations.size() - 1) +
                         ": the next generation accepted fewer than " +
                         fmt(100 * settings.min_acceptance) + " % of its simulations"
                   : "complete";
  rec.summary = calibration_summary(rec);
  write_calibration_file(partial, rec);
  const bool replacing = std::filesystem::exists(output);
  atomic->commit();
  if (!req.quiet) {
    std::cout << rec.summary;
    // Not in the file: a resumed calibration counts only what it simulated itself.
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char buf[240];
    std::snprintf(
        buf, sizeof buf, "simulated %.3g youth-days in %.1f s on %d thread%s%s\n",
        youth_days.load(), seconds, arena.max_concurrency(),
        arena.max_concurrency() == 1 ? "" : "s",
        world ? (" (rank 0's share; " + std::to_string(world->size()) + " ranks)").c_str() : "");
    std::cout << buf;
    std::cout << (replacing ? "replaced " : "wrote ") << output << "\n";
  }
  return 0;
}

}  // namespace

int calibrate_command(const CalibrateRequest& req) {
  if (req.list_statistics) {
    std::cout << statistic_listing();
    return 0;
  }
#ifdef ASIM_WITH_MPI
  // Under mpirun/srun every rank runs the same ABC-SMC; the simulations of each round are
  // shared out between the ranks and their results gathered on every rank, so all ranks hold
  // the same particles and rank 0 writes the file a single process would write.
  if (mpi::launched_by_mpi()) {
    mpi::World world;
    return calibrate_in(req, world.size() > 1 ? &world : nullptr);
  }
#endif
  return calibrate_in(req, nullptr);
}

}  // namespace asim
