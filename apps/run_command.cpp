// `alliance-sim run` and `alliance-sim validate`.
#include "apps/run_command.hpp"

#include "apps/run_plan.hpp"
#ifdef ASIM_WITH_MPI
#include "apps/distributed_run.hpp"
#include "engine/mpi_world.hpp"
#endif

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "analysis/result_reader.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "engine/progress.hpp"
#include "engine/sweep.hpp"
#include "models/result_file.hpp"
#include "models/run_size.hpp"
#include "models/scenarios.hpp"

namespace asim {
namespace {

// The design of a scenario's sweep, every point checked before anything runs.
SweepRun make_sweep(const Scenario& s, std::size_t position);

}  // namespace

// Point `point` (0-based) of a sweep as a scenario: the scenario's values (after --set) with the
// point's parameters set on top, origin "sweep point N", checked by the model like any scenario.
LoadedScenario sweep_point(const SweepRun& sweep, std::size_t point) {
  const SweepSpec& spec = *sweep.base.sweep;
  const Registry& registry = sweep.base.values.registry();
  LoadedScenario loaded{sweep.base, {}};
  Scenario& ps = loaded.scenario;
  ps.sweep.reset();
  ps.name = sweep.record.points[point];
  const std::string origin = "sweep point " + std::to_string(point + 1);
  std::string settings;
  ps.sweep_label.clear();
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const auto& p = spec.parameters[j];
    const double value = sweep.record.matrix[point][j];
    ps.values.set(p.index, value, origin);
    settings += (j ? ", " : "") + p.name + " = " + registry.format_value(p.index, value);
    ps.sweep_label += (j ? ", " : "") + p.name + "=" + registry.format_value(p.index, value);
  }
  loaded.params = make_model_params(ps.values);
  try {
    Model check(loaded.params);
  } catch (const ConfigError& e) {
    throw ConfigError(sweep.base.source_path + ": " + origin + " of the [sweep] at " +
                      spec.origin + " (" + settings + "): " + e.what());
  }
  return loaded;
}

namespace {

SweepRun make_sweep(const Scenario& s, std::size_t position) {
  const SweepSpec& spec = *s.sweep;
  const Registry& registry = s.values.registry();
  for (const auto& p : spec.parameters)
    if (s.values.origin(p.index) == "--set")
      throw ConfigError("--set " + p.name + "=" +
                        registry.format_value(p.index, s.values.get(p.index)) + ": " + p.name +
                        " is swept by [sweep] at " + p.origin +
                        "; remove it from --set or from the sweep");
  SweepRun sweep{s, position, {}};
  SweepDesignRecord& record = sweep.record;
  const auto seed = spec.seed.value_or(static_cast<std::uint32_t>(s.values.get("run.seed")));
  record.matrix = make_design(spec, registry, seed);
  record.design = std::string(design_name(spec.design));
  record.source = s.name;
  record.base_samples =
      spec.design == SweepDesign::Saltelli ? static_cast<std::int64_t>(spec.points) : 0;
  record.seed = seed;
  for (const auto& p : spec.parameters) {
    const ParamSpec& ps = registry.spec(p.index);
    record.parameters.push_back(p.name);
    record.units.push_back(ps.unit.empty() ? "1" : ps.unit);
    const bool ranged = spec.design != SweepDesign::Grid;
    record.lower.push_back(ranged ? p.min : std::nan(""));
    record.upper.push_back(ranged ? p.max : std::nan(""));
  }
  for (std::size_t point = 0; point < record.matrix.size(); ++point)
    record.points.push_back(sweep_point_name(point + 1, record.matrix.size()));
  for (std::size_t point = 0; point < record.matrix.size(); ++point)
    record.labels.push_back(sweep_point(sweep, point).scenario.sweep_label);
  return sweep;
}

}  // namespace

