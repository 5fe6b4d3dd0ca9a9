// Scenarios with other waves than the study's four (waves.days, docs/ODD.md "Observation"): a
// two-wave and a six-wave scenario run, write their wave coordinate and [replicate, youth, wave]
// datasets, and every consumer follows them: inspect, analyse, compare (also against a scenario
// of other waves), report, export (long, wide), the Python and R readers, and netCDF readers.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>

#include "engine/h5.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace h5 = asim::h5;

namespace {

const std::string kSmall =
    " --replicates 3 --set cohort.size=60 --set cohort.burn_in_days=30"
    " --set institution.open_groups=2 --set institution.closed_groups=2 --quiet";

// Two scenarios of the given waves (a baseline and a smaller caseload) in one file.
std::string run_pair(const TempDir& dir, const std::string& name, const std::string& waves) {
  const std::string base = dir.write(name + "-base.toml",
                                     "inherit = \"builtin:baseline\"\n[scenario]\n"
                                     "name = \"baseline\"\n[waves]\n" +
                                         waves);
  const std::string other = dir.write(name + "-cl5.toml", "inherit = \"" + name +
                                                              "-base.toml\"\n"
                                                              "[scenario]\nname = \"caseload-5\"\n"
                                                              "[mentor]\ncaseload = 5\n");
  const std::string out = dir.file(name + ".h5");
  const auto run = run_command(cli() + " run " + base + " " + other + " -o " + out + kSmall);
  INFO(run.output);
  REQUIRE(run.status == 0);
  return out;
}

std::vector<std::string> split(const std::string& line, char sep = ',') {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, sep);) out.push_back(cell);
  return out;
}

// The rows of table `name` in analyse --csv output (its header row first): each table is a
// header line "table,..." and rows whose first cell is the table's name.
std::vector<std::vector<std::string>> csv_table(const std::string& output,
                                                const std::string& name) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream in(output);
  std::vector<std::string> header;
  for (std::string line; std::getline(in, line);) {
    auto cells = split(line);
    if (cells.empty()) continue;
    if (cells[0] == "table") {
      header = cells;
    } else if (cells[0] == name) {
      if (rows.empty()) rows.push_back(header);
      rows.push_back(cells);
    }
  }
  return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return static_cast<std::size_t>(it - header.begin());
}

struct Layout {
  std::vector<std::int32_t> days;
  std::vector<std::string> names;
  std::vector<hsize_t> shape;
};

Layout layout(const std::string& file, const std::string& scenario) {
  const h5::Handle f = h5::open_file_read(file);
  const h5::Handle g = h5::open_group(f.id(), "scenarios/" + scenario);
  const h5::Handle coord = h5::open_dataset(g.id(), "youth/waves/wave");
  Layout l;
  h5::read_all(coord.id(), l.days);
  l.names = h5::get_attr_strings(coord.id(), "names");
  const h5::Handle ay = h5::open_dataset(g.id(), "youth/waves/alliance_youth");
  l.shape = h5::shape(ay.id());
  return l;
}

// Mean first-wave youth-rated alliance of youths in open groups (as the readers compute it).
double mean_first_open(const std::string& file, const std::string& scenario) {
  const h5::Handle f = h5::open_file_read(file);
  const h5::Handle g = h5::open_group(f.id(), "scenarios/" + scenario);
  std::vector<float> alliance;
  std::vector<std::int8_t> setting;
  const h5::Handle ay = h5::open_dataset(g.id(), "youth/waves/alliance_youth");
  const auto shape = h5::shape(ay.id());
  h5::read_all(ay.id(), alliance);
  h5::read_all(h5::open_dataset(g.id(), "youth/static/setting").id(), setting);
  const std::size_t R = shape[0], N = shape[1], W = shape[2];
  double sum = 0;
  long n = 0;
  for (std::size_t i = 0; i < R * N; ++i)
    if (setting[i] == 0 && !std::isnan(alliance[i * W])) sum += alliance[i * W], ++n;
  return sum / static_cast<double>(n);
}

