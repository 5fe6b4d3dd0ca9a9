// The report's charts (see report_charts.hpp).
#include "analysis/report_charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include "analysis/svg.hpp"

namespace asim::report {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using svg::escape;
using svg::num;

const char* const kOpenColour = "#0072B2";    // open setting
const char* const kClosedColour = "#D55E00";  // closed setting

std::string fill(const std::string& colour, double opacity = 1) {
  return "fill=\"" + colour + "\"" +
         (opacity < 1 ? " fill-opacity=\"" + num(opacity, 2) + "\"" : "");
}
std::string stroke(const std::string& colour, double width, const std::string& dash = "") {
  return "fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + num(width) + "\"" +
         (dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"");
}
// A tooltip for the enclosing element is written as its <title> child; these helpers write
// self-closing elements, so tooltips go on a <g>.
std::string tooltip_group(const std::string& tip) {
  return "<g><title>" + escape(tip) + "</title>";
}

std::string with_ci(double v, double lo, double hi, int decimals) {
  return num(v, decimals) + " [" + num(lo, decimals) + ", " + num(hi, decimals) + "]";
}

// Lowest and highest of the finite values.
std::pair<double, double> range_of(const std::vector<double>& values) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!std::isfinite(lo)) return {0, 1};
  return {lo, hi};
}

// Ticks over the data range, and the axis range widened to the outer ticks.
std::vector<double> axis_ticks(double lo, double hi, int target = 5) {
  auto ticks = svg::nice_ticks(lo, hi, target);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  if (ticks.front() > lo + 1e-12) ticks.insert(ticks.begin(), ticks.front() - step);
  if (ticks.back() < hi - 1e-12) ticks.push_back(ticks.back() + step);
  return ticks;
}

int decimals_for(const std::vector<double>& ticks) {
  if (ticks.size() < 2) return 1;
  const double step = ticks[1] - ticks[0];
  return step >= 1 ? 0 : step >= 0.1 ? 1 : step >= 0.01 ? 2 : 3;
}

// A figure of `kind` with the finished SVG of chart `c` (`label`: its accessible name).
Figure figure(const std::string& kind, const std::string& scenario, const std::string& title,
              const svg::Chart& c, const std::string& label) {
  Figure f;
  f.kind = kind;
  f.scenario = scenario;
  f.title = title;
  f.svg = c.str(label);
  f.width = c.width();
  return f;
}

// A bar in slot i of a bar chart (x from i to i + 1) with its 95 % CI whiskers, a tooltip, and
// lines of (escaped) text under the axis.
void bar_with_ci(svg::Chart& c, std::size_t i, double value, double lo, double hi,
                 const std::string& colour, const std::string& tip,
                 const std::vector<std::string>& labels) {
  const double x0 = c.x(static_cast<double>(i) + 0.2), x1 = c.x(static_cast<double>(i) + 0.8),
               xm = (x0 + x1) / 2;
  c.raw(tooltip_group(tip));
  if (!std::isnan(value))
    c.rect(x0, c.y(value), x1 - x0, c.plot_bottom() - c.y(value), fill(colour));
  if (!std::isnan(lo) && !std::isnan(hi)) {
    c.line(xm, c.y(lo), xm, c.y(hi), stroke("#222", 1.5));
    c.line(xm - 6, c.y(lo), xm + 6, c.y(lo), stroke("#222", 1.5));
    c.line(xm - 6, c.y(hi), xm + 6, c.y(hi), stroke("#222", 1.5));
  }
  c.raw("</g>");
  for (std::size_t k = 0; k < labels.size(); ++k)
    c.text(xm, c.plot_bottom() + 15 + 13 * static_cast<double>(k), labels[k],
           "class=\"tick\" text-anchor=\"middle\"");
}

}  // namespace

// ---- TableView -----------------------------------------------------------------------------

std::size_t TableView::column(const std::string& name) const {
  const auto it = std::find(table_.columns.begin(), table_.columns.end(), name);
  if (it == table_.columns.end())
    throw std::logic_error("report: table " + table_.name + " has no column " + name);
  return static_cast<std::size_t>(it - table_.columns.begin());
}

double TableView::number(const std::vector<Cell>& row, const std::string& name) const {
  const Cell& c = row.at(column(name));
  if (const auto* d = std::get_if<double>(&c)) return *d;
  if (const auto* i = std::get_if<long long>(&c)) return static_cast<double>(*i);
  return kNaN;
}

std::string TableView::text(const std::vector<Cell>& row, const std::string& name) const {
  const Cell& c = row.at(column(name));
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<long long>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) return num(*d, 6);
  return "";
}

std::vector<const std::vector<Cell>*> TableView::rows(
    const std::vector<std::pair<std::string, std::string>>& where) const {
  std::vector<std::pair<std::size_t, std::string>> tests;
  for (const auto& [name, value] : where) tests.emplace_back(column(name), value);
  std::vector<const std::vector<Cell>*> out;
  for (const auto& row : table_.rows) {
    bool match = true;
    for (const auto& [c, value] : tests) {
      const auto* s = std::get_if<std::string>(&row[c]);
      match = match && s && *s == value;
    }
    if (match) out.push_back(&row);
  }
  return out;
}

