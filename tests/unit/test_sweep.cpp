// Parameter sweeps: the [sweep] table of a scenario file (accepted forms, every class of bad input
// and its message) and the design matrices of engine/sweep (grid order, Latin hypercube
// stratification, Sobol points, the Saltelli A/B/AB_i structure), against a small test registry.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "engine/config.hpp"
#include "engine/errors.hpp"
#include "engine/sweep.hpp"
#include "tests/support.hpp"

using namespace asim;
using asim::test::make_spec;

namespace {

const Registry& registry() {
  static const Registry r = [] {
    Registry r;
    r.add(make_spec("mentor.caseload", ParamType::Integer, 8, 1, 30));
    r.add(make_spec("mentor.warmth", ParamType::Real, 0.5, 0, 1));
    r.add(make_spec("youth.motivation", ParamType::Real, 0, -1, 1));
    r.add(make_spec("staff.turnover", ParamType::Real, 0.2, 0, 1.5));
    r.add(make_spec("setting.kind", ParamType::Choice, 0, 0, 0, {"open", "closed"}));
    r.add(make_spec("run.daily_output", ParamType::Boolean, 0, 0, 1));
    r.add(make_spec("run.seed", ParamType::Integer, 7, 0, 2147483647));
    r.add(make_spec("run.replicates", ParamType::Integer, 5, 1, 100000));
    return r;
  }();
  return r;
}

std::string_view embedded(std::string_view name) {
  if (name == "swept")
    return "[mentor]\ncaseload = 10\n[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n"
           "\"mentor.warmth\" = [0.1, 0.2]\n";
  return {};
}

ScenarioLoader loader() {
  return ScenarioLoader(registry(), &embedded);
}

SweepSpec load_sweep(const std::string& text) {
  const Scenario s = loader().load_text(text, "x.toml");
  REQUIRE(s.sweep.has_value());
  return *s.sweep;
}

// The ConfigError message of loading `text`, or "" when it loads.
std::string sweep_error(const std::string& text) {
  try {
    loader().load_text(text, "x.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

// A [sweep] of `design` (with `points` when > 0) over the given [sweep.parameters] lines.
std::string sweep(const std::string& design, int points, const std::string& parameters) {
  return "[sweep]\ndesign = \"" + design + "\"\n" +
         (points > 0 ? "points = " + std::to_string(points) + "\n" : std::string()) +
         "[sweep.parameters]\n" + parameters;
}

SweepParameter ranged(std::size_t index, double lo, double hi) {
  SweepParameter p;
  p.index = index;
  p.name = registry().spec(index).name;
  p.min = lo;
  p.max = hi;
  return p;
}

SweepSpec ranged_spec(SweepDesign design, std::size_t points) {
  SweepSpec spec;
  spec.design = design;
  spec.points = points;
  spec.parameters = {ranged(1, 0.2, 0.6), ranged(2, -1, 1), ranged(3, 0.05, 0.4)};
  return spec;
}

}  // namespace

// ---- the [sweep] table -----------------------------------------------------------------------

TEST_CASE("A grid sweep is read in file order with values in registry units", "[sweep]") {
  const Scenario s = loader().load_text(
      "[mentor]\ncaseload = 10\n"
      "[sweep]\ndesign = \"grid\"\n[sweep.parameters]\n"
      "\"mentor.warmth\" = [0.1, 0.9]\n"
      "\"mentor.caseload\" = [5, 8, 12]\n"
      "setting.kind = [\"open\", \"closed\"]\n"
      "\"run.daily_output\" = [false, true]\n",
      "dir/g.toml");
  REQUIRE(s.sweep);
  const SweepSpec& spec = *s.sweep;
  CHECK(spec.design == SweepDesign::Grid);
  CHECK(spec.points == 0);
  CHECK_FALSE(spec.seed);
  CHECK(spec.origin == "dir/g.toml:3");
  REQUIRE(spec.parameters.size() == 4);
  // File order, not toml++'s alphabetical order: the grid's first parameter varies slowest.
  CHECK(spec.parameters[0].name == "mentor.warmth");
  CHECK(spec.parameters[1].name == "mentor.caseload");
  CHECK(spec.parameters[1].values == std::vector<double>{5, 8, 12});
  CHECK(spec.parameters[1].origin == "dir/g.toml:7");
  CHECK(spec.parameters[2].values == std::vector<double>{0, 1});  // choice indices
  CHECK(spec.parameters[3].values == std::vector<double>{0, 1});
  CHECK(sweep_size(spec) == 2 * 3 * 2 * 2);
  // The sweep does not change the scenario's own values.
  CHECK(s.values.get("mentor.caseload") == 10);
}

TEST_CASE("Ranged sweeps are read with their points and seed", "[sweep]") {
  const SweepSpec lhs = load_sweep(
      "[sweep]\ndesign = \"lhs\"\npoints = 20\nseed = 3\n[sweep.parameters]\n"
      "\"staff.turnover\" = { min = 0.1, max = 0.4 }\n[sweep.parameters.mentor]\n"
      "caseload = { min = 4, max = 12 }\n");
  CHECK(lhs.design == SweepDesign::Lhs);
  CHECK(lhs.points == 20);
  CHECK(lhs.seed == 3u);
  REQUIRE(lhs.parameters.size() == 2);
  CHECK(lhs.parameters[0].name == "staff.turnover");
  CHECK(lhs.parameters[0].min == 0.1);
  CHECK(lhs.parameters[0].max == 0.4);
  CHECK(lhs.parameters[1].name == "mentor.caseload");  // nested tables name parameters too
  CHECK(lhs.parameters[1].min == 4);
  const SweepSpec saltelli = load_sweep(sweep("saltelli", 16,
                                              "mentor.warmth = { min = 0, max = 1 }\n"
                                              "\"staff.turnover\" = { min = 0.1, max = 0.3 }\n"));
  CHECK(saltelli.design == SweepDesign::Saltelli);
  CHECK(sweep_size(saltelli) == 16 * (2 + 2));
  CHECK(load_sweep(sweep("sobol", 5, "\"mentor.warmth\" = { min = 0, max = 1 }\n")).design ==
        SweepDesign::Sobol);
}

TEST_CASE("A sweep is not inherited", "[sweep]") {
  const Scenario child = loader().load_text("inherit = \"builtin:swept\"\n", "child.toml");
  CHECK_FALSE(child.sweep);
  CHECK(child.values.get("mentor.caseload") == 10);  // the values are
  CHECK(loader().load_builtin("swept").sweep.has_value());
}

TEST_CASE("Bad sweeps name file, line, key, value and the allowed range", "[sweep]") {
  const std::string warmth_range = "\"mentor.warmth\" = { min = 0.1, max = 0.4 }\n";
  // Design.
  CHECK(
      sweep_error(sweep("grd", 0, "\"mentor.caseload\" = [1, 2]\n")) ==
      "x.toml:2: sweep.design = \"grd\" is not one of \"grid\", \"lhs\", \"sobol\", \"saltelli\"");
  CHECK(
      sweep_error("[sweep]\npoints = 10\n[sweep.parameters]\n" + warmth_range) ==
      "x.toml:1: [sweep] has no design: add design = \"grid\", \"lhs\", \"sobol\" or \"saltelli\"");
  CHECK(sweep_error("[sweep]\ndesign = \"sobol\"\npoints = 5\ndesing = 3\n[sweep.parameters]\n" +
                    warmth_range) ==
        "x.toml:4: unknown key 'sweep.desing' (allowed: design, points, seed, parameters)");
  CHECK(sweep_error("sweep = 3\n") ==
        "x.toml:1: sweep = 3 must be a table: write [sweep] followed by design and points, then "
        "[sweep.parameters]");
  // Unknown parameters, with a hint.
  CHECK(sweep_error(sweep("grid", 0, "\"mentor.casload\" = [1, 2]\n")) ==
        "x.toml:4: sweep: unknown parameter 'mentor.casload' (did you mean 'mentor.caseload'?)");
  CHECK(sweep_error(
            sweep("lhs", 5, "[sweep.parameters.mentr]\nwarmth = { min = 0.1, max = 0.4 }\n")) ==
        "x.toml:6: sweep: unknown parameter 'mentr.warmth' (did you mean 'mentor.warmth'?)");
  CHECK(sweep_error("[sweep]\ndesign = \"grid\"\n") ==
        "x.toml:1: [sweep] has no [sweep.parameters]: list the parameters to sweep, e.g. "
        "\"mentor.caseload\" = [5, 8, 12]");
  // Values outside the registry range, in lists and in ranges.
  CHECK(sweep_error(sweep("grid", 0, "\"mentor.caseload\" = [1, 99]\n")) ==
        "x.toml:4: sweep mentor.caseload = 99 is outside [1, 30]");
  CHECK(sweep_error(sweep("grid", 0, "\"setting.kind\" = [\"open\", \"semi\"]\n")) ==
        "x.toml:4: sweep setting.kind = \"semi\" is not one of \"open\", \"closed\"");
  CHECK(sweep_error(sweep("lhs", 10, "\"mentor.warmth\" = { min = 0.1, max = 1.5 }\n")) ==
        "x.toml:5: sweep mentor.warmth max = 1.5 is outside [0, 1]");
  CHECK(sweep_error(sweep("lhs", 5, "\"mentor.caseload\" = { min = 1.5, max = 4 }\n")) ==
        "x.toml:5: sweep mentor.caseload min = 1.5 must be a whole number");
  CHECK(sweep_error(sweep("lhs", 10, "\"mentor.warmth\" = { min = 0.4, max = 0.1 }\n")) ==
        "x.toml:5: sweep mentor.warmth = { min = 0.4, max = 0.1 }: min must be below max "
        "(allowed: [0, 1])");
  CHECK(sweep_error(sweep("lhs", 10, "\"mentor.warmth\" = { min = 0.4, max = 0.4 }\n"))
            .find("min must be below max") != std::string::npos);
  CHECK(sweep_error(sweep("lhs", 5, "\"mentor.caseload\" = { min = 1, mx = 4 }\n")) ==
        "x.toml:5: unknown key 'mx' in the range of sweep mentor.caseload (allowed: min, max)");
  CHECK(sweep_error(sweep("lhs", 5, "\"mentor.caseload\" = { min = 1 }\n")) ==
        "x.toml:5: sweep mentor.caseload = { min = 1 } has no max: write { min = 1, max = 30 } or "
        "a range inside [1, 30]");
  // A list where a range is needed, and the other way round.
  CHECK(sweep_error(sweep("lhs", 10, "\"mentor.caseload\" = [5, 8, 12]\n")) ==
        "x.toml:5: sweep mentor.caseload = [5, 8, 12] is a list of values, but design = \"lhs\" "
        "samples a range: write { min = 5, max = 12 }");
  CHECK(sweep_error(sweep("grid", 0, warmth_range)) ==
        "x.toml:4: sweep mentor.warmth = { min = 0.1, max = 0.4 } is a range, but design = "
        "\"grid\" needs a list of values, e.g. [0.1, 0.4] (or use design = \"lhs\", \"sobol\" or "
        "\"saltelli\")");
  CHECK(sweep_error(sweep("sobol", 5, "\"mentor.warmth\" = 0.3\n")) ==
        "x.toml:5: sweep mentor.warmth = 0.3 is a single value; a sweep needs a list of values, "
        "e.g. [0, 1] (design = \"grid\"), or a range { min = ..., max = ... } inside [0, 1] (lhs, "
        "sobol, saltelli)");
  // Boolean and choice parameters have no range.
  CHECK(sweep_error(sweep("lhs", 10, "\"run.daily_output\" = { min = 0, max = 1 }\n")) ==
        "x.toml:5: sweep run.daily_output = { min = 0, max = 1 }: run.daily_output is true or "
        "false and has no range; list its values, e.g. [false, true], with design = \"grid\"");
  CHECK(sweep_error(sweep("saltelli", 10, "\"setting.kind\" = { min = 0, max = 1 }\n")) ==
        "x.toml:5: sweep setting.kind = { min = 0, max = 1 }: setting.kind is one of \"open\", "
        "\"closed\" and has no range; list its values, e.g. [\"open\", \"closed\"], with design = "
        "\"grid\"");
  // Lists.
  CHECK(sweep_error(sweep("grid", 0, "\"mentor.warmth\" = []\n")) ==
        "x.toml:4: sweep mentor.warmth = [] is an empty list: list the values to run, e.g. [0, 1]");
  CHECK(sweep_error(sweep("grid", 0, "\"mentor.warmth\" = [0.1, 0.2, 0.1]\n")) ==
        "x.toml:4: sweep mentor.warmth = [0.1, 0.2, 0.1] lists 0.1 twice");
  CHECK(sweep_error(sweep("grid", 0, "\"mentor.warmth\" = [0.1]\nmentor.warmth = [0.2]\n")) ==
        "x.toml:5: sweep mentor.warmth is swept twice (also at x.toml:4)");
  // Points and seed.
  CHECK(sweep_error(sweep("sobol", 0, "") + "\"mentor.warmth\" = { min = 0.1, max = 0.4 }\n")
            .find("needs points = N") != std::string::npos);
  CHECK(sweep_error("[sweep]\ndesign = \"lhs\"\n[sweep.parameters]\n" + warmth_range) ==
        "x.toml:1: [sweep] design = \"lhs\" needs points = N (the number of points)");
  CHECK(sweep_error("[sweep]\ndesign = \"sobol\"\npoints = 0\n[sweep.parameters]\n" +
                    warmth_range) == "x.toml:3: sweep.points = 0 is outside [1, 100000]");
  CHECK(
      sweep_error("[sweep]\ndesign = \"lhs\"\npoints = 2.5\n[sweep.parameters]\n" + warmth_range) ==
      "x.toml:3: sweep.points = 2.5 has the wrong type: expected a whole number in [1, 100000]");
  CHECK(sweep_error("[sweep]\ndesign = \"grid\"\npoints = 5\n[sweep.parameters]\n"
                    "\"mentor.warmth\" = [0.1]\n") ==
        "x.toml:3: sweep.points = 5 is not used by design = \"grid\" (a grid has one point per "
        "combination of the listed values): remove it");
  CHECK(
      sweep_error("[sweep]\ndesign = \"sobol\"\npoints = 5\nseed = 3\n[sweep.parameters]\n" +
                  warmth_range) ==
      "x.toml:4: sweep.seed = 3 is not used by design = \"sobol\" (only design = \"lhs\" draws at "
      "random): remove it");
  CHECK(sweep_error("[sweep]\ndesign = \"lhs\"\npoints = 5\nseed = -1\n[sweep.parameters]\n" +
                    warmth_range) == "x.toml:4: sweep.seed = -1 is outside [0, 2147483647]");
  // The seed and the replicates are the same at every point.
  CHECK(sweep_error(sweep("grid", 0, "\"run.seed\" = [1, 2]\n")) ==
        "x.toml:4: sweep run.seed = [1, 2]: run.seed cannot be swept; every point runs with the "
        "scenario's seed, so that points differ only by their parameters (common random numbers)");
  CHECK(sweep_error(sweep("grid", 0, "\"run.replicates\" = [1, 2]\n"))
            .find("run.replicates cannot be swept") != std::string::npos);
}

TEST_CASE("Sweeps larger than 100000 points are refused", "[sweep]") {
  std::string hundred = "[";
  for (int v = 0; v < 100; ++v) hundred += (v ? ", " : "") + std::to_string(v / 100.0);
  hundred += "]";
  std::string thirty = "[";
  for (int v = 1; v <= 30; ++v) thirty += (v > 1 ? ", " : "") + std::to_string(v);
  thirty += "]";
  CHECK(sweep_error(sweep("grid", 0,
                          "\"mentor.caseload\" = " + thirty + "\n\"mentor.warmth\" = " + hundred +
                              "\n\"staff.turnover\" = " + hundred + "\n")) ==
        "x.toml:1: [sweep] grid of 30 x 100 x 100 = 300000 points is more than 100000 (the most a "
        "sweep may have)");
  CHECK(sweep_error(sweep("saltelli", 30000,
                          "\"mentor.warmth\" = { min = 0.1, max = 0.4 }\n"
                          "\"mentor.caseload\" = { min = 1, max = 4 }\n")) ==
        "x.toml:3: sweep.points = 30000 with 2 parameters gives 30000 * (2 + 2) = 120000 points, "
        "more than 100000; allowed: points in [1, 25000]");
  CHECK(sweep_error(sweep("saltelli", 25000,
                          "\"mentor.warmth\" = { min = 0.1, max = 0.4 }\n"
                          "\"mentor.caseload\" = { min = 1, max = 4 }\n"))
            .empty());
}

// ---- design matrices -------------------------------------------------------------------------

TEST_CASE("A grid is the Cartesian product with the first parameter varying slowest", "[sweep]") {
  const SweepSpec spec = load_sweep(sweep("grid", 0,
                                          "\"mentor.caseload\" = [5, 8, 12]\n"
                                          "\"run.daily_output\" = [false, true]\n"
                                          "\"mentor.warmth\" = [0.25, 0.5]\n"));
  const auto design = make_design(spec, registry(), 1);
  const std::vector<std::vector<double>> expected = {
      {5, 0, 0.25}, {5, 0, 0.5}, {5, 1, 0.25},  {5, 1, 0.5},  {8, 0, 0.25},  {8, 0, 0.5},
      {8, 1, 0.25}, {8, 1, 0.5}, {12, 0, 0.25}, {12, 0, 0.5}, {12, 1, 0.25}, {12, 1, 0.5}};
  CHECK(design == expected);
  CHECK(unit_design(spec, 1).empty());
}

TEST_CASE("A Latin hypercube has exactly one point in each stratum of every range", "[sweep]") {
  for (const std::size_t n : {1u, 2u, 7u, 50u, 1000u}) {
    const SweepSpec spec = ranged_spec(SweepDesign::Lhs, n);
    const auto design = make_design(spec, registry(), 42);
    REQUIRE(design.size() == n);
    for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
      const double lo = spec.parameters[j].min, hi = spec.parameters[j].max;
      std::vector<int> hits(n, 0);
      for (const auto& point : design) {
        REQUIRE(point[j] >= lo);
        REQUIRE(point[j] < hi);
        const auto stratum = static_cast<std::size_t>(std::floor((point[j] - lo) / (hi - lo) * n));
        REQUIRE(stratum < n);
        ++hits[stratum];
      }
      INFO("n = " << n << ", parameter " << spec.parameters[j].name);
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
  }
}

TEST_CASE("A Latin hypercube is keyed by its seed and nothing else", "[sweep]") {
  const SweepSpec spec = ranged_spec(SweepDesign::Lhs, 64);
  const auto a = make_design(spec, registry(), 42);
  CHECK(make_design(spec, registry(), 42) == a);
  const auto b = make_design(spec, registry(), 43);
  CHECK(b != a);
  // Shuffled: the columns are not all in the same stratum order.
  const auto unit = unit_design(spec, 42);
  std::size_t same_order = 0;
  for (std::size_t i = 0; i < 64; ++i)
    same_order += std::floor(unit[i][0] * 64) == std::floor(unit[i][1] * 64);
  CHECK(same_order < 10);
  // Jittered: not at stratum midpoints.
  CHECK(std::abs(unit[0][0] * 64 - std::floor(unit[0][0] * 64) - 0.5) > 1e-9);
}

TEST_CASE("Sobol points lie in their ranges and are deterministic", "[sweep]") {
  SweepSpec spec = ranged_spec(SweepDesign::Sobol, 1024);
  spec.parameters.push_back(ranged(0, 4, 12));  // an integer parameter
  const auto design = make_design(spec, registry(), 1);
  CHECK(make_design(spec, registry(), 99) == design);  // the seed plays no part
  REQUIRE(design.size() == 1024);
  std::map<double, int> caseloads;
  for (const auto& point : design) {
    for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
      REQUIRE(point[j] >= spec.parameters[j].min);
      REQUIRE(point[j] <= spec.parameters[j].max);
    }
    REQUIRE(point[3] == std::floor(point[3]));
    ++caseloads[point[3]];
  }
  // Every whole number of [4, 12] gets an equal share (1024 / 9 = 114) up to the sequence's
  // discrepancy.
  REQUIRE(caseloads.size() == 9);
  for (const auto& [value, count] : caseloads) {
    INFO("caseload " << value);
    CHECK(std::abs(count - 1024.0 / 9) < 8);
  }
  // The sequence starts after its point 0: (1/2, ..., 1/2), then (3/4, 1/4, ...).
  const auto unit = unit_design(spec, 1);
  CHECK(unit[0] == std::vector<double>(4, 0.5));
  CHECK(unit[1][0] == 0.75);
  CHECK(unit[1][1] == 0.25);
  // Low discrepancy: each half of each dimension holds half of the first 1024 points exactly.
  for (std::size_t j = 0; j < 4; ++j)
    CHECK(std::count_if(unit.begin(), unit.end(), [j](const auto& u) { return u[j] < 0.5; }) ==
          512);
}

TEST_CASE("A Saltelli design runs A, B and AB_i = A with column i from B", "[sweep]") {
  const std::size_t N = 32;
  const SweepSpec spec = ranged_spec(SweepDesign::Saltelli, N);
  const std::size_t k = spec.parameters.size();
  const auto unit = unit_design(spec, 1);
  REQUIRE(unit.size() == N * (k + 2));
  REQUIRE(sweep_size(spec) == unit.size());
  auto row = [&](std::size_t block, std::size_t j) { return unit[block * N + j]; };
  for (std::size_t j = 0; j < N; ++j) {
    const auto a = row(0, j), b = row(1, j);
    CHECK(a != b);  // (a single coordinate may coincide: Sobol dimensions share values)
    for (std::size_t i = 0; i < k; ++i) {
      const auto ab = row(2 + i, j);
      for (std::size_t c = 0; c < k; ++c) CHECK(ab[c] == (c == i ? b[c] : a[c]));
    }
  }
  // A and B are the two halves of one 2k-dimensional Sobol sequence, after its point
  // (1/2, ..., 1/2), where they would coincide.
  SweepSpec wide = ranged_spec(SweepDesign::Sobol, N + 1);
  wide.parameters.insert(wide.parameters.end(), wide.parameters.begin(), wide.parameters.end());
  const auto sobol = unit_design(wide, 1);
  for (std::size_t j = 0; j < N; ++j)
    for (std::size_t c = 0; c < k; ++c) {
      CHECK(row(0, j)[c] == sobol[j + 1][c]);
      CHECK(row(1, j)[c] == sobol[j + 1][k + c]);
    }
  // Mapped to ranges, the structure holds in registry units.
  const auto design = make_design(spec, registry(), 1);
  for (std::size_t j = 0; j < N; ++j) CHECK(design[2 * N + j][1] == design[j][1]);
}

TEST_CASE("Sweep points are named sweep-0001 ... with at least four digits", "[sweep]") {
  CHECK(sweep_point_name(1, 40) == "sweep-0001");
  CHECK(sweep_point_name(40, 40) == "sweep-0040");
  CHECK(sweep_point_name(9999, 9999) == "sweep-9999");
  CHECK(sweep_point_name(5, 100000) == "sweep-000005");
  CHECK(sweep_point_name(12345, 12345) == "sweep-12345");
  CHECK(design_name(SweepDesign::Saltelli) == "saltelli");
  CHECK(parse_design_name("lhs") == SweepDesign::Lhs);
  CHECK_FALSE(parse_design_name("LHS"));
}