// The value after "check <scenario> mean_alliance_youth_first_open=" in a reader's output.
double reader_check(const std::string& output, const std::string& scenario) {
  const std::string key = "check " + scenario + " mean_alliance_youth_first_open=";
  const auto at = output.find(key);
  REQUIRE(at != std::string::npos);
  return std::stod(output.substr(at + key.size()));
}

}  // namespace

TEST_CASE("two and six waves are written as the wave coordinate and dimension", "[waves]") {
  TempDir dir;
  const auto two = run_pair(dir, "two", "days = [30, 120]\n");
  const auto six = run_pair(dir, "six",
                            "days = [14, 45, 91, 182, 273, 365]\n"
                            "names = [\"first\", \"6w\", \"3m\", \"6m\", \"9m\", \"12m\"]\n");
  const Layout l2 = layout(two, "caseload-5"), l6 = layout(six, "baseline");
  CHECK(l2.days == std::vector<std::int32_t>{30, 120});
  CHECK(l2.names == std::vector<std::string>{"day 30", "day 120"});  // no names given
  CHECK(l2.shape == std::vector<hsize_t>{3, 60, 2});
  CHECK(l6.days == std::vector<std::int32_t>{14, 45, 91, 182, 273, 365});
  CHECK(l6.names[5] == "12m");
  CHECK(l6.shape == std::vector<hsize_t>{3, 60, 6});

  const auto inspect = run_command(cli() + " inspect " + six);
  INFO(inspect.output);
  CHECK(inspect.status == 0);
  CHECK(inspect.output.find("alliance_youth[3,60,6]") != std::string::npos);
  // The run summary: one column per wave, named.
  const auto rerun =
      run_command(cli() + " run " + dir.file("six-base.toml") + " -o " + dir.file("again.h5") +
                  " --replicates 2 --set cohort.size=30 "
                  "--set cohort.burn_in_days=30");
  INFO(rerun.output);
  CHECK(rerun.status == 0);
  CHECK(rerun.output.find("first     6w     3m     6m     9m    12m") != std::string::npos);

  // netCDF readers see the wave dimension of either length.
  for (const auto& [file, scenario] : {std::pair{two, "baseline"}, std::pair{six, "caseload-5"}}) {
    const auto py = run_command("/usr/bin/python3 " + std::string(ASIM_SOURCE_DIR) +
                                "/tests/e2e/netcdf_check.py " + file);
    INFO(py.output);
    CHECK(py.status == 0);
    const std::string variable =
        std::string("scenarios/") + scenario + "/youth/waves/alliance_youth";
    const auto r = run_command("Rscript " + std::string(ASIM_SOURCE_DIR) +
                               "/tests/e2e/netcdf_check.R " + file + " " + variable);
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("ncdf4 dims " + variable + " wave youth replicate") != std::string::npos);
  }
}