// ---- trajectories --------------------------------------------------------------------------

std::pair<double, double> trajectory_range(const Table& trajectories,
                                           const std::vector<std::string>& measures,
                                           const std::vector<std::string>& scenarios) {
  constexpr double kScaleMin = 1, kScaleMax = 5;
  const TableView t(trajectories);
  std::vector<double> values;
  for (const auto& m : measures)
    for (const auto& s : scenarios)
      for (const auto* row : t.rows({{"scenario", s}, {"measure", m}}))
        for (const char* col : {"mean", "replicates_p2.5", "replicates_p97.5"})
          values.push_back(t.number(*row, col));
  const auto [lo, hi] = range_of(values);
  const auto ticks = axis_ticks(std::max(kScaleMin, lo), std::min(kScaleMax, hi));
  double low = std::max(kScaleMin, ticks.front()), high = std::min(kScaleMax, ticks.back());
  if (low - kScaleMin <= 0.5) low = kScaleMin;
  if (high <= low) high = kScaleMax;
  return {low, high};
}

// Pixels between the centres of two wave labels ("day 182" is about 40 px wide at 10 px).
constexpr double kMinWaveLabelGap = 46;

Figure trajectory_chart(const Table& trajectories, const std::string& measure,
                        const std::vector<std::string>& scenarios,
                        std::pair<double, double> y_range) {
  const TableView t(trajectories);
  const bool youth = measure == "alliance_youth";
  const double legend_width = scenarios.size() > 1 ? 160 : 0;
  // Right margin: room for half of the last wave's label ("9m", "day 273") beside the plot.
  svg::Chart c(400 + legend_width, 342, 58, 26 + legend_width, 28, 60);
  // Ticks at every wave day of the scenarios (they may measure at other waves), each labelled
  // with its name and day ("3m" over "day 91"; a wave named "day 91" once), the first
  // scenario's name where two share a day.
  std::vector<std::pair<double, std::string>> ticks;
  for (const auto& s : scenarios)
    for (const auto* row : t.rows({{"scenario", s}, {"measure", measure}})) {
      const double day = t.number(*row, "wave_day");
      const std::string name = t.text(*row, "wave"), day_text = "day " + t.text(*row, "wave_day");
      if (std::none_of(ticks.begin(), ticks.end(), [day](const auto& k) { return k.first == day; }))
        ticks.emplace_back(day, name == day_text ? name : name + "\n" + day_text);
    }
  std::stable_sort(ticks.begin(), ticks.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<double> days;
  std::vector<std::string> day_labels;
  for (const auto& [day, label] : ticks) days.push_back(day), day_labels.push_back(label);
  const auto [lo, hi] = y_range;
  std::vector<double> yticks;
  for (double v : svg::nice_ticks(lo, hi))
    if (v >= lo - 1e-9 && v <= hi + 1e-9) yticks.push_back(v);
  const bool broken = lo > 1 + 1e-9;
  c.set_x(0, days.empty() ? 273 : days.back());
  if (broken)
    c.set_y_broken(lo, hi);
  else
    c.set_y(lo, hi);
  c.title(std::string(youth ? "Youth" : "Mentor") + "-rated alliance per wave");
  // Waves closer than a label's width (e.g. days 14 and 45): a tick each, a label for the first
  // of them only, so that no two labels overlap.
  for (std::size_t k = 1, shown = 0; k < days.size(); ++k) {
    if (c.x(days[k]) - c.x(days[shown]) < kMinWaveLabelGap)
      day_labels[k].clear();
    else
      shown = k;
  }
  c.x_axis(days, "wave (days since admission)", 0, day_labels);
  c.y_axis(yticks, std::string(youth ? "youth" : "mentor") + "-rated alliance (scale 1-5)",
           decimals_for(yticks));
  if (broken) c.y_break("1");
  c.begin_marks();
  std::vector<std::pair<std::string, std::string>> legend;
  long total_n = 0;
  int replicates = 0;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const std::string colour = svg::colour(k);
    const std::string dash = k >= 8 ? "6 3" : "";
    std::vector<double> xs, mean, low, high;
    for (const auto* row : t.rows({{"scenario", scenarios[k]}, {"measure", measure}})) {
      xs.push_back(c.x(t.number(*row, "wave_day")));
      mean.push_back(c.y(t.number(*row, "mean")));
      low.push_back(c.y(t.number(*row, "replicates_p2.5")));
      high.push_back(c.y(t.number(*row, "replicates_p97.5")));
      total_n += static_cast<long>(t.number(*row, "n"));
      replicates = std::max(replicates, static_cast<int>(t.number(*row, "replicates")));
    }
    // Band: up along the upper edge, back along the lower edge.
    std::string band;
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (!std::isnan(high[i]))
        band += (band.empty() ? "M" : " L") + num(xs[i]) + " " + num(high[i]);
    for (std::size_t i = xs.size(); i-- > 0;)
      if (!std::isnan(low[i])) band += " L" + num(xs[i]) + " " + num(low[i]);
    if (!band.empty()) c.path(band + " Z", fill(colour, 0.15));
    c.path(svg::polyline_path(xs, mean), stroke(colour, 2.5, dash));
    for (std::size_t i = 0; i < xs.size(); ++i)
      if (!std::isnan(mean[i])) c.circle(xs[i], mean[i], 3.5, fill(colour));
    legend.emplace_back(scenarios[k], colour);
  }
  c.end_marks();
  if (scenarios.size() > 1) c.legend(c.plot_right() + 16, c.plot_top() + 8, legend);
  const std::string title = std::string(youth ? "Youth" : "Mentor") + "-rated alliance";
  Figure f = figure("trajectories", "", title, c, title + " per wave and scenario");
  f.y_low = lo;
  f.y_high = hi;
  f.caption = "Line: mean over " + std::to_string(replicates) +
              " replicates of each replicate's mean " + (youth ? "youth" : "mentor") +
              "-rated alliance of the youths still in care at the wave; band: the central 95% of "
              "the replicate means (the spread one simulated institution shows). " +
              std::to_string(total_n) + " ratings in all" +
              (scenarios.size() > 1 ? " (all scenarios)" : "") +
              ". Fewer youths are rated at later waves: those who left are not. The youth- and "
              "mentor-rated charts share the y axis (" +
              num(lo, 1) + "-" + num(hi, 1) + " of the 1-5 scale" +
              (broken ? ", broken below " + num(lo, 1) : std::string()) +
              "). Table trajectories of analyse.";
  return f;
}

