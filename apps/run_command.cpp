// `alliance-sim run` and `alliance-sim validate`.
#include "apps/run_command.hpp"

#include <tbb/task_arena.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include "analysis/result_reader.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "engine/progress.hpp"
#include "models/result_file.hpp"
#include "models/scenarios.hpp"

namespace asim {
namespace {

struct LoadedScenario {
  Scenario scenario;
  ModelParams params;
};

std::vector<LoadedScenario> load_scenarios(const std::vector<std::string>& files,
                                           const std::vector<std::string>& overrides,
                                           int replicates, long long seed) {
  const ScenarioLoader loader = model_scenario_loader();
  std::vector<LoadedScenario> out;
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
    ModelParams p = make_model_params(s.values);
    try {
      Model check(p);
    } catch (const ConfigError& e) {
      throw ConfigError(s.source_path + ": " + e.what());
    }
    out.push_back({std::move(s), p});
  }
  return out;
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
                        allowed + ", or all)");
    }
  }
  return o;
}

}  // namespace

int validate_command(const std::vector<std::string>& files, const std::vector<std::string>& overrides) {
  int failures = 0;
  for (const auto& f : files) {
    try {
      auto loaded = load_scenarios({f}, overrides, 0, -1);
      std::cout << "ok: " << f << " (scenario '" << loaded[0].scenario.name << "')\n";
    } catch (const ConfigError& e) {
      std::cerr << "alliance-sim: error: " << e.what() << "\n";
      ++failures;
    }
  }
  return failures ? 2 : 0;
}

int run_command(const RunRequest& req) {
  auto scenarios = load_scenarios(req.scenario_files, req.overrides, req.replicates, req.seed);
  const RunOptions options = parse_daily(req.daily);
  if (req.threads < 0 || req.threads > 4096)
    throw ConfigError("--threads " + std::to_string(req.threads) + " is outside [1, 4096]");

  std::string output = req.output;
  if (output.empty()) {
    output = req.scenario_files.empty() ? "results/default.h5"
                                        : "results/" + scenarios.front().scenario.name + ".h5";
    std::filesystem::create_directories("results");
  }
  AtomicOutput atomic(output, req.overwrite);
  if (req.resume && !atomic.partial_exists())
    throw ConfigError("--resume: " + atomic.partial_path() +
                      " not found; there is no interrupted run of this output to complete");
  const bool replacing = std::filesystem::exists(output);
  install_stop_handlers();

  int total_replicates = 0;
  for (const auto& s : scenarios) total_replicates += s.params.replicates;
  Progress progress(Progress::detect(req.quiet), "simulating", static_cast<std::size_t>(total_replicates));
  tbb::task_arena arena(req.threads > 0 ? req.threads : tbb::task_arena::automatic);
  const int threads = arena.max_concurrency();

  const auto t0 = std::chrono::steady_clock::now();
  double youth_days = 0;
  int done = 0;
  bool interrupted = false;
  {
    ResultWriter writer = req.resume ? ResultWriter(atomic.partial_path(), req.command_line, ResultWriter::Resume{})
                                     : ResultWriter(atomic.partial_path(), req.command_line);
    for (const auto& s : scenarios) {
      if (req.resume && writer.keep_finished(s.scenario, options)) {
        done += s.params.replicates;  // finished in the interrupted run
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
    }
    writer.close();
  }
  progress.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (interrupted) {
    atomic.keep_partial();
    const int sig = stop_signal();
    std::cerr << "alliance-sim: interrupted by " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
              << "; finished scenarios are kept in " << atomic.partial_path()
              << (std::filesystem::exists(output) ? "; the earlier " + output + " is untouched" : "")
              << "\n";
    return 128 + (sig ? sig : SIGINT);
  }
  atomic.commit();

  std::vector<ScenarioSummary> summaries;
  const ResultFile file(output);
  for (const auto& s : scenarios) summaries.push_back(file.summarise(s.scenario.name));
  if (!req.quiet) {
    std::cout << format_summary_table(summaries);
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "simulated %.3g youth-days in %.2f s on %d thread%s: %.2f million youth-days/s "
                  "(%.2f million per thread)\n",
                  youth_days, seconds, threads, threads == 1 ? "" : "s", youth_days / seconds / 1e6,
                  youth_days / seconds / 1e6 / threads);
    std::cout << buf;
    std::cout << (replacing ? "replaced " : "wrote ") << output << "\n";
  }
  return 0;
}

}  // namespace asim