TEST_CASE("analyse follows two and six waves: tables per wave, panel over consecutive waves",
          "[waves][analyse]") {
  TempDir dir;
  const auto two = run_pair(dir, "two", "days = [30, 120]\n");
  const auto six = run_pair(dir, "six", "days = [14, 45, 91, 182, 273, 365]\n");
  const auto a2 = run_command(cli() + " analyse " + two + " --scenario baseline --csv");
  const auto a6 = run_command(cli() + " analyse " + six + " --scenario baseline --csv");
  INFO(a2.output.substr(0, 2000));
  REQUIRE(a2.status == 0);
  REQUIRE(a6.status == 0);

  // Trajectories: one row per measure and wave.
  CHECK(csv_table(a2.output, "trajectories").size() == 1 + 2 * 2);
  CHECK(csv_table(a6.output, "trajectories").size() == 1 + 2 * 6);
  // Outcome correlations: each wave, then the change from the first wave to the last.
  const auto outcome6 = csv_table(a6.output, "alliance_outcome");
  REQUIRE(outcome6.size() == 1 + 6 + 1);
  CHECK(outcome6.back()[column(outcome6[0], "predictor")] ==
        "alliance_youth_change_day_14_day_365");
  // Cross-lagged panel: with two waves the one lag between them; with six, the four lags
  // between consecutive waves after the first (four paths, three setting rows each).
  std::map<std::string, int> paths2, paths6;
  const auto clpm2 = csv_table(a2.output, "clpm"), clpm6 = csv_table(a6.output, "clpm");
  for (std::size_t r = 1; r < clpm2.size(); ++r) ++paths2[clpm2[r][column(clpm2[0], "path")]];
  for (std::size_t r = 1; r < clpm6.size(); ++r) ++paths6[clpm6[r][column(clpm6[0], "path")]];
  CHECK(paths2.size() == 4);
  CHECK(paths2.count("alliance_youth_day_30 -> motivation_day_120") == 1);
  CHECK(paths6.size() == 4 * 4);
  CHECK(paths6.count("alliance_youth_day_45 -> motivation_day_91") == 1);
  CHECK(paths6.count("motivation_day_273 -> alliance_youth_day_365") == 1);
  CHECK(paths6.count("alliance_youth_day_14 -> motivation_day_45") == 0);  // not from the first
  // Survival at day 30 and at each wave after the first.
  std::vector<std::string> days;
  const auto survival = csv_table(a6.output, "survival");
  for (std::size_t r = 1; r < survival.size(); ++r)
    if (survival[r][column(survival[0], "by")] == "all")
      days.push_back(survival[r][column(survival[0], "day")]);
  CHECK(days == std::vector<std::string>{"30", "45", "91", "182", "273", "365"});

  // One wave: the panel says it needs two instead of failing.
  const auto one = dir.write("one.toml", "inherit = \"builtin:baseline\"\n[waves]\ndays = [60]\n");
  const auto out = dir.file("one.h5");
  REQUIRE(run_command(cli() + " run " + one + " -o " + out + kSmall).status == 0);
  const auto a1 = run_command(cli() + " analyse " + out + " --table clpm");
  INFO(a1.output);
  CHECK(a1.status == 0);
  CHECK(a1.output.find("(needs two waves; this scenario has one)") != std::string::npos);
}

TEST_CASE("compare names wave outcomes by the waves and notes those only one side has",
          "[waves][compare]") {
  TempDir dir;
  const auto two = run_pair(dir, "two", "days = [30, 120]\n");
  const auto csv = run_command(cli() + " compare " + two + " --csv");
  INFO(csv.output);
  REQUIRE(csv.status == 0);
  for (const char* metric :
       {"alliance_youth_day_30", "alliance_youth_day_120", "alliance_mentor_day_120",
        "motivation_day_120", "problems_day_120", "favourable_pct"})
    CHECK(csv.output.find(std::string(",") + metric + ",") != std::string::npos);
  CHECK(csv.output.find("alliance_youth_3m") == std::string::npos);

  // The default scenario against a six-wave one: the outcomes of waves named alike (first, 3m,
  // 6m, 9m) and the others are compared; the 12m outcomes are named in a note.
  const auto six = dir.write("six.toml",
                             "inherit = \"builtin:baseline\"\n[scenario]\nname = \"six\"\n"
                             "[waves]\ndays = [14, 91, 182, 273, 365]\n"
                             "names = [\"first\", \"3m\", \"6m\", \"9m\", \"12m\"]\n");
  const auto mixed = dir.file("mixed.h5");
  REQUIRE(run_command(cli() + " run " + std::string(ASIM_SOURCE_DIR) + "/scenarios/baseline.toml " +
                      six + " -o " + mixed + kSmall)
              .status == 0);
  const auto table = run_command(cli() + " compare " + mixed);
  INFO(table.output);
  REQUIRE(table.status == 0);
  CHECK(table.output.find("alliance_youth_9m") != std::string::npos);
  // Problems are compared at the last wave: 9m in the baseline, 12m in the other.
  CHECK(table.output.find("note: six vs baseline: not compared (measured at other waves: first, "
                          "3m, 6m, 9m, 12m against first, 3m, 6m, 9m): problems_9m\n") !=
        std::string::npos);
  const auto reverse = run_command(cli() + " compare " + mixed + " --baseline six");
  INFO(reverse.output);
  REQUIRE(reverse.status == 0);
  CHECK(reverse.output.find("note: baseline vs six: not compared (measured at other waves: first, "
                            "3m, 6m, 9m against first, 3m, 6m, 9m, 12m): alliance_youth_12m, "
                            "motivation_12m, problems_12m") != std::string::npos);
  // An outcome one scenario lacks, asked for by name, is an error naming both wave lists.
  const auto missing =
      run_command(cli() + " compare " + mixed + " --baseline six --outcome alliance_youth_12m");
  CHECK(missing.status == 2);
  CHECK(missing.output.find(
            "--outcome alliance_youth_12m: scenario 'baseline' has no such outcome: "
            "its waves are first, 3m, 6m, 9m, the baseline's first, 3m, 6m, 9m, 12m") !=
        std::string::npos);

  // The report compares them too, and says what it left out.
  const auto report =
      run_command(cli() + " report " + mixed + " --baseline six -o " + dir.file("mixed.html"));
  INFO(report.output);
  CHECK(report.status == 0);
  const std::string html = read_text(dir.file("mixed.html"));
  CHECK(html.find("id=\"forest-waves\">baseline vs six: not compared") != std::string::npos);
}