// ---- informant scatter ---------------------------------------------------------------------

Figure scatter_chart(const Panel& panel, const Table& agreement, const std::string& wave,
                     std::size_t max_points) {
  const auto w = panel.wave_index(wave);
  const auto youth = panel.at_wave("alliance_youth", w),
             mentor = panel.at_wave("alliance_mentor", w);
  const auto& setting = panel.field("setting");
  svg::Chart c(400, 370, 58, 16, 28, 48);
  const std::vector<double> ticks{1, 2, 3, 4, 5};
  c.set_x(1, 5);
  c.set_y(1, 5);
  c.title(panel.scenario + ": youth vs mentor at " + wave);
  c.x_axis(ticks, "youth-rated alliance (1-5)", 0);
  c.y_axis(ticks, "mentor-rated alliance (1-5)", 0);
  c.line(c.x(1), c.y(1), c.x(5), c.y(5), stroke("#888", 1, "4 3"));
  c.begin_marks();
  std::size_t complete = 0;
  for (std::size_t k = 0; k < youth.size(); ++k)
    complete += !std::isnan(youth[k]) && !std::isnan(mentor[k]);
  // Every stride-th rated youth, so that every replicate is represented.
  const std::size_t stride = std::max<std::size_t>(1, (complete + max_points - 1) / max_points);
  std::size_t shown = 0, rated = 0;
  for (std::size_t k = 0; k < youth.size(); ++k) {
    if (std::isnan(youth[k]) || std::isnan(mentor[k])) continue;
    if (rated++ % stride != 0) continue;
    ++shown;
    c.circle(c.x(std::clamp(youth[k], 1.0, 5.0)), c.y(std::clamp(mentor[k], 1.0, 5.0)), 2.2,
             fill(setting[k] == 1 ? kClosedColour : kOpenColour, 0.45));
  }
  c.end_marks();
  c.legend(c.plot_left() + 10, c.plot_top() + 14,
           {{"open setting", kOpenColour}, {"closed setting", kClosedColour}}, false);
  const TableView t(agreement);
  std::string stats;
  for (const auto* row : t.rows({{"scenario", panel.scenario},
                                 {"wave", wave},
                                 {"rater_a", "youth"},
                                 {"rater_b", "mentor"}}))
    stats =
        "Pearson r = " +
        with_ci(t.number(*row, "r"), t.number(*row, "r_ci_low"), t.number(*row, "r_ci_high"), 2) +
        ", Spearman rho = " + num(t.number(*row, "rho"), 2) +
        ", mean difference youth - mentor = " + num(t.number(*row, "difference"), 2) +
        " (Cohen's d = " + num(t.number(*row, "d"), 2) + ") on n = " + t.text(*row, "n") +
        " youths rated by both (table agreement). ";
  Figure f = figure("scatter", panel.scenario, "Informant agreement, " + panel.scenario, c,
                    "Scatter of youth- against mentor-rated alliance at " + wave);
  f.caption = "One point per youth rated by both at " + wave + ": " + std::to_string(shown) +
              " of " + std::to_string(complete) +
              (shown < complete
                   ? " shown (one in " + std::to_string(stride) + ", in replicate and youth order)"
                   : std::string(" shown")) +
              "; dashed: equal ratings. " + stats;
  return f;
}

// ---- median-split subgroups ----------------------------------------------------------------

