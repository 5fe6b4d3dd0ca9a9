// SVG helpers (see svg.hpp).
#include "analysis/svg.hpp"

#include <algorithm>
#include <cctype>
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

double text_width(std::string_view text, double font_px) {
  // Advance widths of DejaVu Sans in em: digits and most lower-case letters 0.64 or less, upper
  // case at most 0.8 (M, W: 0.86 and 0.99), narrow punctuation and space about 0.32.
  double em = 0;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u & 0xC0) == 0x80) continue;  // UTF-8 continuation byte: counted with its lead byte
    if (c == 'M' || c == 'W' || c == 'm' || c == 'w' || u >= 0x80)
      em += 1.0;
    else if (std::isupper(u))
      em += 0.8;
    else if (c == ' ' || c == '.' || c == ',' || c == ':' || c == ';' || c == 'i' || c == 'l' ||
             c == 'j' || c == '\'' || c == '|' || c == '!')
      em += 0.34;
    else if (c == '(' || c == ')' || c == '[' || c == ']' || c == 'f' || c == 't' || c == 'r' ||
             c == '-')
      em += 0.42;
    else
      em += 0.64;
  }
  return em * font_px;
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
  constexpr double kTickFont = 10, kLine = 12, kEdge = 2;
  std::size_t lines = 1;
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    const double px = x(ticks[i]);
    line(px, plot_top(), px, plot_bottom(), "class=\"grid\"");
    line(px, plot_bottom(), px, plot_bottom() + 4, "class=\"axis\"");
    const std::string content = i < tick_labels.size() ? tick_labels[i] : num(ticks[i], decimals);
    if (content.empty()) continue;  // a tick without a label
    std::vector<std::string> rows;
    for (std::size_t at = 0;;) {
      const auto nl = content.find('\n', at);
      rows.push_back(content.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
      if (nl == std::string::npos) break;
      at = nl + 1;
    }
    lines = std::max(lines, rows.size());
    double half = 0;
    for (const auto& r : rows) half = std::max(half, text_width(r, kTickFont) / 2);
    // Centred on the tick, unless that would cut it off at the chart's edge.
    const double lo = kEdge + half, hi = width_ - kEdge - half;
    const double cx = lo <= hi ? std::clamp(px, lo, hi) : width_ / 2;
    if (rows.size() == 1) {
      text(cx, plot_bottom() + 16, escape(rows[0]), "class=\"tick\" text-anchor=\"middle\"");
      continue;
    }
    std::string spans;
    for (std::size_t k = 0; k < rows.size(); ++k)
      spans += "<tspan x=\"" + num(cx) + "\"" + (k ? " dy=\"" + num(kLine) + "\"" : "") + ">" +
               escape(rows[k]) + "</tspan>";
    text(cx, plot_bottom() + 16, spans, "class=\"tick\" text-anchor=\"middle\"");
  }
  line(plot_left(), plot_bottom(), plot_right(), plot_bottom(), "class=\"axis\"");
  text((plot_left() + plot_right()) / 2,
       plot_bottom() + 34 + kLine * static_cast<double>(lines - 1), escape(label),
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

void Chart::y_break(const std::string& scale_min) {
  // A white gap in the axis between two parallel slanted strokes, halfway between the plot's
  // bottom and the lowest point of the y scale (kBreakGap above the bottom).
  const double xa = plot_left(), yb = plot_bottom() - kBreakGap / 2;
  rect(xa - 6, yb - 3, 12, 6, "class=\"axis-break\" fill=\"#fff\"");
  line(xa - 6, yb + 1, xa + 6, yb - 3, "class=\"axis-break\" stroke=\"#55606e\"");
  line(xa - 6, yb + 5, xa + 6, yb + 1, "class=\"axis-break\" stroke=\"#55606e\"");
  text(xa - 7, plot_bottom() + 3, escape(scale_min), "class=\"tick\" text-anchor=\"end\"");
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
