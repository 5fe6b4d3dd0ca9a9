// The report on a calibration file: see calibration_report.hpp.
#include "apps/calibration_report.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "analysis/abc_smc.hpp"
#include "analysis/svg.hpp"
#include "apps/calibration_file.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim {

namespace {

using svg::escape;
using svg::num;

constexpr const char* kFits = "#0072B2";    // blue (Okabe & Ito)
constexpr const char* kMisses = "#D55E00";  // vermillion

struct Chart {
  std::string title, svg, caption;
};

std::vector<double> column(const std::vector<std::vector<double>>& rows, std::size_t j) {
  std::vector<double> out;
  for (const auto& r : rows) out.push_back(r[j]);
  return out;
}

// Each target's standardised error over the posterior: dot at the weighted mean, line over the
// central 95 % of the particles, the band of +-1 (a tolerance) shaded.
Chart targets_chart(const CalibrationRecord& rec) {
  const AbcGeneration& last = rec.generations.back();
  const std::size_t T = rec.targets.size();
  struct Row {
    double mean, lo, hi;
    bool fits;
  };
  std::vector<Row> rows;
  double extent = 3;
  for (std::size_t j = 0; j < T; ++j) {
    const auto& t = rec.targets[j];
    const auto s = weighted_summary(column(last.simulated, j), last.weight);
    Row r{t.z(s.mean), t.z(s.q025), t.z(s.q975), false};
    r.fits = std::isfinite(r.mean) && std::fabs(r.mean) <= (t.uncertainty_kind == "se" ? 2.0 : 1.0);
    for (double v : {r.lo, r.hi})
      if (std::isfinite(v)) extent = std::max(extent, std::fabs(v));
    rows.push_back(r);
  }
  extent = std::min(extent, 12.0);
  double label_w = 0;
  for (const auto& t : rec.targets) label_w = std::max(label_w, svg::text_width(t.name, 12));
  const double row_h = 22, width = 760;
  svg::Chart c(width, 70 + row_h * static_cast<double>(T), label_w + 20, 20, 30, 40);
  c.set_x(-extent, extent);
  c.set_y(0, static_cast<double>(T));
  c.x_axis(svg::nice_ticks(-extent, extent, 8),
           "standardised error: (simulated - target) / uncertainty", 0);
  c.rect(c.x(-1), c.plot_top(), c.x(1) - c.x(-1), c.plot_bottom() - c.plot_top(),
         "fill=\"#dddddd\" fill-opacity=\"0.5\"");
  c.line(c.x(0), c.plot_top(), c.x(0), c.plot_bottom(), "stroke=\"#555\" stroke-width=\"1\"");
  c.begin_marks();
  for (std::size_t j = 0; j < T; ++j) {
    const double y = c.plot_top() + row_h * (static_cast<double>(j) + 0.5);
    const auto& r = rows[j];
    const char* colour = r.fits ? kFits : kMisses;
    auto clampx = [&](double v) { return c.x(std::clamp(v, -extent, extent)); };
    c.text(c.plot_left() - 8, y + 4, escape(rec.targets[j].name),
           "text-anchor=\"end\" font-size=\"12\"");
    if (std::isfinite(r.lo) && std::isfinite(r.hi))
      c.line(clampx(r.lo), y, clampx(r.hi), y,
             std::string("stroke=\"") + colour + "\" stroke-width=\"2\"");
    if (std::isfinite(r.mean))
      c.circle(clampx(r.mean), y, 4.5, std::string("fill=\"") + colour + "\"");
  }
  c.end_marks();
  c.legend(c.plot_right() - 90, c.plot_bottom() - 30, {{"fits", kFits}, {"misses", kMisses}},
           false);
  Chart out;
  out.title = "Targets against the simulation";
  out.svg = c.str("Standardised error of each target over the posterior");
  out.caption =
      "Each target's simulated statistic over the last generation's particles: the dot is the "
      "weighted mean, the line the central 95 % of the particles, both as standardised errors "
      "(simulated - target) / uncertainty. Shaded: within the tolerance (+-1). A target fits when "
      "its mean is within its tolerance (within 2 standard errors for targets given with se); a "
      "one-sided target (a figure the model's statistic can only undercount or overcount) has "
      "error 0 on its allowed side. Values beyond +-" +
      num(extent, 0) + " are drawn at the edge.";
  return out;
}

// A weighted histogram of one parameter over its prior range.
Chart marginal_chart(const CalibrationRecord& rec, std::size_t k) {
  const AbcGeneration& last = rec.generations.back();
  const auto& p = rec.priors[k];
  constexpr int kBins = 20;
  std::vector<double> mass(kBins, 0.0);
  for (std::size_t i = 0; i < last.theta.size(); ++i) {
    int b = static_cast<int>((last.theta[i][k] - p.lower) / (p.upper - p.lower) * kBins);
    mass[static_cast<std::size_t>(std::clamp(b, 0, kBins - 1))] += last.weight[i];
  }
  const double top = std::max(1.0 / kBins * 2, *std::max_element(mass.begin(), mass.end()) * 1.1);
  svg::Chart c(360, 240, 55, 15, 30, 45);
  c.set_x(p.lower, p.upper);
  c.set_y(0, top);
  c.x_axis(svg::nice_ticks(p.lower, p.upper, 5), p.name, 3);
  c.y_axis(svg::nice_ticks(0, top, 4), "posterior mass", 2);
  c.line(c.x(p.lower), c.y(1.0 / kBins), c.x(p.upper), c.y(1.0 / kBins),
         "stroke=\"#999\" stroke-dasharray=\"4 3\"");
  c.begin_marks();
  const double w = (p.upper - p.lower) / kBins;
  for (int b = 0; b < kBins; ++b) {
    const double x0 = p.lower + w * b;
    c.rect(c.x(x0), c.y(mass[static_cast<std::size_t>(b)]), c.x(x0 + w) - c.x(x0) - 1,
           c.y(0) - c.y(mass[static_cast<std::size_t>(b)]), std::string("fill=\"") + kFits + "\"");
  }
  c.end_marks();
  const auto s = weighted_summary(column(last.theta, k), last.weight);
  Chart out;
  out.title = p.name;
  out.svg = c.str("Posterior of " + p.name);
  out.caption =
      "Posterior of " + p.name +
      " (bars: weighted share of the last generation's "
      "particles in each twentieth of the prior range; dashed: the uniform prior). Mean " +
      num(s.mean, 4) + ", 95 % interval [" + num(s.q025, 4) + ", " + num(s.q975, 4) + "].";
  return out;
}

Chart pair_chart(const CalibrationRecord& rec, std::size_t a, std::size_t b) {
  const AbcGeneration& last = rec.generations.back();
  const auto& pa = rec.priors[a];
  const auto& pb = rec.priors[b];
  svg::Chart c(300, 280, 60, 15, 15, 45);
  c.set_x(pa.lower, pa.upper);
  c.set_y(pb.lower, pb.upper);
  c.x_axis(svg::nice_ticks(pa.lower, pa.upper, 4), pa.name, 3);
  c.y_axis(svg::nice_ticks(pb.lower, pb.upper, 4), pb.name, 3);
  const double wmax = *std::max_element(last.weight.begin(), last.weight.end());
  c.begin_marks();
  for (std::size_t i = 0; i < last.theta.size(); ++i)
    c.circle(c.x(last.theta[i][a]), c.y(last.theta[i][b]), 2.2,
             std::string("fill=\"") + kFits + "\" fill-opacity=\"" +
                 num(0.15 + 0.7 * last.weight[i] / wmax, 2) + "\"");
  c.end_marks();
  Chart out;
  out.title = pa.name + " and " + pb.name;
  out.svg = c.str(out.title);
  out.caption = "The last generation's particles (darker: larger weight) over the prior box.";
  return out;
}

Chart generations_chart(const CalibrationRecord& rec, bool ess) {
  const std::size_t G = rec.generations.size();
  std::vector<double> xs, ys;
  for (std::size_t g = 0; g < G; ++g) {
    const double v = ess ? rec.generations[g].ess() : rec.generations[g].tolerance;
    if (!std::isfinite(v)) continue;
    xs.push_back(static_cast<double>(g));
    ys.push_back(v);
  }
  double top = ys.empty() ? 1 : *std::max_element(ys.begin(), ys.end()) * 1.1;
  if (ess) top = static_cast<double>(rec.settings.particles) * 1.05;
  svg::Chart c(360, 240, 60, 15, 15, 45);
  c.set_x(0, std::max<double>(1, static_cast<double>(G) - 1));
  c.set_y(0, top);
  std::vector<double> gticks;
  for (std::size_t g = 0; g < G; ++g) gticks.push_back(static_cast<double>(g));
  c.x_axis(gticks, "generation", 0);
  c.y_axis(svg::nice_ticks(0, top, 4), ess ? "effective sample size" : "tolerance", 0);
  c.begin_marks();
  std::vector<double> px, py;
  for (std::size_t i = 0; i < xs.size(); ++i) px.push_back(c.x(xs[i])), py.push_back(c.y(ys[i]));
  c.path(svg::polyline_path(px, py),
         std::string("fill=\"none\" stroke=\"") + kFits + "\" stroke-width=\"2\"");
  for (std::size_t i = 0; i < px.size(); ++i)
    c.circle(px[i], py[i], 3.5, std::string("fill=\"") + kFits + "\"");
  c.end_marks();
  Chart out;
  out.title = ess ? "Effective sample size" : "Tolerance";
  out.svg = c.str(out.title + " per generation");
  out.caption = ess ? "Effective sample size (sum w)^2 / sum w^2 of each generation's weights, out "
                      "of " +
                          std::to_string(rec.settings.particles) + " particles."
                    : "The largest distance each generation accepted (generation 0, the prior, "
                      "accepts every simulation).";
  return out;
}

}  // namespace