double subgroup_y_max(const Table& median_split, const std::vector<std::string>& scenarios) {
  const TableView t(median_split);
  std::vector<double> highs;
  for (const auto& s : scenarios)
    for (const auto* r : t.rows({{"scenario", s}}))
      highs.push_back(t.number(*r, "favourable_pct_ci_high"));
  return axis_ticks(0, std::max(10.0, range_of(highs).second)).back();
}

Figure subgroup_chart(const Table& median_split, const std::string& scenario, double y_max,
                      const std::string& wave) {
  const TableView t(median_split);
  const auto rows = t.rows({{"scenario", scenario}});
  svg::Chart c(400, 330, 58, 16, 28, 62);
  const auto yticks = axis_ticks(0, y_max);
  c.set_x(0, static_cast<double>(std::max<std::size_t>(rows.size(), 1)));
  c.set_y(0, yticks.back());
  c.title(scenario + ": favourable by " + wave + " alliance");
  c.y_axis(yticks, "favourable outcome (% of youths)", 0);
  c.line(c.plot_left(), c.plot_bottom(), c.plot_right(), c.plot_bottom(), "class=\"axis\"");
  const char* const colours[] = {"#999999", "#56B4E9", "#E69F00", "#009E73"};
  c.begin_marks();
  long total = 0;
  std::string median;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = *rows[i];
    const double pct = t.number(r, "favourable_pct"), lo = t.number(r, "favourable_pct_ci_low"),
                 hi = t.number(r, "favourable_pct_ci_high");
    const std::string label =
        "youth " + t.text(r, "youth_alliance") + " / mentor " + t.text(r, "mentor_alliance");
    total += static_cast<long>(t.number(r, "n"));
    median = "youth " + num(t.number(r, "youth_median"), 2) + ", mentor " +
             num(t.number(r, "mentor_median"), 2);
    bar_with_ci(c, i, pct, lo, hi, colours[i % 4],
                label + ": " + with_ci(pct, lo, hi, 1) + "% favourable, n = " + t.text(r, "n"),
                {"youth " + escape(t.text(r, "youth_alliance")),
                 "mentor " + escape(t.text(r, "mentor_alliance")), "n = " + t.text(r, "n")});
    const double xm = c.x(static_cast<double>(i) + 0.5);
    if (!std::isnan(pct))
      c.text(xm, std::min(c.y(pct), std::isnan(hi) ? c.y(pct) : c.y(hi)) - 5, num(pct, 1) + "%",
             "class=\"value\" text-anchor=\"middle\"");
  }
  c.end_marks();
  Figure f = figure("subgroups", scenario, "Median-split subgroups, " + scenario, c,
                    "Favourable outcome in the four youth by mentor alliance subgroups");
  f.y_low = 0;
  f.y_high = yticks.back();
  f.caption = "Favourable % (bars) with Wilson 95% CIs (whiskers) of the " + std::to_string(total) +
              " youths rated by both youth and mentor at " + wave + ", split at the medians (" +
              median +
              "; strong = above). The y axis is the same for every scenario. Table median_split of "
              "analyse.";
  return f;
}

// ---- cross-lagged panel path diagrams ------------------------------------------------------

namespace {

struct Node {
  double x, y;
};

// An arrow from the edge of box a to the edge of box b (boxes of half-size hw x hh), with its
// head, a label at `at` (0..1 along it), and a tooltip.
void arrow(svg::Chart& c, Node a, Node b, double hw, double hh, const std::string& colour,
           double width, const std::string& dash, const std::string& label, double at,
           const std::string& tip) {
  const double dx = b.x - a.x, dy = b.y - a.y, len = std::hypot(dx, dy);
  const double ux = dx / len, uy = dy / len;
  // Distance from a box centre to its edge along (ux, uy).
  const double edge = std::min(std::abs(ux) > 1e-9 ? hw / std::abs(ux) : 1e9,
                               std::abs(uy) > 1e-9 ? hh / std::abs(uy) : 1e9);
  const double x1 = a.x + ux * edge, y1 = a.y + uy * edge, x2 = b.x - ux * (edge + 2),
               y2 = b.y - uy * (edge + 2);
  c.raw(tooltip_group(tip));
  c.line(x1, y1, x2 - ux * 8, y2 - uy * 8, stroke(colour, width, dash));
  const double px = -uy, py = ux;  // perpendicular
  c.path("M" + num(x2) + " " + num(y2) + " L" + num(x2 - ux * 10 + px * 5) + " " +
             num(y2 - uy * 10 + py * 5) + " L" + num(x2 - ux * 10 - px * 5) + " " +
             num(y2 - uy * 10 - py * 5) + " Z",
         fill(colour));
  const double lx = x1 + (x2 - x1) * at, ly = y1 + (y2 - y1) * at - (std::abs(uy) < 1e-9 ? 12 : 0);
  if (std::abs(uy) >= 1e-9) c.rect(lx - 19, ly - 9, 38, 15, "fill=\"#fff\" fill-opacity=\"0.9\"");
  c.text(lx, ly + 3, escape(label),
         "class=\"value\" text-anchor=\"middle\" fill=\"" + colour + "\"");
  c.raw("</g>");
}

}  // namespace

