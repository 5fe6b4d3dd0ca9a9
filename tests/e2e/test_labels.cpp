// Value labels for the coded columns of the exports, and the shared axes of the report:
//   - `export` writes an SPSS syntax file beside the CSV (x.csv -> x.sps) with VARIABLE LABELS,
//     VALUE LABELS for every coded column, and a GET DATA that PSPP (Debian `pspp`, installed by
//     scripts/setup.sh) runs on the CSV, reading the same values;
//   - analysis/R/read_results.R gives the coded fields R factor levels, for schema_version 2 and 1;
//   - the report's youth- and mentor-rated trajectory charts share their y axis, and each
//     scenario's hazard and subgroup charts share theirs.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// Two library scenarios, 3 replicates of 120 youths, made once per test process.
const std::string& two_scenarios() {
  static TempDir dir;
  static const std::string path = [] {
    const std::string out = dir.file("two.h5");
    const auto r = run_command(cli() + " run " + ASIM_SOURCE_DIR + "/scenarios/baseline.toml " +
                               ASIM_SOURCE_DIR + "/scenarios/caseload-5.toml -o " + out +
                               " --replicates 3 --set cohort.size=120 --quiet");
    INFO(r.output);
    REQUIRE(r.status == 0);
    return out;
  }();
  return path;
}

std::string source(const std::string& relative) {
  return std::string(ASIM_SOURCE_DIR) + "/" + relative;
}

// The text of the VALUE LABELS command of a syntax file (up to its closing "."), one line per
// variable.
std::map<std::string, std::string> value_labels(const std::string& sps) {
  std::map<std::string, std::string> out;
  const auto begin = sps.find("\nVALUE LABELS\n");
  REQUIRE(begin != std::string::npos);
  std::stringstream in(sps.substr(begin + 14));
  for (std::string line; std::getline(in, line) && line != ".";) {
    std::smatch m;
    REQUIRE(std::regex_match(line, m, std::regex(R"(\s+/?(\w+) (.*))")));
    out[m[1]] = m[2];
  }
  return out;
}

std::vector<std::string> split(const std::string& line, char sep = ',') {
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string c; std::getline(in, c, sep);) cells.push_back(c);
  return cells;
}

// Runs PSPP on the export's syntax file followed by `commands`; the output as CSV tables.
CommandResult pspp(const TempDir& dir, const std::string& sps, const std::string& commands) {
  INFO("PSPP is needed: install it with bash scripts/setup.sh (Debian package pspp)");
  REQUIRE(run_command("command -v pspp").status == 0);
  const auto script = dir.write("check.sps", "INSERT FILE='" + sps + "'.\n" + commands);
  return run_command("cd " + dir.path().string() + " && pspp -O format=csv -o " +
                     dir.file("pspp-out.csv") + " " + script + " && cat " +
                     dir.file("pspp-out.csv"));
}

}  // namespace

