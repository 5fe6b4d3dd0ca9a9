// The calibration file: see calibration_file.hpp and docs/hdf5-schema.md.
#include "apps/calibration_file.hpp"

#include <algorithm>
#include <cmath>

#include "analysis/targets.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"
#include "models/result_file.hpp"
#include "models/scenarios.hpp"

namespace asim {

double CalibrationTargetRecord::z(double simulated) const {
  return standardised_error(simulated, value, uncertainty, target_bound_of(bound));
}

namespace {

constexpr const char* kFileKind = "alliance-sim calibration";
constexpr std::int64_t kCalibrationSchema = 1;

void describe(hid_t ds, std::string_view units, std::string_view meaning) {
  h5::set_units(ds, units, meaning);
  h5::set_attr(ds, "long_name", meaning);
}

h5::Handle write_f64(hid_t loc, const std::string& name, const std::vector<hsize_t>& dims,
                     const std::vector<double>& data, std::string_view units,
                     std::string_view meaning) {
  h5::Handle ds = h5::create_dataset(loc, name, h5::Dtype::F64, dims, dims, {}, 4);
  h5::write_all(ds.id(), h5::Dtype::F64, data.data());
  describe(ds.id(), units, meaning);
  return ds;
}

h5::Handle string_scale(hid_t loc, const std::string& name, const std::vector<std::string>& values,
                        std::string_view meaning) {
  h5::Handle ds = h5::create_string_dataset(loc, name, values);
  h5::make_scale(ds.id(), name);
  h5::set_attr(ds.id(), "long_name", meaning);
  h5::set_attr(ds.id(), "description", meaning);
  return ds;
}

h5::Handle index_scale(hid_t loc, const std::string& name, std::size_t n,
                       std::string_view meaning) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
  const hsize_t len = std::max<hsize_t>(n, 1);
  h5::Handle ds =
      h5::create_dataset(loc, name, h5::Dtype::I32, {static_cast<hsize_t>(n)}, {len}, {}, 4);
  if (n) h5::write_all(ds.id(), h5::Dtype::I32, v.data());
  h5::make_scale(ds.id(), name);
  describe(ds.id(), "1", meaning);
  return ds;
}

std::vector<double> read_doubles(hid_t loc, const std::string& path) {
  h5::Handle ds = h5::open_dataset(loc, path);
  std::vector<double> out;
  h5::read_all(ds.id(), out);
  return out;
}

std::vector<std::string> read_strings(hid_t loc, const std::string& path) {
  h5::Handle ds = h5::open_dataset(loc, path);
  return h5::read_string_dataset(ds.id());
}

void write_contents(hid_t root, const CalibrationRecord& rec);

}  // namespace

void write_calibration_file(const std::string& path, const CalibrationRecord& rec) {
  h5::Handle file = h5::create_file(path);
  const hid_t root = file.id();
  h5::set_attr(root, "file_kind", kFileKind);
  h5::set_attr_int(root, "calibration_schema_version", kCalibrationSchema);
  h5::set_attr(root, "title", "ABC-SMC calibration of alliance-sim to literature targets");
  h5::set_attr(root, "generator", std::string("alliance-sim ") + ASIM_VERSION);
  h5::set_attr(root, "git_commit", std::string_view(git_commit()));
  h5::set_attr(root, "created_utc", utc_timestamp());
  h5::set_attr(root, "command_line", rec.command_line);
  h5::set_attr(root, "hdf5_version", h5::library_version());
  h5::set_attr(root, "Conventions", "CF-1.8");
  h5::set_attr(root, "method",
               "ABC-SMC (Beaumont et al. 2009) with an adaptive tolerance schedule (Del Moral, "
               "Doucet & Jasra 2012): tolerance = quantile of the previous generation's distances, "
               "Gaussian perturbation kernel with twice the weighted covariance, importance "
               "weights prior / sum_j W_j K; distance = sum of weight * ((simulated - target) / "
               "uncertainty)^2; common random numbers within a generation");
  h5::set_attr_int(root, "seed", rec.seed);
  h5::set_attr_int(root, "particles", rec.settings.particles);
  h5::set_attr_int(root, "generations_requested", rec.settings.generations);
  h5::set_attr_int(root, "replicates_per_particle", rec.replicates_per_particle);
  h5::set_attr(root, "quantile", rec.settings.quantile);
  h5::set_attr(root, "min_acceptance", rec.settings.min_acceptance);
  h5::set_attr_int(root, "complete", rec.complete ? 1 : 0);
  h5::set_attr(root, "status", rec.status);
  h5::set_attr(root, "scenario_name", rec.scenario_name);
  h5::set_attr(root, "scenario_source", rec.scenario_source);
  h5::set_attr(root, "scenario_toml", rec.scenario_text);
  h5::set_attr(root, "resolved_toml", rec.resolved_toml);
  h5::set_attr(root, "targets_file", rec.targets_path);
  h5::set_attr(root, "targets_toml", rec.targets_text);
  h5::set_attr(root, "calibrate_toml", rec.calibrate_text);
  h5::set_attr(root, "summary", rec.summary);

  write_contents(root, rec);
  file.close();
}

