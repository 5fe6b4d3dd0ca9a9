// `alliance-sim analyse` and `alliance-sim export` end to end, and the lavaan script that reads
// the wide export: exit codes, the tables printed, CSV row counts, headers and missing values,
// values identical to the result file, atomic writing, and clear errors for incomplete files.
#include <array>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "engine/h5.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

constexpr int kReplicates = 4, kYouths = 100, kWaves = 4;

// A small result file (4 replicates x 100 youths), made once per test process.
const std::string& result_file() {
  static TempDir dir;
  static const std::string path = [] {
    const std::string out = dir.file("small.h5");
    const auto r =
        run_command(cli() + " run -o " + out + " --replicates " + std::to_string(kReplicates) +
                    " --set cohort.size=" + std::to_string(kYouths) + " --quiet");
    INFO(r.output);
    REQUIRE(r.status == 0);
    return out;
  }();
  return path;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_csv(const std::string& line) {  // no quoted fields in these files
  std::vector<std::string> cells;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  REQUIRE(it != header.end());
  return static_cast<std::size_t>(it - header.begin());
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// Names of the variables in one group of the baseline scenario of the file: its datasets but
// not its coordinates (the dimension scales replicate, youth, wave).
std::vector<std::string> datasets(const std::string& file, const std::string& group) {
  asim::h5::Handle f = asim::h5::open_file_read(file);
  asim::h5::Handle g = asim::h5::open_group(f.id(), "scenarios/baseline/" + group);
  std::vector<std::string> out;
  for (const auto& name : asim::h5::list_children(g.id())) {
    asim::h5::Handle ds = asim::h5::open_dataset(g.id(), name);
    if (!asim::h5::is_scale(ds.id())) out.push_back(name);
  }
  return out;
}

}  // namespace

TEST_CASE("analyse prints every table of a result file", "[analyse]") {
  const auto r = run_command(cli() + " analyse " + result_file());
  INFO(r.output);
  REQUIRE(r.status == 0);
  for (const char* key : {"[descriptives]", "[agreement]", "[alliance_outcome]", "[logistic]",
                          "[lr_tests]", "[median_split]", "[clpm]", "[survival]", "[hazard]"})
    CHECK(contains(r.output, key));
  CHECK_FALSE(contains(r.output, "[clpm_replicates]"));  // only on request in text
  CHECK(contains(r.output, "alliance_observer"));
  CHECK(contains(r.output, "youth+mentor"));
  CHECK(contains(r.output, "alliance_youth_change_first_9m"));
  CHECK(contains(r.output, "alliance_youth_3m -> motivation_6m"));
  CHECK(contains(r.output, "closed-open"));
  CHECK(contains(r.output, "externalising"));
  CHECK(contains(r.output, "hazard_per_1000 [95% CI]"));
  // The descriptives count every youth: n + missing = replicates x youths in the "all" rows.
  for (const auto& line : split_lines(r.output)) {
    if (!contains(line, " alliance_youth ") || !contains(line, " all ")) continue;
    std::stringstream in(line);
    std::string scenario, measure, informant, setting, wave;
    long day = 0, n = 0, missing = 0;
    in >> scenario >> measure >> informant >> setting >> wave >> day >> n >> missing;
    CHECK(n + missing == kReplicates * kYouths);
  }
}

TEST_CASE("analyse --csv, --json and --table are machine-readable", "[analyse]") {
  const auto csv = run_command(cli() + " analyse " + result_file() + " --csv --table clpm");
  REQUIRE(csv.status == 0);
  const auto lines = split_lines(csv.output);
  REQUIRE(lines.size() == 1 + 3 * 8);  // header; 8 paths x (open, closed, closed-open)
  CHECK(lines[0] ==
        "scenario,setting,path,kind,replicates,mean_n,estimate,se,estimate_ci_low,"
        "estimate_ci_high,between_sd,mean_within_se");
  const auto reps =
      run_command(cli() + " analyse " + result_file() + " --csv --table clpm_replicates");
  REQUIRE(reps.status == 0);
  CHECK(split_lines(reps.output).size() == 1 + 8 * 2 * kReplicates);
  const auto all = run_command(cli() + " analyse " + result_file() + " --csv");
  REQUIRE(all.status == 0);
  CHECK(contains(all.output,
                 "table,scenario,measure,informant,setting,wave,wave_day,n,missing,mean,sd\n"));
  CHECK(contains(all.output, "\nhazard,baseline,all,"));
  const auto json =
      run_command(cli() + " analyse " + result_file() +
                  " --json | /usr/bin/python3 -c 'import json, sys; d = json.load(sys.stdin); "
                  "print(\",\".join(t[\"name\"] for t in d[\"tables\"]))'");
  INFO(json.output);
  REQUIRE(json.status == 0);
  CHECK(contains(json.output,
                 "descriptives,agreement,alliance_outcome,logistic,lr_tests,median_split,clpm,"
                 "clpm_replicates,survival,hazard"));
  CHECK(run_command(cli() + " analyse " + result_file() + " --csv --json").status == 2);
  const auto table = run_command(cli() + " analyse " + result_file() + " --table nonsense");
  CHECK(table.status == 2);
  CHECK(contains(table.output, "unknown table"));
  const auto scenario = run_command(cli() + " analyse " + result_file() + " --scenario nonsense");
  CHECK(scenario.status == 2);
  CHECK(contains(scenario.output, "no scenario 'nonsense' (scenarios: baseline)"));
  for (const char* sub : {"analyse", "export"}) {
    const auto help = run_command(cli() + " " + sub + " --help");
    CHECK(help.status == 0);
    CHECK(contains(help.output, "Usage"));
  }
}

TEST_CASE("analyse and export name what a file lacks, and refuse foreign files",
          "[analyse][export]") {
  TempDir dir;
  const auto broken = dir.file("broken.h5");
  fs::copy_file(result_file(), broken);
  {
    asim::h5::Handle f = asim::h5::open_file_rw(broken);
    REQUIRE(H5Ldelete(f.id(), "scenarios/baseline/outcomes/favourable", H5P_DEFAULT) >= 0);
  }
  const auto a = run_command(cli() + " analyse " + broken);
  CHECK(a.status == 2);
  CHECK(contains(a.output, "lacks the dataset outcomes/favourable"));
  const auto e =
      run_command(cli() + " export " + broken + " --format wide -o " + dir.file("x.csv"));
  CHECK(e.status == 2);
  CHECK(contains(e.output, "outcomes/favourable"));
  CHECK_FALSE(fs::exists(dir.file("x.csv")));
  CHECK_FALSE(fs::exists(dir.file("x.csv.partial")));
  const auto text = dir.write("notes.h5", "not hdf5");
  CHECK(run_command(cli() + " analyse " + text).status == 2);
  CHECK(run_command(cli() + " export " + text + " -o " + dir.file("y.csv")).status == 2);
}

TEST_CASE("export long: one row per replicate x youth x wave, values as in the file", "[export]") {
  TempDir dir;
  const auto out = dir.file("long.csv");
  const auto r = run_command(cli() + " export " + result_file() + " --format long -o " + out);
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto lines = split_lines(read_text(out));
  REQUIRE(lines.size() == 1 + kReplicates * kYouths * kWaves);
  const auto header = split_csv(lines[0]);
  // Identifiers, then every static field, wave measure and outcome the file holds.
  CHECK(std::vector<std::string>(header.begin(), header.begin() + 5) ==
        std::vector<std::string>{"scenario", "replicate", "youth", "wave", "wave_day"});
  const std::set<std::string> columns(header.begin(), header.end());
  CHECK(columns.size() == header.size());
  std::size_t expected = 5;
  for (const char* group : {"youth/static", "youth/waves", "outcomes"})
    for (const auto& name : datasets(result_file(), group)) {
      INFO(group << "/" << name);
      CHECK(columns.count(name) == 1);
      ++expected;
    }
  CHECK(header.size() == expected);
  CHECK(header[5] == "intake_index");
  CHECK(columns.count("alliance_youth") == 1);
  CHECK(columns.count("exit_day") == 1);

  // Row of replicate 1, youth 7: waves in order, values bit-identical to the file.
  const std::size_t row0 = 1 + (1 * kYouths + 7) * kWaves;
  std::vector<float> stored;
  {
    asim::h5::Handle f = asim::h5::open_file_read(result_file());
    asim::h5::Handle ds =
        asim::h5::open_dataset(f.id(), "scenarios/baseline/youth/waves/alliance_youth");
    asim::h5::read(ds.id(), stored, {1, 7, 0}, {1, 1, kWaves});
  }
  const char* const waves[] = {"first", "3m", "6m", "9m"};
  const int days[] = {14, 91, 182, 273};
  for (int w = 0; w < kWaves; ++w) {
    const auto cells = split_csv(lines[row0 + static_cast<std::size_t>(w)]);
    REQUIRE(cells.size() == header.size());
    CHECK(cells[0] == "baseline");
    CHECK(cells[1] == "1");
    CHECK(cells[2] == "7");
    CHECK(cells[3] == waves[w]);
    CHECK(cells[4] == std::to_string(days[w]));
    const auto& v = cells[column(header, "alliance_youth")];
    if (std::isnan(stored[static_cast<std::size_t>(w)]))
      CHECK(v == "NA");
    else
      CHECK(std::strtof(v.c_str(), nullptr) == stored[static_cast<std::size_t>(w)]);
  }
  // Youths leave care: some measures are NA, and no cell is empty or "nan".
  const auto text = read_text(out);
  CHECK(contains(text, ",NA,"));
  CHECK_FALSE(contains(text, ",,"));
  CHECK_FALSE(contains(text, "nan"));
}

TEST_CASE("export wide: one row per youth, measures suffixed by wave, NA after leaving",
          "[export]") {
  TempDir dir;
  const auto out = dir.file("wide.csv");
  const auto r = run_command(cli() + " export " + result_file() + " --format wide -o " + out);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(contains(r.output, "wrote 400 rows"));
  const auto lines = split_lines(read_text(out));
  REQUIRE(lines.size() == 1 + kReplicates * kYouths);
  const auto header = split_csv(lines[0]);
  for (const char* name :
       {"alliance_youth_first", "alliance_youth_3m", "alliance_youth_6m", "alliance_youth_9m",
        "alliance_observer_9m", "motivation_first", "problems_true_9m", "setting", "favourable"})
    CHECK(std::count(header.begin(), header.end(), name) == 1);
  CHECK(std::count(header.begin(), header.end(), "alliance_youth") == 0);
  CHECK(std::count(header.begin(), header.end(), "wave") == 0);
  const auto reason = column(header, "exit_reason"), exit_day = column(header, "exit_day"),
             a3 = column(header, "alliance_youth_3m"), a9 = column(header, "alliance_youth_9m");
  int left_before_3m = 0, in_care = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto cells = split_csv(lines[i]);
    REQUIRE(cells.size() == header.size());
    if (cells[reason] == "0") {
      ++in_care;
      CHECK(cells[exit_day] == "NA");  // -1 in the file: still in care
      CHECK(cells[a9] != "NA");
    } else if (std::stoi(cells[exit_day]) < 91) {
      ++left_before_3m;
      INFO("row " << i << ": left on day " << cells[exit_day]);
      CHECK(cells[a3] == "NA");
      CHECK(cells[a9] == "NA");
    }
  }
  CHECK(left_before_3m > 0);
  CHECK(in_care > 0);
  // pandas reads NA as missing and the measures as numbers.
  const auto py = run_command(
      "/usr/bin/python3 -c \"import pandas as pd; d = pd.read_csv('" + out +
      "'); assert d['alliance_youth_9m'].dtype.kind == 'f'; "
      "assert d['alliance_youth_9m'].isna().any(); print(len(d), d['exit_day'].isna().sum())\"");
  INFO(py.output);
  CHECK(py.status == 0);
  CHECK(contains(py.output, "400 " + std::to_string(in_care)));
}

