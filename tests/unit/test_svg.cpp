// The SVG helpers of the report (analysis/svg.hpp): escaping, number formatting, ticks, paths.
#include <catch2/catch.hpp>
#include <cmath>

#include "analysis/svg.hpp"

using namespace asim;

TEST_CASE("svg text is escaped and numbers are short", "[svg]") {
  CHECK(svg::escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
  CHECK(svg::num(0.5) == "0.5");
  CHECK(svg::num(12.0) == "12");
  CHECK(svg::num(-0.25, 2) == "-0.25");
  CHECK(svg::num(3.14159, 3) == "3.142");
  CHECK(svg::num(-0.01, 1) == "0");  // no "-0"
  CHECK(svg::num(std::nan("")) == "NA");
}

TEST_CASE("nice ticks are round and cover the range", "[svg]") {
  CHECK(svg::nice_ticks(0, 1, 5) == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1});
  const auto t = svg::nice_ticks(3.62, 4.13, 5);
  REQUIRE(t.size() >= 2);
  // (4.13 - 3.62) / 5 = 0.102: the step is 0.2, the smallest of 1, 2, 5 x 10^k above it.
  CHECK(t == std::vector<double>{3.8, 4.0});
  CHECK(svg::nice_ticks(3.62, 4.13, 10) == std::vector<double>{3.7, 3.8, 3.9, 4.0, 4.1});
  const auto wide = svg::nice_ticks(-3, 47, 5);
  CHECK(wide.front() == Approx(0));
  CHECK(wide.back() == Approx(40));
  CHECK(wide[1] - wide[0] == Approx(10));
  CHECK(svg::nice_ticks(2, 2, 5).size() >= 2);  // an empty range is widened
}

TEST_CASE("polyline paths skip missing points and scales map linearly", "[svg]") {
  CHECK(svg::polyline_path({0, 1, 2, 3}, {5, std::nan(""), 7, 8}) == "M0 5 M2 7 L3 8");
  CHECK(svg::polyline_path({}, {}).empty());
  const svg::Scale s{0, 10, 100, 200};
  CHECK(s(5) == Approx(150));
  const svg::Scale up{1, 5, 300, 20};  // y grows upwards on the page
  CHECK(up(1) == Approx(300));
  CHECK(up(5) == Approx(20));
  svg::Chart c(200, 100, 10, 10, 10, 10);
  c.begin_marks();
  c.circle(1, 2, 3, "fill=\"red\"");
  c.end_marks();
  CHECK(c.str("a <chart>") ==
        "<svg viewBox=\"0 0 200 100\" width=\"200\" height=\"100\" role=\"img\" aria-label=\"a "
        "&lt;chart&gt;\"><g class=\"marks\"><circle cx=\"1\" cy=\"2\" r=\"3\" "
        "fill=\"red\"/></g></svg>");
}
