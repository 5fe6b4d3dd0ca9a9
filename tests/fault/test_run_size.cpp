// Sizes that cannot fit are refused before anything is allocated or written, with the memory
// and disk they would need; the up-front estimate bounds the real result file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "engine/errors.hpp"
#include "models/run_size.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using namespace asim;
using asim::test::cli;
using asim::test::run_command;
using asim::test::TempDir;

TEST_CASE("the output estimate bounds the real result file", "[fault][size]") {
  TempDir dir;
  struct Case {
    std::string args;
    bool daily;
  };
  const Case cases[] = {
      {"--replicates 3", false},
      {"--replicates 3 --daily all", true},
      {"--replicates 2 --set cohort.size=3000", false},
      {"--replicates 2 --set institution.open_groups=40 --set institution.closed_groups=10", false},
  };
  for (const auto& c : cases) {
    const std::string out = dir.file("size.h5");
    const auto r = run_command(cli() + " run " + c.args + " -o " + out + " --quiet --overwrite");
    REQUIRE(r.status == 0);
    // The same parameters as the command line above.
    std::string overrides = c.args;
    ModelParams p;
    {
      const ScenarioLoader loader = model_scenario_loader();
      Scenario s = loader.load_builtin("baseline");
      std::istringstream words(c.args);
      for (std::string w; words >> w;) {
        std::string value;
        words >> value;
        if (w == "--replicates") loader.apply_override(s, "run.replicates=" + value);
        if (w == "--set") loader.apply_override(s, value);
      }
      p = make_model_params(s.values);
    }
    RunOptions options;
    if (c.daily) options.daily.fill(true);
    const RunSize size = estimate_run_size(p, options, 2);
    const double actual = static_cast<double>(fs::file_size(out));
    INFO(c.args << ": file " << actual << " bytes, estimate " << size.output_bytes);
    CHECK(actual <= size.output_bytes);
    // An estimate, not a bound so loose that it says nothing: within a factor of 10.
    CHECK(size.output_bytes <= 10 * actual);
    CHECK(size.in_flight == std::min(p.replicates, 4));
  }
}

TEST_CASE("a run that cannot fit is refused before anything is written, with both figures",
          "[fault][size]") {
  TempDir dir;
  const std::string out = dir.file("huge.h5");
  // 10^7 youths x 10^5 replicates: about a petabyte of results, more than any disk.
  auto disk = run_command(cli() + " run -o " + out +
                          " --set cohort.size=10000000 --replicates 100000 --threads 1");
  INFO(disk.output);
  CHECK(disk.status == 2);
  CHECK_THAT(disk.output,
             Catch::Contains("this run does not fit: it needs about") &&
                 Catch::Contains("of memory (2 replicates in flight) and up to") &&
                 Catch::Contains("iB of disk for the result file; available:") &&
                 Catch::Contains("free in " + dir.path().string()) &&
                 Catch::Contains("use fewer youths (cohort.size), replicates or threads"));
  CHECK_FALSE(fs::exists(out));
  CHECK_FALSE(fs::exists(out + ".partial"));
  // 8192 replicates of 10^7 youths in flight (4096 threads): hundreds of TiB of memory.
  auto memory = run_command(cli() + " run -o " + out +
                            " --set cohort.size=10000000 --replicates 10000 --threads 4096");
  INFO(memory.output);
  CHECK(memory.status == 2);
  CHECK_THAT(memory.output, Catch::Contains("TiB of memory (8192 replicates in flight)"));
  CHECK_FALSE(fs::exists(out + ".partial"));
}

TEST_CASE("sizes beyond the registry ranges are refused with the range", "[fault][size]") {
  TempDir dir;
  const std::string out = dir.file("x.h5");
  auto cohort = run_command(cli() + " run -o " + out + " --set cohort.size=1000000000000");
  CHECK(cohort.status == 2);
  CHECK_THAT(cohort.output,
             Catch::Contains("cohort.size = 1000000000000 is outside [1, 10000000]"));
  auto replicates = run_command(cli() + " run -o " + out + " --replicates 1000000000");
  CHECK(replicates.status == 2);
  CHECK_THAT(replicates.output,
             Catch::Contains("--replicates: Value 1000000000 not in range 1 to 100000"));
  auto set = run_command(cli() + " run -o " + out + " --set run.replicates=1e9");
  CHECK(set.status == 2);
  CHECK_THAT(set.output, Catch::Contains("run.replicates = 1e+09 is outside [1, 100000]"));
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("check_run_fits refuses only what exceeds the machine", "[fault][size]") {
  RunSize size;
  size.memory_bytes = 2e9;
  size.output_bytes = 5e9;
  size.in_flight = 4;
  CHECK_NOTHROW(check_run_fits(size, 4e9, 6e9, "out"));
  CHECK_NOTHROW(check_run_fits(size, 0, 0, "out"));  // unknown: not checked
  CHECK_THROWS_WITH(check_run_fits(size, 1e9, 6e9, "out"),
                    "this run does not fit: it needs about 1.9 GiB of memory (4 replicates in "
                    "flight) and up to 4.7 GiB of disk for the result file; available: 953.7 MiB "
                    "of memory, 5.6 GiB free in out; use fewer youths (cohort.size), replicates "
                    "or threads");
  CHECK_THROWS_AS(check_run_fits(size, 4e9, 1e9, "out"), ConfigError);
  CHECK(format_bytes(512) == "512 bytes");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(3.0 * 1024 * 1024 * 1024 * 1024) == "3.0 TiB");
}
