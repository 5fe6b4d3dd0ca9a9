// Small helpers for writing SVG charts as text: escaping, number formatting, linear scales with
// "nice" ticks, a plot area with axes, and a colour-blind-safe palette. The report
// (analysis/report.cpp) draws every chart with these, so its output is plain deterministic text
// with no script or library needed to display it.
#pragma once
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace asim::svg {

// Text for XML content and attribute values (&, <, >, ", ').
std::string escape(std::string_view text);

// A number with at most `decimals` decimals, trailing zeros dropped ("0.5", "12", "-0.25"), and
// "NA" for NaN. Coordinates use num(v, 1).
std::string num(double v, int decimals = 1);

// Okabe & Ito (2008) colour-blind-safe colours, cycled.
const char* colour(std::size_t i);

// Round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten), about `target`
// of them. lo == hi is widened.
std::vector<double> nice_ticks(double lo, double hi, int target = 5);

// Width in pixels of `text` set in DejaVu Sans at `font_px`, estimated from the advance widths
// of its characters (an upper bound for digits, letters and the usual punctuation), so that a
// label can be kept inside its chart.
double text_width(std::string_view text, double font_px);

// Linear map from a data interval to a pixel interval.
struct Scale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double v) const { return r0 + (v - d0) / (d1 - d0) * (r1 - r0); }
};

// A chart: an SVG of width x height with a plot area inside the margins, x and y scales, and the
// elements written so far. Data-bearing elements go inside begin_marks()/end_marks() (a
// <g class="marks">), which the report's render check looks for.
class Chart {
 public:
  Chart(double width, double height, double left, double right, double top, double bottom);

  double width() const { return width_; }
  double height() const { return height_; }
  double plot_left() const { return left_; }
  double plot_right() const { return width_ - right_; }
  double plot_top() const { return top_; }
  double plot_bottom() const { return height_ - bottom_; }

  // Data ranges of the axes (y grows upwards on the page).
  void set_x(double lo, double hi) { x = {lo, hi, plot_left(), plot_right()}; }
  void set_y(double lo, double hi) { y = {lo, hi, plot_bottom(), plot_top()}; }
  Scale x, y;

  // Axes with ticks, grid lines and labels. Tick labels use `decimals`, or `tick_labels`; an x
  // tick label may have two lines ("9m\nday 273"), and is moved inwards as far as needed to
  // stay inside the chart (it is centred on its tick otherwise).
  void x_axis(const std::vector<double>& ticks, const std::string& label, int decimals = 1,
              const std::vector<std::string>& tick_labels = {});
  void y_axis(const std::vector<double>& ticks, const std::string& label, int decimals = 1,
              const std::vector<std::string>& tick_labels = {});
  // A y axis that does not start at its scale's minimum: set_y_broken maps [lo, hi] to the plot
  // area less kBreakGap pixels at the bottom, and y_break draws the break in that gap (two
  // slanted strokes across the axis, class "axis-break") and labels the bottom of the axis with
  // the scale's minimum `scale_min` ("1" for a 1-5 rating).
  static constexpr double kBreakGap = 16;
  void set_y_broken(double lo, double hi) { y = {lo, hi, plot_bottom() - kBreakGap, plot_top()}; }
  void y_break(const std::string& scale_min);
  // A legend of coloured swatches at (x, y) in pixels, one entry per row.
  void legend(double x, double y, const std::vector<std::pair<std::string, std::string>>& entries,
              bool lines = true);
  void title(const std::string& text);  // centred over the plot area

  // Raw elements (coordinates in pixels). `attributes` is appended verbatim: pass escaped text.
  void line(double x1, double y1, double x2, double y2, const std::string& attributes);
  void rect(double x, double y, double w, double h, const std::string& attributes);
  void circle(double cx, double cy, double r, const std::string& attributes);
  void path(const std::string& d, const std::string& attributes);
  void text(double x, double y, const std::string& content, const std::string& attributes = "");
  void raw(const std::string& svg) { body_ << svg; }

  void begin_marks() { body_ << "<g class=\"marks\">"; }
  void end_marks() { body_ << "</g>"; }

  // The finished <svg> element; `label` is its accessible name (role="img").
  std::string str(const std::string& label) const;

 private:
  double width_, height_, left_, right_, top_, bottom_;
  std::ostringstream body_;
};

// "M x y L x y ..." through the points, skipping NaN (a gap starts a new sub-path).
std::string polyline_path(const std::vector<double>& xs, const std::vector<double>& ys);

}  // namespace asim::svg
