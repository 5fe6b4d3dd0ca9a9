// The researcher's reader scripts end to end: analysis/python/read_results.py (h5py, pandas) and
// analysis/R/read_results.R (hdf5r) read a result file made by the CLI, and both report the same
// mean first-wave youth-rated alliance in open groups as a value computed here with the engine's
// own HDF5 reader. Agreement of the R number with C++ shows that the R script undoes hdf5r's
// reversed dimension order correctly (a wrong order would average another wave or replicate).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>

#include "engine/h5.hpp"
#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

const std::string kPython = "/usr/bin/python3";  // Debian's, which sees python3-h5py/pandas
const std::string kKey = "mean_alliance_youth_first_open=";

std::string python_reader() {
  return kPython + " " + std::string(ASIM_SOURCE_DIR) + "/analysis/python/read_results.py";
}
std::string r_reader() {
  return "Rscript " + std::string(ASIM_SOURCE_DIR) + "/analysis/R/read_results.R";
}

// The "check <scenario> mean_alliance_youth_first_open=<value>" lines of a reader's output.
std::map<std::string, std::string> check_lines(const std::string& output) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while ((pos = output.find("check ", pos)) != std::string::npos) {
    const std::size_t eol = std::min(output.find('\n', pos), output.size());
    const std::string line = output.substr(pos, eol - pos);
    pos = eol;
    const std::size_t space = line.find(' ', 6);
    const std::size_t key = line.find(kKey);
    if (space == std::string::npos || key == std::string::npos) continue;
    out[line.substr(6, space - 6)] = line.substr(key + kKey.size());
  }
  return out;
}

// Mean youth-rated alliance at wave `wave` (0 = first impression) of youths in open groups, over
// the written replicates, computed from the file with the engine's reader (C order
// [replicate, youth, wave]).
double mean_open(const std::string& file, const std::string& scenario, std::size_t wave,
                 long& count) {
  namespace h5 = asim::h5;
  const h5::Handle f = h5::open_file_read(file);
  const h5::Handle g = h5::open_group(f.id(), "scenarios/" + scenario);
  const auto written = static_cast<std::size_t>(h5::get_attr_int(g.id(), "replicates_written"));
  const h5::Handle ay = h5::open_dataset(g.id(), "youth/waves/alliance_youth");
  const h5::Handle st = h5::open_dataset(g.id(), "youth/static/setting");
  const auto shape = h5::shape(ay.id());
  REQUIRE(shape.size() == 3);
  REQUIRE(shape[2] == 4);
  REQUIRE(wave < 4);
  REQUIRE(h5::shape(st.id()) == std::vector<hsize_t>{shape[0], shape[1]});
  std::vector<float> alliance;
  std::vector<std::int8_t> setting;
  h5::read_all(ay.id(), alliance);
  h5::read_all(st.id(), setting);
  const std::size_t N = shape[1], W = shape[2];
  double sum = 0;
  count = 0;
  for (std::size_t r = 0; r < written; ++r)
    for (std::size_t y = 0; y < N; ++y) {
      if (setting[r * N + y] != 0) continue;
      const float v = alliance[(r * N + y) * W + wave];
      if (std::isnan(v)) continue;
      sum += v;
      ++count;
    }
  return count ? sum / static_cast<double>(count) : std::nan("");
}

void require_readers_available() {
  const auto py = run_command(kPython + " -c 'import h5py, numpy, pandas'");
  INFO("Debian packages python3-h5py and python3-pandas are needed:\n" << py.output);
  REQUIRE(py.status == 0);
  const auto r = run_command("Rscript -e 'suppressPackageStartupMessages(library(hdf5r))'");
  INFO("Rscript with the Debian package r-cran-hdf5r is needed:\n" << r.output);
  REQUIRE(r.status == 0);
}

}  // namespace