bool is_calibration_file(const std::string& path) {
  try {
    h5::Handle f = h5::open_file_read(path);
    return h5::has_attr(f.id(), "file_kind") &&
           h5::get_attr_string(f.id(), "file_kind") == "alliance-sim calibration";
  } catch (const std::exception&) {
    return false;
  }
}

std::string render_calibration_report(const CalibrationRecord& rec, const std::string& path) {
  if (rec.generations.empty())
    throw ConfigError(path + ": the calibration holds no finished generation yet");
  std::vector<Chart> charts;
  charts.push_back(targets_chart(rec));
  for (std::size_t k = 0; k < rec.priors.size(); ++k) charts.push_back(marginal_chart(rec, k));
  constexpr std::size_t kMaxPairs = 6;  // pairs of the first six parameters at most
  for (std::size_t a = 0; a < rec.priors.size() && a < kMaxPairs; ++a)
    for (std::size_t b = a + 1; b < rec.priors.size() && b < kMaxPairs; ++b)
      charts.push_back(pair_chart(rec, a, b));
  charts.push_back(generations_chart(rec, false));
  charts.push_back(generations_chart(rec, true));

  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Calibration: "
    << escape(rec.scenario_name)
    << "</title>\n<style>body{font-family:'DejaVu Sans',sans-serif;"
       "max-width:1100px;margin:2em auto;padding:0 1em;color:#222}figure{display:inline-block;"
       "vertical-align:top;margin:0.5em}figcaption{font-size:13px;max-width:360px}"
       "figure.wide figcaption{max-width:760px}pre{white-space:pre-wrap;font-size:13px;"
       "background:#f6f6f6;padding:1em}</style></head><body>\n";
  h << "<h1>Calibration of scenario " << escape(rec.scenario_name) << "</h1>\n<p>File "
    << escape(path) << "; targets " << escape(rec.targets_path) << "; " << rec.generations.size()
    << " generations of " << rec.settings.particles << " particles, " << rec.replicates_per_particle
    << " replicate(s) per particle, seed " << rec.seed << "; " << escape(rec.status) << ".</p>\n";
  h << "<h2>Summary</h2>\n<pre>" << escape(rec.summary) << "</pre>\n";
  std::size_t i = 0;
  auto emit = [&](const Chart& c, bool wide) {
    h << "<figure" << (wide ? " class=\"wide\"" : "") << "><h3>" << escape(c.title) << "</h3>"
      << c.svg << "<figcaption>" << escape(c.caption) << "</figcaption></figure>\n";
  };
  h << "<h2>Targets</h2>\n";
  emit(charts[i++], true);
  h << "<h2>Posterior of the free parameters</h2>\n";
  for (std::size_t k = 0; k < rec.priors.size(); ++k) emit(charts[i++], false);
  if (rec.priors.size() > 1) {
    h << "<h2>Pairs of free parameters</h2>\n";
    while (i + 2 < charts.size()) emit(charts[i++], false);
  }
  h << "<h2>Tolerance and effective sample size per generation</h2>\n";
  emit(charts[i++], false);
  emit(charts[i++], false);
  h << "<h2>Provenance</h2>\n<pre>command: " << escape(rec.command_line)
    << "\nmethod: see "
       "docs/calibration.md</pre>\n<h3>Targets file</h3><pre>"
    << escape(rec.targets_text) << "</pre>\n<h3>[calibrate]</h3><pre>" << escape(rec.calibrate_text)
    << "</pre>\n</body></html>\n";
  return h.str();
}

CalibrationReportSummary write_calibration_report(const std::string& calibration_file,
                                                  const std::string& output, bool overwrite) {
  std::error_code ec;
  if (std::filesystem::equivalent(output, calibration_file, ec))
    throw ConfigError(output + ": is the calibration file itself; give another -o");
  AtomicOutput atomic(output, overwrite);
  const CalibrationRecord rec = read_calibration_file(calibration_file);
  const std::string html = render_calibration_report(rec, calibration_file);
  atomic.write_partial(html);
  atomic.commit();
  CalibrationReportSummary s;
  const std::size_t K = rec.priors.size(), pairs = std::min<std::size_t>(K, 6);
  s.charts = static_cast<int>(1 + K + pairs * (pairs - 1) / 2 + 2);
  s.bytes = html.size();
  return s;
}

}  // namespace asim
