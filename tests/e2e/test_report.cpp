// `alliance-sim report` end to end: the HTML file is written atomically, self-contained (no
// network reference), holds every chart section with drawn SVG marks, shows the numbers of
// `analyse` and `compare`, is the same for the same input, and bad input exits 2 and leaves no
// file. tests/browser/ renders it in headless Chromium.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>

#include "analysis/plain_summary.hpp"
#include "analysis/svg.hpp"
#include "engine/h5.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

constexpr int kReplicates = 3, kYouths = 120;

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

std::string small_run(const TempDir& dir, const std::string& name, const std::string& scenarios) {
  const std::string out = dir.file(name);
  const auto r = run_command(cli() + " run " + scenarios + " -o " + out + " --replicates " +
                             std::to_string(kReplicates) +
                             " --set cohort.size=" + std::to_string(kYouths) + " --quiet");
  INFO(r.output);
  REQUIRE(r.status == 0);
  return out;
}

// One scenario (the built-in baseline) and two from the scenario library, made once.
const TempDir& run_dir() {
  static TempDir dir;
  return dir;
}
const std::string& single_file() {
  static const std::string path = small_run(run_dir(), "single.h5", "");
  return path;
}
const std::string& library_file() {
  static const std::string path =
      small_run(run_dir(), "library.h5",
                std::string(ASIM_SOURCE_DIR) + "/scenarios/baseline.toml " + ASIM_SOURCE_DIR +
                    "/scenarios/caseload-5.toml");
  return path;
}

const char* const kSections[] = {"trajectories", "scatter", "subgroups", "clpm",
                                 "survival",     "hazard",  "forest"};
// The sections without charts: the plain-language summary and compare's technical table.
const char* const kTextSections[] = {"summary", "technical"};

// The text of <section id="name">...</section>.
std::string section(const std::string& html, const std::string& name) {
  const auto begin = html.find("<section id=\"" + name + "\">");
  REQUIRE(begin != std::string::npos);
  const auto end = html.find("</section>", begin);
  REQUIRE(end != std::string::npos);
  return html.substr(begin, end - begin);
}

// Every figure of a section has an SVG whose <g class="marks"> holds drawn elements.
std::size_t check_figures(const std::string& part) {
  std::size_t figures = 0;
  for (std::size_t pos = part.find("<figure class=\"chart\""); pos != std::string::npos;
       pos = part.find("<figure class=\"chart\"", pos + 1)) {
    const auto end = part.find("</figure>", pos);
    REQUIRE(end != std::string::npos);
    const std::string figure = part.substr(pos, end - pos);
    INFO(figure.substr(0, 200));
    CHECK(contains(figure, "<svg viewBox="));
    const auto marks = figure.find("<g class=\"marks\">");
    REQUIRE(marks != std::string::npos);
    const std::string after = figure.substr(marks + 17, 40);
    CHECK(after.rfind("</g>", 0) != 0);  // not empty
    CHECK(std::regex_search(figure.substr(marks), std::regex("<(path|rect|circle|line) ")));
    CHECK(contains(figure, "<figcaption>"));
    ++figures;
  }
  return figures;
}

// The numbers as the report writes them (at most `decimals` decimals, trailing zeros dropped).
std::string trimmed(double v, int decimals) {
  return asim::svg::num(v, decimals);
}