Figure clpm_chart(const Table& clpm, const std::string& scenario) {
  const TableView t(clpm);
  const char* const settings[] = {"open", "closed"};
  const char* const vars[] = {"alliance_youth", "motivation"};
  // The waves of the panel, in order, from the autoregressive alliance paths of table clpm
  // ("alliance_youth_3m -> alliance_youth_6m", ...): 3m, 6m, 9m in the study.
  std::vector<std::string> waves;
  {
    const std::string head = std::string(vars[0]) + "_", arrow_text = " -> " + head;
    for (const auto* r : t.rows({{"scenario", scenario}, {"setting", "open"}})) {
      const std::string path = t.text(*r, "path");
      const auto at = path.find(arrow_text);
      if (path.rfind(head, 0) != 0 || at == std::string::npos) continue;
      const std::string from = path.substr(head.size(), at - head.size()),
                        to = path.substr(at + arrow_text.size());
      if (waves.empty()) waves.push_back(from);
      if (waves.back() == from) waves.push_back(to);
    }
  }
  const std::size_t W = waves.size();
  // 175 px between waves up to three of them; wider for more.
  const double panel_w = std::max(460.0, 110.0 + 120.0 * static_cast<double>(W > 1 ? W - 1 : 1));
  const double step = W > 1 ? (panel_w - 110.0) / static_cast<double>(W - 1) : 0.0;
  svg::Chart c(2 * panel_w + 20, 300, 0, 0, 0, 0);
  const char* const var_labels[] = {"alliance", "motivation"};
  const double hw = 42, hh = 17;
  std::string counts;
  c.begin_marks();
  for (int s = 0; s < 2; ++s) {
    const double x0 = s * (panel_w + 20);
    c.text(x0 + panel_w / 2, 20, escape(scenario) + ": " + settings[s] + " setting",
           "class=\"chart-title\" text-anchor=\"middle\"");
    if (W < 2) {
      c.text(x0 + panel_w / 2, 150, "needs two waves: none to estimate",
             "class=\"tick\" text-anchor=\"middle\"");
      continue;
    }
    std::vector<Node> nodes[2];
    for (int v = 0; v < 2; ++v)
      for (std::size_t w = 0; w < W; ++w) {
        nodes[v].push_back({x0 + 55 + static_cast<double>(w) * step, v == 0 ? 70.0 : 230.0});
        c.rect(nodes[v][w].x - hw, nodes[v][w].y - hh, 2 * hw, 2 * hh,
               "rx=\"6\" fill=\"#f4f6f8\" stroke=\"#445\" stroke-width=\"1.2\"");
        c.text(nodes[v][w].x, nodes[v][w].y - 2, var_labels[v],
               "class=\"node\" text-anchor=\"middle\"");
        c.text(nodes[v][w].x, nodes[v][w].y + 11, escape(waves[w]),
               "class=\"node\" text-anchor=\"middle\"");
      }
    std::string setting_counts;
    for (std::size_t lag = 0; lag + 1 < W; ++lag)
      for (int from = 0; from < 2; ++from)
        for (int to = 0; to < 2; ++to) {
          const std::string path =
              std::string(vars[from]) + "_" + waves[lag] + " -> " + vars[to] + "_" + waves[lag + 1];
          const auto rows =
              t.rows({{"scenario", scenario}, {"setting", settings[s]}, {"path", path}});
          if (rows.empty()) continue;
          const auto& r = *rows.front();
          const double est = t.number(r, "estimate"), lo = t.number(r, "estimate_ci_low"),
                       hi = t.number(r, "estimate_ci_high");
          const bool clear = !std::isnan(lo) && !std::isnan(hi) && (lo > 0 || hi < 0);
          const bool cross = from != to;
          const std::string colour = std::isnan(est) ? "#bbb"
                                     : clear         ? (cross ? "#D55E00" : "#1f3b5a")
                                                     : "#999";
          const double width = std::isnan(est) ? 1 : 1 + 4 * std::min(1.0, std::abs(est));
          arrow(c, nodes[from][lag], nodes[to][lag + 1], hw, hh, colour, width, clear ? "" : "5 4",
                num(est, 2), cross ? 0.28 : 0.5,
                path + ": " + with_ci(est, lo, hi, 3) + " (" + t.text(r, "replicates") +
                    " replicates, mean n " + num(t.number(r, "mean_n"), 0) + ")");
          if (lag == 0 && from == 0 && to == 0)
            setting_counts += std::string(settings[s]) + ": mean n " +
                              num(t.number(r, "mean_n"), 0) + " youths per replicate at " +
                              waves[0] + "-" + waves[1] + " over " + t.text(r, "replicates") +
                              " replicates";
        }
    counts += (counts.empty() ? "" : "; ") + setting_counts;
  }
  c.end_marks();
  Figure f =
      figure("clpm", scenario, "Cross-lagged panel, " + scenario, c,
             "Path diagrams of the cross-lagged panel of alliance and motivation by setting");
  f.caption =
      "Alliance: youth-rated. Standardised paths pooled over replicates (mean of the per-replicate "
      "OLS paths). "
      "Horizontal: autoregressive; diagonal: cross-lagged (orange when the 95% CI excludes "
      "0). Solid: 95% CI excludes 0; dashed grey: it does not; width grows with |beta|. "
      "Hover a path for its CI. " +
      (counts.empty() ? std::string("No path could be estimated.") : counts + ".") +
      " Table clpm of analyse.";
  return f;
}