namespace {
void write_contents(hid_t root, const CalibrationRecord& rec) {
  const std::size_t K = rec.priors.size(), T = rec.targets.size(), G = rec.generations.size(),
                    N = static_cast<std::size_t>(rec.settings.particles);
  const auto k = static_cast<hsize_t>(K), t = static_cast<hsize_t>(T), g = static_cast<hsize_t>(G),
             n = static_cast<hsize_t>(N);

  // Coordinates (dimension scales) at the root, seen by every group below it.
  std::vector<std::string> names, where, kinds, statistics, sources, targets, bounds;
  std::vector<double> lower, upper, value, uncertainty, weight;
  for (const auto& p : rec.priors)
    names.push_back(p.name), lower.push_back(p.lower), upper.push_back(p.upper);
  for (const auto& x : rec.targets) {
    targets.push_back(x.name);
    statistics.push_back(x.statistic);
    where.push_back(x.where);
    kinds.push_back(x.uncertainty_kind);
    bounds.push_back(x.bound);
    sources.push_back(x.source);
    value.push_back(x.value);
    uncertainty.push_back(x.uncertainty);
    weight.push_back(x.weight);
  }
  h5::Handle parameter = string_scale(root, "parameter", names, "free parameter (registry name)");
  h5::set_attr(parameter.id(), "units_of_values", rec.parameter_units);
  h5::Handle target =
      string_scale(root, "target", targets, "calibration target (its name in the targets file)");
  h5::Handle generation = index_scale(root, "generation", G, "ABC-SMC generation (0: the prior)");
  h5::Handle particle = index_scale(root, "particle", N, "particle of a generation");
  h5::ScaleAttachments scales;

  {
    h5::Handle grp = h5::create_group(root, "prior");
    h5::set_attr(grp.id(), "description", "uniform prior of each free parameter");
    auto lo = write_f64(grp.id(), "lower", {k}, lower, "1", "lower bound of the uniform prior");
    auto hi = write_f64(grp.id(), "upper", {k}, upper, "1", "upper bound of the uniform prior");
    scales.attach(lo.id(), {parameter.id()});
    scales.attach(hi.id(), {parameter.id()});
  }
  {
    h5::Handle grp = h5::create_group(root, "targets");
    h5::set_attr(grp.id(), "description", "the targets fitted (targets_toml holds the file)");
    auto v = write_f64(grp.id(), "value", {t}, value, "1", "target figure from the literature");
    auto u = write_f64(grp.id(), "uncertainty", {t}, uncertainty, "1",
                       "standard error or tolerance of the target (see uncertainty_kind)");
    auto w =
        write_f64(grp.id(), "weight", {t}, weight, "1", "weight of the target in the distance");
    h5::Handle st = h5::create_string_dataset(grp.id(), "statistic", statistics);
    h5::set_attr(st.id(), "long_name", "statistic: <table>.<column> of the calibration statistics");
    h5::Handle wh = h5::create_string_dataset(grp.id(), "where", where);
    h5::set_attr(wh.id(), "long_name", "the row of the statistic's table: key = value, ...");
    h5::Handle ki = h5::create_string_dataset(grp.id(), "uncertainty_kind", kinds);
    h5::set_attr(ki.id(), "long_name", "se (standard error) or tolerance (half-width)");
    h5::Handle bo = h5::create_string_dataset(grp.id(), "bound", bounds);
    h5::set_attr(bo.id(), "long_name",
                 "both, or one-sided: upper (the simulated value should not exceed the target) or "
                 "lower (not fall below it)");
    h5::Handle so = h5::create_string_dataset(grp.id(), "source", sources);
    h5::set_attr(so.id(), "long_name", "literature source of the target");
    for (hid_t ds : {v.id(), u.id(), w.id(), st.id(), wh.id(), ki.id(), bo.id(), so.id()})
      scales.attach(ds, {target.id()});
  }
  if (G > 0) {
    std::vector<double> tol, ess, sims, tsims, acc, theta, w, dist, simulated;
    for (const auto& gen : rec.generations) {
      tol.push_back(gen.tolerance);
      ess.push_back(gen.ess());
      sims.push_back(static_cast<double>(gen.simulations));
      tsims.push_back(static_cast<double>(gen.tolerance_simulations));
      acc.push_back(gen.acceptance_rate());
      for (std::size_t i = 0; i < N; ++i) {
        for (std::size_t j = 0; j < K; ++j) theta.push_back(gen.theta[i][j]);
        w.push_back(gen.weight[i]);
        dist.push_back(gen.distance[i]);
        for (std::size_t j = 0; j < T; ++j) simulated.push_back(gen.simulated[i][j]);
      }
    }
    h5::Handle grp = h5::create_group(root, "generations");
    h5::set_attr(grp.id(), "description", "one row per ABC-SMC generation");
    auto a = write_f64(grp.id(), "tolerance", {g}, tol, "1",
                       "tolerance: the largest distance accepted (inf in generation 0)");
    auto b = write_f64(grp.id(), "ess", {g}, ess, "1",
                       "effective sample size of the importance weights, (sum w)^2 / sum w^2");
    auto c =
        write_f64(grp.id(), "simulations", {g}, sims, "1", "simulations run (accepted or not)");
    auto d = write_f64(grp.id(), "acceptance_rate", {g}, acc, "1", "particles / simulations");
    auto e = write_f64(grp.id(), "tolerance_simulations", {g}, tsims, "1",
                       "simulations of the previous generation's particles with this "
                       "generation's random numbers, whose distances set the tolerance");
    for (hid_t ds : {a.id(), b.id(), c.id(), d.id(), e.id()}) scales.attach(ds, {generation.id()});

    h5::Handle pg = h5::create_group(root, "particles");
    h5::set_attr(pg.id(), "description", "every generation's accepted particles");
    auto th =
        write_f64(pg.id(), "parameters", {g, n, k}, theta, "1",
                  "value of each free parameter (units: /parameter attribute units_of_values)");
    auto we = write_f64(pg.id(), "weight", {g, n}, w, "1", "normalised importance weight");
    auto di = write_f64(pg.id(), "distance", {g, n}, dist, "1",
                        "distance from the targets: sum of weight * standardised error^2");
    auto si = write_f64(pg.id(), "simulated", {g, n, t}, simulated, "1",
                        "each target's statistic in the particle's simulation");
    scales.attach(th.id(), {generation.id(), particle.id(), parameter.id()});
    scales.attach(we.id(), {generation.id(), particle.id()});
    scales.attach(di.id(), {generation.id(), particle.id()});
    scales.attach(si.id(), {generation.id(), particle.id(), target.id()});

    // Posterior: the last generation's weighted particles.
    const AbcGeneration& last = rec.generations.back();
    std::vector<double> mean, sd, q1, q2, q3;
    for (std::size_t j = 0; j < K; ++j) {
      std::vector<double> v(N);
      for (std::size_t i = 0; i < N; ++i) v[i] = last.theta[i][j];
      const auto s = weighted_summary(v, last.weight);
      mean.push_back(s.mean), sd.push_back(s.sd), q1.push_back(s.q025), q2.push_back(s.q50),
          q3.push_back(s.q975);
    }
    std::vector<double> smean, sq1, sq3, z;
    for (std::size_t j = 0; j < T; ++j) {
      std::vector<double> v(N);
      for (std::size_t i = 0; i < N; ++i) v[i] = last.simulated[i][j];
      const auto s = weighted_summary(v, last.weight);
      smean.push_back(s.mean), sq1.push_back(s.q025), sq3.push_back(s.q975);
      z.push_back(rec.targets[j].z(s.mean));
    }
    h5::Handle post = h5::create_group(root, "posterior");
    h5::set_attr(post.id(), "description",
                 "posterior summaries over the last generation's particles, weighted");
    std::vector<h5::Handle> keep;
    keep.push_back(write_f64(post.id(), "mean", {k}, mean, "1", "posterior mean"));
    keep.push_back(write_f64(post.id(), "sd", {k}, sd, "1", "posterior standard deviation"));
    keep.push_back(write_f64(post.id(), "q2_5", {k}, q1, "1", "posterior 2.5 % quantile"));
    keep.push_back(write_f64(post.id(), "q50", {k}, q2, "1", "posterior median"));
    keep.push_back(write_f64(post.id(), "q97_5", {k}, q3, "1", "posterior 97.5 % quantile"));
    for (auto& h : keep) scales.attach(h.id(), {parameter.id()});
    std::vector<h5::Handle> keep_t;
    keep_t.push_back(write_f64(post.id(), "simulated_mean", {t}, smean, "1",
                               "posterior mean of each target's simulated statistic"));
    keep_t.push_back(write_f64(post.id(), "simulated_q2_5", {t}, sq1, "1",
                               "2.5 % quantile of each target's simulated statistic"));
    keep_t.push_back(write_f64(post.id(), "simulated_q97_5", {t}, sq3, "1",
                               "97.5 % quantile of each target's simulated statistic"));
    keep_t.push_back(write_f64(post.id(), "standardised_error", {t}, z, "1",
                               "(simulated_mean - target value) / target uncertainty; 0 on the "
                               "allowed side of a one-sided target (targets/bound)"));
    for (auto& h : keep_t) scales.attach(h.id(), {target.id()});
    scales.finish();
  } else {
    scales.finish();
  }
}
}  // namespace