// Runs report with `args` on `h5`, checks the summary line and the atomic write, returns the HTML.
std::string report_html(const TempDir& dir, const std::string& h5, const std::string& args,
                        const std::string& summary) {
  const auto out = dir.file("report.html");
  const auto r = run_command(cli() + " report " + h5 + " -o " + out + " --overwrite " + args);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, summary));
  REQUIRE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
  return read_text(out);
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream l(line);
    for (std::string cell; std::getline(l, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace

TEST_CASE("report writes one self-contained HTML file with every chart", "[report]") {
  TempDir dir;
  const auto html = report_html(dir, single_file(), "", "8 charts, 1 scenario(s)");
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(contains(html, "Content-Security-Policy\" content=\"default-src 'none'"));
  // Nothing to fetch: no URL, no external script, style sheet or image.
  CHECK_FALSE(contains(html, "http://"));
  CHECK_FALSE(contains(html, "https://"));
  CHECK_FALSE(contains(html, " src="));
  CHECK_FALSE(contains(html, "<link"));
  CHECK_FALSE(contains(html, "@import"));
  std::size_t figures = 0;
  for (const char* name : kSections) {
    INFO("section " << name);
    const auto part = section(html, name);
    const auto n = check_figures(part);
    figures += n;
    if (std::string(name) == "forest") {
      CHECK(n == 0);
      CHECK(contains(part, "The file holds one scenario (baseline): there is nothing to compare"));
    } else {
      CHECK(n >= 1);
    }
  }
  CHECK(figures == 8);
  for (const char* name : kTextSections) {
    INFO("section " << name);
    CHECK(contains(section(html, name),
                   "The file holds one scenario (baseline): there is nothing to compare"));
  }
  CHECK(occurrences(section(html, "trajectories"), "<figure class=\"chart\"") == 2);
  CHECK(occurrences(section(html, "survival"), "<figure class=\"chart\"") ==
        2);                                // setting, profile
  CHECK(contains(html, "externalising"));  // the profile curves
  CHECK(contains(html, "closed setting"));
  // The same file gives the same report, byte for byte.
  const auto again = dir.file("again.html");
  REQUIRE(run_command(cli() + " report " + single_file() + " -o " + again).status == 0);
  CHECK(read_text(again) == html);
}

TEST_CASE("report shows the numbers of analyse and compare", "[report]") {
  TempDir dir;
  const auto html = report_html(dir, library_file(), "", "16 charts, 2 scenario(s)");
  // Each chart section has a figure per scenario, and the forest plot is there.
  for (const char* name : {"scatter", "subgroups", "clpm", "hazard"}) {
    INFO(name);
    CHECK(occurrences(section(html, name), "data-scenario=\"baseline\"") == 1);
    CHECK(occurrences(section(html, name), "data-scenario=\"caseload-5\"") == 1);
  }
  // The outcomes' forest plot and, beside it, the pathways through which the policy acts.
  CHECK(check_figures(section(html, "forest")) == 2);
  CHECK(contains(section(html, "forest"), "Pathways against baseline"));
  for (const char* label : {"ruptures per youth", "repairs per youth", "incidents per youth",
                            "coercive measures per youth"})
    CHECK(contains(section(html, "forest"), label));

  // Favourable % of the median-split subgroups, as analyse prints them.
  const auto split =
      run_command(cli() + " analyse " + library_file() + " --csv --table median_split");
  REQUIRE(split.status == 0);
  const auto rows = csv_rows(split.output);
  REQUIRE(rows.size() == 1 + 2 * 4);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& c = rows[i];  // scenario, youth, mentor, medians, n, favourable, pct, low, high
    const std::string tip = "youth " + c[1] + " / mentor " + c[2] + ": " +
                            trimmed(std::stod(c[7]), 1) + " [" + trimmed(std::stod(c[8]), 1) +
                            ", " + trimmed(std::stod(c[9]), 1) + "]% favourable, n = " + c[5];
    INFO(tip);
    CHECK(contains(html, tip));
  }
  // Paired differences and CIs of the forest plot, as compare prints them.
  const auto cmp = run_command(cli() + " compare " + library_file() +
                               " --outcome alliance_youth_6m,favourable_pct --csv");
  REQUIRE(cmp.status == 0);
  const auto diffs = csv_rows(cmp.output);
  REQUIRE(diffs.size() == 3);
  for (std::size_t i = 1; i < diffs.size(); ++i) {
    const auto& c =
        diffs[i];  // scenario, outcome, replicates, paired, baseline, value, diff, lo, hi
    const std::string tip = c[0] + " - baseline, " + c[1] + ": " + trimmed(std::stod(c[6]), 3) +
                            " [" + trimmed(std::stod(c[7]), 3) + ", " +
                            trimmed(std::stod(c[8]), 3) + "] (paired, " + c[2] + " replicates";
    INFO(tip);
    CHECK(contains(html, tip));
  }
  // Pearson r of youth and mentor at 3m, as analyse prints it (2 decimals in the caption).
  const auto agree = run_command(cli() + " analyse " + library_file() +
                                 " --scenario caseload-5 --csv --table agreement");
  REQUIRE(agree.status == 0);
  bool found = false;
  for (const auto& c : csv_rows(agree.output))
    if (c.size() > 5 && c[1] == "3m" && c[2] == "youth" && c[3] == "mentor") {
      found = true;
      CHECK(contains(html, "Pearson r = " + trimmed(std::stod(c[5]), 2) + " ["));
      CHECK(contains(html, "on n = " + c[4] + " youths rated by both"));
    }
  CHECK(found);

  // --scenario selects; a single selected scenario has no comparison.
  const auto one_html =
      report_html(dir, library_file(), "--scenario caseload-5", "8 charts, 1 scenario(s)");
  CHECK_FALSE(contains(one_html, "data-scenario=\"baseline\""));
  CHECK(contains(section(one_html, "forest"),
                 "one scenario (caseload-5, chosen with --scenario): there is nothing to compare"));
  // --baseline turns the comparison round.
  CHECK(contains(report_html(dir, library_file(), "--baseline caseload-5", "16 charts"),
                 "baseline - caseload-5, favourable_pct: "));
}

TEST_CASE("report opens with the plain-language summary and colours the forest plot by verdict",
          "[report][summary]") {
  TempDir dir;
  const auto html = report_html(dir, library_file(), "", "16 charts, 2 scenario(s)");
  // Summary first, then the policy effects, the researcher's charts, the technical table last.
  const auto at = [&](const std::string& id) { return html.find("<section id=\"" + id + "\">"); };
  REQUIRE(at("summary") != std::string::npos);
  CHECK(at("summary") < at("forest"));
  CHECK(at("forest") < at("trajectories"));
  CHECK(at("hazard") < at("technical"));
  CHECK(html.find("<section ") == at("summary"));
  const auto summary = section(html, "summary");
  const auto forest = section(html, "forest");
  const auto technical = section(html, "technical");
  CHECK(contains(summary, "<table class=\"summary\" id=\"summary-table\">"));
  CHECK(contains(technical, "caseload-5 vs baseline (3 replicates, paired"));
  CHECK(contains(technical, "  unpaired n: replicates per scenario"));

  // Each outcome's verdict as compare --csv gives it: in the summary's row (outcomes with a
  // better direction) and in the forest plot's mark and its colour.
  const auto cmp = run_command(cli() + " compare " + library_file() + " --csv");
  REQUIRE(cmp.status == 0);
  const auto rows = csv_rows(cmp.output);
  REQUIRE(rows.size() > 10);
  REQUIRE(rows[0].size() == 18);
  CHECK(rows[0][16] == "verdict");
  const std::map<std::string, std::string> colour{{"better", "#009E73"},
                                                  {"worse", "#D55E00"},
                                                  {"no clear difference", "#8C8C8C"},
                                                  {"higher", "#0072B2"},
                                                  {"lower", "#0072B2"}};
  std::size_t in_forest = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    // Cells as csv_rows splits them: the quoted labels are empty here, so the plain name, the
    // direction and the verdict are the last three before the effect size.
    const auto& c = rows[i];
    const std::string verdict = c[c.size() - 2], direction = c[c.size() - 3];
    INFO(c[1] << ": " << verdict);
    if (direction != "neither") {
      // The row of this scenario and outcome, marked with the verdict and saying it in bold.
      const std::string cells = "<td>caseload-5</td><td>" +
                                asim::svg::escape(asim::outcome_meaning(c[1]).words) + "</td>";
      const auto cell = summary.find(cells);
      REQUIRE(cell != std::string::npos);
      const auto row_start = summary.rfind("<tr data-verdict=\"", cell);
      const std::string row = summary.substr(row_start, summary.find("</tr>", cell) - row_start);
      CHECK(row.rfind("<tr data-verdict=\"" + verdict + "\">", 0) == 0);
      CHECK(contains(row, "<b>" + verdict + "</b>"));
    }
    const auto tip = forest.find("caseload-5 - baseline, " + c[1] + ": ");
    if (tip == std::string::npos) continue;
    ++in_forest;
    const auto group = forest.rfind("<g data-verdict=\"", tip);
    REQUIRE(group != std::string::npos);
    CHECK(forest.compare(group, 19 + verdict.size(), "<g data-verdict=\"" + verdict + "\">") == 0);
    CHECK(forest.substr(forest.find("</title>", tip), 300)
              .find("fill=\"" + colour.at(verdict) + "\"") != std::string::npos);
    CHECK(contains(forest.substr(tip, forest.find("</title>", tip) - tip), "): " + verdict));
  }
  CHECK(in_forest == 8);  // 4 outcomes and 4 pathways
  // The legend says the colours in words; the old rule (blue: CI excludes 0) is gone.
  for (const char* words : {">colour:<", ">better<", ">worse<", ">no clear difference<",
                            ">changed, neither way better<", "lower is better", "higher is better"})
    CHECK(contains(forest, words));
  CHECK_FALSE(contains(forest, "the CI excludes 0"));
  // Each legend entry's dot has its verdict's colour.
  for (const auto& [words, kind] : std::vector<std::pair<std::string, std::string>>{
           {"better", "better"},
           {"worse", "worse"},
           {"no clear difference", "no clear difference"},
           {"changed, neither way better", "higher"}}) {
    INFO(words);
    const auto text = forest.find(">" + words + "</text>");
    REQUIRE(text != std::string::npos);
    const auto dot = forest.rfind("<circle ", text);
    REQUIRE(dot != std::string::npos);
    CHECK(contains(forest.substr(dot, text - dot), "fill=\"" + colour.at(kind) + "\""));
  }
}