LoadedRun load_scenarios(const std::vector<std::string>& files,
                         const std::vector<std::string>& overrides, int replicates,
                         long long seed) {
  const ScenarioLoader loader = model_scenario_loader();
  LoadedRun out;
  std::vector<Scenario> scenarios;
  if (files.empty()) scenarios.push_back(loader.load_builtin("baseline"));
  for (const auto& f : files) scenarios.push_back(loader.load_file(f));
  std::set<std::string> names;
  for (auto& s : scenarios) {
    if (!names.insert(s.name).second)
      throw ConfigError(s.source_path + ": scenario name '" + s.name +
                        "' is used twice in this run; give each file its own [scenario] name");
    for (const auto& o : overrides) loader.apply_override(s, o);
    if (replicates > 0) loader.apply_override(s, "run.replicates=" + std::to_string(replicates));
    if (seed >= 0) loader.apply_override(s, "run.seed=" + std::to_string(seed));
    if (s.sweep) {
      if (out.sweep)
        throw ConfigError(s.sweep->origin + ": a second scenario with a [sweep] in this run (the "
                          "first is " + out.sweep->base.sweep->origin +
                          "); run one sweep at a time");
      out.sweep = make_sweep(s, out.scenarios.size());
      continue;
    }
    ModelParams p = make_model_params(s.values);
    try {
      Model check(p);
    } catch (const ConfigError& e) {
      throw ConfigError(s.source_path + ": " + e.what());
    }
    out.scenarios.push_back({std::move(s), p});
  }
  // A sweep's point names must not meet a scenario of the same name.
  if (out.sweep)
    for (const auto& point : out.sweep->record.points)
      if (names.count(point))
        throw ConfigError("scenario name '" + point + "' is also the name of a point of the "
                          "[sweep] at " + out.sweep->base.sweep->origin + "; rename that scenario");
  return out;
}

RunOptions run_options(const RunRequest& req, const LoadedRun& loaded) {
  RunOptions o = parse_daily(req.daily);
  if (req.group_series.empty()) o.group_series = !loaded.sweep;
  else if (req.group_series == "yes") o.group_series = true;
  else if (req.group_series == "no") o.group_series = false;
  else
    throw ConfigError("--group-series " + req.group_series + ": expected yes or no");
  return o;
}

RunOptions parse_daily(const std::string& spec) {
  RunOptions o;
  if (spec.empty()) return o;
  std::stringstream in(spec);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name == "all") {
      o.daily.fill(true);
      continue;
    }
    if (name == "main") {  // the study's main trajectories: alliance, motivation, problems
      for (DailyVar v : {kDailyAlliance, kDailyMotivation, kDailyProblems}) o.daily[v] = true;
      continue;
    }
    bool found = false;
    for (int v = 0; v < kDailyVarCount; ++v)
      if (kDailyVars[static_cast<std::size_t>(v)].name == name) {
        o.daily[static_cast<std::size_t>(v)] = true;
        found = true;
      }
    if (!found) {
      std::string allowed;
      for (const auto& v : kDailyVars) allowed += (allowed.empty() ? "" : ", ") + std::string(v.name);
      throw ConfigError("--daily " + spec + ": unknown variable '" + name + "' (allowed: " +
                        allowed + ", main (alliance, motivation, problems) or all)");
    }
  }
  return o;
}

// The .partial of an interrupted run, opened to complete it. One that cannot be opened (a run
// killed in the middle of a write leaves HDF5 metadata unwritten) is kept, not removed: it is
// the user's file, and starting afresh without --resume replaces it.
// It is opened read-only first: HDF5 1.10 opening a damaged file read-write and failing
// truncates it (a 36 MB .partial was left with 2 KiB).
void probe_for_resume(const AtomicOutput& atomic) {
  const ResultFile probe(atomic.partial_path());  // signature, superblock, schema
}

ConfigError resume_failure(AtomicOutput& atomic, const std::exception& cause) {
  atomic.keep_partial();
  return ConfigError("--resume: " + atomic.partial_path() +
                     " cannot be opened to complete it (a run killed during a write leaves it unreadable): " +
                     cause.what() + "; run without --resume to start afresh (this replaces it)");
}

ResultWriter open_for_resume(AtomicOutput& atomic, const std::string& command_line) {
  try {
    probe_for_resume(atomic);
    return ResultWriter(atomic.partial_path(), command_line, ResultWriter::Resume{});
  } catch (const std::exception& e) {
    throw resume_failure(atomic, e);
  }
}

// Refuses, before anything is allocated or written, a run that needs more memory than the
// machine has available or a larger result file than the output directory has free space.
RunSize check_size(const LoadedRun& loaded, const RunOptions& options, int threads,
                const std::string& output) {
  const int workers = threads > 0 ? threads : tbb::info::default_concurrency();
  RunSize total;
  for (std::size_t i = 0; i < loaded.size(); ++i)
    add_scenario(total, estimate_run_size(loaded.at(i).params, options, workers));
  const std::filesystem::path parent = std::filesystem::path(output).parent_path();
  const std::string directory = parent.empty() ? std::string(".") : parent.string();
  std::error_code ec;
  const auto space = std::filesystem::space(directory, ec);
  check_run_fits(total, available_memory_bytes(), ec ? 0.0 : static_cast<double>(space.available),
                 directory);
  return total;
}

