// The parameter registry on a small registry of its own (independent of the model's parameters):
// declaration checks, value checks and their messages, suggestions, value formatting and the
// generated listings.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "engine/params.hpp"
#include "tests/support.hpp"

using namespace asim;
using asim::test::make_spec;

namespace {

Registry params_test_registry() {
  Registry r;
  r.add(make_spec("mentor.caseload", ParamType::Integer, 8, 1, 30, {}, "youths"));
  r.add(make_spec("mentor.warmth", ParamType::Real, 0.5, 0, 1));
  r.add(make_spec("youth.motivation", ParamType::Real, 0.25, -1, 1));
  r.add(make_spec("setting.closed.repression", ParamType::Real, 0.2, 0, 1, {}, "1/day"));
  r.add(make_spec("setting.kind", ParamType::Choice, 1, 0, 0, {"open", "closed"}));
  r.add(make_spec("run.daily_output", ParamType::Boolean, 0, 0, 1));
  return r;
}

}  // namespace

TEST_CASE("Registry::add assigns indices and finds them by name", "[params]") {
  const Registry r = params_test_registry();
  REQUIRE(r.size() == 6);
  CHECK(r.index("mentor.caseload") == std::optional<std::size_t>(0));
  CHECK(r.index("setting.kind") == std::optional<std::size_t>(4));
  CHECK_FALSE(r.index("mentor").has_value());
  CHECK_FALSE(r.index("mentor.caseloads").has_value());
  CHECK(r.spec(4).max == 1.0);  // a choice's range is its label indices
}

TEST_CASE("Registry::add rejects bad declarations", "[params]") {
  Registry r = params_test_registry();
  CHECK_THROWS_AS(r.add(make_spec("mentor.caseload", ParamType::Integer, 8, 1, 30)),
                  std::logic_error);
  CHECK_THROWS_WITH(r.add(make_spec("mentor.other", ParamType::Real, 2, 0, 1)),
                    Catch::Contains("mentor.other") && Catch::Contains("outside [0, 1]"));
  CHECK_THROWS_AS(r.add(make_spec("mentor.steps", ParamType::Integer, 2.5, 0, 10)),
                  std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("mentor.empty", ParamType::Real, 0, 1, 0)), std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("mentor.kind", ParamType::Choice, 0, 0, 0, {})),
                  std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("mentor.kind", ParamType::Choice, 2, 0, 0, {"a", "b"})),
                  std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("bad name", ParamType::Real, 0, 0, 1)), std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("mentor..x", ParamType::Real, 0, 0, 1)), std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("scenario.seed", ParamType::Real, 0, 0, 1)), std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("inherit", ParamType::Real, 0, 0, 1)), std::logic_error);
  // A name cannot be both a value and a TOML table.
  CHECK_THROWS_AS(r.add(make_spec("mentor.caseload.max", ParamType::Real, 0, 0, 1)),
                  std::logic_error);
  CHECK_THROWS_AS(r.add(make_spec("setting.closed", ParamType::Real, 0, 0, 1)), std::logic_error);

  ParamSpec no_source = make_spec("mentor.a", ParamType::Real, 0, 0, 1);
  no_source.source.clear();
  CHECK_THROWS_AS(r.add(no_source), std::logic_error);
  ParamSpec no_meaning = make_spec("mentor.b", ParamType::Real, 0, 0, 1);
  no_meaning.meaning.clear();
  CHECK_THROWS_AS(r.add(no_meaning), std::logic_error);

  CHECK(r.size() == 6);  // nothing rejected was kept
  CHECK_NOTHROW(r.add(make_spec("mentor.fine", ParamType::Real, 1, 0, 1)));
  CHECK(r.size() == 7);
}