TEST_CASE("report refuses bad input with status 2 and leaves no file", "[report]") {
  TempDir dir;
  const auto out = dir.file("r.html");
  auto refused = [&](const std::string& args, const std::string& message) {
    const auto r = run_command(cli() + " report " + args);
    INFO(args << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(contains(r.output, message));
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(out + ".partial"));
  };
  refused(dir.file("missing.h5") + " -o " + out, "missing.h5");
  refused(dir.write("notes.h5", "not hdf5") + " -o " + out, "notes.h5");
  {  // a truncated copy of a result file
    const auto full = read_text(single_file());
    refused(dir.write("truncated.h5", full.substr(0, full.size() / 3)) + " -o " + out,
            "truncated.h5");
  }
  {  // an HDF5 file that is not a result file
    asim::h5::Handle f = asim::h5::create_file(dir.file("foreign.h5"));
    f.close();
    refused(dir.file("foreign.h5") + " -o " + out, "foreign.h5");
  }
  {  // a result file that lacks a dataset the analyses need
    const auto broken = dir.file("broken.h5");
    fs::copy_file(single_file(), broken);
    asim::h5::Handle f = asim::h5::open_file_rw(broken);
    REQUIRE(H5Ldelete(f.id(), "scenarios/baseline/outcomes/exit_reason", H5P_DEFAULT) >= 0);
    f.close();
    refused(broken + " -o " + out, "lacks the dataset outcomes/exit_reason");
  }
  refused(single_file() + " --scenario nonsense -o " + out, "no scenario 'nonsense'");
  refused(single_file() + " --baseline nonsense -o " + out, "no scenario 'nonsense'");
  refused(single_file(), "--output is required");
  refused(single_file() + " -o " + dir.file("no-such-dir/r.html"), "no-such-dir");

  // An existing report is kept without --overwrite and replaced with it.
  const auto earlier = dir.write("earlier.html", "earlier report");
  const auto kept = run_command(cli() + " report " + single_file() + " -o " + earlier);
  CHECK(kept.status == 2);
  CHECK(contains(kept.output, "exists; pass --overwrite"));
  CHECK(read_text(earlier) == "earlier report");
  CHECK_FALSE(fs::exists(earlier + ".partial"));
  REQUIRE(
      run_command(cli() + " report " + single_file() + " -o " + earlier + " --overwrite").status ==
      0);
  CHECK(read_text(earlier).rfind("<!DOCTYPE html>", 0) == 0);
  // The result file itself is never the output.
  const auto self = dir.file("self.h5");
  fs::copy_file(single_file(), self);
  const auto r = run_command(cli() + " report " + self + " -o " + self + " --overwrite");
  CHECK(r.status == 2);
  CHECK(read_text(self) == read_text(single_file()));
  const auto help = run_command(cli() + " report --help");
  CHECK(help.status == 0);
  CHECK(contains(help.output, "--baseline"));
}

