// Parameter sweeps end to end: a scenario with [sweep] runs one scenario group per design point,
// stores its design matrix under /sweep, and `sensitivity` turns a Saltelli sweep into Sobol
// indices; bad sweeps exit with status 2 and a message naming file, line, key and value.
#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/h5.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;
namespace h5 = asim::h5;

namespace {

const std::string kTiny =
    " --replicates 2 --set cohort.size=20 --set cohort.burn_in_days=10 --quiet";

const std::string kSaltelli =
    "# Question: which of three levers matters most in a tiny institution?\n"
    "inherit = \"builtin:baseline\"\n"
    "[scenario]\nname = \"levers\"\n"
    "[policy]\nroutine_feedback = true\n"
    "[sweep]\ndesign = \"saltelli\"\npoints = 8\n"
    "[sweep.parameters]\n"
    "\"mentor.caseload\" = { min = 4, max = 12 }\n"
    "\"staff.annual_turnover\" = { min = 0.05, max = 0.4 }\n"
    "\"feedback.uptake\" = { min = 0, max = 1 }\n";

const std::string kGrid =
    "inherit = \"builtin:baseline\"\n"
    "[scenario]\nname = \"grid\"\n"
    "[sweep]\ndesign = \"grid\"\n"
    "[sweep.parameters]\n"
    "\"mentor.caseload\" = [5, 8, 12]\n"
    "\"policy.routine_feedback\" = [false, true]\n";

std::vector<std::string> string_dataset(hid_t file, const std::string& path) {
  h5::Handle ds = h5::open_dataset(file, path);
  h5::Handle type(H5Dget_type(ds.id()));
  REQUIRE(H5Tget_class(type.id()) == H5T_STRING);
  const auto n = h5::shape(ds.id()).at(0);
  std::vector<char*> text(n);
  h5::Handle memory(H5Tcopy(H5T_C_S1));
  H5Tset_size(memory.id(), H5T_VARIABLE);
  REQUIRE(H5Dread(ds.id(), memory.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) >= 0);
  std::vector<std::string> out(text.begin(), text.end());
  h5::Handle space(H5Dget_space(ds.id()));
  H5Dvlen_reclaim(memory.id(), space.id(), H5P_DEFAULT, text.data());
  return out;
}

}  // namespace