TEST_CASE("export writes atomically and keeps an existing file without --overwrite", "[export]") {
  TempDir dir;
  const auto out = dir.write("panel.csv", "earlier export");
  const auto r = run_command(cli() + " export " + result_file() + " --format long -o " + out);
  CHECK(r.status == 2);
  CHECK(contains(r.output, "exists; pass --overwrite"));
  CHECK(read_text(out) == "earlier export");
  CHECK_FALSE(fs::exists(out + ".partial"));
  const auto o =
      run_command(cli() + " export " + result_file() + " --format wide -o " + out + " --overwrite");
  CHECK(o.status == 0);
  CHECK(read_text(out).rfind("scenario,replicate,youth,intake_index,", 0) == 0);
  CHECK_FALSE(fs::exists(out + ".partial"));
  CHECK(run_command(cli() + " export " + result_file() + " --format tall -o " + dir.file("t.csv"))
            .status == 2);
  CHECK(run_command(cli() + " export " + result_file() + " --format wide").status ==
        2);  // -o is required
}

TEST_CASE("clpm_lavaan.R fits the CLPM and the RI-CLPM from the wide export", "[export][R]") {
  TempDir dir;
  // 4 replicates of 400 youths: the RI-CLPM, fitted per replicate, needs more youths per
  // setting than the shared small file has (with 100 it converged in no replicate once peers
  // made the trajectories less regular).
  const auto h5 = dir.file("clpm.h5"), csv = dir.file("wide.csv");
  REQUIRE(run_command(cli() + " run -o " + h5 + " --replicates 4 --set cohort.size=400 --quiet")
              .status == 0);
  REQUIRE(run_command(cli() + " export " + h5 + " --format wide -o " + csv).status == 0);
  const auto r =
      run_command("Rscript " + std::string(ASIM_SOURCE_DIR) + "/analysis/R/clpm_lavaan.R " + csv);
  INFO(r.output);
  REQUIRE(r.status == 0);
  // Two cross-lagged paths per setting and model, each with a numeric estimate.
  int clpm = 0, riclpm = 0;
  for (const auto& line : split_lines(r.output)) {
    if (!contains(line, "cross-lagged")) continue;
    std::stringstream in(line);
    std::string model, setting, kind, path, arrow, to;
    double estimate = std::nan("");
    in >> model >> setting >> kind >> path >> arrow >> to >> estimate;
    INFO(line);
    CHECK(arrow == "->");
    CHECK(std::isfinite(estimate));
    clpm += model == "CLPM";
    riclpm += model == "RI-CLPM";
  }
  CHECK(clpm == 4);
  CHECK(riclpm == 4);
  const auto bad = run_command("Rscript " + std::string(ASIM_SOURCE_DIR) +
                               "/analysis/R/clpm_lavaan.R " + dir.write("other.csv", "a,b\n1,2\n"));
  CHECK(bad.status == 2);
  CHECK(contains(bad.output, "lacks the columns"));
}