TEST_CASE("report refuses a file of more scenarios than its limit unless they are chosen",
          "[report]") {
  TempDir dir;
  std::string values;
  for (int k = 1; k <= 25; ++k) values += (k > 1 ? "," : "") + std::to_string(k);
  const auto toml = dir.write("many.toml",
                              "[scenario]\nname = \"many\"\n[sweep]\ndesign = \"grid\"\n"
                              "[sweep.parameters]\n\"mentor.caseload\" = [" +
                                  values + "]\n");
  const auto h5 = dir.file("many.h5");
  const auto run = run_command(cli() + " run " + toml + " -o " + h5 +
                               " --replicates 1 --set cohort.size=20 --quiet");
  INFO(run.output);
  REQUIRE(run.status == 0);
  const auto out = dir.file("many.html");
  const auto r = run_command(cli() + " report " + h5 + " -o " + out);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(contains(r.output, "holds 25 scenarios; a report covers at most 24"));
  CHECK(contains(r.output, "--scenario NAME"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
  const auto chosen = run_command(cli() + " report " + h5 + " -o " + out +
                                  " --scenario sweep-0003 --scenario sweep-0025");
  INFO(chosen.output);
  CHECK(chosen.status == 0);
  CHECK(contains(chosen.output, "2 scenario(s)"));
}

TEST_CASE("report ids are unique and scenario names are escaped", "[report]") {
  TempDir dir;
  // "a.b" and "a_b" are both valid scenario names and map to the same id text.
  const auto h5 = small_run(dir, "ab.h5",
                            dir.write("ab1.toml", "[scenario]\nname = \"a.b\"\n") + " " +
                                dir.write("ab2.toml", "[scenario]\nname = \"a_b\"\n"));
  const std::string html = report_html(dir, h5, "", "2 scenario(s)");
  std::map<std::string, int> ids;
  const std::regex id_attr("id=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id_attr);
       it != std::sregex_iterator(); ++it)
    ids[(*it)[1]] += 1;
  CHECK(ids.size() > 20);
  for (const auto& [id, n] : ids) {
    INFO(id);
    CHECK(n == 1);
  }
  // Scenario files allow no markup characters in a name, but a result file may be written by
  // another program: such a name is escaped in every chart.
  asim::h5::Handle f = asim::h5::open_file_rw(h5);
  REQUIRE(H5Lmove(f.id(), "scenarios/a.b", f.id(), "scenarios/x<y&z", H5P_DEFAULT, H5P_DEFAULT) >=
          0);
  f.close();
  const std::string odd = report_html(dir, h5, "", "2 scenario(s)");
  CHECK(contains(odd, "x&lt;y&amp;z"));
  CHECK_FALSE(contains(odd, "x<y"));
  CHECK_FALSE(contains(odd, "y&z"));
}
