// Result files as labelled arrays: every file the CLI writes (a default run, a library scenario
// with daily series, a sweep) opens in netCDF's own tools and in the readers researchers use,
// as they would use them: `ncdump -h`, xarray with both engines (h5netcdf, netcdf4) on every
// group (tests/e2e/netcdf_check.py compares every variable with h5py), and R's ncdf4 (compared
// with hdf5r by tests/e2e/netcdf_check.R). And a file of the previous schema (version 1,
// tests/data/schema1-sweep.h5, written by alliance-sim before the netCDF-4 layout) still opens
// in every command.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support.hpp"

using namespace asim::test;
namespace fs = std::filesystem;

namespace {

const std::string kSmall =
    " --replicates 2 --set cohort.size=20 --set cohort.burn_in_days=20"
    " --set institution.open_groups=2 --set institution.closed_groups=1 --quiet";

std::string source(const std::string& relative) {
  return std::string(ASIM_SOURCE_DIR) + "/" + relative;
}

void require_tools() {
  const auto py = run_command("/usr/bin/python3 -c 'import xarray, h5netcdf, netCDF4, h5py'");
  INFO("Debian packages python3-xarray, python3-h5netcdf and python3-netcdf4 are needed:\n"
       << py.output);
  REQUIRE(py.status == 0);
  const auto r = run_command("Rscript -e 'suppressPackageStartupMessages(library(ncdf4))'");
  INFO("Rscript with the Debian package r-cran-ncdf4 is needed:\n" << r.output);
  REQUIRE(r.status == 0);
  INFO("ncdump (Debian package netcdf-bin) is needed");
  REQUIRE(run_command("command -v ncdump").status == 0);
}

// The checks every result file must pass; `variable` is read through ncdf4 and hdf5r.
void check_opens_as_netcdf(const std::string& file, const std::string& variable,
                           const std::string& expected_dims) {
  const auto dump = run_command("ncdump -h " + file);
  INFO("ncdump -h:\n" << dump.output.substr(0, 4000));
  CHECK(dump.status == 0);
  CHECK(dump.output.find("phony_dim") == std::string::npos);

  const auto py =
      run_command("/usr/bin/python3 " + source("tests/e2e/netcdf_check.py") + " " + file);
  INFO("xarray:\n" << py.output);
  CHECK(py.status == 0);
  CHECK(py.output.find("checked ") != std::string::npos);

  const auto r =
      run_command("Rscript " + source("tests/e2e/netcdf_check.R") + " " + file + " " + variable);
  INFO("ncdf4:\n" << r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("ncdf4 dims " + variable + " " + expected_dims) != std::string::npos);
}

}  // namespace

TEST_CASE("a default run opens in ncdump, xarray (both engines) and R's ncdf4", "[netcdf]") {
  require_tools();
  TempDir dir;
  const auto file = dir.file("default.h5");
  const auto run = run_command(cli() + " run -o " + file + kSmall);
  INFO(run.output);
  REQUIRE(run.status == 0);
  // R shows dimensions in reverse: [replicate, youth, wave] is wave youth replicate.
  check_opens_as_netcdf(file, "scenarios/baseline/youth/waves/alliance_youth",
                        "wave youth replicate");

  // A researcher's one-liner: xarray with named dimensions and wave days as coordinates.
  const auto py = run_command(
      "/usr/bin/python3 -c \"import xarray as xr; "
      "ds = xr.open_dataset('" +
      file +
      "', group='scenarios/baseline/youth/waves', engine='h5netcdf'); "
      "print(dict(ds.alliance_youth.sizes)); print(list(ds.wave.values)); "
      "print(ds.alliance_youth.sel(wave=91).mean().item() > 1)\"");
  INFO(py.output);
  REQUIRE(py.status == 0);
  CHECK(py.output.find("{'replicate': 2, 'youth': 20, 'wave': 4}") != std::string::npos);
  CHECK(py.output.find("[14, 91, 182, 273]") != std::string::npos);
  CHECK(py.output.find("True") != std::string::npos);
}