TEST_CASE("lavaan's classic CLPM agrees with analyse's cross-lagged panel", "[export][R][clpm]") {
  // A larger file than result_file(): every setting keeps at least 10 youths measured at 6m and
  // 9m in every replicate, so analyse pools all 4 replicates for every path.
  TempDir dir;
  const auto h5 = dir.file("clpm.h5"), csv = dir.file("clpm.csv");
  const auto run =
      run_command(cli() + " run -o " + h5 + " --replicates 4 --set cohort.size=800 --quiet");
  INFO(run.output);
  REQUIRE(run.status == 0);
  REQUIRE(run_command(cli() + " export " + h5 + " --format wide -o " + csv).status == 0);
  // Built-in: per replicate and setting, OLS on the standardised variables of the youths measured
  // at both waves, pooled over replicates (estimate, t 95% CI).
  const auto builtin = run_command(cli() + " analyse " + h5 + " --csv --table clpm");
  REQUIRE(builtin.status == 0);
  std::map<std::string, std::array<double, 3>> expected;  // "setting path" -> estimate, CI
  {
    const auto lines = split_lines(builtin.output);
    const auto header = split_csv(lines.at(0));
    const auto setting = column(header, "setting"), path = column(header, "path"),
               estimate = column(header, "estimate"), low = column(header, "estimate_ci_low"),
               high = column(header, "estimate_ci_high"), reps = column(header, "replicates");
    for (std::size_t i = 1; i < lines.size(); ++i) {
      const auto c = split_csv(lines[i]);
      if (c[setting] == "closed-open") continue;
      CHECK(c[reps] == "4");
      expected[c[setting] + " " + c[path]] = {std::stod(c[estimate]), std::stod(c[low]),
                                              std::stod(c[high])};
    }
  }
  REQUIRE(expected.size() == 16);
  // lavaan: the same two-lag model with each lag free (--free-lags), both settings as groups,
  // per replicate and pooled over them (the mean of the per-replicate std.all), FIML.
  const auto r = run_command("Rscript " + std::string(ASIM_SOURCE_DIR) +
                             "/analysis/R/clpm_lavaan.R " + csv + " --free-lags");
  INFO(r.output);
  REQUIRE(r.status == 0);
  // Fitted per replicate and pooled, and the output says why not as one sample.
  CHECK(contains(r.output, "CLPM, lagged paths free per lag (converged in 4 of 4 replicates"));
  CHECK(contains(r.output, "Why not one fit of all youths"));
  int compared = 0;
  for (const auto& line : split_lines(r.output)) {
    std::stringstream in(line);
    std::string model, setting, kind, from, arrow, to;
    double est = 0, se = 0, p = 0, std_all = std::nan("");
    if (!(in >> model >> setting >> kind >> from >> arrow >> to >> est >> se >> p >> std_all) ||
        model != "CLPM")
      continue;
    const auto it = expected.find(setting + " " + from + " -> " + to);
    INFO(line);
    REQUIRE(it != expected.end());
    const auto [estimate, low, high] = it->second;
    // Both estimate the same standardised path from the same youths; they differ only in how:
    // with attrition that is monotone (a youth measured at 9m was measured at 6m and 3m), lavaan's
    // FIML unstandardised paths equal the per-lag OLS paths, but lavaan standardises with the
    // model-implied SDs of all the replicate's youths, while analyse standardises on the youths
    // of each lag; both average the per-replicate fits. Those differences are of the order of
    // the between-replicate sampling error, so lavaan's std.all must lie in
    // analyse's pooled 95% CI, widened by 0.02 for the standardisation. The autoregressive
    // alliance CIs are about +-0.04 wide, so a path mapped to the wrong variable or wave fails.
    CHECK(std_all >= low - 0.02);
    CHECK(std_all <= high + 0.02);
    CHECK(std::abs(std_all - estimate) < 0.1);
    ++compared;
  }
  CHECK(compared == 16);
}