TEST_CASE("report, export and both reader scripts handle two and six waves", "[waves][readers]") {
  TempDir dir;
  const auto two = run_pair(dir, "two", "days = [30, 120]\n");
  const auto six = run_pair(dir, "six", "days = [14, 45, 91, 182, 273, 365]\n");
  for (const auto& [name, file, waves] :
       {std::tuple{std::string("two"), two, 2}, std::tuple{std::string("six"), six, 6}}) {
    INFO(name);
    const auto report = run_command(cli() + " report " + file + " -o " + dir.file(name + ".html"));
    INFO(report.output);
    CHECK(report.status == 0);
    const std::string html = read_text(dir.file(name + ".html"));
    // The path diagram has a node per wave of the panel: both waves of two, five after the first of
    // six.
    const std::string last = name == "two" ? "day_120" : "day_365";
    CHECK(html.find(">" + last + "</text>") != std::string::npos);
    CHECK(html.find("Cross-lagged panel, baseline") != std::string::npos);

    const auto wide = run_command(cli() + " export " + file + " --format wide -o " +
                                  dir.file(name + "-wide.csv"));
    const auto lng = run_command(cli() + " export " + file + " --format long -o " +
                                 dir.file(name + "-long.csv"));
    INFO(wide.output << lng.output);
    REQUIRE(wide.status == 0);
    REQUIRE(lng.status == 0);
    const auto wide_text = read_text(dir.file(name + "-wide.csv"));
    const auto header = split(wide_text.substr(0, wide_text.find('\n')));
    long alliance_columns = std::count_if(header.begin(), header.end(), [](const std::string& c) {
      return c.rfind("alliance_youth_", 0) == 0;
    });
    CHECK(alliance_columns == waves);
    CHECK(std::find(header.begin(), header.end(),
                    name == "two" ? "alliance_youth_day_120" : "alliance_youth_day_365") !=
          header.end());
    // Long: a row per scenario, replicate, youth and wave (2 scenarios x 3 x 60 x W) + header.
    const auto long_text = read_text(dir.file(name + "-long.csv"));
    CHECK(std::count(long_text.begin(), long_text.end(), '\n') == 1 + 2 * 3 * 60 * waves);

    const auto py = run_command("/usr/bin/python3 " + std::string(ASIM_SOURCE_DIR) +
                                "/analysis/python/read_results.py " + file);
    const auto r = run_command("Rscript " + std::string(ASIM_SOURCE_DIR) +
                               "/analysis/R/read_results.R " + file);
    INFO("python:\n" << py.output << "\nR:\n" << r.output);
    REQUIRE(py.status == 0);
    REQUIRE(r.status == 0);
    for (const char* scenario : {"baseline", "caseload-5"}) {
      const double expected = mean_first_open(file, scenario);
      CHECK(std::abs(reader_check(py.output, scenario) - expected) <= 5.1e-5);
      CHECK(std::abs(reader_check(r.output, scenario) - expected) <= 5.1e-5);
    }
  }
  // A single wave keeps its wave dimension in R (hdf5r would drop a dimension of length 1).
  const auto one = dir.write("one.toml", "inherit = \"builtin:baseline\"\n[waves]\ndays = [60]\n");
  const auto out = dir.file("one.h5");
  REQUIRE(run_command(cli() + " run " + one + " -o " + out + kSmall).status == 0);
  const auto r =
      run_command("Rscript " + std::string(ASIM_SOURCE_DIR) + "/analysis/R/read_results.R " + out);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(std::abs(reader_check(r.output, "one") - mean_first_open(out, "one")) <= 5.1e-5);
}