TEST_CASE("a saltelli sweep runs every point and sensitivity ranks the levers", "[cli][sweep]") {
  TempDir dir;
  const auto scenario = dir.write("levers.toml", kSaltelli);
  const auto out = dir.file("levers.h5");
  auto r = run_command(cli() + " run " + scenario + " -o " + out + kTiny);
  INFO(r.output);
  REQUIRE(r.status == 0);
  REQUIRE(fs::exists(out));
  {
    h5::Handle f = h5::open_file_read(out);
    // N * (k + 2) = 8 * 5 = 40 points, one scenario group each, nothing else.
    h5::Handle scenarios = h5::open_group(f.id(), "scenarios");
    const auto groups = h5::list_children(scenarios.id());
    REQUIRE(groups.size() == 40);
    CHECK(groups.front() == "sweep-0001");
    CHECK(groups.back() == "sweep-0040");
    h5::Handle design = h5::open_dataset(f.id(), "sweep/design");
    CHECK(h5::shape(design.id()) == std::vector<hsize_t>{40, 3});
    CHECK(h5::stored_dtype(design.id()) == h5::Dtype::F64);
    CHECK(h5::get_attr_string(design.id(), "design") == "saltelli");
    CHECK(h5::get_attr_int(design.id(), "points") == 40);
    CHECK(h5::get_attr_int(design.id(), "base_samples") == 8);
    CHECK(h5::get_attr_string(design.id(), "source") == "levers");
    CHECK(h5::get_attr_strings(design.id(), "parameters") ==
          std::vector<std::string>{"mentor.caseload", "staff.annual_turnover", "feedback.uptake"});
    CHECK(h5::get_attr_doubles(design.id(), "lower") == std::vector<double>{4, 0.05, 0});
    CHECK(h5::get_attr_doubles(design.id(), "upper") == std::vector<double>{12, 0.4, 1});
    // The design's coordinates: the scenario group of each row, the parameter of each column.
    CHECK(string_dataset(f.id(), "sweep/point") == groups);
    CHECK(string_dataset(f.id(), "sweep/parameter") ==
          std::vector<std::string>{"mentor.caseload", "staff.annual_turnover", "feedback.uptake"});
    std::vector<double> matrix;
    h5::read_all(design.id(), matrix);
    for (std::size_t p = 0; p < 40; ++p) {
      // mentor.caseload is a Real parameter in the model (an average), so it is not rounded.
      CHECK(matrix[p * 3] >= 4);
      CHECK(matrix[p * 3] <= 12);
      CHECK(matrix[p * 3 + 1] >= 0.05);
      CHECK(matrix[p * 3 + 1] <= 0.4);
    }
    // AB_1 (rows 16..23) is A (rows 0..7) with the caseload column from B (rows 8..15).
    for (std::size_t j = 0; j < 8; ++j) {
      CHECK(matrix[(16 + j) * 3] == matrix[(8 + j) * 3]);
      CHECK(matrix[(16 + j) * 3 + 1] == matrix[j * 3 + 1]);
      CHECK(matrix[(16 + j) * 3 + 2] == matrix[j * 3 + 2]);
    }
    // Each point is a complete scenario with its resolved parameters: the point's values, with
    // their origin, on top of the scenario's (here routine_feedback = true from the file).
    h5::Handle third = h5::open_group(f.id(), "scenarios/sweep-0003");
    CHECK(h5::get_attr_int(third.id(), "complete") == 1);
    CHECK(h5::get_attr_int(third.id(), "replicates_written") == 2);
    const std::string resolved = h5::get_attr_string(third.id(), "resolved_toml");
    INFO(resolved);
    CHECK(resolved.find("name = \"sweep-0003\"") != std::string::npos);
    CHECK(resolved.find("sweep point 3") != std::string::npos);
    const auto at = resolved.find("\ncaseload = ");
    REQUIRE(at != std::string::npos);
    const std::string line = resolved.substr(at + 1, resolved.find('\n', at + 1) - at - 1);
    CHECK(line.find("# sweep point 3") != std::string::npos);
    CHECK(std::stod(line.substr(line.find('=') + 1)) == matrix[2 * 3]);
    CHECK(resolved.find("routine_feedback = true") != std::string::npos);
    // Common random numbers: the same seed at every point.
    h5::Handle first = h5::open_group(f.id(), "scenarios/sweep-0001");
    CHECK(h5::get_attr_int(first.id(), "seed") == h5::get_attr_int(third.id(), "seed"));
  }

  auto s = run_command(cli() + " sensitivity " + out);
  INFO(s.output);
  REQUIRE(s.status == 0);
  CHECK(s.output.find("Sobol sensitivity of favourable_pct") != std::string::npos);
  CHECK(s.output.find("N = 8 base samples, 3 parameters, 40 points x 2 replicates") !=
        std::string::npos);
  for (const char* p : {"mentor.caseload", "staff.annual_turnover", "feedback.uptake"})
    CHECK(s.output.find(p) != std::string::npos);
  CHECK(s.output.find("S_Ti") != std::string::npos);
  // 2 replicates of a small cohort: the noise dwarfs what the levers do, and sensitivity says
  // so instead of naming "the lever that matters most".
  CHECK(s.output.find("CANNOT RANK THE LEVERS") != std::string::npos);
  CHECK(s.output.find("the lever that matters most") == std::string::npos);
  CHECK(s.output.find("(now 2)") != std::string::npos);

  auto csv = run_command(cli() + " sensitivity " + out + " --outcome dropout_pct --csv");
  INFO(csv.output);
  REQUIRE(csv.status == 0);
  CHECK(csv.output.rfind("outcome,parameter,S_i,S_i_low,S_i_high,S_Ti,S_Ti_low,S_Ti_high,", 0) ==
        0);
  CHECK(std::count(csv.output.begin(), csv.output.end(), '\n') == 4);
  CHECK(csv.output.find("\ndropout_pct,feedback.uptake,") != std::string::npos);

  auto json = run_command(cli() + " sensitivity " + out + " --json --outcome alliance_youth_6m");
  INFO(json.output);
  REQUIRE(json.status == 0);
  CHECK(json.output.find("\"outcome\": \"alliance_youth_6m\"") != std::string::npos);
  CHECK(json.output.find("\"S_Ti_ci\": [") != std::string::npos);
  CHECK(json.output.find("\"rankable\": false") != std::string::npos);

  auto bad_outcome = run_command(cli() + " sensitivity " + out + " --outcome happiness");
  CHECK(bad_outcome.status == 2);
  CHECK(bad_outcome.output.find("--outcome happiness: unknown outcome") != std::string::npos);
}