TEST_CASE("analyse trajectories and survival_curve: replicate means and every Kaplan-Meier step",
          "[analyse]") {
  // trajectories: the mean over replicates of each replicate's mean youth-rated alliance,
  // computed here from the file.
  std::vector<float> alliance;
  {
    asim::h5::Handle f = asim::h5::open_file_read(result_file());
    asim::h5::Handle ds =
        asim::h5::open_dataset(f.id(), "scenarios/baseline/youth/waves/alliance_youth");
    asim::h5::read_all(ds.id(), alliance);
  }
  const auto out = run_command(cli() + " analyse " + result_file() + " --csv --table trajectories");
  REQUIRE(out.status == 0);
  const auto lines = split_lines(out.output);
  REQUIRE(lines.size() == 1 + 2 * kWaves);  // youth- and mentor-rated, each wave
  const auto header = split_csv(lines[0]);
  const auto measure = column(header, "measure"), wave_day = column(header, "wave_day"),
             mean = column(header, "mean"), low = column(header, "replicates_p2.5"),
             high = column(header, "replicates_p97.5");
  const int days[] = {14, 91, 182, 273};
  for (int w = 0; w < kWaves; ++w) {
    double sum_of_means = 0, lowest = 1e9, highest = -1e9;
    for (int r = 0; r < kReplicates; ++r) {
      double sum = 0;
      int n = 0;
      for (int i = 0; i < kYouths; ++i) {
        const float v = alliance[static_cast<std::size_t>((r * kYouths + i) * kWaves + w)];
        if (!std::isnan(v)) sum += v, ++n;
      }
      sum_of_means += sum / n;
      lowest = std::min(lowest, sum / n), highest = std::max(highest, sum / n);
    }
    const auto c = split_csv(lines[1 + static_cast<std::size_t>(w)]);
    INFO(lines[1 + static_cast<std::size_t>(w)]);
    CHECK(c[measure] == "alliance_youth");
    CHECK(c[wave_day] == std::to_string(days[w]));
    CHECK(std::stod(c[mean]) == Approx(sum_of_means / kReplicates).epsilon(1e-8));
    // The central 95% of 4 replicate means lies inside their range, near its ends.
    CHECK(std::stod(c[low]) >= lowest - 1e-9);
    CHECK(std::stod(c[high]) <= highest + 1e-9);
    CHECK(std::stod(c[low]) < std::stod(c[high]));
  }
  // survival_curve: the step at or before day 273 of each curve is S(273) of table survival.
  const auto curve =
      run_command(cli() + " analyse " + result_file() + " --csv --table survival_curve");
  const auto summary = run_command(cli() + " analyse " + result_file() + " --csv --table survival");
  REQUIRE(curve.status == 0);
  REQUIRE(summary.status == 0);
  std::map<std::string, std::string> last_step;  // "by group" -> survival at the last step
  for (const auto& line : split_lines(curve.output)) {
    const auto c = split_csv(line);
    if (c[0] == "scenario" || std::stoi(c[3]) > 273) continue;
    last_step[c[1] + " " + c[2]] = c[7];
  }
  int checked = 0;
  for (const auto& line : split_lines(summary.output)) {
    const auto c = split_csv(line);
    if (c[0] == "scenario" || c[5] != "273") continue;
    INFO(line);
    CHECK(last_step.at(c[1] + " " + c[2]) == c[7]);
    ++checked;
  }
  CHECK(checked == 6);  // all, open, closed, and three problem profiles
}

