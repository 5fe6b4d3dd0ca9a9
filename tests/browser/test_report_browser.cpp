// The HTML report rendered in headless Chromium (Debian package `chromium`, installed by
// scripts/setup.sh): every chart drew (the report's own check marks each figure data-drawn="yes"
// when the bounding box of its data marks is not empty), no chart's text is cut off at the edge
// of its SVG (data-text-clipped, from the texts' on-screen boxes), and the page logged nothing to
// the console (no script error, no blocked network request). Without /usr/bin/chromium these tests
// fail: they are part of the suite, not optional. ctest label: browser.
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>

#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

const char* const kChromium = "/usr/bin/chromium";

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

void require_chromium() {
  INFO("headless Chromium is needed at " << kChromium
                                         << ": install it with bash scripts/setup.sh (package "
                                            "chromium)");
  REQUIRE(fs::exists(kChromium));
}

struct Rendered {
  int status = -1;
  std::string dom;      // the DOM after the page's scripts ran
  std::string console;  // the console messages the page logged
};

// Loads a local file in headless Chromium with no network features, prints the DOM after load
// and collects the console messages from Chromium's log.
Rendered render(const std::string& html_file) {
  TempDir profile;
  const auto dom_file = profile.file("dom.html"), log_file = profile.file("chromium.log");
  // In a subshell: run_command() appends its own 2>&1, which must not undo the 2> below.
  const std::string command =
      std::string("(timeout 120 ") + kChromium +
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --disable-extensions --user-data-dir=" +
      profile.file("profile") + " --enable-logging=stderr --v=0 --dump-dom file://" +
      fs::absolute(html_file).string() + " > " + dom_file + " 2> " + log_file + ")";
  Rendered r;
  r.status = run_command(command).status;
  r.dom = read_text(dom_file);
  std::stringstream log(read_text(log_file));
  for (std::string line; std::getline(log, line);)
    if (contains(line, ":CONSOLE")) r.console += line + "\n";
  return r;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

// Body attribute written by the report's render check, e.g. data-charts="15".
std::string body_attribute(const std::string& dom, const std::string& name) {
  std::smatch m;
  if (std::regex_search(dom, m, std::regex("<body[^>]*\\s" + name + "=\"([^\"]*)\""))) return m[1];
  return "(absent)";
}

std::string make_report(const TempDir& dir, const std::string& name, const std::string& scenarios) {
  const auto h5 = dir.file(name + ".h5"), html = dir.file(name + ".html");
  const auto run = run_command(cli() + " run " + scenarios + " -o " + h5 +
                               " --replicates 3 --set cohort.size=120 --quiet");
  INFO(run.output);
  REQUIRE(run.status == 0);
  const auto report = run_command(cli() + " report " + h5 + " -o " + html);
  INFO(report.output);
  REQUIRE(report.status == 0);
  return html;
}

void check_every_chart_drew(const std::string& html, std::size_t charts) {
  const auto r = render(html);
  INFO("console:\n" << r.console << "DOM head:\n" << r.dom.substr(0, 400));
  REQUIRE(r.status == 0);
  CHECK(body_attribute(r.dom, "data-render-check") == "done");
  CHECK(body_attribute(r.dom, "data-charts") == std::to_string(charts));
  CHECK(body_attribute(r.dom, "data-charts-failed").empty());
  CHECK(count(r.dom, "data-drawn=\"yes\"") == charts);
  CHECK(count(r.dom, "data-drawn=\"no\"") == 0);
  // No text of any chart reaches outside its SVG (where it would be cut off): tick labels such
  // as "9m / day 273" at the plot's edge, titles, axis labels, legends.
  CHECK(body_attribute(r.dom, "data-text-clipped").empty());
  CHECK(count(r.dom, "data-drawn=\"yes\" data-text-clipped=\"\"") == charts);
  CHECK(r.console.empty());
}

}  // namespace

TEST_CASE("every chart of a scenario-library report draws in headless Chromium", "[browser]") {
  require_chromium();
  TempDir dir;
  const auto html = make_report(dir, "library",
                                std::string(ASIM_SOURCE_DIR) + "/scenarios/baseline.toml " +
                                    ASIM_SOURCE_DIR + "/scenarios/caseload-5.toml");
  check_every_chart_drew(html, 16);  // 2 trajectories + 6 per scenario + 2 forest plots
}

TEST_CASE("every chart of a single-scenario report draws in headless Chromium", "[browser]") {
  require_chromium();
  TempDir dir;
  check_every_chart_drew(make_report(dir, "single", ""), 8);
}

TEST_CASE("a report of scenarios with other waves draws every chart, no text cut off",
          "[browser][waves]") {
  require_chromium();
  TempDir dir;
  // Six waves, two of them close together (days 14 and 45), beside the default four.
  const auto six = dir.write("six.toml",
                             "inherit = \"builtin:baseline\"\n[scenario]\nname = \"six\"\n[waves]\n"
                             "days = [14, 45, 91, 182, 273, 365]\n"
                             "names = [\"first\", \"6w\", \"3m\", \"6m\", \"9m\", \"12m\"]\n");
  const auto html =
      make_report(dir, "waves", std::string(ASIM_SOURCE_DIR) + "/scenarios/baseline.toml " + six);
  check_every_chart_drew(html, 16);  // 2 trajectories + 6 per scenario + 2 forest plots
}

TEST_CASE("the browser check sees an empty chart and a console error", "[browser]") {
  require_chromium();
  TempDir dir;
  const auto html = read_text(make_report(dir, "single", ""));
  // A chart whose marks are gone (a chart that drew nothing) is reported by name.
  const auto marks = html.find("<g class=\"marks\">");
  REQUIRE(marks != std::string::npos);
  const auto end = html.find("</g></svg>", marks);
  REQUIRE(end != std::string::npos);
  const auto empty =
      dir.write("empty.html", html.substr(0, marks) + "<g class=\"marks\">" + html.substr(end));
  const auto r = render(empty);
  REQUIRE(r.status == 0);
  CHECK(body_attribute(r.dom, "data-render-check") == "done");
  CHECK(count(r.dom, "data-drawn=\"no\"") == 1);
  CHECK(contains(body_attribute(r.dom, "data-charts-failed"), "trajectories"));
  // A label that runs past the edge of its chart is named, and so is its figure.
  const std::string label = ">wave (days since admission)</text>";
  const auto at = html.find(label);
  REQUIRE(at != std::string::npos);
  std::string wide_label = html;
  wide_label.replace(at, label.size(),
                     ">wave (days since admission), a label far too long to fit its chart, "
                     "wider than the chart itself</text>");
  const auto w = render(dir.write("clipped.html", wide_label));
  REQUIRE(w.status == 0);
  CHECK(contains(body_attribute(w.dom, "data-text-clipped"), "trajectories"));
  CHECK(contains(w.dom, "data-text-clipped=\"wave (days since admission), a label far too long"));
  CHECK(count(w.dom, "data-drawn=\"yes\" data-text-clipped=\"\"") == 7);  // the other charts
  // A script error and a blocked network request show up as console messages.
  std::string broken = html;
  broken.insert(
      broken.find("</body>"),
      "<script>undefinedFunction();</script><img alt=\"\" src=\"https://example.org/x.png\">");
  const auto b = render(dir.write("broken.html", broken));
  INFO("console:\n"
       << b.console << "DOM tail:\n"
       << b.dom.substr(b.dom.size() > 300 ? b.dom.size() - 300 : 0));
  REQUIRE(b.status == 0);
  CHECK(contains(b.console, "undefinedFunction"));
  CHECK(contains(b.console, "Content Security Policy"));
}