TEST_CASE("export writes SPSS syntax with the value labels of every coded column",
          "[export][spss]") {
  TempDir dir;
  for (const std::string format : {"long", "wide"}) {
    INFO(format);
    const auto csv = dir.file(format + ".csv"), sps = dir.file(format + ".sps");
    const auto r =
        run_command(cli() + " export " + two_scenarios() + " --format " + format + " -o " + csv);
    INFO(r.output);
    REQUIRE(r.status == 0);
    REQUIRE(fs::exists(sps));
    CHECK_FALSE(fs::exists(sps + ".partial"));
    const std::string syntax = read_text(sps);
    CHECK(contains(syntax, "GET DATA\n  /TYPE=TXT\n  /FILE=alliance_csv\n"));
    CHECK(contains(syntax, "/NAME='" + fs::absolute(csv).string() + "'"));
    const auto labels = value_labels(syntax);
    CHECK(labels.at("setting") == "0 'open' 1 'closed'");
    CHECK(labels.at("profile") == "0 'externalising' 1 'internalising' 2 'mixed'");
    CHECK(labels.at("exit_reason") ==
          "0 'in care' 1 'planned discharge' 2 'drop-out' 3 'absconded' 4 'transferred'");
    for (const char* binary : {"female", "externalising", "mandated", "closed_indicated",
                               "favourable", "premature_exit"})
      CHECK(labels.at(binary) == "0 'no' 1 'yes'");
    // The wave measure peer_victimised (0/1): one column in the long form, one per wave (four)
    // in the wide form.
    std::size_t victimised = 0;
    for (const auto& [name, label] : labels)
      if (name.rfind("peer_victimised", 0) == 0) {
        ++victimised;
        CHECK(label == "0 'no' 1 'yes'");
      }
    CHECK(victimised == (format == "long" ? 1u : 4u));
    CHECK(labels.size() == 9 + victimised);  // and no value labels on measures, counts or ids
    // Every CSV column is read, in order, and labelled.
    const auto header = split(read_text(csv).substr(0, read_text(csv).find('\n')));
    const auto vars = syntax.find("  /VARIABLES=\n");
    REQUIRE(vars != std::string::npos);
    std::stringstream in(syntax.substr(vars + 14));
    std::vector<std::string> read;
    for (std::string line; std::getline(in, line) && line != ".";)
      read.push_back(split(line.substr(4), ' ').at(0));
    CHECK(read == header);
    for (std::size_t i = 1; i < header.size(); ++i)
      CHECK(contains(syntax, "\n  /" + header[i] + " '"));
    CHECK(contains(syntax, "\n  scenario 'scenario"));
  }
  // The wide file names the wave of each measure in its label.
  CHECK(contains(read_text(dir.file("wide.sps")),
                 "/alliance_youth_9m 'youth-rated alliance with the mentor (12-item mean, WAV-12 "
                 "style) (1-5), wave 9m (day 273)'"));
  CHECK(contains(read_text(dir.file("long.sps")),
                 "/exit_day 'day of leaving care; NA when still in care"));
}

TEST_CASE("PSPP reads the CSV export through its syntax file with values and labels",
          "[export][spss]") {
  TempDir dir;
  const auto csv = dir.file("panel.csv"), sps = dir.file("panel.sps");
  REQUIRE(run_command(cli() + " export " + two_scenarios() + " --format long -o " + csv).status ==
          0);
  const auto r = pspp(dir, sps,
                      "LIST /VARIABLES=scenario youth wave age alliance_youth exit_day "
                      "/CASES=FROM 1 TO 8.\nFREQUENCIES /VARIABLES=exit_reason setting.\n"
                      "DESCRIPTIVES /VARIABLES=alliance_youth.\n");
  INFO(r.output);
  REQUIRE(r.status == 0);
  // The first rows as PSPP listed them equal the CSV's (decimals as shown by PSPP: F10.4).
  const auto lines = split(read_text(csv), '\n');
  const auto header = split(lines.at(0));
  auto col = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const auto listed_at = r.output.find("scenario,youth,wave,age,alliance_youth,exit_day\n");
  REQUIRE(listed_at != std::string::npos);
  const auto listed = split(r.output.substr(listed_at), '\n');
  int missing_seen = 0;
  for (std::size_t i = 1; i <= 8; ++i) {
    const auto want = split(lines.at(i)), got = split(listed.at(i));
    INFO(lines.at(i) << "\n" << listed.at(i));
    REQUIRE(got.size() == 6);
    CHECK(got[0] == want[col("scenario")]);
    CHECK(got[1] == want[col("youth")]);
    CHECK(got[2] == want[col("wave")]);
    for (const auto& [k, name] :
         std::map<std::size_t, std::string>{{3, "age"}, {4, "alliance_youth"}, {5, "exit_day"}}) {
      const std::string& v = want[col(name)];
      if (v == "NA") {
        CHECK(got[k].find_first_not_of(". ") == std::string::npos);  // system-missing
        ++missing_seen;
      } else {
        CHECK(std::abs(std::stod(got[k]) - std::stod(v)) < 5.1e-5);
      }
    }
  }
  CHECK(missing_seen > 0);
  // Frequencies by label, adding up to every row.
  for (const char* label : {",in care,", ",planned discharge,", ",drop-out,", ",open,", ",closed,"})
    CHECK(contains(r.output, label));
  CHECK(contains(r.output, "Total,," + std::to_string(lines.size() - 1) + ",100.0%"));
  CHECK(contains(r.output, "youth-rated alliance with the mentor"));
}