TEST_CASE("a grid sweep runs the Cartesian product, first parameter slowest", "[cli][sweep]") {
  TempDir dir;
  const auto scenario = dir.write("grid.toml", kGrid);
  const auto out = dir.file("grid.h5");
  auto r = run_command(cli() + " run " + scenario + " -o " + out + kTiny);
  INFO(r.output);
  REQUIRE(r.status == 0);
  h5::Handle f = h5::open_file_read(out);
  h5::Handle scenarios = h5::open_group(f.id(), "scenarios");
  CHECK(h5::list_children(scenarios.id()) == std::vector<std::string>{"sweep-0001", "sweep-0002",
                                                                      "sweep-0003", "sweep-0004",
                                                                      "sweep-0005", "sweep-0006"});
  h5::Handle design = h5::open_dataset(f.id(), "sweep/design");
  std::vector<double> matrix;
  h5::read_all(design.id(), matrix);
  CHECK(matrix == std::vector<double>{5, 0, 5, 1, 8, 0, 8, 1, 12, 0, 12, 1});
  CHECK(h5::get_attr_string(design.id(), "design") == "grid");
  CHECK(h5::get_attr_int(design.id(), "base_samples") == 0);
  h5::Handle last = h5::open_group(f.id(), "scenarios/sweep-0006");
  const std::string resolved = h5::get_attr_string(last.id(), "resolved_toml");
  CHECK(resolved.find("caseload = 12") != std::string::npos);
  CHECK(resolved.find("routine_feedback = true") != std::string::npos);

  // Sobol indices need a saltelli design.
  auto s = run_command(cli() + " sensitivity " + out);
  CHECK(s.status == 2);
  CHECK(s.output.find("the sweep's design is \"grid\"; Sobol indices need design = \"saltelli\"") !=
        std::string::npos);

  // Each point says what it is: its values in the file, in inspect and in compare.
  CHECK(string_dataset(f.id(), "sweep/label")[3] ==
        "mentor.caseload=8, policy.routine_feedback=true");
  CHECK(h5::get_attr_string(last.id(), "sweep_point") ==
        "mentor.caseload=12, policy.routine_feedback=true");
  auto inspect = run_command(cli() + " inspect " + out);
  INFO(inspect.output);
  CHECK(inspect.status == 0);
  CHECK(inspect.output.find("sweep point     mentor.caseload=5, policy.routine_feedback=false") !=
        std::string::npos);
  CHECK(inspect.output.find(
            "scenario sweep-0004 (mentor.caseload=8, policy.routine_feedback=true):") !=
        std::string::npos);
  // compare on a sweep without a scenario named baseline: the first design point, said so.
  auto compare = run_command(cli() + " compare " + out + " --outcome ruptures");
  INFO(compare.output);
  CHECK(compare.status == 0);
  CHECK(
      compare.output.find("baseline: sweep-0001 (mentor.caseload=5, policy.routine_feedback=false) "
                          "(the sweep's first design point") != std::string::npos);
  CHECK(compare.output.find("sweep-0006 (mentor.caseload=12, policy.routine_feedback=true) vs "
                            "sweep-0001 (mentor.caseload=5, policy.routine_feedback=false)") !=
        std::string::npos);
  // --baseline names the real baseline in every header.
  auto other = run_command(cli() + " compare " + out + " --baseline sweep-0003 --outcome ruptures");
  INFO(other.output);
  CHECK(other.status == 0);
  CHECK(other.output.find("vs sweep-0003 (mentor.caseload=8, policy.routine_feedback=false)") !=
        std::string::npos);
  CHECK(other.output.find("vs sweep-0001") == std::string::npos);
  CHECK(other.output.find("vs baseline") == std::string::npos);
  // A sweep's file is lean by default: waves, outcomes and events, no daily group series; the
  // living groups themselves (groups/setting) are kept. --group-series yes adds the series.
  CHECK_FALSE(h5::exists(f.id(), "scenarios/sweep-0001/groups/daily"));
  CHECK(h5::exists(f.id(), "scenarios/sweep-0001/groups/setting"));
  CHECK(h5::exists(f.id(), "scenarios/sweep-0001/events/kind"));
  const auto full = dir.file("grid-full.h5");
  auto with_series = run_command(cli() + " run " + scenario + " -o " + full +
                                 " --group-series yes --replicates 2 --set cohort.size=20 "
                                 "--set cohort.burn_in_days=10");
  INFO(with_series.output);
  REQUIRE(with_series.status == 0);
  // The expected size is printed before the run (an upper bound, before compression).
  CHECK(with_series.output.find("expected result file: at most ") != std::string::npos);
  {
    h5::Handle ff = h5::open_file_read(full);
    CHECK(h5::exists(ff.id(), "scenarios/sweep-0001/groups/daily/occupancy"));
  }
  CHECK(std::filesystem::file_size(full) > std::filesystem::file_size(out));
  auto lean_note = run_command(cli() + " run " + scenario + " -o " + dir.file("lean.h5") +
                               " --replicates 1 --set cohort.size=10 --set cohort.burn_in_days=0");
  CHECK(lean_note.output.find("lean: no groups/daily series (the default; --group-series yes") !=
        std::string::npos);
  CHECK(
      run_command(cli() + " run " + scenario + " -o " + dir.file("x.h5") + " --group-series maybe")
          .status == 2);

  auto csv =
      run_command(cli() + " compare " + out + " --baseline sweep-0003 --outcome ruptures --csv");
  CHECK(csv.output.find(",sweep-0003,\"mentor.caseload=5, policy.routine_feedback=false\",") !=
        std::string::npos);
}