TEST_CASE("Python and R readers agree with each other and with the C++ reader", "[readers]") {
  require_readers_available();
  TempDir dir;
  const auto file = dir.file("r.h5");
  // Three replicates of 60 youths: enough open-group youths at the first wave for a mean that
  // differs between waves and replicates, so a reader that mixes up dimensions gets another
  // number.
  const auto run =
      run_command(cli() + " run -o " + file +
                  " --replicates 3 --set cohort.size=60 --set cohort.burn_in_days=30 --quiet");
  INFO(run.output);
  REQUIRE(run.status == 0);

  const auto py = run_command(python_reader() + " " + file);
  INFO("python:\n" << py.output);
  REQUIRE(py.status == 0);
  const auto r = run_command(r_reader() + " " + file);
  INFO("R:\n" << r.output);
  REQUIRE(r.status == 0);

  const auto py_checks = check_lines(py.output);
  const auto r_checks = check_lines(r.output);
  REQUIRE(py_checks.count("baseline") == 1);
  REQUIRE(r_checks.count("baseline") == 1);
  // Both compute in double from the same float32 values and print 4 decimals: identical text.
  CHECK(py_checks.at("baseline") == r_checks.at("baseline"));

  long count = 0;
  const double expected = mean_open(file, "baseline", 0, count);
  REQUIRE(count > 20);
  // A correctly rounded 4-decimal print is within 5e-5 of the value; 1e-6 more for summation order.
  CHECK(std::abs(std::stod(py_checks.at("baseline")) - expected) <= 5.1e-5);
  CHECK(std::abs(std::stod(r_checks.at("baseline")) - expected) <= 5.1e-5);

  // The 3-month wave has another mean, so the comparison above can tell the waves apart: a
  // reader that printed the 3-month mean would be more than the tolerance (5.1e-5) off, also
  // after its own rounding (twice the tolerance).
  long count_3m = 0;
  CHECK(std::abs(mean_open(file, "baseline", 1, count_3m) - expected) > 2 * 5.1e-5);
  CHECK(py.output.find("mean youth-rated alliance") != std::string::npos);
  CHECK(r.output.find("favourable outcome by setting") != std::string::npos);
}

TEST_CASE("readers handle several scenarios and write the same CSV tables", "[readers]") {
  require_readers_available();
  TempDir dir;
  const auto file = dir.file("two.h5");
  const std::string scen = std::string(ASIM_SOURCE_DIR) + "/scenarios/";
  const auto run =
      run_command(cli() + " run " + scen + "baseline.toml " + scen + "caseload-5.toml -o " + file +
                  " --replicates 2 --set cohort.size=40 --set cohort.burn_in_days=30 --quiet");
  INFO(run.output);
  REQUIRE(run.status == 0);

  const auto py_dir = dir.file("py"), r_dir = dir.file("r");
  const auto py = run_command(python_reader() + " " + file + " --csv " + py_dir);
  INFO("python:\n" << py.output);
  REQUIRE(py.status == 0);
  const auto r = run_command(r_reader() + " " + file + " --csv " + r_dir);
  INFO("R:\n" << r.output);
  REQUIRE(r.status == 0);

  const auto py_checks = check_lines(py.output);
  const auto r_checks = check_lines(r.output);
  CHECK(py_checks.size() == 2);
  CHECK(py_checks == r_checks);
  for (const std::string name : {"baseline", "caseload-5"}) {
    REQUIRE(py_checks.count(name) == 1);
    long count = 0;
    const double expected = mean_open(file, name, 0, count);
    REQUIRE(count > 0);
    CHECK(std::abs(std::stod(py_checks.at(name)) - expected) <= 5.1e-5);
  }

  // One row per (scenario, replicate, youth, wave) and per (scenario, replicate, youth), plus a
  // header, in both languages; the header lines name the same columns.
  auto lines = [](const std::string& path) {
    const std::string text = read_text(path);
    return static_cast<long>(std::count(text.begin(), text.end(), '\n'));
  };
  auto header = [](const std::string& path) {
    std::string h = read_text(path).substr(0, read_text(path).find('\n'));
    h.erase(std::remove(h.begin(), h.end(), '"'), h.end());
    return h;
  };
  for (const auto& d : {py_dir, r_dir}) {
    INFO(d);
    CHECK(lines(d + "/waves_long.csv") == 1 + 2 * 2 * 40 * 4);
    CHECK(lines(d + "/youth_outcomes.csv") == 1 + 2 * 2 * 40);
  }
  CHECK(header(py_dir + "/waves_long.csv") == header(r_dir + "/waves_long.csv"));
  CHECK(header(py_dir + "/youth_outcomes.csv") == header(r_dir + "/youth_outcomes.csv"));
  CHECK(header(py_dir + "/waves_long.csv")
            .rfind("scenario,replicate,youth,wave,wave_day,setting,externalising,alliance_youth,",
                   0) == 0);
}

TEST_CASE("readers refuse a file that is not a result file", "[readers]") {
  require_readers_available();
  TempDir dir;
  const auto bad = dir.write("bad.h5", "not an HDF5 file\n");
  const auto py = run_command(python_reader() + " " + bad);
  INFO(py.output);
  CHECK(py.status != 0);
  CHECK(py.output.find(bad) != std::string::npos);
  const auto r = run_command(r_reader() + " " + bad);
  INFO(r.output);
  CHECK(r.status != 0);
  CHECK(r.output.find(bad) != std::string::npos);
}
