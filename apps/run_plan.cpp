// The run plan of `alliance-sim run` (scenarios and sweep points, loaded and checked before
// anything runs; the daily-series options; the .partial opened for --resume): see run_plan.hpp.
#include "apps/run_plan.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "analysis/result_reader.hpp"
#include "engine/errors.hpp"
#include "engine/sweep.hpp"
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
    throw ConfigError(sweep.base.source_path + ": " + origin + " of the [sweep] at " + spec.origin +
                      " (" + settings + "): " + e.what());
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
    out.notes.insert(out.notes.end(), s.notes.begin(), s.notes.end());
    if (s.sweep) {
      if (out.sweep)
        throw ConfigError(s.sweep->origin +
                          ": a second scenario with a [sweep] in this run (the "
                          "first is " +
                          out.sweep->base.sweep->origin + "); run one sweep at a time");
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
        throw ConfigError("scenario name '" + point +
                          "' is also the name of a point of the "
                          "[sweep] at " +
                          out.sweep->base.sweep->origin + "; rename that scenario");
  return out;
}

RunOptions run_options(const RunRequest& req) {
  RunOptions o = parse_daily(req.daily);
  // The default file is lean: each group's daily series cost more to compress and write than
  // the simulation of the waves they sit beside (bench/README.md), and no analysis reads them.
  if (req.group_series.empty())
    o.group_series = false;
  else if (req.group_series == "yes")
    o.group_series = true;
  else if (req.group_series == "no")
    o.group_series = false;
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
      for (const auto& v : kDailyVars)
        allowed += (allowed.empty() ? "" : ", ") + std::string(v.name);
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
  return ConfigError(
      "--resume: " + atomic.partial_path() +
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

ResultWriter open_run_file(AtomicOutput& atomic, const std::string& command_line, bool resume) {
  if (resume) return open_for_resume(atomic, command_line);
  return ResultWriter(atomic.partial_path(), command_line);
}

std::string progress_label(const LoadedRun& loaded) {
  return loaded.sweep ? "sweep of " + std::to_string(loaded.points()) + " points"
                      : std::string("simulating");
}

}  // namespace asim
