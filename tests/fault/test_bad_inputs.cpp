// Every bad input answered: one table of inputs (scenario files, --set and other options, result
// files), each with its exit status and message. None may crash; each message names what is
// wrong and where. docs/errors.md holds the same table, generated from the rows below:
//   ASIM_UPDATE_DOCS=1 build/tests/tests_fault "[errors-doc]"
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine/h5.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using namespace asim::test;

namespace {

struct Row {
  const char* input;    // what is wrong, for the reader of docs/errors.md
  const char* command;  // arguments of alliance-sim, run in the directory of the fixtures
  int status;
  // The expected message. Exact: the whole output is "alliance-sim: error: " + message. Else
  // the output must contain it (the rest depends on the machine or HDF5's wording).
  const char* message;
  bool exact = true;
  bool every_reader = false;  // the same for inspect, compare, analyse, export, sensitivity
};

// clang-format off
const std::vector<Row> kRows = {
  // --- scenario files ---------------------------------------------------------------------
  {"TOML syntax error", "validate syntax.toml", 2,
   "syntax.toml:1:8: TOML syntax error: Error while parsing table header: expected ']', saw '\\n'"},
  {"table defined twice", "validate twice.toml", 2,
   "twice.toml:3:1: TOML syntax error: Error while parsing table header: cannot redefine existing table 'mentor'"},
  {"unknown key", "validate unknown.toml", 2,
   "unknown.toml:2: unknown parameter 'mentor.caseloda' (did you mean 'mentor.caseload'?)"},
  {"wrong type", "validate type.toml", 2,
   "type.toml:2: mentor.caseload = \"five\" has the wrong type: expected a number in [1, 30]"},
  {"fraction for a whole number", "validate fraction.toml", 2,
   "fraction.toml:2: cohort.size = 2.5 must be a whole number"},
  {"value where a table belongs", "validate table.toml", 2,
   "table.toml:1: mentor = 5 is a table of parameters, not a value: write [mentor] followed by its keys"},
  {"out of range", "validate range.toml", 2, "range.toml:2: mentor.caseload = -3 is outside [1, 30]"},
  {"NaN", "validate nan.toml", 2, "nan.toml:2: mentor.caseload = nan is not a finite number"},
  {"infinity", "validate inf.toml", 2, "inf.toml:2: mentor.caseload = inf is not a finite number"},
  {"wrong type in [scenario]", "validate name.toml", 2,
   "name.toml:2: scenario.name = 5 has the wrong type: expected a string"},
  {"parameters that cannot run together", "validate nogroups.toml", 2,
   "nogroups.toml: institution.open_groups + institution.closed_groups must be at least 1"},
  {"inheritance cycle", "validate cycle-a.toml", 2,
   "cycle-b.toml:1: inheritance cycle: cycle-a.toml -> cycle-b.toml -> cycle-a.toml"},
  {"missing inherited file", "validate orphan.toml", 2,
   "orphan.toml:1: inherit = \"nothere.toml\": cannot read inherited file 'nothere.toml' (No such file or directory)"},
  {"inherited device", "validate device.toml", 2,
   "device.toml:1: inherit = \"/dev/zero\": '/dev/zero' is not a regular file"},
  {"missing scenario file", "validate missing.toml", 2,
   "missing.toml: cannot read scenario file (No such file or directory)"},
  {"directory as scenario file", "validate adir", 2, "adir: cannot read scenario file (Is a directory)"},
  {"empty scenario file", "validate empty.toml", 2,
   "empty.toml: empty scenario file; for every default write at least a [scenario] table with a name"},
  {"binary garbage", "validate garbage.toml", 2,
   "garbage.toml:1:1: TOML syntax error: Encountered invalid utf-8 sequence"},
  {"unknown sweep design", "validate sweep-design.toml", 2,
   "sweep-design.toml:2: sweep.design = \"random\" is not one of \"grid\", \"lhs\", \"sobol\", \"saltelli\""},
  {"sweep points out of range", "validate sweep-points.toml", 2,
   "sweep-points.toml:3: sweep.points = 0 is outside [1, 100000]"},
  {"sweep value twice", "validate sweep-twice.toml", 2,
   "sweep-twice.toml:4: sweep mentor.caseload = [4, 4] lists 4 twice"},
  {"wave days not increasing", "validate waves-order.toml", 2,
   "waves-order.toml:2: waves.days = [14, 91, 90, 273] is not strictly increasing: 91 then 90 "
   "(allowed: a list of whole numbers in [1, 730], at least one, strictly increasing)"},
  {"no wave days", "validate waves-empty.toml", 2,
   "waves-empty.toml:2: waves.days = [] is empty: list at least one whole number in [1, 730]"},
  {"a wave beyond the longest follow-up", "validate waves-late.toml", 2,
   "waves-late.toml:2: waves.days = [14, 91, 182, 273, 800] has 800 outside [1, 730]"},
  {"wave names for another number of waves", "validate waves-names.toml", 2,
   "waves-names.toml:3: waves.names = [\"first\", \"3m\", \"6m\"] has 3 names but waves.days = "
   "[30, 120] (waves-names.toml:2) has 2 elements: give one name each, or [] for the default names"},
  {"deprecated wave key beside the list", "validate waves-old.toml", 2,
   "waves-old.toml:3: waves.month9_day (deprecated: element 4 of waves.days) is set beside "
   "waves.days (waves-old.toml:2): remove it and give the whole list"},
  {"sweeping the wave list", "validate sweep-waves.toml", 2,
   "sweep-waves.toml:4: sweep waves.days = [[14, 91], [30, 120]]: waves.days is a list parameter "
   "and cannot be swept; write one scenario file per list (e.g. waves.days = [14, 91, 182, 273]) "
   "and run them together"},
  // --- command-line values ----------------------------------------------------------------
  {"--set without '='", "run -o x.h5 --set mentor.caseload", 2,
   "--set mentor.caseload: expected KEY=VALUE, e.g. mentor.caseload=8"},
  {"--set unknown key", "run -o x.h5 --set nosuch.key=1", 2,
   "--set nosuch.key=1: unknown parameter 'nosuch.key'"},
  {"--set bad value", "run -o x.h5 --set mentor.caseload=abc", 2,
   "--set mentor.caseload=abc: mentor.caseload = abc is not a valid value: expected a number in [1, 30]"},
  {"--set wave days not increasing", "run -o x.h5 --set 'waves.days=[91, 14]'", 2,
   "--set waves.days=[91, 14]: waves.days = [91, 14] is not strictly increasing: 91 then 14 "
   "(allowed: a list of whole numbers in [1, 730], at least one, strictly increasing)"},
  {"cohort of 10^12", "run -o x.h5 --set cohort.size=1000000000000", 2,
   "--set cohort.size=1000000000000: cohort.size = 1000000000000 is outside [1, 10000000]"},
  {"10^9 replicates", "run -o x.h5 --replicates 1000000000", 2,
   "--replicates: Value 1000000000 not in range 1 to 100000", false},
  {"a run that does not fit", "run -o x.h5 --set cohort.size=10000000 --replicates 100000 --threads 1", 2,
   "this run does not fit: it needs about", false},
  {"unknown --daily variable", "run -o x.h5 --daily nosuch", 2,
   "--daily nosuch: unknown variable 'nosuch' (allowed: alliance, bond, goals, tasks, others, "
   "motivation, problems, engagement, parent_alliance, rupture, contact, mentor_stress, peer_standing, main (alliance, motivation, problems) or all)"},
  {"--threads 0", "run -o x.h5 --threads 0", 2, "--threads: Value 0 not in range 1 to 4096", false},
  {"mistyped subcommand", "analyze good.h5", 2,
   "'analyze' is not a subcommand of alliance-sim; did you mean 'analyse'? (subcommands: run, "
   "validate, params, inspect, compare, analyse, export, sensitivity, report, calibrate, serve; "
   "alliance-sim --help describes them)"},
  {"existing output", "run -o good.h5", 2, "good.h5 exists; pass --overwrite to replace it"},
  {"--resume without a .partial", "run -o fresh.h5 --resume", 2,
   "--resume: fresh.h5.partial not found; there is no interrupted run of this output to complete"},
  // --- result files (inspect, compare, analyse, export, sensitivity) -----------------------
  {"missing result file", "inspect missing.h5", 2, "missing.h5: no such file", true, true},
  {"directory as result file", "inspect adir", 2, "adir: is a directory, not an HDF5 file", true, true},
  {"empty result file", "inspect empty.h5", 2, "empty.h5: empty file, not an HDF5 file", true, true},
  {"text file", "inspect notes.h5", 2, "notes.h5: not an HDF5 file", true, true},
  {"binary garbage", "inspect garbage.h5", 2, "garbage.h5: not an HDF5 file", true, true},
  {"HDF5 signature, then garbage", "inspect signature.h5", 2,
   "signature.h5: open as HDF5 file failed (HDF5: incorrect metadata checksum after all read attempts)",
   true, true},
  {"foreign HDF5 file (HDF5 1.6 style)", "inspect old-style.h5", 2,
   "old-style.h5: not an alliance-sim result file (HDF5 superblock version 0; alliance-sim writes "
   "version 2, whose metadata is checksummed)", true, true},
  {"foreign HDF5 file (valid, not ours)", "inspect foreign.h5", 2,
   "foreign.h5: not an alliance-sim result file (no schema_version or /scenarios)", true, true},
  {"truncated result file", "inspect truncated.h5", 2,
   "truncated.h5: open as HDF5 file failed (HDF5: truncated file: eof = ", false, true},
  {"corrupt result file (superblock bytes flipped)", "inspect corrupt-superblock.h5", 2,
   "corrupt-superblock.h5: open as HDF5 file failed (HDF5: incorrect metadata checksum after all "
   "read attempts)", true, true},
  {"corrupt result file (root object header bytes flipped)", "inspect corrupt-header.h5", 2,
   "corrupt-header.h5:/: look up attribute 'schema_version' failed (HDF5: incorrect metadata "
   "checksum after all read attempts)", true, true},
  {"damaged link storage (found by fuzz_result_file; crashed HDF5 1.10.8 before the fix)",
   "inspect damaged-dense-links.h5", 2,
   "damaged-dense-links.h5:/scenarios/baseline/groups/daily: list group failed (HDF5: incorrect "
   "metadata checksum after all read attempts)"},
  {"newer schema_version", "inspect newer.h5", 2,
   "newer.h5: schema_version 99 is not supported by this build (reads 1 to 2); use a newer alliance-sim",
   true, true},
  {"result file declaring more data than memory holds", "inspect huge.h5", 2,
   "huge.h5:/scenarios/x/youth/waves/alliance_youth: shape [1000, 100000000, 4] needs 1.5 TiB of memory to read; ",
   false},
  {"unknown scenario", "analyse good.h5 --scenario nosuch", 2, "good.h5: no scenario 'nosuch' (scenarios: baseline)"},
  {"sensitivity without a sweep", "sensitivity good.h5", 2,
   "good.h5: no parameter sweep in this file (no /sweep/design); run a scenario with a [sweep] "
   "table of design = \"saltelli\" to estimate Sobol indices (docs/sweeps.md)"},
  {"export over an existing file", "export good.h5 -o good.h5", 2, "good.h5 exists; pass --overwrite to replace it"},
  // --- calibration (alliance-sim calibrate, docs/calibration.md) ---------------------------
  {"calibration target with an unknown statistic", "calibrate --targets stat.toml --free free.toml -o c.h5", 2,
   "stat.toml:3: statistic = \"agreement.rr\" is not a statistic of the catalogue (did you mean "
   "'agreement.r', 'correlation.r' or 'validity.r'?) (alliance-sim calibrate --list-statistics lists them)"},
  {"calibration target row that does not exist", "calibrate --targets wave.toml --free free.toml -o c.h5", 2,
   "wave.toml:4: where.wave = \"3mo\" is not one of first, 3m, 6m, 9m (did you mean '3m', '6m' or '9m'?)"},
  {"calibration target without uncertainty", "calibrate --targets nounc.toml --free free.toml -o c.h5", 2,
   "nounc.toml:1: target 'r3' lacks its uncertainty: give se = <standard error> or tolerance = <half-width>, > 0"},
  {"one-sided target with an unknown bound", "calibrate --targets bound.toml --free free.toml -o c.h5", 2,
   "bound.toml:7: bound = \"uper\" is not one of both, upper, lower (did you mean 'upper'?) (upper: the "
   "simulated value should not exceed the figure; lower: not fall below it)"},
  {"free parameter outside its range", "calibrate --targets good-targets.toml --free free-range.toml -o c.h5", 2,
   "free-range.toml:2: calibrate.free: rater.youth_sd = [0.05, 2] is outside the parameter's range [0, 1]"},
  {"unknown free parameter", "calibrate --targets good-targets.toml --free free-name.toml -o c.h5", 2,
   "free-name.toml:2: calibrate.free: unknown parameter 'rater.youth_sdd' (did you mean 'rater.youth_sd', "
   "'rater.youth_bias' or 'rater.youth_noise'?) "
   "(alliance-sim params lists them)"},
  {"calibration without free parameters", "calibrate --targets good-targets.toml -o c.h5", 2,
   "calibrate: no free parameters; give them in a [calibrate.free] table of the scenario or of a "
   "--free file: parameter = [lower, upper]"},
};
// clang-format on

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Deterministic "random" bytes (a fixed linear congruential sequence), not valid UTF-8.
std::string garbage(std::size_t n) {
  std::string out;
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    out.push_back(static_cast<char>(0x80 | (x >> 24)));
  }
  return out;
}