TEST_CASE("bad sweeps exit with status 2, a clear message and no file", "[cli][sweep]") {
  TempDir dir;
  const auto out = dir.file("r.h5");
  const auto bad = dir.write("bad.toml",
                             "inherit = \"builtin:baseline\"\n"
                             "[sweep]\ndesign = \"lhs\"\npoints = 10\n"
                             "[sweep.parameters]\n"
                             "\"staff.annual_turnover\" = { min = 0.1, max = 2 }\n");
  auto r = run_command(cli() + " run " + bad + " -o " + out + kTiny);
  CHECK(r.status == 2);
  CHECK(r.output.find("bad.toml:6: sweep staff.annual_turnover max = 2 is outside [0, 1.5]") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));

  const auto typo = dir.write("typo.toml",
                              "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n"
                              "\"mentor.casload\" = [5, 8]\n");
  auto v = run_command(cli() + " validate " + typo);
  CHECK(v.status == 2);
  CHECK(v.output.find("typo.toml:4: sweep: unknown parameter 'mentor.casload' (did you mean "
                      "'mentor.caseload'?)") != std::string::npos);

  // One sweep per run.
  const auto a =
      dir.write("a.toml", "[scenario]\nname = \"a\"\n" + kGrid.substr(kGrid.find("[sweep]")));
  const auto b =
      dir.write("b.toml", "[scenario]\nname = \"b\"\n" + kGrid.substr(kGrid.find("[sweep]")));
  auto two = run_command(cli() + " run " + a + " " + b + " -o " + out + kTiny);
  CHECK(two.status == 2);
  CHECK(two.output.find("a second scenario with a [sweep] in this run") != std::string::npos);
  CHECK_FALSE(fs::exists(out));

  // --set cannot also set a swept parameter.
  auto set = run_command(cli() + " run " + a + " -o " + out + kTiny + " --set mentor.caseload=6");
  CHECK(set.status == 2);
  CHECK(set.output.find("--set mentor.caseload=6: mentor.caseload is swept by [sweep] at ") !=
        std::string::npos);

  // A point the model refuses is named with its values before anything runs.
  const auto refused = dir.write("refused.toml",
                                 "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n"
                                 "\"institution.open_groups\" = [0, 1]\n"
                                 "\"institution.closed_groups\" = [0, 1]\n");
  auto m = run_command(cli() + " run " + refused + " -o " + out + kTiny);
  CHECK(m.status == 2);
  CHECK(m.output.find("sweep point 1 of the [sweep] at") != std::string::npos);
  CHECK(m.output.find("institution.open_groups = 0, institution.closed_groups = 0") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(out));

  // A file without a sweep has no Sobol indices.
  auto plain = run_command(cli() + " run -o " + out + kTiny);
  REQUIRE(plain.status == 0);
  auto s = run_command(cli() + " sensitivity " + out);
  CHECK(s.status == 2);
  CHECK(s.output.find("no parameter sweep in this file") != std::string::npos);
  CHECK(run_command(cli() + " sensitivity --help").status == 0);
}

TEST_CASE("the policy-levers sweep validates", "[cli][sweep]") {
  const std::string path = std::string(ASIM_SOURCE_DIR) + "/scenarios/sweep-policy-levers.toml";
  auto r = run_command(cli() + " validate " + path);
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("sweep: saltelli, 4 parameters, 192 points") != std::string::npos);
  // It opens with the question it answers.
  CHECK(read_text(path).rfind("# Question: Which policy lever matters most for favourable "
                              "outcomes?",
                              0) == 0);
}