std::string expected_size_line(const RunSize& size, const RunOptions& options, bool sweep) {
  return "expected result file: at most " + format_bytes(size.output_bytes) +
         " (before compression; written files are usually a quarter to a third of that)" +
         (options.group_series ? std::string()
                               : std::string("; lean: no groups/daily series") +
                                     (sweep ? " (the default for a sweep; --group-series yes adds them)"
                                            : "")) +
         "\n";
}

int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& overrides) {
  int failures = 0;
  for (const auto& f : files) {
    try {
      const auto loaded = load_scenarios({f}, overrides, 0, -1);
      if (loaded.sweep) {
        const auto& sw = loaded.sweep->record;
        std::cout << "ok: " << f << " (scenario '" << sw.source << "'; sweep: " << sw.design
                  << ", " << sw.parameters.size() << " parameter"
                  << (sw.parameters.size() == 1 ? "" : "s") << ", " << sw.points.size()
                  << " points"
                  << (sw.base_samples ? " = " + std::to_string(sw.base_samples) +
                                            " base samples x " +
                                            std::to_string(sw.parameters.size() + 2)
                                      : std::string())
                  << ")\n";
      } else {
        std::cout << "ok: " << f << " (scenario '" << loaded.scenarios[0].scenario.name << "')\n";
      }
    } catch (const ConfigError& e) {
      std::cerr << "alliance-sim: error: " << e.what() << "\n";
      ++failures;
    }
  }
  return failures ? 2 : 0;
}

std::string output_path(const RunRequest& req, const LoadedRun& loaded) {
  if (!req.output.empty()) return req.output;
  const std::string first = req.scenario_files.empty() ? std::string("default")
                            : loaded.is_point(0)           ? loaded.sweep->record.source
                                                           : loaded.name_at(0);
  std::filesystem::create_directories("results");
  return "results/" + first + ".h5";
}

void print_run_summary(const RunRequest& req, const LoadedRun& loaded, const std::string& output,
                       bool replacing, double youth_days, double seconds, const std::string& where,
                       int threads) {
  if (req.quiet) return;
  {
    // A large sweep's points are summarised in one line rather than a table each.
    constexpr std::size_t kSweepPointsShown = 8;
    const bool list_points = loaded.points() <= kSweepPointsShown;
    std::vector<ScenarioSummary> summaries;
    const ResultFile file(output);
    for (std::size_t i = 0; i < loaded.size(); ++i)
      if (list_points || !loaded.is_point(i)) summaries.push_back(file.summarise(loaded.name_at(i)));
    std::cout << format_summary_table(summaries);
    if (loaded.sweep) {
      const auto& sw = loaded.sweep->record;
      std::cout << "sweep of scenario '" << sw.source << "': " << sw.design << " design, "
                << sw.points.size() << " points (" << sw.points.front() << " .. "
                << sw.points.back() << "), design matrix in /sweep/design"
                << (sw.design == "saltelli" ? "; Sobol indices: alliance-sim sensitivity " + output
                                            : std::string())
                << "\n";
    }
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "simulated %.3g youth-days in %.2f s %s: %.2f million youth-days/s "
                  "(%.2f million per thread)\n",
                  youth_days, seconds, where.c_str(), youth_days / seconds / 1e6,
                  youth_days / seconds / 1e6 / threads);
    std::cout << buf;
    std::cout << (replacing ? "replaced " : "wrote ") << output << "\n";
  }
}

void check_threads(const RunRequest& req) {
  if (req.threads < 0 || req.threads > 4096)
    throw ConfigError("--threads " + std::to_string(req.threads) + " is outside [1, 4096]");
}

void check_resume(const RunRequest& req, const AtomicOutput& atomic) {
  if (req.resume && !atomic.partial_exists())
    throw ConfigError("--resume: " + atomic.partial_path() +
                      " not found; there is no interrupted run of this output to complete");
}