// ---- Kaplan-Meier --------------------------------------------------------------------------

Figure survival_chart(const Table& survival_curve, const Table& survival,
                      const std::string& scenario, const std::string& by) {
  const TableView curve(survival_curve), summary(survival);
  std::vector<std::string> groups;
  for (const auto* r : summary.rows({{"scenario", scenario}, {"by", by}}))
    if (std::find(groups.begin(), groups.end(), summary.text(*r, "group")) == groups.end())
      groups.push_back(summary.text(*r, "group"));
  // The end of follow-up: the last day the table reads survival at (the last wave day).
  double end = 0;
  for (const auto* r : summary.rows({{"scenario", scenario}, {"by", by}}))
    end = std::max(end, summary.number(*r, "day"));
  if (!(end > 0)) end = 273;
  svg::Chart c(400, 330, 58, 16, 28, 48);
  c.set_x(0, end);
  std::vector<double> xticks;
  const double xstep = end <= 300 ? 30 : end <= 600 ? 60 : 90;
  for (double d = 0; d <= end; d += xstep) xticks.push_back(d);
  const std::vector<double> yticks{0, 0.2, 0.4, 0.6, 0.8, 1.0};
  c.set_y(0, 1);
  c.title(scenario + ", by " + by);
  c.x_axis(xticks, "days since admission", 0);
  c.y_axis(yticks, "proportion without drop-out or absconding", 1);
  std::vector<std::pair<std::string, std::string>> legend;
  std::string counts;
  c.begin_marks();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string colour = by == "setting"
                                   ? (groups[g] == "closed" ? kClosedColour : kOpenColour)
                                   : svg::colour(g + 2);
    std::string line = "M" + num(c.x(0)) + " " + num(c.y(1)), upper = line;
    double s_prev = 1, hi_prev = 1, lo_prev = 1;
    std::vector<std::string> lower_parts;
    for (const auto* r : curve.rows({{"scenario", scenario}, {"by", by}, {"group", groups[g]}})) {
      const double day = std::min(end, curve.number(*r, "day"));
      const double s = curve.number(*r, "survival");
      double lo = curve.number(*r, "survival_ci_low"), hi = curve.number(*r, "survival_ci_high");
      if (std::isnan(lo) || std::isnan(hi)) lo = hi = s;
      const std::string px = num(c.x(day));
      line += " L" + px + " " + num(c.y(s_prev)) + " L" + px + " " + num(c.y(s));
      upper += " L" + px + " " + num(c.y(hi_prev)) + " L" + px + " " + num(c.y(hi));
      lower_parts.push_back(" L" + px + " " + num(c.y(lo)) + " L" + px + " " + num(c.y(lo_prev)));
      s_prev = s, hi_prev = hi, lo_prev = lo;
    }
    const std::string px_end = num(c.x(end));
    line += " L" + px_end + " " + num(c.y(s_prev));
    upper += " L" + px_end + " " + num(c.y(hi_prev)) + " L" + px_end + " " + num(c.y(lo_prev));
    for (std::size_t i = lower_parts.size(); i-- > 0;) upper += lower_parts[i];
    c.path(upper + " Z", fill(colour, 0.13));
    c.path(line, stroke(colour, 2.2));
    const auto at_end = summary.rows({{"scenario", scenario}, {"by", by}, {"group", groups[g]}});
    if (!at_end.empty()) {
      const auto& r = *at_end.back();
      counts += (counts.empty() ? "" : "; ") + groups[g] + " n = " + summary.text(r, "n") + ", " +
                summary.text(r, "events") + " premature exits, S(" + summary.text(r, "day") +
                ") = " +
                with_ci(summary.number(r, "survival"), summary.number(r, "survival_ci_low"),
                        summary.number(r, "survival_ci_high"), 2);
    }
    legend.emplace_back(groups[g], colour);
  }
  c.end_marks();
  c.legend(c.plot_right() - 120, c.plot_bottom() - 16.0 * static_cast<double>(legend.size()) - 4,
           legend);
  Figure f = figure("survival", scenario, "Kaplan-Meier by " + by + ", " + scenario, c,
                    "Kaplan-Meier curves of staying in care without premature exit by " + by);
  f.y_low = 0;
  f.y_high = 1;
  f.caption =
      "Kaplan-Meier estimate with log-log 95% bands; drop-out and absconding are events, "
      "planned discharges and transfers censored, all replicates pooled. " +
      counts + ". Tables survival and survival_curve of analyse.";
  return f;
}

// ---- hazard by alliance ----------------------------------------------------------------------

double hazard_y_max(const Table& hazard, const std::vector<std::string>& scenarios) {
  const TableView t(hazard);
  std::vector<double> highs{0};
  for (const auto& s : scenarios)
    for (const auto* r : t.rows({{"scenario", s}}))
      highs.push_back(t.number(*r, "hazard_per_1000_ci_high"));
  return axis_ticks(0, range_of(highs).second).back();
}

