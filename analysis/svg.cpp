// SVG helpers (see svg.hpp).
#include "analysis/svg.hpp"

#include <cmath>
#include <cstdio>

namespace asim::svg {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  return out;
}

std::string num(double v, int decimals) {
  if (std::isnan(v)) return "NA";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

const char* colour(std::size_t i) {
  static const char* const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                        "#E69F00", "#56B4E9", "#000000", "#F0E442"};
  return palette[i % 8];
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!(hi > lo)) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const int exponent = static_cast<int>(std::floor(std::log10(raw)));
  const double power = std::pow(10.0, exponent);
  double multiple = 10;
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw) {
      multiple = m;
      break;
    }
  // Tick i is i * multiple * 10^exponent; for negative exponents divide by 10^-exponent (an exact
  // integer), so 0.6 is written as 0.6 and not 0.6000000000000001.
  const double step = multiple * power;
  auto tick = [&](long long i) {
    const double units = static_cast<double>(i) * multiple;
    return exponent < 0 ? units / std::pow(10.0, -exponent) : units * power;
  };
  std::vector<double> ticks;
  for (auto i = static_cast<long long>(std::ceil(lo / step - 1e-9));
       i <= static_cast<long long>(std::floor(hi / step + 1e-9)); ++i)
    ticks.push_back(tick(i));
  return ticks;
}

Chart::Chart(double width, double height, double left, double right, double top, double bottom)
    : width_(width), height_(height), left_(left), right_(right), top_(top), bottom_(bottom) {
  set_x(0, 1);
  set_y(0, 1);
}

void Chart::x_axis(const std::vector<double>& ticks, const std::string& label, int decimals,
                   const std::vector<std::string>& tick_labels) {
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const double px = x(ticks[i]);
    line(px, plot_top(), px, plot_bottom(), "class=\"grid\"");
    line(px, plot_bottom(), px, plot_bottom() + 4, "class=\"axis\"");
    text(px, plot_bottom() + 16,
         i < tick_labels.size() ? escape(tick_labels[i]) : num(ticks[i], decimals),
         "class=\"tick\" text-anchor=\"middle\"");
  }
  line(plot_left(), plot_bottom(), plot_right(), plot_bottom(), "class=\"axis\"");
  text((plot_left() + plot_right()) / 2, plot_bottom() + 34, escape(label),
       "class=\"axis-label\" text-anchor=\"middle\"");
}

void Chart::y_axis(const std::vector<double>& ticks, const std::string& label, int decimals,
                   const std::vector<std::string>& tick_labels) {
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const double py = y(ticks[i]);
    line(plot_left(), py, plot_right(), py, "class=\"grid\"");
    line(plot_left() - 4, py, plot_left(), py, "class=\"axis\"");
    text(plot_left() - 7, py + 4,
         i < tick_labels.size() ? escape(tick_labels[i]) : num(ticks[i], decimals),
         "class=\"tick\" text-anchor=\"end\"");
  }
  line(plot_left(), plot_top(), plot_left(), plot_bottom(), "class=\"axis\"");
  const double cx = 14, cy = (plot_top() + plot_bottom()) / 2;
  text(cx, cy, escape(label),
       "class=\"axis-label\" text-anchor=\"middle\" transform=\"rotate(-90 " + num(cx) + " " +
           num(cy) + ")\"");
}

void Chart::legend(double x0, double y0,
                   const std::vector<std::pair<std::string, std::string>>& entries, bool lines) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const double yy = y0 + 16.0 * static_cast<double>(i);
    const auto& [name, fill] = entries[i];
    if (lines)
      line(x0, yy - 4, x0 + 18, yy - 4, "stroke=\"" + fill + "\" stroke-width=\"2.5\"");
    else
      rect(x0, yy - 10, 12, 12, "fill=\"" + fill + "\"");
    text(x0 + 24, yy, escape(name), "class=\"legend\"");
  }
}

void Chart::title(const std::string& content) {
  text((plot_left() + plot_right()) / 2, 16, escape(content),
       "class=\"chart-title\" text-anchor=\"middle\"");
}

void Chart::line(double x1, double y1, double x2, double y2, const std::string& attributes) {
  body_ << "<line x1=\"" << num(x1) << "\" y1=\"" << num(y1) << "\" x2=\"" << num(x2) << "\" y2=\""
        << num(y2) << "\" " << attributes << "/>";
}
void Chart::rect(double x0, double y0, double w, double h, const std::string& attributes) {
  body_ << "<rect x=\"" << num(x0) << "\" y=\"" << num(y0) << "\" width=\"" << num(w)
        << "\" height=\"" << num(h) << "\" " << attributes << "/>";
}
void Chart::circle(double cx, double cy, double r, const std::string& attributes) {
  body_ << "<circle cx=\"" << num(cx) << "\" cy=\"" << num(cy) << "\" r=\"" << num(r) << "\" "
        << attributes << "/>";
}
void Chart::path(const std::string& d, const std::string& attributes) {
  if (!d.empty()) body_ << "<path d=\"" << d << "\" " << attributes << "/>";
}
void Chart::text(double x0, double y0, const std::string& content, const std::string& attributes) {
  body_ << "<text x=\"" << num(x0) << "\" y=\"" << num(y0) << "\""
        << (attributes.empty() ? "" : " ") << attributes << ">" << content << "</text>";
}

std::string Chart::str(const std::string& label) const {
  std::ostringstream o;
  o << "<svg viewBox=\"0 0 " << num(width_) << " " << num(height_) << "\" width=\"" << num(width_)
    << "\" height=\"" << num(height_) << "\" role=\"img\" aria-label=\"" << escape(label) << "\">"
    << body_.str() << "</svg>";
  return o.str();
}

std::string polyline_path(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::string d;
  bool pen_down = false;
  for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    if (std::isnan(xs[i]) || std::isnan(ys[i])) {
      pen_down = false;
      continue;
    }
    d += (d.empty() ? "" : " ") + std::string(pen_down ? "L" : "M") + num(xs[i]) + " " + num(ys[i]);
    pen_down = true;
  }
  return d;
}

}  // namespace asim::svg