void flip(std::string& bytes, std::size_t from, std::size_t count) {
  for (std::size_t i = from; i < from + count && i < bytes.size(); ++i)
    bytes[i] = static_cast<char>(bytes[i] ^ 0xff);
}

// Every file the rows name.
void make_fixtures(const TempDir& dir) {
  const fs::path d = dir.path();
  auto text = [&](const char* name, const std::string& body) { write_bytes(d / name, body); };
  text("syntax.toml", "[mentor\ncaseload = 5\n");
  text("twice.toml", "[mentor]\ncaseload = 5\n[mentor]\ncaseload = 6\n");
  text("unknown.toml", "[mentor]\ncaseloda = 5\n");
  text("type.toml", "[mentor]\ncaseload = \"five\"\n");
  text("fraction.toml", "[cohort]\nsize = 2.5\n");
  text("table.toml", "mentor = 5\n");
  text("range.toml", "[mentor]\ncaseload = -3\n");
  text("nan.toml", "[mentor]\ncaseload = nan\n");
  text("inf.toml", "[mentor]\ncaseload = inf\n");
  text("name.toml", "[scenario]\nname = 5\n");
  text("nogroups.toml", "[institution]\nopen_groups = 0\nclosed_groups = 0\n");
  text("cycle-a.toml", "inherit = \"cycle-b.toml\"\n");
  text("cycle-b.toml", "inherit = \"cycle-a.toml\"\n");
  text("orphan.toml", "inherit = \"nothere.toml\"\n");
  text("device.toml", "inherit = \"/dev/zero\"\n");
  fs::create_directories(d / "adir");
  text("empty.toml", "");
  text("garbage.toml", garbage(300));
  text("sweep-design.toml",
       "[sweep]\ndesign = \"random\"\n[sweep.parameters]\n\"mentor.caseload\" = [4, 8]\n");
  text("sweep-points.toml",
       "[sweep]\ndesign = \"lhs\"\npoints = 0\n[sweep.parameters]\n\"mentor.caseload\" = { min = "
       "4, max = 12 }\n");
  text("sweep-twice.toml",
       "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"mentor.caseload\" = [4, 4]\n");
  text("waves-order.toml", "[waves]\ndays = [14, 91, 90, 273]\n");
  text("waves-empty.toml", "[waves]\ndays = []\n");
  text("waves-late.toml", "[waves]\ndays = [14, 91, 182, 273, 800]\n");
  text("waves-names.toml", "[waves]\ndays = [30, 120]\nnames = [\"first\", \"3m\", \"6m\"]\n");
  text("waves-old.toml", "[waves]\ndays = [30, 120]\nmonth9_day = 300\n");
  text("sweep-waves.toml",
       "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n\"waves.days\" = [[14, 91], [30, 120]]\n");
  // Calibration inputs.
  const std::string target =
      "[[target]]\nname = \"r3\"\nstatistic = \"agreement.r\"\nwhere = { wave = \"3m\", rater_a = "
      "\"youth\", rater_b = \"mentor\" }\nvalue = 0.32\ntolerance = 0.05\nsource = \"Roest et "
      "al.\"\n";
  text("good-targets.toml", target);
  text("stat.toml", std::regex_replace(target, std::regex("agreement\\.r"), "agreement.rr"));
  text("wave.toml", std::regex_replace(target, std::regex("\"3m\""), "\"3mo\""));
  text("nounc.toml", std::regex_replace(target, std::regex("tolerance = 0.05\n"), ""));
  text("bound.toml", std::regex_replace(target, std::regex("tolerance = 0.05\n"),
                                        "tolerance = 0.05\nbound = \"uper\"\n"));
  text("free.toml", "[calibrate.free]\nrater.youth_sd = [0.05, 0.5]\n");
  text("free-range.toml", "[calibrate.free]\nrater.youth_sd = [0.05, 2]\n");
  text("free-name.toml", "[calibrate.free]\nrater.youth_sdd = [0.05, 0.5]\n");

  text("empty.h5", "");
  text("notes.h5", "not hdf5 at all\n");
  text("garbage.h5", garbage(4096));
  text("signature.h5",
       std::string("\x89HDF\r\n\x1a\n\x02\x08\x08\x00", 12) + std::string(100, '\0'));
  {
    // What h5py and most tools write by default: superblock version 0.
    const hid_t f =
        H5Fcreate((d / "old-style.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(f >= 0);
    H5Fclose(f);
    asim::h5::Handle ours = asim::h5::create_file((d / "foreign.h5").string());
    asim::h5::create_group(ours.id(), "data");
  }
  const auto made = run_command("cd " + d.string() + " && " + cli() +
                                " run -o good.h5 --replicates 2 --set cohort.size=20 --quiet");
  REQUIRE(made.status == 0);
  const std::string good = read_text((d / "good.h5").string());
  write_bytes(d / "truncated.h5", good.substr(0, good.size() / 2));
  std::string corrupt = good;
  flip(corrupt, 20, 8);  // superblock v2: the superblock-extension address, under its checksum
  write_bytes(d / "corrupt-superblock.h5", corrupt);
  // Superblock v2 bytes 36..43: the address of the root group's object header (little-endian).
  std::uint64_t root = 0;
  for (int i = 7; i >= 0; --i)
    root = root << 8 | static_cast<unsigned char>(good[36 + static_cast<std::size_t>(i)]);
  corrupt = good;
  flip(corrupt, static_cast<std::size_t>(root) + 16, 8);
  write_bytes(d / "corrupt-header.h5", corrupt);
  {
    // Valid and ours in form, but a dataset declares 4 * 10^11 values and holds none (unwritten
    // chunks read as the fill value), as a damaged or crafted file can.
    namespace h5 = asim::h5;
    h5::Handle f = h5::create_file((d / "huge.h5").string());
    h5::set_attr_int(f.id(), "schema_version", 1);
    h5::Handle g = h5::create_group(f.id(), "scenarios/x");
    for (const char* name : {"replicates", "replicates_written", "seed"})
      h5::set_attr_int(g.id(), name, 1000);
    h5::set_attr_int(g.id(), "complete", 1);
    h5::set_attr_int(g.id(), "cohort_size", 100000000);
    h5::Handle waves = h5::create_group(g.id(), "youth/waves");
    h5::create_dataset(waves.id(), "alliance_youth", h5::Dtype::F32, {1000, 100000000, 4},
                       {1, 16384, 4});
  }
  fs::copy_file(fs::path(ASIM_SOURCE_DIR) / "tests/fault/data/damaged-dense-links.h5",
                d / "damaged-dense-links.h5");
  fs::copy_file(d / "good.h5", d / "newer.h5");
  {
    asim::h5::Handle f = asim::h5::open_file_rw((d / "newer.h5").string());
    asim::h5::set_attr_int(f.id(), "schema_version", 99);
  }
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void check_row(const TempDir& dir, const Row& row, const std::string& command) {
  const auto r = run_command("cd " + dir.path().string() + " && " + cli() + " " + command);
  INFO("input: " << row.input << "\ncommand: alliance-sim " << command << "\noutput: " << r.output);
  CHECK(r.status == row.status);
  if (row.exact)
    CHECK(trim(r.output) == "alliance-sim: error: " + std::string(row.message));
  else
    CHECK_THAT(r.output, Catch::Contains(row.message));
  CHECK_THAT(r.output, !Catch::Contains("HDF5-DIAG"));  // HDF5's own error stack stays quiet
}

std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

// The table of docs/errors.md, from kRows.
std::string errors_table() {
  std::ostringstream o;
  o << "| input | command | exit | message |\n|---|---|---|---|\n";
  for (const auto& row : kRows) {
    std::string message = std::string(row.message) + (row.exact ? "" : " …");
    o << "| " << markdown_cell(row.input) << " | `alliance-sim " << markdown_cell(row.command)
      << "` | " << row.status << " | `" << markdown_cell(message) << "` |\n";
  }
  return o.str();
}

const std::string kBegin = "<!-- table generated by tests/fault/test_bad_inputs.cpp -->\n";
const std::string kEnd = "<!-- end of generated table -->\n";

}  // namespace

TEST_CASE("every bad input gets its exit status and message, and no crash", "[fault][errors]") {
  TempDir dir;
  make_fixtures(dir);
  for (const auto& row : kRows) {
    check_row(dir, row, row.command);
    if (!row.every_reader) continue;
    // The same file given to every subcommand that reads result files.
    const std::string file = std::string(row.command).substr(std::string("inspect ").size());
    for (const std::string& other : {"compare " + file, "analyse " + file,
                                     "export " + file + " -o out.csv", "sensitivity " + file})
      check_row(dir, row, other);
    CHECK_FALSE(fs::exists(dir.file("out.csv")));
  }
  // No row left anything under a result name.
  CHECK_FALSE(fs::exists(dir.file("x.h5")));
  CHECK_FALSE(fs::exists(dir.file("x.h5.partial")));
  CHECK_FALSE(fs::exists(dir.file("fresh.h5")));
}

TEST_CASE("docs/errors.md holds the table of bad inputs", "[fault][errors-doc]") {
  const std::string path = std::string(ASIM_SOURCE_DIR) + "/docs/errors.md";
  const std::string doc = read_text(path);
  const auto begin = doc.find(kBegin), end = doc.find(kEnd);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const std::string table = errors_table();
  if (std::getenv("ASIM_UPDATE_DOCS")) {
    std::ofstream(path, std::ios::binary)
        << doc.substr(0, begin + kBegin.size()) << table << doc.substr(end);
    return;
  }
  INFO("regenerate with: ASIM_UPDATE_DOCS=1 build/tests/tests_fault \"[errors-doc]\"");
  CHECK(doc.substr(begin + kBegin.size(), end - begin - kBegin.size()) == table);
}
