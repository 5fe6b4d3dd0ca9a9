// Runs over posterior draws: see posterior_run.hpp.
#include "apps/posterior_run.hpp"

#include "analysis/abc_smc.hpp"
#include "apps/calibration_file.hpp"
#include "apps/run_command.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"
#include "engine/test_hooks.hpp"
#include "models/model_params.hpp"

namespace asim {

PosteriorDraws load_posterior_draws(const std::string& path, int draws, std::uint32_t seed,
                                    int replicates_per_draw) {
  const CalibrationRecord rec = read_calibration_file(path);
  if (!rec.complete || rec.generations.empty())
    throw ConfigError(path +
                      ": an interrupted calibration (complete = 0); complete it with "
                      "alliance-sim calibrate ... --resume first");
  PosteriorDraws d;
  d.file = path;
  d.replicates_per_draw = replicates_per_draw;
  {
    h5::Handle f = h5::open_file_read(path);
    d.calibration_git_commit = h5::get_attr_string(f.id(), "git_commit");
    d.calibration_created_utc = h5::get_attr_string(f.id(), "created_utc");
  }
  const Registry& registry = model_registry().registry();
  for (const auto& p : rec.priors) {
    const auto i = registry.index(p.name);
    if (!i)
      throw ConfigError(path + ": free parameter '" + p.name +
                        "' is not a parameter of this "
                        "alliance-sim" +
                        did_you_mean_hint(registry.suggestions(p.name)));
    d.names.push_back(p.name);
    d.index.push_back(*i);
  }
  const AbcGeneration& last = rec.generations.back();
  d.particles = resample_particles(last.weight, draws, seed);
  for (int particle : d.particles)
    d.values.push_back(last.theta[static_cast<std::size_t>(particle)]);
  return d;
}

namespace {
constexpr int kDefaultDraws = 20;
}  // namespace

// With --posterior: the draws, and the scenarios loaded to run draws x replicates each.
std::optional<PosteriorDraws> prepare_posterior(const RunRequest& req, LoadedRun& loaded) {
  if (req.posterior.empty()) {
    if (req.draws > 0) throw ConfigError("--draws needs --posterior calib.h5");
    return std::nullopt;
  }
  if (loaded.sweep)
    throw ConfigError(
        "--posterior: a scenario with a [sweep] cannot run over posterior draws; "
        "run the scenarios without their [sweep] tables");
  const int R = loaded.replicates_at(0);
  for (std::size_t i = 1; i < loaded.size(); ++i)
    if (loaded.replicates_at(i) != R)
      throw ConfigError("--posterior: the scenarios have different run.replicates (" +
                        std::to_string(R) + " and " + std::to_string(loaded.replicates_at(i)) +
                        "); give --replicates N, the replicates of each draw");
  const int K = req.draws > 0 ? req.draws : kDefaultDraws;
  if (static_cast<long long>(K) * R > 100000)
    throw ConfigError("--posterior: " + std::to_string(K) + " draws x " + std::to_string(R) +
                      " replicates is above 100000 replicates per scenario");
  PosteriorDraws d = load_posterior_draws(
      req.posterior, K, static_cast<std::uint32_t>(loaded.scenarios.front().params.seed), R);
  loaded = load_scenarios(req.scenario_files, req.overrides, K * R, req.seed);
  return d;
}

ModelParams draw_params(const Scenario& scenario, const PosteriorDraws& draws, int k) {
  ParamValues values = scenario.values;
  const auto& registry = values.registry();
  for (std::size_t j = 0; j < draws.names.size(); ++j) {
    const double v = draws.values[static_cast<std::size_t>(k)][j];
    const std::string why = registry.check(draws.index[j], v);
    if (!why.empty())
      throw ConfigError(draws.file + ": posterior draw " + std::to_string(k) + ": " +
                        draws.names[j] + " = " + registry.format_value(draws.index[j], v) + " " +
                        why);
    values.set(draws.index[j], v, "posterior draw " + std::to_string(k) + " of " + draws.file);
  }
  return make_model_params(values);
}

bool run_posterior_in_process(RunLoop& loop, const LoadedRun& loaded, const PosteriorDraws& draws,
                              const RunOptions& options, tbb::task_arena& arena,
                              const std::function<bool()>& stop) {
  const int R = draws.replicates_per_draw;
  while (!loop.done()) {
    const std::size_t scenario = loop.current();
    if (loop.current_replicates() != draws.draws() * R)
      throw RuntimeFailure(
          "posterior run: scenario's replicates are not draws x replicates per draw");
    loop.begin();
    const LoadedScenario s = loaded.at(scenario);
    for (int k = 0; k < draws.draws(); ++k) {
      ModelParams p = draw_params(s.scenario, draws, k);
      p.replicates = draws.draws() * R;
      const Model model(p);
      if (!simulate_replicates(arena, model, options, k * R, R, stop,
                               [&](ReplicateResult&& r) { loop.write(r); }))
        return false;
    }
    if (stop()) return false;
    test_signal_after_scenarios(static_cast<int>(scenario) + 1);  // test builds only
  }
  return true;
}

bool simulate_item(tbb::task_arena& arena, const LoadedRun& loaded, const PosteriorDraws& draws,
                   std::size_t scenario, int first, int count, const RunOptions& options,
                   const std::function<bool()>& stop,
                   const std::function<void(ReplicateResult&&)>& sink) {
  const int R = draws.replicates_per_draw;
  const LoadedScenario s = loaded.at(scenario);
  for (int at = first; at < first + count;) {
    const int draw = at / R;
    const int end = std::min(first + count, (draw + 1) * R);
    const Model model(draw_params(s.scenario, draws, draw));
    if (!simulate_replicates(arena, model, options, at, end - at, stop, sink)) return false;
    at = end;
  }
  return true;
}

namespace {

void describe(hid_t ds, std::string_view units, std::string_view meaning) {
  h5::set_units(ds, units, meaning);
  h5::set_attr(ds, "long_name", meaning);
}

h5::Handle int_dataset(hid_t loc, const std::string& name, const std::vector<std::int32_t>& v,
                       std::string_view meaning) {
  const hsize_t n = v.size();
  h5::Handle ds =
      h5::create_dataset(loc, name, h5::Dtype::I32, {n}, {std::max<hsize_t>(n, 1)}, {}, 4);
  h5::write_all(ds.id(), h5::Dtype::I32, v.data());
  describe(ds.id(), "1", meaning);
  return ds;
}

}  // namespace

void write_posterior_group(const std::string& path, const PosteriorDraws& d) {
  h5::Handle file = h5::open_file_rw(path);
  {
    const hid_t root = file.id();
    if (h5::exists(root, "posterior"))
      h5::check(H5Ldelete(root, "posterior", H5P_DEFAULT), "replace posterior", root, "posterior");
    h5::Handle g = h5::create_group(root, "posterior");
    h5::set_attr(g.id(), "description",
                 "the posterior draws every scenario ran over: replicate r of every scenario ran "
                 "draw r / replicates_per_draw (integer division) of the calibration file");
    h5::set_attr(g.id(), "calibration_file", d.file);
    h5::set_attr(g.id(), "calibration_git_commit", d.calibration_git_commit);
    h5::set_attr(g.id(), "calibration_created_utc", d.calibration_created_utc);
    h5::set_attr_int(g.id(), "draws", d.draws());
    h5::set_attr_int(g.id(), "replicates_per_draw", d.replicates_per_draw);
    const int K = d.draws(), R = d.replicates_per_draw;
    std::vector<std::int32_t> draw(static_cast<std::size_t>(K)),
        replicate(static_cast<std::size_t>(K * R)), replicate_draw(static_cast<std::size_t>(K * R));
    for (int k = 0; k < K; ++k) draw[static_cast<std::size_t>(k)] = k;
    for (int r = 0; r < K * R; ++r)
      replicate[static_cast<std::size_t>(r)] = r,
      replicate_draw[static_cast<std::size_t>(r)] = r / R;
    h5::Handle draw_scale = int_dataset(g.id(), "draw", draw, "posterior draw");
    h5::make_scale(draw_scale.id(), "draw");
    h5::Handle rep_scale =
        int_dataset(g.id(), "replicate", replicate, "replicate of every scenario");
    h5::make_scale(rep_scale.id(), "replicate");
    h5::Handle names = h5::create_string_dataset(g.id(), "parameter", d.names);
    h5::make_scale(names.id(), "parameter");
    h5::set_attr(names.id(), "long_name", "free parameter of the calibration (registry name)");
    h5::Handle particles = int_dataset(g.id(), "particle", d.particles,
                                       "particle of the calibration's last generation drawn");
    h5::Handle rd =
        int_dataset(g.id(), "replicate_draw", replicate_draw, "the draw each replicate ran");
    std::vector<double> flat, per_replicate;
    for (const auto& v : d.values) flat.insert(flat.end(), v.begin(), v.end());
    for (int r = 0; r < K * R; ++r) {
      const auto& v = d.values[static_cast<std::size_t>(r / R)];
      per_replicate.insert(per_replicate.end(), v.begin(), v.end());
    }
    const hsize_t P = d.names.size(), k = static_cast<hsize_t>(K), kr = static_cast<hsize_t>(K * R);
    h5::Handle values =
        h5::create_dataset(g.id(), "parameters", h5::Dtype::F64, {k, P}, {k, P}, {}, 4);
    h5::write_all(values.id(), h5::Dtype::F64, flat.data());
    describe(values.id(), "1", "each draw's value of each free parameter");
    h5::Handle rvalues =
        h5::create_dataset(g.id(), "replicate_parameters", h5::Dtype::F64, {kr, P}, {kr, P}, {}, 4);
    h5::write_all(rvalues.id(), h5::Dtype::F64, per_replicate.data());
    describe(rvalues.id(), "1", "the free parameters' values each replicate ran with");
    h5::ScaleAttachments scales;
    scales.attach(particles.id(), {draw_scale.id()});
    scales.attach(rd.id(), {rep_scale.id()});
    scales.attach(values.id(), {draw_scale.id(), names.id()});
    scales.attach(rvalues.id(), {rep_scale.id(), names.id()});
    scales.finish();
  }
  file.close();
}

}  // namespace asim