CalibrationRecord read_calibration_file(const std::string& path) {
  h5::Handle file = h5::open_file_read(path);
  const hid_t root = file.id();
  if (!h5::has_attr(root, "file_kind") || h5::get_attr_string(root, "file_kind") != kFileKind)
    throw ConfigError(path + ": not a calibration file of alliance-sim (no file_kind = \"" +
                      std::string(kFileKind) + "\")");
  if (h5::get_attr_int(root, "calibration_schema_version") != kCalibrationSchema)
    throw ConfigError(path + ": calibration file of another version");
  CalibrationRecord rec;
  rec.command_line = h5::get_attr_string(root, "command_line");
  rec.seed = h5::get_attr_int(root, "seed");
  rec.settings.particles = static_cast<int>(h5::get_attr_int(root, "particles"));
  rec.settings.generations = static_cast<int>(h5::get_attr_int(root, "generations_requested"));
  rec.replicates_per_particle = static_cast<int>(h5::get_attr_int(root, "replicates_per_particle"));
  rec.settings.quantile = h5::get_attr_double(root, "quantile");
  rec.settings.min_acceptance = h5::get_attr_double(root, "min_acceptance");
  rec.complete = h5::get_attr_int(root, "complete") != 0;
  rec.status = h5::get_attr_string(root, "status");
  rec.scenario_name = h5::get_attr_string(root, "scenario_name");
  rec.scenario_source = h5::get_attr_string(root, "scenario_source");
  rec.scenario_text = h5::get_attr_string(root, "scenario_toml");
  rec.resolved_toml = h5::get_attr_string(root, "resolved_toml");
  rec.targets_path = h5::get_attr_string(root, "targets_file");
  rec.targets_text = h5::get_attr_string(root, "targets_toml");
  rec.calibrate_text = h5::get_attr_string(root, "calibrate_toml");
  rec.summary = h5::get_attr_string(root, "summary");

  const auto names = read_strings(root, "parameter");
  {
    h5::Handle p = h5::open_dataset(root, "parameter");
    rec.parameter_units = h5::get_attr_strings(p.id(), "units_of_values");
  }
  const auto lower = read_doubles(root, "prior/lower"), upper = read_doubles(root, "prior/upper");
  for (std::size_t j = 0; j < names.size(); ++j)
    rec.priors.push_back({names[j], lower[j], upper[j]});
  const auto tnames = read_strings(root, "target");
  const auto stat = read_strings(root, "targets/statistic"),
             where = read_strings(root, "targets/where"),
             kind = read_strings(root, "targets/uncertainty_kind"),
             source = read_strings(root, "targets/source");
  const auto value = read_doubles(root, "targets/value"),
             unc = read_doubles(root, "targets/uncertainty"),
             weight = read_doubles(root, "targets/weight");
  // Files written before one-sided targets have no targets/bound: every target two-sided.
  const auto bound = h5::exists(root, "targets/bound")
                         ? read_strings(root, "targets/bound")
                         : std::vector<std::string>(tnames.size(), "both");
  for (std::size_t j = 0; j < tnames.size(); ++j)
    rec.targets.push_back(
        {tnames[j], stat[j], where[j], kind[j], source[j], value[j], unc[j], weight[j], bound[j]});

  if (h5::exists(root, "generations")) {
    const auto tol = read_doubles(root, "generations/tolerance"),
               sims = read_doubles(root, "generations/simulations"),
               tsims = read_doubles(root, "generations/tolerance_simulations");
    const auto theta = read_doubles(root, "particles/parameters"),
               w = read_doubles(root, "particles/weight"),
               dist = read_doubles(root, "particles/distance"),
               simulated = read_doubles(root, "particles/simulated");
    const std::size_t G = tol.size(), N = static_cast<std::size_t>(rec.settings.particles),
                      K = names.size(), T = tnames.size();
    if (theta.size() != G * N * K || w.size() != G * N || simulated.size() != G * N * T)
      throw ConfigError(path + ": particles/* do not have the shapes of its generations");
    for (std::size_t g = 0; g < G; ++g) {
      AbcGeneration gen;
      gen.tolerance = tol[g];
      gen.simulations = static_cast<long long>(sims[g]);
      gen.tolerance_simulations = static_cast<long long>(tsims[g]);
      for (std::size_t i = 0; i < N; ++i) {
        const std::size_t gi = g * N + i;
        gen.theta.emplace_back(theta.begin() + static_cast<std::ptrdiff_t>(gi * K),
                               theta.begin() + static_cast<std::ptrdiff_t>((gi + 1) * K));
        gen.simulated.emplace_back(simulated.begin() + static_cast<std::ptrdiff_t>(gi * T),
                                   simulated.begin() + static_cast<std::ptrdiff_t>((gi + 1) * T));
        gen.weight.push_back(w[gi]);
        gen.distance.push_back(dist[gi]);
      }
      rec.generations.push_back(std::move(gen));
    }
  }
  return rec;
}

}  // namespace asim