TEST_CASE("Registry::check explains why a value is not allowed", "[params]") {
  const Registry r = params_test_registry();
  const std::size_t caseload = *r.index("mentor.caseload");
  const std::size_t warmth = *r.index("mentor.warmth");
  const std::size_t kind = *r.index("setting.kind");
  const std::size_t daily = *r.index("run.daily_output");

  CHECK(r.check(caseload, 8).empty());
  CHECK(r.check(caseload, 1).empty());
  CHECK(r.check(caseload, 30).empty());
  CHECK(r.check(caseload, -3) == "is outside [1, 30]");
  CHECK(r.check(caseload, 31) == "is outside [1, 30]");
  CHECK(r.check(caseload, 8.5) == "must be a whole number");
  CHECK(r.check(warmth, 0.75).empty());
  CHECK(r.check(warmth, 1.5) == "is outside [0, 1]");
  CHECK(r.check(warmth, std::nan("")) == "is not a finite number");
  CHECK(r.check(warmth, std::numeric_limits<double>::infinity()) == "is not a finite number");
  CHECK(r.check(caseload, -std::numeric_limits<double>::infinity()) == "is not a finite number");
  CHECK(r.check(daily, 1).empty());
  CHECK(r.check(daily, 0).empty());
  CHECK(r.check(daily, 2) == "must be true or false");
  CHECK(r.check(kind, 1).empty());
  CHECK(r.check(kind, 2) == "is not one of \"open\", \"closed\"");
  CHECK(r.check(kind, 0.5) == "is not one of \"open\", \"closed\"");
}

TEST_CASE("Registry formats values and ranges as TOML", "[params]") {
  const Registry r = params_test_registry();
  const std::size_t caseload = *r.index("mentor.caseload");
  const std::size_t warmth = *r.index("mentor.warmth");
  const std::size_t kind = *r.index("setting.kind");
  const std::size_t daily = *r.index("run.daily_output");

  CHECK(r.format_value(caseload, 8) == "8");
  CHECK(r.format_value(caseload, 1e6) == "1000000");
  CHECK(r.format_value(warmth, 0.25) == "0.25");
  CHECK(r.format_value(warmth, 0.1) == "0.1");
  CHECK(r.format_value(warmth, 1.0 / 3.0) == "0.3333333333333333");
  CHECK(r.format_value(daily, 1) == "true");
  CHECK(r.format_value(daily, 0) == "false");
  CHECK(r.format_value(kind, 1) == "\"closed\"");
  CHECK(r.format_value(kind, 0) == "\"open\"");

  CHECK(r.range_text(caseload) == "[1, 30]");
  CHECK(r.range_text(*r.index("youth.motivation")) == "[-1, 1]");
  CHECK(r.range_text(daily) == "true or false");
  CHECK(r.range_text(kind) == "one of \"open\", \"closed\"");
}

TEST_CASE("Registry::suggestions finds close names for did-you-mean hints", "[params]") {
  const Registry r = params_test_registry();
  SECTION("a typo in the full name") {
    const auto s = r.suggestions("mentor.casload");
    REQUIRE_FALSE(s.empty());
    CHECK(s.front() == "mentor.caseload");
  }
  SECTION("the right key in the wrong or missing table") {
    CHECK(r.suggestions("caseload").front() == "mentor.caseload");
    CHECK(r.suggestions("youth.caseload").front() == "mentor.caseload");
    CHECK(r.suggestions("setting.repression").front() == "setting.closed.repression");
  }
  SECTION("a typo in the table name") {
    CHECK(r.suggestions("mentr.warmth").front() == "mentor.warmth");
  }
  SECTION("nothing close gives no suggestion") {
    CHECK(r.suggestions("completely.unrelated_thing").empty());
    CHECK(r.suggestions("zz").empty());
  }
  SECTION("at most max, closest first") {
    Registry many;
    many.add(make_spec("a.rate1", ParamType::Real, 0, 0, 1));
    many.add(make_spec("a.rate2", ParamType::Real, 0, 0, 1));
    many.add(make_spec("a.rate", ParamType::Real, 0, 0, 1));
    many.add(make_spec("a.rate33", ParamType::Real, 0, 0, 1));
    const auto s = many.suggestions("a.rate", 2);
    REQUIRE(s.size() == 2);
    CHECK(s[0] == "a.rate");
    CHECK(s[1] == "a.rate1");
    CHECK(many.suggestions("a.rate", 10).size() == 4);
  }
}