TEST_CASE("a scenario written with the four deprecated wave keys gives the same file",
          "[waves][deprecated]") {
  TempDir dir;
  const auto old_keys = dir.write("old.toml",
                                  "[scenario]\nname = \"s\"\n[waves]\nfirst_impression_day = 10\n"
                                  "month3_day = 80\nmonth6_day = 170\nmonth9_day = 260\n");
  const auto list = dir.write("list.toml",
                              "[scenario]\nname = \"s\"\n[waves]\ndays = [10, 80, 170, 260]\n"
                              "names = [\"first\", \"3m\", \"6m\", \"9m\"]\n");
  const auto validate = run_command(cli() + " validate " + old_keys);
  INFO(validate.output);
  CHECK(validate.status == 0);
  CHECK(validate.output.find("note: " + old_keys +
                             ":7: waves.month9_day is deprecated (element 4 "
                             "of waves.days): write waves.days = [10, 80, 170, 260]") !=
        std::string::npos);
  REQUIRE(run_command(cli() + " run " + old_keys + " -o " + dir.file("old.h5") + kSmall).status ==
          0);
  REQUIRE(run_command(cli() + " run " + list + " -o " + dir.file("list.h5") + kSmall).status == 0);
  // Every dataset equal; the provenance attributes (the scenario's own text, the origins of the
  // resolved parameters) name the keys each file used.
  const auto diff = run_command("h5diff " + dir.file("old.h5") + " " + dir.file("list.h5"));
  INFO(diff.output);
  std::stringstream lines(diff.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.find("differences found") != std::string::npos) continue;
    const bool provenance = line.find("<command_line of </>>") != std::string::npos ||
                            line.find("<created_utc of </>>") != std::string::npos ||
                            line.find("<scenario_text of </scenarios/s>>") != std::string::npos ||
                            line.find("<resolved_toml of </scenarios/s>>") != std::string::npos ||
                            line.find("<source of </scenarios/s>>") != std::string::npos;
    CHECK(provenance);
  }
}

TEST_CASE("a sweep of a two-wave scenario names its outcomes by those waves in sensitivity",
          "[waves][sweep]") {
  TempDir dir;
  const auto scenario = dir.write("sw.toml",
                                  "inherit = \"builtin:baseline\"\n[scenario]\nname = \"sw\"\n"
                                  "[run]\nreplicates = 2\n[cohort]\nsize = 30\nburn_in_days = 20\n"
                                  "[waves]\ndays = [30, 120]\n"
                                  "[sweep]\ndesign = \"saltelli\"\npoints = 2\n[sweep.parameters]\n"
                                  "\"mentor.caseload\" = { min = 4, max = 12 }\n");
  const auto out = dir.file("sw.h5");
  const auto run = run_command(cli() + " run " + scenario + " -o " + out + " --quiet");
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(layout(out, "sweep-0001").days == std::vector<std::int32_t>{30, 120});
  const auto ok =
      run_command(cli() + " sensitivity " + out + " --outcome alliance_youth_day_120 --json");
  INFO(ok.output);
  CHECK(ok.status == 0);
  CHECK(ok.output.find("\"outcome\": \"alliance_youth_day_120\"") != std::string::npos);
  const auto other = run_command(cli() + " sensitivity " + out + " --outcome alliance_youth_6m");
  CHECK(other.status == 2);
  CHECK(other.output.find("--outcome alliance_youth_6m: unknown outcome (allowed: "
                          "alliance_youth_day_30, alliance_youth_day_120,") != std::string::npos);
}