int report_interrupted(AtomicOutput& atomic, const std::string& output, int finished_scenarios) {
  atomic.keep_partial();
  const int sig = stop_signal();
  std::cerr << "alliance-sim: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
            << (finished_scenarios == 0
                    ? "; no scenario had finished: " + atomic.partial_path() +
                          " holds only the replicates written so far, and --resume runs the "
                          "scenario again from its first replicate"
                    : "; finished scenarios are kept in " + atomic.partial_path())
            << (std::filesystem::exists(output) ? "; the earlier " + output + " is untouched" : "")
            << "\n";
  return 128 + (sig ? sig : SIGINT);
}

std::string progress_label(const LoadedRun& loaded) {
  return loaded.sweep ? "sweep of " + std::to_string(loaded.points()) + " points"
                      : std::string("simulating");
}

int run_command(const RunRequest& req) {
#ifdef ASIM_WITH_MPI
  // Under mpirun/srun the work is shared out between the ranks (distributed_run.cpp).
  if (mpi::launched_by_mpi()) return run_distributed(req);
#else
  // Built without MPI: under a launcher every rank would run the whole job into one file.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* size = std::getenv(name); size != nullptr && std::atoi(size) > 1)
      throw ConfigError(std::string(name) + "=" + size + ": this alliance-sim is built without "
                        "MPI (-DASIM_MPI=OFF), so each of the ranks would run the whole job; "
                        "build it with MPI (docs/cluster.md) or run it without mpirun");
#endif
  return run_single_process(req);
}

int run_single_process(const RunRequest& req) {
  const auto loaded = load_scenarios(req.scenario_files, req.overrides, req.replicates, req.seed);
  const RunOptions options = run_options(req, loaded);
  check_threads(req);

  const std::string output = output_path(req, loaded);
  AtomicOutput atomic(output, req.overwrite);
  check_resume(req, atomic);
  const bool replacing = std::filesystem::exists(output);
  const RunSize size = check_size(loaded, options, req.threads, output);
  if (!req.quiet) std::cerr << expected_size_line(size, options, loaded.sweep.has_value());
  install_stop_handlers();

  // A sweep's points are scenarios, so progress and ETA count replicates across every point.
  int total_replicates = 0;
  for (std::size_t i = 0; i < loaded.size(); ++i) total_replicates += loaded.replicates_at(i);
  Progress progress(Progress::detect(req.quiet), progress_label(loaded),
                    static_cast<std::size_t>(total_replicates));
  tbb::task_arena arena(req.threads > 0 ? req.threads : tbb::task_arena::automatic);
  const int threads = arena.max_concurrency();

  const auto t0 = std::chrono::steady_clock::now();
  double youth_days = 0;
  int done = 0, finished_scenarios = 0;
  bool interrupted = false;
  {
    ResultWriter writer = req.resume ? open_for_resume(atomic, req.command_line)
                                     : ResultWriter(atomic.partial_path(), req.command_line);
    if (loaded.sweep) writer.write_sweep_design(loaded.sweep->record);
    for (std::size_t i = 0; i < loaded.size(); ++i) {
      const LoadedScenario s = loaded.at(i);
      if (req.resume && writer.keep_finished(s.scenario, options)) {
        done += s.params.replicates;  // finished in the interrupted run
        ++finished_scenarios;
        continue;
      }
      const Model model(s.params);
      writer.begin_scenario(s.scenario, model, options, s.params.replicates);
      bool finished = false;
      arena.execute([&] {
        finished = run_replicates(
            model, options, 0, s.params.replicates,
            [&](ReplicateResult&& r) {
              writer.write_replicate(r);
              youth_days += r.youth_days;
              progress.update(static_cast<std::size_t>(++done), youth_days);
            },
            [] { return stop_requested(); },
            [&](ReplicateResult& r) { ResultWriter::compress(r, options); });
      });
      if (!finished || stop_requested()) {
        interrupted = true;
        break;
      }
      writer.end_scenario();
      ++finished_scenarios;
      test_signal_after_scenarios(static_cast<int>(i) + 1);
    }
    writer.close();
  }
  progress.finish(interrupted);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (interrupted) return report_interrupted(atomic, output, finished_scenarios);
  atomic.commit();

  print_run_summary(req, loaded, output, replacing, youth_days, seconds,
                    "on " + std::to_string(threads) + " thread" + (threads == 1 ? "" : "s"), threads);
  return 0;
}

}  // namespace asim