TEST_CASE("analyse peer tables: integration, co-absconding and problem change agree with the file",
          "[analyse][peers]") {
  namespace h5 = asim::h5;
  h5::Handle f = h5::open_file_read(result_file());
  h5::Handle g = h5::open_group(f.id(), "scenarios/baseline");
  std::vector<float> friends;
  h5::read_all(h5::open_dataset(g.id(), "youth/waves/peer_friends").id(), friends);
  REQUIRE(friends.size() == std::size_t{kReplicates} * kYouths * kWaves);
  auto csv = [](const std::string& table) {
    const auto r = run_command(cli() + " analyse " + result_file() + " --csv --table " + table);
    INFO(r.output);
    REQUIRE(r.status == 0);
    return split_lines(r.output);
  };

  // integration: per wave, the youths measured, their mean friends and the friendless.
  const auto integration = csv("integration");
  REQUIRE(integration.size() == 1 + kWaves);
  const auto ih = split_csv(integration[0]);
  for (std::size_t w = 0; w < kWaves; ++w) {
    long n = 0, none = 0;
    double sum = 0;
    for (std::size_t k = 0; k < std::size_t{kReplicates} * kYouths; ++k) {
      const float v = friends[k * kWaves + w];
      if (std::isnan(v)) continue;
      ++n, sum += v, none += v == 0;
    }
    const auto row = split_csv(integration[1 + w]);
    INFO(integration[1 + w]);
    CHECK(std::stol(row[column(ih, "n")]) == n);
    CHECK(std::stol(row[column(ih, "friendless")]) == none);
    CHECK(std::stod(row[column(ih, "mean_friends")]) == Approx(sum / n).epsilon(1e-4));
    const double pct = std::stod(row[column(ih, "friendless_pct")]);
    CHECK(pct == Approx(100.0 * none / n).epsilon(1e-4));
    CHECK(std::stod(row[column(ih, "friendless_pct_ci_low")]) <= pct);
  }
  // A newcomer has no friends yet; three months later most youths have one.
  CHECK(std::stod(split_csv(integration[1])[column(ih, "mean_friends")]) <
        std::stod(split_csv(integration[2])[column(ih, "mean_friends")]));

  // co_absconding: absconding exits and those with a ran_off_together event, from the events.
  std::vector<std::int8_t> kind;
  std::vector<std::int32_t> replicate, youth;
  std::vector<float> value;
  h5::read_all(h5::open_dataset(g.id(), "events/kind").id(), kind);
  h5::read_all(h5::open_dataset(g.id(), "events/replicate").id(), replicate);
  h5::read_all(h5::open_dataset(g.id(), "events/youth").id(), youth);
  h5::read_all(h5::open_dataset(g.id(), "events/value").id(), value);
  const auto names = h5::get_attr_strings(h5::open_group(g.id(), "events").id(), "kind_names");
  const auto code = [&](const char* name) {
    return static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  std::set<std::pair<int, int>> absconded, together;
  for (std::size_t e = 0; e < kind.size(); ++e) {
    if (kind[e] == code("exit") && value[e] == 3) absconded.insert({replicate[e], youth[e]});
    if (kind[e] == code("ran_off_together")) together.insert({replicate[e], youth[e]});
  }
  long both = 0;
  for (const auto& k : absconded) both += together.count(k) > 0;
  const auto co = csv("co_absconding");
  REQUIRE(co.size() == 2);
  const auto ch = split_csv(co[0]);
  const auto crow = split_csv(co[1]);
  CHECK(std::stol(crow[column(ch, "absconding_exits")]) == static_cast<long>(absconded.size()));
  CHECK(std::stol(crow[column(ch, "ran_off_together")]) == both);

  // peer_change: a lean file has only the "all" rows, one per category, and they count every
  // youth measured at the second wave (3m).
  const auto change = csv("peer_change");
  REQUIRE(change.size() == 1 + 4);
  const auto chh = split_csv(change[0]);
  long measured = 0, counted = 0;
  for (std::size_t k = 0; k < std::size_t{kReplicates} * kYouths; ++k)
    measured += !std::isnan(friends[k * kWaves + 1]);
  for (std::size_t i = 1; i < change.size(); ++i) {
    const auto row = split_csv(change[i]);
    CHECK(row[column(chh, "understaffing")] == "all");
    CHECK(row[column(chh, "wave")] == "3m");
    counted += std::stol(row[column(chh, "n")]);
  }
  CHECK(counted == measured);
  CHECK(split_csv(change[1])[column(chh, "acting_out_friends")] == "no friends");
}

TEST_CASE("analyse peer_change is stratified by understaffing where the file has group series",
          "[analyse][peers]") {
  TempDir dir;
  const std::string out = dir.file("groups.h5");
  const auto r = run_command(cli() + " run -o " + out +
                             " --replicates 2 --set cohort.size=60 --group-series yes --quiet");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto a = run_command(cli() + " analyse " + out + " --csv --table peer_change");
  INFO(a.output);
  REQUIRE(a.status == 0);
  const auto lines = split_lines(a.output);
  REQUIRE(lines.size() == 1 + 3 * 4);
  const auto h = split_csv(lines[0]);
  std::map<std::string, long> n;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto row = split_csv(lines[i]);
    n[row[column(h, "understaffing")]] += std::stol(row[column(h, "n")]);
  }
  REQUIRE(n.size() == 3);
  // The two halves hold every youth of the "all" rows (each youth's group has a share).
  CHECK(n["at or below median"] + n["above median"] == n["all"]);
  CHECK(n["above median"] > 0);
}
