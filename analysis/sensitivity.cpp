// Sobol indices from a Saltelli sweep with bootstrap confidence intervals (see sensitivity.hpp).
#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "analysis/compare.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The indices of every parameter from base rows `rows` (indices into 0..N-1, repeats allowed).
// out_first / out_total get one value per parameter; returns V.
double estimate(const std::vector<double>& f, std::size_t N, std::size_t k,
                const std::vector<std::size_t>& rows, std::vector<double>& out_first,
                std::vector<double>& out_total) {
  const auto A = [&](std::size_t j) { return f[j]; };
  const auto B = [&](std::size_t j) { return f[N + j]; };
  const auto AB = [&](std::size_t i, std::size_t j) { return f[(2 + i) * N + j]; };
  const double n = static_cast<double>(rows.size());
  double mean = 0;
  for (std::size_t j : rows) mean += A(j) + B(j);
  mean /= 2 * n;
  double variance = 0;  // over the rows of A and B together, as Saltelli et al. (2010)
  for (std::size_t j : rows)
    variance += (A(j) - mean) * (A(j) - mean) + (B(j) - mean) * (B(j) - mean);
  variance /= 2 * n;
  out_first.assign(k, kNaN);
  out_total.assign(k, kNaN);
  if (!(variance > 0)) return variance;
  for (std::size_t i = 0; i < k; ++i) {
    double first = 0, total = 0;
    for (std::size_t j : rows) {
      const double step = AB(i, j) - A(j);
      // Saltelli et al. 2010, table 2 (b), with f(B) centred on the mean: the expectation is
      // unchanged (step has mean 0), but without centring the estimate's variance grows with
      // mean^2 / V, which for an outcome like favourable % (mean 15, SD 1) swamps the signal.
      first += (B(j) - mean) * step;
      total += step * step;  // Jansen 1999
    }
    out_first[i] = first / n / variance;
    out_total[i] = total / (2 * n) / variance;
  }
  return variance;
}

// Quantile p of the non-NaN values (linear interpolation between order statistics, "type 7").
double quantile(std::vector<double> values, double p) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double h = p * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::vector<std::string> read_string_dataset(const ResultFile& file, const std::string& path) {
  if (!h5::exists(file.id(), path)) throw ConfigError(file.path() + ": no dataset /" + path);
  h5::Handle ds = h5::open_dataset(file.id(), path);
  return h5::read_string_dataset(ds.id());
}