Figure hazard_chart(const Table& hazard, const std::string& scenario, double y_max,
                    int first_wave_day) {
  const char* const kTertileColours[] = {"#D55E00", "#E69F00", "#009E73"};
  const TableView t(hazard);
  const auto rows = t.rows({{"scenario", scenario}});
  std::vector<const std::vector<Cell>*> tertiles;
  const std::vector<Cell>* all = nullptr;
  for (const auto* r : rows) {
    if (t.text(*r, "tertile") == "all")
      all = r;
    else
      tertiles.push_back(r);
  }
  const auto yticks = axis_ticks(0, y_max);
  svg::Chart c(400, 320, 58, 16, 28, 62);
  c.set_x(0, static_cast<double>(std::max<std::size_t>(tertiles.size(), 1)));
  c.set_y(0, yticks.back());
  c.title(scenario + ": by first-wave alliance");
  c.y_axis(yticks, "premature exits per 1000 youth-days", decimals_for(yticks));
  c.line(c.plot_left(), c.plot_bottom(), c.plot_right(), c.plot_bottom(), "class=\"axis\"");
  c.begin_marks();
  for (std::size_t i = 0; i < tertiles.size(); ++i) {
    const auto& r = *tertiles[i];
    const double h = t.number(r, "hazard_per_1000"), lo = t.number(r, "hazard_per_1000_ci_low"),
                 hi = t.number(r, "hazard_per_1000_ci_high");
    bar_with_ci(
        c, i, h, lo, hi, kTertileColours[i % 3],
        t.text(r, "tertile") + " tertile: " + with_ci(h, lo, hi, 2) + " per 1000 youth-days",
        {escape(t.text(r, "tertile")) + " alliance",
         num(t.number(r, "alliance_min"), 2) + "-" + num(t.number(r, "alliance_max"), 2),
         "n = " + t.text(r, "youths")});
  }
  if (all && !std::isnan(t.number(*all, "hazard_per_1000"))) {
    const double py = c.y(t.number(*all, "hazard_per_1000"));
    c.line(c.plot_left(), py, c.plot_right(), py, stroke("#333", 1.2, "5 4"));
    c.text(c.plot_right() - 4, py - 4, "all: " + num(t.number(*all, "hazard_per_1000"), 2),
           "class=\"value\" text-anchor=\"end\"");
  }
  c.end_marks();
  Figure f =
      figure("hazard", scenario, "Hazard by alliance level, " + scenario, c,
             "Premature exits per 1000 youth-days by tertile of first-wave youth-rated alliance");
  f.y_low = 0;
  f.y_high = yticks.back();
  f.caption = "Drop-outs and abscondings per 1000 youth-days from the first wave (day " +
              std::to_string(first_wave_day) +
              ") on, by "
              "tertile of the youth-rated alliance then, with exact Poisson 95% CIs" +
              (all ? "; " + t.text(*all, "youths") + " youths, " + t.text(*all, "events") +
                         " premature exits, dashed: all youths"
                   : std::string()) +
              ". The y axis is the same for every scenario. Table hazard of analyse.";
  return f;
}

// ---- forest plot -----------------------------------------------------------------------------

const char* verdict_colour(const std::string& verdict) {
  if (verdict == "better") return "#009E73";                        // bluish green
  if (verdict == "worse") return "#D55E00";                         // vermillion
  if (verdict == "higher" || verdict == "lower") return "#0072B2";  // blue
  return "#8C8C8C";                                                 // no clear difference
}

