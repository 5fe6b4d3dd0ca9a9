// Scenario files against a small test registry (independent of the model's parameters): accepted
// forms, every class of bad input and its message, inheritance (files and built-ins), --set
// overrides, and the bit-exact round trip of ParamValues::to_toml.
#include <atomic>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

#include "engine/config.hpp"
#include "engine/errors.hpp"
#include "tests/support.hpp"

using namespace asim;
using asim::test::make_spec;
namespace fs = std::filesystem;

namespace {

const Registry& test_registry() {
  static const Registry registry = [] {
    Registry r;
    r.add(make_spec("mentor.caseload", ParamType::Integer, 8, 1, 30));
    r.add(make_spec("mentor.warmth", ParamType::Real, 0.5, 0, 1));
    r.add(make_spec("youth.motivation", ParamType::Real, 0, -1, 1));
    r.add(make_spec("setting.closed.repression", ParamType::Real, 0.2, 0, 1));
    r.add(make_spec("setting.kind", ParamType::Choice, 0, 0, 0, {"open", "closed"}));
    r.add(make_spec("run.daily_output", ParamType::Boolean, 0, 0, 1));
    r.add(make_spec("run.scale", ParamType::Real, 1, -1e300, 1e300));
    return r;
  }();
  return registry;
}

// Built-in scenarios for the tests: "base" sets two values, "strict" inherits it, "loop" and
// "loop2" inherit each other, "sibling" inherits "base" by its file name.
std::string_view test_embedded(std::string_view name) {
  if (name == "base") return "[scenario]\nname = \"base\"\n[mentor]\ncaseload = 10\nwarmth = 0.3\n";
  if (name == "strict") return "inherit = \"builtin:base\"\nsetting.kind = \"closed\"\n";
  if (name == "loop") return "inherit = \"builtin:loop2\"\n";
  if (name == "loop2") return "inherit = \"builtin:loop\"\n";
  if (name == "sibling") return "inherit = \"base.toml\"\nmentor.caseload = 12\n";
  return {};
}

ScenarioLoader loader() {
  return ScenarioLoader(test_registry(), &test_embedded);
}

double value(const Scenario& s, std::string_view name) {
  return s.values.get(name);
}
const std::string& origin(const Scenario& s, std::string_view name) {
  return s.values.origin(*test_registry().index(name));
}

// The ConfigError message of loading `text`, or "" when it loads.
std::string load_error(std::string_view text, const std::string& path = "x.toml") {
  try {
    loader().load_text(text, path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

std::string override_error(std::string_view assignment) {
  Scenario s = loader().load_text("", "x.toml");
  try {
    loader().apply_override(s, assignment);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

// A fresh directory under the system temporary directory, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path =
        fs::temp_directory_path() / ("asim_config_test_" + std::to_string(std::random_device{}()) +
                                     "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string write(const std::string& relative, const std::string& text) const {
    const fs::path file = path / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
};

}  // namespace

TEST_CASE("An empty scenario gives every default", "[config]") {
  const Scenario s = loader().load_text("", "scenarios/empty.toml");
  CHECK(s.name == "empty");
  CHECK(s.question.empty());
  CHECK(s.source_path == "scenarios/empty.toml");
  CHECK(s.text.empty());
  CHECK(s.inherit_chain.empty());
  for (std::size_t i = 0; i < test_registry().size(); ++i) {
    CHECK(s.values.get(i) == test_registry().spec(i).default_value);
    CHECK(s.values.origin(i) == "default");
  }
}

TEST_CASE("Tables and dotted keys name the same parameters", "[config]") {
  const std::string text =
      "# a comment\n"
      "[scenario]\n"
      "name = \"small-groups_1.b\"\n"
      "question = \"Do smaller caseloads help?\"\n"
      "description = \"longer text\"\n"
      "[mentor]\n"
      "caseload = 12\n"
      "warmth = 1\n"
      "[setting]\n"
      "closed.repression = 0.35\n"
      "kind = \"closed\"\n"
      "[run]\n"
      "daily_output = true\n";
  const Scenario s = loader().load_text(text, "dir/x.toml");
  CHECK(s.name == "small-groups_1.b");
  CHECK(s.question == "Do smaller caseloads help?");
  CHECK(s.text == text);
  CHECK(value(s, "mentor.caseload") == 12);
  CHECK(value(s, "mentor.warmth") == 1.0);  // a real accepts a TOML integer
  CHECK(value(s, "setting.closed.repression") == 0.35);
  CHECK(value(s, "setting.kind") == 1);
  CHECK(value(s, "run.daily_output") == 1);
  CHECK(value(s, "youth.motivation") == 0);
  CHECK(origin(s, "mentor.caseload") == "dir/x.toml:7");
  CHECK(origin(s, "setting.closed.repression") == "dir/x.toml:10");
  CHECK(origin(s, "youth.motivation") == "default");

  const Scenario dotted = loader().load_text(
      "mentor.caseload = 12\nsetting.closed.repression = 0.35\n[youth]\nmotivation = -0.5\n",
      "y.toml");
  CHECK(dotted.name == "y");
  CHECK(value(dotted, "mentor.caseload") == 12);
  CHECK(value(dotted, "setting.closed.repression") == 0.35);
  CHECK(value(dotted, "youth.motivation") == -0.5);
  CHECK(origin(dotted, "youth.motivation") == "y.toml:4");

  CHECK(value(loader().load_text("mentor.caseload = 8.0\n", "z.toml"), "mentor.caseload") == 8);
  CHECK(value(loader().load_text("mentor = { warmth = 0.125 }\n", "z.toml"), "mentor.warmth") ==
        0.125);
}

TEST_CASE("A value outside its range names file, line, key, value and range", "[config]") {
  const std::string text =
      "# 1\n# 2\n# 3\n# 4\n# 5\n# 6\n# 7\n# 8\n# 9\n# 10\n[mentor]\ncaseload = -3\n";
  CHECK(load_error(text, "scenarios/x.toml") ==
        "scenarios/x.toml:12: mentor.caseload = -3 is outside [1, 30]");
  CHECK(load_error("mentor.warmth = 1.5\n") == "x.toml:1: mentor.warmth = 1.5 is outside [0, 1]");
}

TEST_CASE("Unknown keys are errors with a did-you-mean hint", "[config]") {
  CHECK(load_error("\n[mentor]\ncasload = 8\n") ==
        "x.toml:3: unknown parameter 'mentor.casload' (did you mean 'mentor.caseload'?)");
  CHECK(load_error("caseload = 8\n") ==
        "x.toml:1: unknown parameter 'caseload' (did you mean 'mentor.caseload'?)");
  CHECK(load_error("[mentr]\nwarmth = 0.1\n") ==
        "x.toml:2: unknown parameter 'mentr.warmth' (did you mean 'mentor.warmth'?)");
  CHECK(load_error("[nothing]\n") == "x.toml:1: unknown parameter table [nothing]");
  CHECK(load_error("xyzzy_plugh = 1\n") == "x.toml:1: unknown parameter 'xyzzy_plugh'");
  // The first problem in the file is reported, whatever the key order.
  CHECK(load_error("zeta.x = 1\nalpha.x = 2\n").rfind("x.toml:1: unknown parameter 'zeta.x'", 0) ==
        0);
  CHECK(load_error("[mentor]\ninherit = \"a.toml\"\n").find("unknown parameter 'mentor.inherit'") !=
        std::string::npos);
}

TEST_CASE("Wrong types are errors naming the expected type", "[config]") {
  CHECK(load_error("\n\n[mentor]\ncaseload = \"eight\"\n") ==
        "x.toml:4: mentor.caseload = \"eight\" has the wrong type: expected a whole number in [1, "
        "30]");
  CHECK(load_error("mentor.warmth = true\n") ==
        "x.toml:1: mentor.warmth = true has the wrong type: expected a number in [0, 1]");
  CHECK(load_error("run.daily_output = 1\n") ==
        "x.toml:1: run.daily_output = 1 has the wrong type: expected true or false");
  CHECK(load_error("setting.kind = 1\n") ==
        "x.toml:1: setting.kind = 1 has the wrong type: expected one of \"open\", \"closed\"");
  CHECK(load_error("mentor.caseload = [1, 2]\n").find("has the wrong type") != std::string::npos);
  CHECK(load_error("mentor.warmth = 1979-05-27\n") ==
        "x.toml:1: mentor.warmth = 1979-05-27 has the wrong type: expected a number in [0, 1]");
  CHECK(load_error("mentor.caseload = 8.5\n") ==
        "x.toml:1: mentor.caseload = 8.5 must be a whole number");
  CHECK(load_error("setting.kind = \"semi\"\n") ==
        "x.toml:1: setting.kind = \"semi\" is not one of \"open\", \"closed\"");
}

TEST_CASE("NaN and infinity are rejected", "[config]") {
  CHECK(load_error("mentor.warmth = nan\n") ==
        "x.toml:1: mentor.warmth = nan is not a finite number");
  CHECK(load_error("mentor.warmth = inf\n") ==
        "x.toml:1: mentor.warmth = inf is not a finite number");
  CHECK(load_error("run.scale = -inf\n") == "x.toml:1: run.scale = -inf is not a finite number");
  CHECK(load_error("mentor.caseload = nan\n") ==
        "x.toml:1: mentor.caseload = nan is not a finite number");
}

TEST_CASE("Tables and values in each other's place are errors", "[config]") {
  CHECK(load_error("mentor = 5\n") ==
        "x.toml:1: mentor = 5 is a table of parameters, not a value: write [mentor] followed by "
        "its keys");
  CHECK(load_error("setting.closed = 0.3\n")
            .find("x.toml:1: setting.closed = 0.3 is a table of parameters") == 0);
  CHECK(load_error("\n[mentor.caseload]\nx = 1\n")
            .rfind("x.toml:2: mentor.caseload is a single parameter, not a table", 0) == 0);
  CHECK(load_error("[[mentor]]\ncaseload = 3\n").find("is a table of parameters, not a value") !=
        std::string::npos);
  CHECK(load_error("scenario = 3\n").rfind("x.toml:1: scenario = 3 must be a table", 0) == 0);
}

TEST_CASE("The [scenario] table is checked", "[config]") {
  CHECK(load_error("[scenario]\nname = \"has space\"\n") ==
        "x.toml:2: scenario.name = \"has space\" is not a valid name: use only letters, digits, "
        "'_', '.' "
        "and '-'");
  CHECK(load_error("[scenario]\nname = 3\n") ==
        "x.toml:2: scenario.name = 3 has the wrong type: expected a string");
  CHECK(load_error("[scenario]\nquestoin = \"?\"\n") ==
        "x.toml:2: unknown key 'scenario.questoin' (allowed: name, question, description)");
}

TEST_CASE("TOML syntax errors give file, line and column", "[config]") {
  const std::string error = load_error("[mentor]\ncaseload = = 3\n", "bad.toml");
  CHECK(error.rfind("bad.toml:2:", 0) == 0);
  CHECK(error.find(": TOML syntax error: ") != std::string::npos);
  CHECK(load_error("mentor.caseload = 3\nmentor.caseload = 4\n").find("TOML syntax error") !=
        std::string::npos);
}

TEST_CASE("Binary garbage gives a syntax error, never a crash", "[config]") {
  const std::string garbage(
      "\x7f"
      "ELF\x02\x01\x01\x00\x00\xff\xfe\x80\x81 = [\x00\x01",
      18);
  CHECK(load_error(garbage, "a.out").rfind("a.out:1:", 0) == 0);
  CHECK(load_error(garbage, "a.out").find("TOML syntax error") != std::string::npos);

  // Random bytes and random mixtures of TOML tokens: every outcome is a value or a ConfigError.
  std::mt19937 rng(12345);
  const std::vector<std::string> tokens = {
      "[",  "]",   "mentor", ".",    "caseload", " = ",        "\"",      "'",        "\n",
      "3",  "0.5", "nan",    "{",    "}",        ",",          "inherit", "scenario", "[[",
      "]]", "#",   "\\",     "\xff", "true",     "1979-05-27", "\x00"};
  int errors = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int length = static_cast<int>(rng() % 40);
    for (int k = 0; k < length; ++k) {
      if (round % 2 == 0)
        text += static_cast<char>(rng() % 256);
      else
        text += tokens[rng() % tokens.size()];
    }
    try {
      loader().load_text(text, "fuzz.toml");
    } catch (const ConfigError&) {
      ++errors;
    }
  }
  CHECK(errors > 1000);
}

TEST_CASE("A file that cannot be read is an error naming it", "[config]") {
  TempDir dir;
  const std::string missing = (dir.path / "no_such.toml").string();
  CHECK_THROWS_WITH(loader().load_file(missing),
                    missing + ": cannot read scenario file (No such file or directory)");
  CHECK_THROWS_WITH(loader().load_file(dir.path.string()),
                    Catch::StartsWith(dir.path.string() + ": cannot read scenario file ("));
  CHECK_THROWS_WITH(
      loader().load_file("/dev/zero"),
      "/dev/zero: cannot read scenario file (larger than 16 MiB; not a scenario file)");
}

TEST_CASE("Inheritance applies the farthest ancestor first", "[config]") {
  TempDir dir;
  dir.write("base/grand.toml",
            "[scenario]\nname = \"grand\"\nquestion = \"grand question\"\n"
            "[mentor]\ncaseload = 20\nwarmth = 0.9\n[youth]\nmotivation = 0.7\n");
  dir.write("base/parent.toml",
            "inherit = \"grand.toml\"\n[mentor]\ncaseload = 15\nwarmth = 0.1\n");
  const std::string child =
      dir.write("child/child.toml", "inherit = \"../base/parent.toml\"\n\nmentor.caseload = 4\n");

  const Scenario s = loader().load_file(child);
  CHECK(value(s, "mentor.caseload") == 4);     // the file itself wins
  CHECK(value(s, "mentor.warmth") == 0.1);     // the parent beats the grandparent
  CHECK(value(s, "youth.motivation") == 0.7);  // the grandparent's value comes through
  CHECK(value(s, "setting.closed.repression") == 0.2);
  CHECK(origin(s, "mentor.caseload") == child + ":3");
  const std::string parent = (dir.path / "base/parent.toml").lexically_normal().string();
  const std::string grand = (dir.path / "base/grand.toml").lexically_normal().string();
  CHECK(origin(s, "mentor.warmth") == parent + ":4");
  CHECK(origin(s, "youth.motivation") == grand + ":8");
  CHECK(origin(s, "setting.closed.repression") == "default");
  REQUIRE(s.inherit_chain.size() == 2);
  CHECK(s.inherit_chain[0] == parent);
  CHECK(s.inherit_chain[1] == grand);
  // Name and question belong to the file itself, not to what it inherits.
  CHECK(s.name == "child");
  CHECK(s.question.empty());
  CHECK(s.source_path == child);
  CHECK(s.text == "inherit = \"../base/parent.toml\"\n\nmentor.caseload = 4\n");
}

TEST_CASE("Errors in inherited files name the inherited file", "[config]") {
  TempDir dir;
  dir.write("parent.toml", "\n[mentor]\ncaseload = 99\n");
  const std::string child = dir.write("child.toml", "inherit = \"parent.toml\"\n");
  CHECK_THROWS_WITH(loader().load_file(child), (dir.path / "parent.toml").string() +
                                                   ":3: mentor.caseload = 99 is outside [1, 30]");
}

TEST_CASE("A missing inherited file names the file and the inherit line", "[config]") {
  TempDir dir;
  const std::string child = dir.write("child.toml", "# comment\ninherit = \"missing.toml\"\n");
  CHECK_THROWS_WITH(loader().load_file(child), Catch::StartsWith(child + ":2: ") &&
                                                   Catch::Contains("missing.toml") &&
                                                   Catch::Contains("No such file or directory"));
  CHECK(load_error("inherit = 3\n") ==
        "x.toml:1: inherit = 3 has the wrong type: expected a file path or \"builtin:NAME\"");
}

TEST_CASE("Inheritance cycles are errors naming the chain", "[config]") {
  TempDir dir;
  const std::string a = dir.write("a.toml", "inherit = \"b.toml\"\n");
  const std::string b = dir.write("b.toml", "mentor.caseload = 3\ninherit = \"./a.toml\"\n");
  CHECK_THROWS_WITH(loader().load_file(a),
                    b + ":2: inheritance cycle: " + a + " -> " + b + " -> " + a);

  const std::string self = dir.write("self.toml", "inherit = \"self.toml\"\n");
  CHECK_THROWS_WITH(loader().load_file(self), Catch::Contains(self + " -> " + self));

  // A diamond is not a cycle: two files may inherit the same ancestor in sequence.
  dir.write("root.toml", "youth.motivation = 0.5\n");
  dir.write("mid.toml", "inherit = \"root.toml\"\n");
  const std::string leaf = dir.write("leaf.toml", "inherit = \"mid.toml\"\n");
  CHECK(value(loader().load_file(leaf), "youth.motivation") == 0.5);
}

TEST_CASE("Built-in scenarios load and can be inherited", "[config]") {
  const Scenario base = loader().load_builtin("base");
  CHECK(base.name == "base");
  CHECK(base.source_path == "builtin:base");
  CHECK(base.text == test_embedded("base"));
  CHECK(value(base, "mentor.caseload") == 10);
  CHECK(origin(base, "mentor.caseload") == "builtin:base:4");

  const Scenario strict = loader().load_builtin("strict");
  CHECK(strict.name == "strict");
  CHECK(value(strict, "mentor.caseload") == 10);
  CHECK(value(strict, "setting.kind") == 1);
  CHECK(strict.inherit_chain == std::vector<std::string>{"builtin:base"});

  const Scenario sibling = loader().load_builtin("sibling");
  CHECK(value(sibling, "mentor.caseload") == 12);
  CHECK(value(sibling, "mentor.warmth") == 0.3);
  CHECK(sibling.inherit_chain == std::vector<std::string>{"builtin:base"});

  TempDir dir;
  const std::string file =
      dir.write("mine.toml", "inherit = \"builtin:strict\"\nmentor.warmth = 0.6\n");
  const Scenario mine = loader().load_file(file);
  CHECK(mine.name == "mine");
  CHECK(value(mine, "mentor.caseload") == 10);
  CHECK(value(mine, "mentor.warmth") == 0.6);
  CHECK(value(mine, "setting.kind") == 1);
  CHECK(mine.inherit_chain == std::vector<std::string>{"builtin:strict", "builtin:base"});

  CHECK_THROWS_WITH(loader().load_builtin("nope"),
                    Catch::Contains("unknown built-in scenario 'nope'"));
  CHECK(load_error("\ninherit = \"builtin:nope\"\n") ==
        "x.toml:2: inherit = \"builtin:nope\": unknown built-in scenario 'nope'");
  CHECK_THROWS_WITH(loader().load_builtin("loop"),
                    Catch::Contains("builtin:loop -> builtin:loop2 -> builtin:loop"));
  CHECK_THROWS_AS(ScenarioLoader(test_registry(), nullptr).load_builtin("base"), ConfigError);
}

TEST_CASE("set overrides (--set) apply last and record their origin", "[config]") {
  TempDir dir;
  const std::string file = dir.write("s.toml", "inherit = \"builtin:base\"\nmentor.caseload = 5\n");
  Scenario s = loader().load_file(file);
  loader().apply_override(s, "mentor.caseload=7");
  loader().apply_override(s, " mentor.warmth = 0.25 ");
  loader().apply_override(s, "setting.kind=closed");
  loader().apply_override(s, "run.daily_output=true");
  CHECK(value(s, "mentor.caseload") == 7);
  CHECK(origin(s, "mentor.caseload") == "--set");
  CHECK(value(s, "mentor.warmth") == 0.25);
  CHECK(value(s, "setting.kind") == 1);
  CHECK(value(s, "run.daily_output") == 1);
  loader().apply_override(s, "setting.kind=\"open\"");
  CHECK(value(s, "setting.kind") == 0);
  CHECK(origin(s, "youth.motivation") == "default");

  CHECK(override_error("mentor.caseload=-3") ==
        "--set mentor.caseload=-3: mentor.caseload = -3 is outside [1, 30]");
  CHECK(override_error("mentor.casload=5") ==
        "--set mentor.casload=5: unknown parameter 'mentor.casload' (did you mean "
        "'mentor.caseload'?)");
  CHECK(override_error("mentor.caseload") ==
        "--set mentor.caseload: expected KEY=VALUE, e.g. mentor.caseload=8");
  CHECK(override_error("mentor.caseload=") == "--set mentor.caseload=: missing value after '='");
  CHECK(override_error("=3") == "--set =3: missing parameter name before '='");
  CHECK(override_error("mentor.caseload=eight") ==
        "--set mentor.caseload=eight: mentor.caseload = eight is not a valid value: expected a "
        "whole number "
        "in [1, 30]");
  CHECK(override_error("mentor.caseload=\"8\"") ==
        "--set mentor.caseload=\"8\": mentor.caseload = \"8\" has the wrong type: expected a whole "
        "number in "
        "[1, 30]");
  CHECK(override_error("setting.kind=semi") ==
        "--set setting.kind=semi: setting.kind = semi is not one of \"open\", \"closed\"");
  CHECK(override_error("mentor.warmth=nan") ==
        "--set mentor.warmth=nan: mentor.warmth = nan is not a finite number");
  CHECK(override_error("mentor.caseload=5\nmentor.warmth = 3").find("is not a valid value") !=
        std::string::npos);
  CHECK(override_error("mentor=5").find("'mentor' is a table of parameters") != std::string::npos);
}

TEST_CASE("to_toml reads back to bit-identical values", "[config]") {
  const Registry& r = test_registry();
  const std::size_t scale = *r.index("run.scale");
  const std::size_t warmth = *r.index("mentor.warmth");
  const std::vector<double> awkward = {0.1 + 0.2,
                                       1.0 / 3.0,
                                       -0.0,
                                       5e-324,
                                       std::numeric_limits<double>::min(),
                                       std::nextafter(1.0, 2.0),
                                       123456789012345678.0,
                                       12345678901234567890.0,
                                       9.999999999999999e22,
                                       -1e300,
                                       1e300,
                                       2.0,
                                       -7.0};
  std::mt19937_64 rng(2024);
  std::vector<double> samples = awkward;
  while (samples.size() < 400) {
    const double candidate = std::bit_cast<double>(rng());
    if (std::isfinite(candidate) && std::fabs(candidate) <= 1e300) samples.push_back(candidate);
  }
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const double x : samples) {
    ParamValues values(r);
    values.set(scale, x, "--set");
    values.set(warmth, unit(rng), "a.toml:3");
    values.set("mentor.caseload", 29, "b.toml:1");
    values.set("setting.kind", 1, "b.toml:2");
    values.set("run.daily_output", 1, "b.toml:3");
    const std::string text = values.to_toml();
    const Scenario back = loader().load_text(text, "resolved.toml");
    for (std::size_t i = 0; i < r.size(); ++i) {
      INFO(text);
      REQUIRE(std::bit_cast<std::uint64_t>(back.values.get(i)) ==
              std::bit_cast<std::uint64_t>(values.get(i)));
    }
  }
}