TEST_CASE("Registry::table lists every parameter in aligned columns", "[params]") {
  const Registry r = params_test_registry();
  const std::string table = r.table();
  std::istringstream lines(table);
  std::string header;
  std::getline(lines, header);
  CHECK(header.rfind("name", 0) == 0);
  const auto default_column = header.find("default");
  const auto range_column = header.find("range");
  REQUIRE(default_column != std::string::npos);
  REQUIRE(range_column != std::string::npos);
  CHECK(header.find("unit") != std::string::npos);
  CHECK(header.find("meaning") != std::string::npos);
  CHECK(header.find("source") != std::string::npos);

  std::string line;
  std::getline(lines, line);  // the rule under the header
  CHECK(line.find_first_not_of("- ") == std::string::npos);
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    const std::string name = r.spec(static_cast<std::size_t>(rows - 1)).name;
    CHECK(line.rfind(name, 0) == 0);
    // Each column starts at the same offset as its header.
    REQUIRE(line.size() > range_column);
    CHECK(line[default_column - 1] == ' ');
    CHECK(line[default_column] != ' ');
    CHECK(line[range_column] != ' ');
  }
  CHECK(rows == static_cast<int>(r.size()));
  const auto row = table.find("\nmentor.caseload ");
  REQUIRE(row != std::string::npos);
  CHECK(table.substr(row + 1 + default_column, 2) == "8 ");
  CHECK(table.find("[1, 30]") != std::string::npos);
  CHECK(table.find("youths") != std::string::npos);
}

TEST_CASE("Registry::markdown documents every parameter, one table per TOML table", "[params]") {
  Registry r = params_test_registry();
  ParamSpec piped = make_spec("youth.trust", ParamType::Real, 0, 0, 1);
  piped.meaning = "trust | distrust";
  r.add(piped);
  const std::string md = r.markdown();
  CHECK(md.rfind("# Parameters\n", 0) == 0);
  CHECK(md.find("generated by `alliance-sim params --markdown`") != std::string::npos);
  CHECK(md.find("do not edit it by hand") != std::string::npos);
  for (const auto& spec : r.specs()) {
    INFO(spec.name);
    CHECK(md.find("| `" + spec.name + "` |") != std::string::npos);
  }
  for (const char* group :
       {"## [mentor]", "## [youth]", "## [setting.closed]", "## [setting]", "## [run]"})
    CHECK(md.find(group) != std::string::npos);
  // Both youth parameters sit in the one [youth] table, though declared apart.
  const auto youth = md.find("## [youth]");
  CHECK(md.find("## [youth]", youth + 1) == std::string::npos);
  CHECK(md.find("| Name | Default | Range | Unit | Meaning | Source |") != std::string::npos);
  CHECK(md.find("trust \\| distrust") != std::string::npos);
  CHECK(md.find("| `mentor.caseload` | 8 | [1, 30] | youths |") != std::string::npos);
}

TEST_CASE("ParamValues starts at the defaults and records origins", "[params]") {
  const Registry r = params_test_registry();
  ParamValues values(r);
  REQUIRE(values.values().size() == r.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    CHECK(values.get(i) == r.spec(i).default_value);
    CHECK(values.origin(i) == "default");
  }
  CHECK(values.get("mentor.caseload") == 8);
  CHECK_THROWS_AS(values.get("mentor.casload"), std::out_of_range);
  values.set("mentor.caseload", 12, "x.toml:3");
  CHECK(values.get("mentor.caseload") == 12);
  CHECK(values.origin(0) == "x.toml:3");
  values.set(std::size_t{1}, 0.75, "--set");
  CHECK(values.get("mentor.warmth") == 0.75);
  CHECK(values.origin(1) == "--set");
  CHECK_THROWS_AS(values.set("nope", 1, "--set"), std::out_of_range);
  CHECK(&values.registry() == &r);
}

TEST_CASE("ParamValues::to_toml writes one table per group with origins", "[params]") {
  const Registry r = params_test_registry();
  ParamValues values(r);
  values.set("mentor.warmth", 1.0, "a.toml:4");
  const std::string text = values.to_toml();
  CHECK(text.find("[mentor]\ncaseload = 8  # default\nwarmth = 1.0  # a.toml:4\n") !=
        std::string::npos);
  CHECK(text.find("[setting.closed]\nrepression = 0.2  # default\n") != std::string::npos);
  CHECK(text.find("[setting]\nkind = \"closed\"  # default\n") != std::string::npos);
  CHECK(text.find("[run]\ndaily_output = false  # default\n") != std::string::npos);
}