std::string fmt(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

SobolEstimate sobol_indices(const std::vector<double>& outputs, std::size_t base_samples,
                            const std::vector<std::string>& parameters, std::size_t bootstrap,
                            std::uint64_t seed) {
  const std::size_t N = base_samples, k = parameters.size();
  if (N == 0 || k == 0 || outputs.size() != N * (k + 2))
    throw std::invalid_argument(
        "sobol_indices: expected N * (k + 2) outputs in the order A, B, "
        "AB_1..AB_k");
  SobolEstimate out;
  out.base_samples = N;
  out.bootstrap = bootstrap;
  std::vector<std::size_t> rows(N);
  for (std::size_t j = 0; j < N; ++j) rows[j] = j;
  std::vector<double> first, total;
  out.variance = estimate(outputs, N, k, rows, first, total);
  for (std::size_t j = 0; j < N; ++j) out.mean += outputs[j] + outputs[N + j];
  out.mean /= 2.0 * static_cast<double>(N);

  // Percentile bootstrap over base rows. Boost's mt19937 and uniform_int_distribution give the
  // same sequence on every platform, so the intervals are reproducible.
  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  boost::random::mt19937 engine(static_cast<std::uint32_t>(seed ^ (seed >> 32)));
  boost::random::uniform_int_distribution<std::size_t> pick(0, N - 1);
  std::vector<double> f, t;
  for (std::size_t b = 0; b < bootstrap; ++b) {
    for (auto& r : rows) r = pick(engine);
    estimate(outputs, N, k, rows, f, t);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i].push_back(f[i]);
      boot_total[i].push_back(t[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    SobolIndex index;
    index.parameter = parameters[i];
    index.first = first[i];
    index.total = total[i];
    index.first_low = quantile(boot_first[i], 0.025);
    index.first_high = quantile(boot_first[i], 0.975);
    index.total_low = quantile(boot_total[i], 0.025);
    index.total_high = quantile(boot_total[i], 0.975);
    out.indices.push_back(std::move(index));
  }
  return out;
}

SweepDesignData read_sweep_design(const ResultFile& file) {
  const std::string& path = file.path();
  if (!h5::exists(file.id(), "sweep/design"))
    throw ConfigError(path +
                      ": no parameter sweep in this file (no /sweep/design); run a "
                      "scenario with a [sweep] table of design = \"saltelli\" to estimate "
                      "Sobol indices (docs/sweeps.md)");
  SweepDesignData d;
  h5::Handle ds = h5::open_dataset(file.id(), "sweep/design");
  d.design = h5::get_attr_string(ds.id(), "design");
  d.source = h5::get_attr_string(ds.id(), "source");
  d.parameters = h5::get_attr_strings(ds.id(), "parameters");
  const std::int64_t base = h5::get_attr_int(ds.id(), "base_samples");
  const auto shape = h5::shape(ds.id());
  if (shape.size() != 2 || shape[1] != d.parameters.size() || shape[0] == 0 || base < 0)
    throw ConfigError(path + ": /sweep/design does not match its attribute 'parameters'");
  d.base_samples = static_cast<std::size_t>(base);
  h5::read_all(ds.id(), d.matrix);
  d.points = read_string_dataset(file, file.sweep_points_path());
  if (d.points.size() != shape[0])
    throw ConfigError(path + ": /" + file.sweep_points_path() + " has " +
                      std::to_string(d.points.size()) + " names for " + std::to_string(shape[0]) +
                      " design rows");
  return d;
}

SensitivityReport sensitivity_analysis(const ResultFile& file, const std::string& outcome,
                                       std::size_t bootstrap) {
  const SweepDesignData d = read_sweep_design(file);
  // Every point of a sweep has the same waves (waves.days cannot be swept): the first point's
  // outcome names serve for all.
  const auto metrics = d.points.empty() || !h5::exists(file.id(), "scenarios/" + d.points.front())
                           ? comparison_metrics()
                           : comparison_metrics(file, d.points.front());
  const auto metric = std::find(metrics.begin(), metrics.end(), outcome);
  if (metric == metrics.end()) {
    std::string known;
    for (const auto& n : metrics) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("--outcome " + outcome + ": unknown outcome (allowed: " + known + ")");
  }
  const auto m = static_cast<std::size_t>(metric - metrics.begin());
  if (d.design != "saltelli")
    throw ConfigError(file.path() + ": the sweep's design is \"" + d.design +
                      "\"; Sobol indices need design = \"saltelli\" (the A, B, AB_i design of "
                      "docs/sweeps.md)");
  const std::size_t k = d.parameters.size(), N = d.base_samples;
  if (N < 2 || d.points.size() != N * (k + 2))
    throw ConfigError(file.path() + ": /sweep/design has " + std::to_string(d.points.size()) +
                      " points, but a Saltelli design of " + std::to_string(N) +
                      " base samples and " + std::to_string(k) + " parameters has N * (k + 2) = " +
                      std::to_string(N * (k + 2)) + " (and N >= 2)");

  SensitivityReport report;
  report.file = file.path();
  report.outcome = outcome;
  report.source = d.source;
  report.points = d.points.size();
  report.replicates = std::numeric_limits<std::size_t>::max();
  std::vector<double> outputs, noise;
  for (const auto& point : d.points) {
    const std::string group = "scenarios/" + point;
    if (!h5::exists(file.id(), group))
      throw ConfigError(file.path() + ": sweep point '" + point + "' has no /" + group);
    {
      h5::Handle g = h5::open_group(file.id(), group);
      if (h5::get_attr_int(g.id(), "complete") != 1)
        throw ConfigError(file.path() + ": sweep point '" + point + "' is incomplete");
    }
    const auto values = replicate_metrics(file, point)[m];
    double sum = 0, squares = 0;
    std::size_t n = 0;
    for (double v : values)
      if (!std::isnan(v)) sum += v, ++n;
    if (n == 0)
      throw ConfigError(file.path() + ": " + outcome +
                        " is missing (NaN) in every replicate of "
                        "sweep point '" +
                        point + "'; choose another --outcome");
    const double mean = sum / static_cast<double>(n);
    for (double v : values)
      if (!std::isnan(v)) squares += (v - mean) * (v - mean);
    // Variance of this point's replicate mean: s^2 / n.
    noise.push_back(n > 1 ? squares / static_cast<double>(n - 1) / static_cast<double>(n) : kNaN);
    outputs.push_back(mean);
    report.replicates = std::min(report.replicates, n);
  }
  report.estimate = sobol_indices(outputs, N, d.parameters, bootstrap);
  double noise_sum = 0;
  std::size_t noise_n = 0;
  for (double v : noise)
    if (!std::isnan(v)) noise_sum += v, ++noise_n;
  report.noise_share = noise_n && report.estimate.variance > 0
                           ? noise_sum / static_cast<double>(noise_n) / report.estimate.variance
                           : kNaN;
  auto& idx = report.estimate.indices;
  std::stable_sort(idx.begin(), idx.end(), [](const SobolIndex& a, const SobolIndex& b) {
    const double x = std::isnan(a.total) ? -1e300 : a.total;
    const double y = std::isnan(b.total) ? -1e300 : b.total;
    return x > y;
  });
  // Can the levers be ranked? Replicate noise s = noise / V of the design variance V leaves
  // L = V (1 - s) to the levers; n' replicates shrink the noise N = s V to N n / n', which is at
  // most L / 9, a tenth of the design variance L + N', when n' >= 9 n s / (1 - s).
  const double s = report.noise_share;
  if (!std::isnan(s) && s > 0) {
    report.replicates_needed =
        s >= 1 ? -1
               : std::max<long long>(
                     0, static_cast<long long>(std::ceil(
                            9.0 * static_cast<double>(report.replicates) * s / (1.0 - s))));
    if (report.replicates_needed > 0 &&
        report.replicates_needed <= static_cast<long long>(report.replicates))
      report.replicates_needed = 0;
  }
  // Replicate noise of half the design variance or more: the indices describe chance as much as
  // the levers. (The share is an upper bound under common random numbers, whose shared noise
  // cancels in the differences between points.) Below that the ranking stands, and levers whose
  // intervals overlap are marked as not told apart.
  // With one replicate per point the noise is unknown, and so is whether a ranking is chance.
  report.rankable = !std::isnan(s) && !(s >= 0.5) && report.estimate.variance > 0;
  return report;
}

std::string format_sensitivity_table(const SensitivityReport& r) {
  const auto& e = r.estimate;
  std::ostringstream o;
  o << "Sobol sensitivity of " << r.outcome << " in " << r.file << "\n";
  o << "  sweep of scenario '" << r.source << "': saltelli design, N = " << e.base_samples
    << " base samples, " << e.indices.size() << " parameters, " << r.points << " points x "
    << r.replicates << " replicates\n";
  o << "  " << r.outcome << " over the design: mean " << fmt(e.mean, 3) << ", variance "
    << fmt(e.variance, 4) << "\n";
  if (!std::isnan(r.noise_share))
    o << "  replicate noise: about " << fmt(100 * r.noise_share, 0)
      << "% of that variance (common random numbers cancel part of it in the indices)\n";
  if (!r.rankable) {
    o << "\n  CANNOT RANK THE LEVERS: ";
    if (!(r.estimate.variance > 0))
      o << "the outcome does not vary over the design.";
    else if (std::isnan(r.noise_share))
      o << "with one replicate per point the replicate noise is unknown, so the indices below "
        << "cannot be told from chance; run at least two replicates.";
    else if (r.noise_share >= 1)
      o << "replicate noise is as large as the whole variance over the design ("
        << fmt(100 * r.noise_share, 0) << "%), so the indices below say more about chance than "
        << "about the levers.";
    else
      o << "replicate noise is " << fmt(100 * r.noise_share, 0)
        << "% of the variance over the design, so the indices below describe chance as much as "
        << "the levers.";
    if (r.replicates_needed > 0)
      o << " About " << r.replicates_needed << " replicates per point (now " << r.replicates
        << ") would bring the noise down to a tenth of the variance over the design;";
    else if (r.replicates_needed < 0)
      o << " The levers cause no variance above the noise at these ranges: at least ten times "
        << "the replicates (now " << r.replicates << "), wider ranges or an outcome the levers "
        << "move more are needed;";
    o << " more base samples (points) narrow the CIs (docs/sweeps.md).\n";
  }
  if (!(e.variance > 0)) o << "  the outcome does not vary over the design: indices undefined\n";
  std::size_t width = 9;
  for (const auto& i : e.indices) width = std::max(width, i.parameter.size());
  char buf[512];
  std::snprintf(buf, sizeof buf, "\n  %-*s  %7s  %-18s  %7s  %s\n", static_cast<int>(width),
                "parameter", "S_i", "95% CI", "S_Ti", "95% CI");
  o << buf;
  for (std::size_t k = 0; k < e.indices.size(); ++k) {
    const auto& i = e.indices[k];
    // "~": this lever's S_Ti interval overlaps the next one's, so the two are not told apart.
    const bool tie = k + 1 < e.indices.size() && i.total_low <= e.indices[k + 1].total_high;
    const std::string ci_first = "[" + fmt(i.first_low, 3) + ", " + fmt(i.first_high, 3) + "]";
    const std::string ci_total = "[" + fmt(i.total_low, 3) + ", " + fmt(i.total_high, 3) + "]";
    const std::string mark = tie && r.rankable ? "  ~ next (CIs overlap)" : "";
    std::snprintf(
        buf, sizeof buf, "  %-*s  %7s  %-18s  %7s  %s\n", static_cast<int>(width),
        i.parameter.c_str(), fmt(i.first, 3).c_str(), ci_first.c_str(), fmt(i.total, 3).c_str(),
        (mark.empty() ? ci_total
                      : (ci_total +
                         std::string(18 - std::min<std::size_t>(18, ci_total.size()), ' ') + mark))
            .c_str());
    o << buf;
  }
  o << "\n  S_i: share of the variance due to the parameter alone (first order, Saltelli 2010);\n"
       "  S_Ti: the same including its interactions (total, Jansen 1999). Sorted by S_Ti"
    << (r.rankable ? ": the\n  lever that matters most first; '~ next': its S_Ti interval overlaps "
                     "the next "
                     "lever's,\n  so those two are not told apart"
                   : " (not a ranking: see above)")
    << ". 95% CIs: percentile bootstrap over the " << e.base_samples << " base rows ("
    << e.bootstrap << " resamples).\n";
  return o.str();
}

std::string format_sensitivity_csv(const SensitivityReport& r) {
  std::ostringstream o;
  o << "outcome,parameter,S_i,S_i_low,S_i_high,S_Ti,S_Ti_low,S_Ti_high,base_samples,replicates\n";
  for (const auto& i : r.estimate.indices)
    o << r.outcome << "," << i.parameter << "," << fmt(i.first, 6) << "," << fmt(i.first_low, 6)
      << "," << fmt(i.first_high, 6) << "," << fmt(i.total, 6) << "," << fmt(i.total_low, 6) << ","
      << fmt(i.total_high, 6) << "," << r.estimate.base_samples << "," << r.replicates << "\n";
  return o.str();
}

std::string format_sensitivity_json(const SensitivityReport& r) {
  auto num = [](double v) { return std::isnan(v) ? std::string("null") : fmt(v, 6); };
  const auto& e = r.estimate;
  std::ostringstream o;
  o << "{\"file\": " << json_string(r.file) << ", \"outcome\": " << json_string(r.outcome)
    << ", \"source\": " << json_string(r.source) << ", \"design\": \"saltelli\""
    << ", \"base_samples\": " << e.base_samples << ", \"points\": " << r.points
    << ", \"replicates\": " << r.replicates << ", \"bootstrap\": " << e.bootstrap
    << ", \"mean\": " << num(e.mean) << ", \"variance\": " << num(e.variance)
    << ", \"noise_share\": " << num(r.noise_share)
    << ", \"rankable\": " << (r.rankable ? "true" : "false")
    << ", \"replicates_needed\": " << r.replicates_needed << ",\n \"indices\": [\n";
  for (std::size_t k = 0; k < e.indices.size(); ++k) {
    const auto& i = e.indices[k];
    o << "  {\"parameter\": " << json_string(i.parameter) << ", \"S_i\": " << num(i.first)
      << ", \"S_i_ci\": [" << num(i.first_low) << ", " << num(i.first_high)
      << "], \"S_Ti\": " << num(i.total) << ", \"S_Ti_ci\": [" << num(i.total_low) << ", "
      << num(i.total_high) << "]}" << (k + 1 < e.indices.size() ? "," : "") << "\n";
  }
  o << " ]}\n";
  return o.str();
}

}  // namespace asim
