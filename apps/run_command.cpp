// `alliance-sim run` and `alliance-sim validate`.
#include "apps/run_command.hpp"

#include "apps/posterior_run.hpp"
#include "apps/run_loop.hpp"
#include "apps/run_plan.hpp"
#ifdef ASIM_WITH_MPI
#include "apps/distributed_run.hpp"
#include "engine/mpi_world.hpp"
#endif

#include <tbb/info.h>
#include <tbb/task_arena.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "analysis/result_reader.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "models/result_file.hpp"
#include "models/run_size.hpp"

namespace asim {

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

std::string expected_size_line(const RunSize& size, const RunOptions& options) {
  return "expected result file: at most " + format_bytes(size.output_bytes) +
         " (before compression; written files are usually a quarter to a half of that)" +
         (options.group_series ? std::string()
                               : std::string("; lean: no groups/daily series (the default; "
                                             "--group-series yes adds them)")) +
         "\n";
}

int validate_command(const std::vector<std::string>& files,
                     const std::vector<std::string>& overrides) {
  int failures = 0;
  for (const auto& f : files) {
    try {
      const auto loaded = load_scenarios({f}, overrides, 0, -1);
      if (loaded.sweep) {
        const auto& sw = loaded.sweep->record;
        std::cout << "ok: " << f << " (scenario '" << sw.source << "'; sweep: " << sw.design << ", "
                  << sw.parameters.size() << " parameter" << (sw.parameters.size() == 1 ? "" : "s")
                  << ", " << sw.points.size() << " points"
                  << (sw.base_samples
                          ? " = " + std::to_string(sw.base_samples) + " base samples x " +
                                std::to_string(sw.parameters.size() + 2)
                          : std::string())
                  << ")\n";
      } else {
        std::cout << "ok: " << f << " (scenario '" << loaded.scenarios[0].scenario.name << "')\n";
      }
      for (const auto& note : loaded.notes) std::cout << "note: " << note << "\n";
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
                            : loaded.is_point(0)       ? loaded.sweep->record.source
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
      if (list_points || !loaded.is_point(i))
        summaries.push_back(file.summarise(loaded.name_at(i)));
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

int run_command(const RunRequest& req) {
#ifdef ASIM_WITH_MPI
  // Under mpirun/srun the work is shared out between the ranks (distributed_run.cpp).
  if (mpi::launched_by_mpi()) return run_distributed(req);
#else
  // Built without MPI: under a launcher every rank would run the whole job into one file.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"})
    if (const char* size = std::getenv(name); size != nullptr && std::atoi(size) > 1)
      throw ConfigError(std::string(name) + "=" + size +
                        ": this alliance-sim is built without "
                        "MPI (-DASIM_MPI=OFF), so each of the ranks would run the whole job; "
                        "build it with MPI (docs/cluster.md) or run it without mpirun");
#endif
  return run_single_process(req);
}

int run_single_process(const RunRequest& req) {
  auto loaded = load_scenarios(req.scenario_files, req.overrides, req.replicates, req.seed);
  const auto posterior = prepare_posterior(req, loaded);
  const RunOptions options = run_options(req);
  check_threads(req);

  const std::string output = output_path(req, loaded);
  AtomicOutput atomic(output, req.overwrite);
  check_resume(req, atomic);
  const bool replacing = std::filesystem::exists(output);
  const RunSize size = check_size(loaded, options, req.threads, output);
  if (!req.quiet) {
    for (const auto& note : loaded.notes) std::cerr << "note: " << note << "\n";
    std::cerr << expected_size_line(size, options);
  }
  install_stop_handlers();

  tbb::task_arena arena(req.threads > 0 ? req.threads : tbb::task_arena::automatic);
  const int threads = arena.max_concurrency();
  ResultWriter writer = open_run_file(atomic, req.command_line, req.resume);
  RunLoop loop(writer, loaded, options, req.resume, req.quiet);
  const bool interrupted =
      posterior ? !run_posterior_in_process(loop, loaded, *posterior, options, arena,
                                            [] { return stop_requested(); })
                : !run_in_process(loop, options, arena, [] { return stop_requested(); });
  loop.writer().close();
  if (posterior && !interrupted) write_posterior_group(atomic.partial_path(), *posterior);
  loop.progress().finish(interrupted);
  const double seconds = loop.seconds();
  if (interrupted) return report_interrupted(atomic, output, loop.finished_scenarios());
  atomic.commit();

  print_run_summary(req, loaded, output, replacing, loop.youth_days(), seconds,
                    "on " + std::to_string(threads) + " thread" + (threads == 1 ? "" : "s"),
                    threads);
  if (posterior && !req.quiet)
    std::cout << "ran every scenario over " << posterior->draws() << " draws of the posterior of "
              << posterior->file << " x " << posterior->replicates_per_draw
              << " replicates (replicate r ran draw r / " << posterior->replicates_per_draw
              << "; /posterior in the file); compare and report give intervals with parameter "
                 "uncertainty\n";
  return 0;
}

}  // namespace asim