Figure forest_chart(const std::vector<Difference>& differences,
                    const std::vector<std::string>& metrics, const std::string& baseline,
                    bool pathways) {
  std::vector<std::string> scenarios;
  for (const auto& d : differences)
    if (std::find(scenarios.begin(), scenarios.end(), d.scenario) == scenarios.end())
      scenarios.push_back(d.scenario);
  const double label_w = 170, panel_w = 240, row_h = 22, top = 62;
  const double height = top + row_h * static_cast<double>(scenarios.size()) + 66;
  svg::Chart c(label_w + panel_w * static_cast<double>(metrics.size()) + 10, height, 0, 0, 0, 0);
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const double py = top + row_h * (static_cast<double>(s) + 0.5);
    if (s % 2 == 0) c.rect(0, py - row_h / 2, c.width(), row_h, "fill=\"#f3f5f7\"");
    c.text(label_w - 10, py + 4, escape(scenarios[s]), "class=\"legend\" text-anchor=\"end\"");
  }
  int replicates = 0;
  bool any_unpaired = false;
  c.begin_marks();
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    const double x0 = label_w + panel_w * static_cast<double>(m) + 22, x1 = x0 + panel_w - 44;
    std::vector<double> ends{0};
    double base = kNaN;
    for (const auto& d : differences)
      if (d.metric == metrics[m]) {
        ends.push_back(d.ci_low), ends.push_back(d.ci_high), ends.push_back(d.difference);
        base = d.baseline;
        replicates = std::max(replicates, d.replicates);
        any_unpaired = any_unpaired || !d.paired;
      }
    const auto [lo, hi] = range_of(ends);
    const auto ticks = axis_ticks(lo, hi, 4);
    const svg::Scale x{ticks.front(), ticks.back(), x0, x1};
    const OutcomeMeaning meaning = outcome_meaning(metrics[m]);
    const std::string label = meaning.short_label;
    c.text((x0 + x1) / 2, 18, escape(label), "class=\"chart-title\" text-anchor=\"middle\"");
    c.text((x0 + x1) / 2, 32, "baseline " + num(base, 2), "class=\"tick\" text-anchor=\"middle\"");
    c.text((x0 + x1) / 2, 46,
           meaning.better == Better::Neither
               ? std::string("neither way is better")
               : std::string(better_direction(meaning.better)) + " is better",
           "class=\"tick\" text-anchor=\"middle\"");
    const double y_top = top - 6, y_bottom = top + row_h * static_cast<double>(scenarios.size());
    for (double tk : ticks) {
      c.line(x(tk), y_top, x(tk), y_bottom, "class=\"grid\"");
      c.text(x(tk), y_bottom + 16, num(tk, decimals_for(ticks)),
             "class=\"tick\" text-anchor=\"middle\"");
    }
    c.line(x(0), y_top, x(0), y_bottom, stroke("#333", 1.2));
    c.line(x0, y_bottom, x1, y_bottom, "class=\"axis\"");
    for (const auto& d : differences) {
      if (d.metric != metrics[m]) continue;
      const auto s = static_cast<double>(std::find(scenarios.begin(), scenarios.end(), d.scenario) -
                                         scenarios.begin());
      const double py = top + row_h * (s + 0.5);
      const std::string v = verdict(d);
      const std::string colour = verdict_colour(v);
      c.raw("<g data-verdict=\"" + escape(v) + "\"><title>" +
            escape(d.scenario + " - " + baseline + ", " + d.metric + ": " +
                   with_ci(d.difference, d.ci_low, d.ci_high, 3) + " (" +
                   (d.paired ? "paired" : "unpaired") + ", " + std::to_string(d.replicates) +
                   " replicates; " + num(d.value, 3) + " vs " + num(d.baseline, 3) + "): " + v) +
            "</title>");
      if (!std::isnan(d.ci_low) && !std::isnan(d.ci_high))
        c.line(x(d.ci_low), py, x(d.ci_high), py, stroke(colour, 2));
      if (!std::isnan(d.difference))
        (d.paired ? c.circle(x(d.difference), py, 4.5, fill(colour))
                  : c.rect(x(d.difference) - 4, py - 4, 8, 8, fill(colour)));
      c.raw("</g>");
    }
  }
  c.end_marks();
  c.text(label_w - 10, 32, "scenario - " + escape(baseline), "class=\"tick\" text-anchor=\"end\"");
  // The legend, in words: the colours are the verdicts of the plain-language summary.
  {
    std::vector<std::string> kinds{"better", "worse", "no clear difference"};
    if (pathways) kinds.push_back("higher");  // an outcome with no better direction that moved
    double lx = label_w;
    const double ly = top + row_h * static_cast<double>(scenarios.size()) + 46;
    c.text(lx - 10, ly + 4, "colour:", "class=\"legend\" text-anchor=\"end\"");
    for (const auto& k : kinds) {
      const std::string text = k == "higher" ? "changed, neither way better" : k;
      c.circle(lx + 6, ly, 4.5, fill(verdict_colour(k)));
      c.text(lx + 16, ly + 4, escape(text), "class=\"legend\"");
      lx += 36 + 7 * static_cast<double>(text.size());
    }
  }
  Figure f =
      figure("forest", "", (pathways ? "Pathways against " : "Scenarios against ") + baseline, c,
             (pathways ? "Forest plot of pathway differences against "
                       : "Forest plot of scenario differences against ") +
                 baseline);
  f.caption = "Difference of each scenario from " + baseline +
              " (dot) with its 95% interval (line) over " + std::to_string(replicates) +
              " replicates, the same numbers as alliance-sim compare. Colour: the verdict of the "
              "summary, from what each outcome means (higher alliance, motivation and favourable "
              "outcome are better; lower problems, premature exit, incidents and coercive "
              "measures are better): green better, red worse, grey no clear difference (the "
              "interval includes 0)" +
              (pathways ? ", blue a change of an outcome where neither way is better" : "") +
              ". Dots: paired, both scenarios met the same youths and chance events (the same "
              "seed, common random numbers), so the difference is the policy's effect rather "
              "than luck" +
              (any_unpaired ? "; squares: different seeds, so the interval is Welch's, the usual "
                              "one for two independent means"
                            : "") +
              "." +
              (pathways ? " These are the pathways through which a policy acts: a rupture needs "
                          "contact with the mentor, so a policy that cuts contact can show fewer "
                          "ruptures and repairs together with a weaker alliance."
                        : "");
  return f;
}

}  // namespace asim::report