TEST_CASE("export refuses to replace an SPSS syntax file without --overwrite", "[export][spss]") {
  TempDir dir;
  const auto csv = dir.file("x.csv");
  const auto sps = dir.write("x.sps", "my own syntax\n");
  const auto r = run_command(cli() + " export " + two_scenarios() + " --format wide -o " + csv);
  CHECK(r.status == 2);
  CHECK(contains(r.output, "x.sps exists; pass --overwrite"));
  CHECK_FALSE(fs::exists(csv));
  CHECK(read_text(sps) == "my own syntax\n");
  const auto o = run_command(cli() + " export " + two_scenarios() + " --format wide -o " + csv +
                             " --overwrite");
  INFO(o.output);
  CHECK(o.status == 0);
  CHECK(contains(read_text(sps), "VALUE LABELS"));
}

TEST_CASE("export labels the codes of a schema_version 1 file too", "[export][spss][schema1]") {
  TempDir dir;
  const auto csv = dir.file("v1.csv");
  const auto r = run_command(cli() + " export " + source("tests/data/schema1-sweep.h5") +
                             " --format wide -o " + csv);
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto labels = value_labels(read_text(dir.file("v1.sps")));
  CHECK(labels.at("setting") == "0 'open' 1 'closed'");
  CHECK(labels.at("exit_reason") ==
        "0 'in care' 1 'planned discharge' 2 'drop-out' 3 'absconded' 4 'transferred'");
  CHECK(labels.at("favourable") == "0 'no' 1 'yes'");
}

TEST_CASE("read_results.R gives the coded fields factor levels", "[R][readers]") {
  TempDir dir;
  const std::string reader = "Rscript " + source("analysis/R/read_results.R");
  for (const auto& file : {two_scenarios(), source("tests/data/schema1-sweep.h5")}) {
    INFO(file);
    const auto out = dir.file(fs::path(file).stem().string());
    const auto r = run_command(reader + " " + file + " --csv " + out);
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(contains(r.output, "status at the end of follow-up (exit_reason):\n  in_care "));
    CHECK(contains(r.output, "\n  planned_discharge "));
    // The CSV that R writes has the level names where the file has codes.
    const auto wide = read_text(out + "/youth_outcomes.csv");
    const auto header = split(wide.substr(0, wide.find('\n')));
    const auto first = split(split(wide, '\n').at(1));
    auto cell = [&](const std::string& name) {
      const auto at = std::find(header.begin(), header.end(), "\"" + name + "\"");
      REQUIRE(at != header.end());
      return first.at(static_cast<std::size_t>(at - header.begin()));
    };
    CHECK(std::set<std::string>{"\"open\"", "\"closed\""}.count(cell("setting")) == 1);
    CHECK(std::set<std::string>{"\"externalising\"", "\"internalising\"", "\"mixed\""}.count(
              cell("profile")) == 1);
    CHECK(std::set<std::string>{"\"in_care\"", "\"planned_discharge\"", "\"drop-out\"",
                                "\"absconded\"", "\"transferred\""}
              .count(cell("exit_reason")) == 1);
    CHECK(std::set<std::string>{"\"no\"", "\"yes\""}.count(cell("favourable")) == 1);
    CHECK(cell("ruptures").find('"') == std::string::npos);  // counts stay numbers
  }
}