TEST_CASE("a library scenario with daily series and a sweep open as netCDF", "[netcdf]") {
  require_tools();
  TempDir dir;
  const auto lib = dir.file("staffing.h5");
  const auto run = run_command(cli() + " run " + source("scenarios/staffing-low.toml") + " -o " +
                               lib + " --daily all --group-series yes" + kSmall);
  INFO(run.output);
  REQUIRE(run.status == 0);
  check_opens_as_netcdf(lib, "scenarios/staffing-low/groups/daily/occupancy",
                        "day group replicate");

  const auto sweep =
      dir.write("grid.toml", "inherit = \"" + source("scenarios/baseline.toml") +
                                 "\"\n[scenario]\nname = \"grid\"\n"
                                 "[sweep]\ndesign = \"grid\"\n"
                                 "[sweep.parameters]\n\"mentor.caseload\" = [5, 12]\n"
                                 "\"staff.annual_turnover\" = [0.1, 0.3]\n");
  const auto out = dir.file("grid.h5");
  const auto swept = run_command(cli() + " run " + sweep + " -o " + out + kSmall);
  INFO(swept.output);
  REQUIRE(swept.status == 0);
  check_opens_as_netcdf(out, "sweep/design", "parameter point");
  // The design's parameter names are its column coordinate.
  const auto py = run_command(
      "/usr/bin/python3 -c \"import xarray as xr; "
      "ds = xr.open_dataset('" +
      out +
      "', group='sweep', engine='netcdf4'); "
      "print(list(ds.parameter.values)); "
      "print(ds.design.sel(point='sweep-0004').values.tolist())\"");
  INFO(py.output);
  REQUIRE(py.status == 0);
  CHECK(py.output.find("['mentor.caseload', 'staff.annual_turnover']") != std::string::npos);
  CHECK(py.output.find("[12.0, 0.3]") != std::string::npos);
}

TEST_CASE("a result file of schema_version 1 still opens in every command", "[netcdf][schema1]") {
  TempDir dir;
  const auto v1 = source("tests/data/schema1-sweep.h5");
  REQUIRE(fs::exists(v1));
  const auto inspect = run_command(cli() + " inspect " + v1);
  INFO(inspect.output);
  CHECK(inspect.status == 0);
  CHECK(inspect.output.find("schema_version  1") != std::string::npos);
  CHECK(inspect.output.find("scenario sweep-0002") != std::string::npos);

  const auto analyse = run_command(cli() + " analyse " + v1);
  INFO(analyse.output);
  CHECK(analyse.status == 0);

  const auto compare = run_command(cli() + " compare " + v1 + " --baseline sweep-0001");
  INFO(compare.output);
  CHECK(compare.status == 0);
  CHECK(compare.output.find("sweep-0002") != std::string::npos);

  const auto csv = dir.file("panel.csv");
  const auto exported = run_command(cli() + " export " + v1 + " -o " + csv);
  INFO(exported.output);
  CHECK(exported.status == 0);
  CHECK(fs::file_size(csv) > 1000);

  const auto html = dir.file("report.html");
  const auto report =
      run_command(cli() + " report " + v1 + " -o " + html + " --baseline sweep-0001");
  INFO(report.output);
  CHECK(report.status == 0);
  CHECK(fs::file_size(html) > 1000);

  // The old layout's design coordinate (/sweep/points) is found; a grid design is not a
  // Saltelli design, and sensitivity says so rather than failing to read the file.
  const auto sens = run_command(cli() + " sensitivity " + v1);
  INFO(sens.output);
  CHECK(sens.status == 2);
  CHECK(sens.output.find("saltelli") != std::string::npos);
  CHECK(sens.output.find("/sweep/point") == std::string::npos);

  // And the researcher's reader scripts read it too.
  const auto py =
      run_command("/usr/bin/python3 " + source("analysis/python/read_results.py") + " " + v1);
  INFO(py.output);
  CHECK(py.status == 0);
  CHECK(py.output.find("check sweep-0002") != std::string::npos);
}