TEST_CASE("read_results.R's factors have every level in code order", "[R][readers]") {
  // The script's functions, without its main(): everything above the last line.
  TempDir dir;
  const std::string script = read_text(source("analysis/R/read_results.R"));
  const auto main_call = script.rfind("\nmain()");
  REQUIRE(main_call != std::string::npos);
  const auto lib = dir.write("lib.R", script.substr(0, main_call + 1));
  const auto probe = dir.write(
      "probe.R", "source('" + lib + "')\nf <- H5File$new('" + two_scenarios() +
                     "', mode = 'r')\nt <- read_scenario('baseline', f[['scenarios/baseline']])\n"
                     "for (v in c('setting', 'profile', 'exit_reason', 'favourable', 'female'))\n"
                     "  cat(v, class(t$wide[[v]]), paste(levels(t$wide[[v]]), collapse = ' '), "
                     "'\\n')\ncat('long', class(t$long$setting), class(t$long$externalising), "
                     "'\\n')\ncat('ruptures', class(t$wide$ruptures), '\\n')\n"
                     "raw <- f[['scenarios/baseline/outcomes/exit_reason']]$read()[, 1]\n"
                     "cat('same', all(as.integer(t$wide$exit_reason[seq_along(raw)]) - 1L == "
                     "raw), '\\n')\nf$close_all()\n");
  const auto r = run_command("Rscript " + probe);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "setting factor open closed \n"));
  CHECK(contains(r.output, "profile factor externalising internalising mixed \n"));
  CHECK(contains(r.output,
                 "exit_reason factor in_care planned_discharge drop-out absconded transferred \n"));
  CHECK(contains(r.output, "favourable factor no yes \n"));
  CHECK(contains(r.output, "female factor no yes \n"));
  CHECK(contains(r.output, "long factor factor \n"));
  CHECK(contains(r.output, "ruptures integer \n"));
  CHECK(contains(r.output, "same TRUE \n"));
}

TEST_CASE("report charts of the same measure share their y axis", "[report]") {
  TempDir dir;
  const auto html_file = dir.file("r.html");
  const auto r = run_command(cli() + " report " + two_scenarios() + " -o " + html_file);
  INFO(r.output);
  REQUIRE(r.status == 0);
  const std::string html = read_text(html_file);
  // Each figure's declared range and the y tick labels it draws (text-anchor end, left of the
  // plot), by kind.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_kind;
  const std::regex figure_re(
      R"re(<figure class="chart" id="([^"]+)" data-chart="(\w+)"(?: data-scenario="[^"]*")?(?: data-y-range="([^"]+)")?)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), figure_re);
       it != std::sregex_iterator(); ++it) {
    const auto end = html.find("</figure>", static_cast<std::size_t>(it->position()));
    const std::string body = html.substr(static_cast<std::size_t>(it->position()),
                                         end - static_cast<std::size_t>(it->position()));
    std::string ticks;
    const std::regex tick_re(
        R"(<text x="[\d.]+" y="[\d.]+" class="tick" text-anchor="end">([^<]*)</text>)");
    for (auto t = std::sregex_iterator(body.begin(), body.end(), tick_re);
         t != std::sregex_iterator(); ++t)
      ticks += (*t)[1].str() + " ";
    by_kind[(*it)[2]].emplace_back((*it)[3], ticks);
  }
  for (const char* kind : {"trajectories", "hazard", "subgroups", "survival"}) {
    INFO(kind);
    const auto& figures = by_kind[kind];
    REQUIRE(figures.size() >= 2);
    for (const auto& f : figures) {
      INFO(f.first << " / ticks " << f.second);
      CHECK_FALSE(f.first.empty());
      CHECK(f.first == figures.front().first);
      CHECK(f.second == figures.front().second);
    }
  }
  // The alliance axis stays on the 1-5 scale; one that does not start at 1 is marked broken.
  const auto range = split(by_kind["trajectories"].front().first, ' ');
  REQUIRE(range.size() == 2);
  CHECK(std::stod(range[0]) >= 1);
  CHECK(std::stod(range[1]) <= 5);
  CHECK(std::stod(range[1]) > std::stod(range[0]));
  const bool broken = std::stod(range[0]) > 1;
  const auto trajectories = html.substr(
      html.find("<section id=\"trajectories\">"),
      html.find("<section id=\"scatter\">") - html.find("<section id=\"trajectories\">"));
  CHECK(contains(trajectories, "class=\"axis-break\"") == broken);
  CHECK(contains(trajectories, "share the y axis"));
}
