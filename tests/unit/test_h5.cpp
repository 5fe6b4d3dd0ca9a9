// engine/h5: round trips of every element type and attribute kind, growth of unlimited
// dimensions with fill where nothing was written, dimension scales, and clear errors for
// foreign, missing and corrupt files.
#include <hdf5_hl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "engine/errors.hpp"
#include "engine/h5.hpp"
#include "engine/h5_compare.hpp"
#include "tests/support.hpp"

namespace fs = std::filesystem;
using namespace asim;

namespace {

using asim::test::TempDir;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

template <class T>
std::vector<T> read_back(hid_t dset) {
  std::vector<T> out;
  h5::read_all(dset, out);
  return out;
}

// Message of the ConfigError thrown by f, or "" if none.
template <class F>
std::string config_error_of(F&& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("h5: every dtype round-trips exactly through a file", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("types.h5");
  const std::vector<float> f32{1.5f, -2.25f, 3.0e-7f, std::numeric_limits<float>::max(),
                               0.0f, -0.0f};
  const std::vector<double> f64{1.0 / 3.0, -1e300, 2.5, std::numeric_limits<double>::min(),
                                7.0,       8.0};
  const std::vector<std::int8_t> i8{-128, -1, 0, 1, 42, 127};
  const std::vector<std::int32_t> i32{INT32_MIN, -7, 0, 7, 123456789, INT32_MAX};
  const std::vector<std::int64_t> i64{INT64_MIN, -(std::int64_t{1} << 62) - 1, 0,
                                      1,         (std::int64_t{1} << 62) + 1,  INT64_MAX};
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle g = h5::create_group(file.id(), "data");
    auto make = [&](const char* name, h5::Dtype t, const void* data) {
      h5::Handle d = h5::create_dataset(g.id(), name, t, {2, 3}, {1, 3});
      h5::write_all(d.id(), t, data);
    };
    make("f32", h5::Dtype::F32, f32.data());
    make("f64", h5::Dtype::F64, f64.data());
    make("i8", h5::Dtype::I8, i8.data());
    make("i32", h5::Dtype::I32, i32.data());
    make("i64", h5::Dtype::I64, i64.data());
    g.close();
    file.close();
  }
  h5::Handle file = h5::open_file_read(path);
  REQUIRE(h5::list_children(h5::open_group(file.id(), "data").id()) ==
          std::vector<std::string>{"f32", "f64", "i32", "i64", "i8"});

  h5::Handle d32 = h5::open_dataset(file.id(), "data/f32");
  CHECK(h5::shape(d32.id()) == std::vector<hsize_t>{2, 3});
  CHECK(h5::stored_dtype(d32.id()) == h5::Dtype::F32);
  CHECK(read_back<float>(d32.id()) == f32);
  // A float32 dataset may be read into doubles (widening) ...
  const std::vector<double> widened = read_back<double>(d32.id());
  CHECK(widened[0] == 1.5);
  CHECK(widened[1] == -2.25);

  h5::Handle d64 = h5::open_dataset(file.id(), "/data/f64");
  CHECK(h5::stored_dtype(d64.id()) == h5::Dtype::F64);
  CHECK(read_back<double>(d64.id()) == f64);
  // ... but a float64 dataset is not narrowed into floats, nor read as integers.
  std::vector<float> narrowed;
  CHECK_THROWS_AS(h5::read_all(d64.id(), narrowed), ConfigError);
  const std::string msg = config_error_of([&] {
    std::vector<std::int32_t> ints;
    h5::read_all(d64.id(), ints);
  });
  CHECK_THAT(msg,
             Catch::Contains("/data/f64") && Catch::Contains("float64") && Catch::Contains(path));

  h5::Handle di8 = h5::open_dataset(file.id(), "data/i8");
  CHECK(h5::stored_dtype(di8.id()) == h5::Dtype::I8);
  CHECK(read_back<std::int8_t>(di8.id()) == i8);
  CHECK(read_back<std::int64_t>(di8.id()) == std::vector<std::int64_t>(i8.begin(), i8.end()));

  h5::Handle di32 = h5::open_dataset(file.id(), "data/i32");
  CHECK(read_back<std::int32_t>(di32.id()) == i32);
  std::vector<std::int8_t> too_small;
  CHECK_THROWS_AS(h5::read_all(di32.id(), too_small), ConfigError);
  std::vector<float> as_float;
  CHECK_THROWS_AS(h5::read_all(di32.id(), as_float), ConfigError);

  h5::Handle di64 = h5::open_dataset(file.id(), "data/i64");
  CHECK(read_back<std::int64_t>(di64.id()) == i64);
  std::vector<std::int32_t> narrower;
  CHECK_THROWS_AS(h5::read_all(di64.id(), narrower), ConfigError);

  // Storage: chunked, shuffle + deflate, little-endian.
  h5::Handle dcpl(H5Dget_create_plist(d64.id()));
  CHECK(H5Pget_layout(dcpl.id()) == H5D_CHUNKED);
  CHECK(H5Pget_nfilters(dcpl.id()) == 2);
  h5::Handle type(H5Dget_type(d64.id()));
  CHECK(H5Tget_order(type.id()) == H5T_ORDER_LE);
}

TEST_CASE("h5: hyperslab writes grow unlimited dimensions; unwritten cells read as fill", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("grow.h5");
  {
    h5::Handle file = h5::create_file(path);
    // Rows grow (unlimited), columns are fixed at 3; starts empty.
    h5::Handle f =
        h5::create_dataset(file.id(), "series", h5::Dtype::F32, {0, 3}, {4, 3}, {true, false});
    CHECK(h5::shape(f.id()) == std::vector<hsize_t>{0, 3});
    const std::vector<float> rows01{1, 2, 3, 4, 5, 6};
    h5::write(f.id(), h5::Dtype::F32, rows01.data(), {0, 0}, {2, 3});
    CHECK(h5::shape(f.id()) == std::vector<hsize_t>{2, 3});
    const std::vector<float> row5{7, 8, 9};
    h5::write(f.id(), h5::Dtype::F32, row5.data(), {5, 0}, {1, 3});
    CHECK(h5::shape(f.id()) == std::vector<hsize_t>{6, 3});
    // One cell in the middle of an existing row.
    const float cell = 10;
    h5::write(f.id(), h5::Dtype::F32, &cell, {3, 1}, {1, 1});
    // Past the fixed column dimension: error, shape unchanged.
    const std::vector<float> wide(4, 0.0f);
    CHECK_THROWS_AS(h5::write(f.id(), h5::Dtype::F32, wide.data(), {0, 0}, {1, 4}), RuntimeFailure);
    CHECK(h5::shape(f.id()) == std::vector<hsize_t>{6, 3});
    // Wrong element type for the dataset: error.
    const std::vector<double> doubles(3, 1.0);
    CHECK_THROWS_AS(h5::write(f.id(), h5::Dtype::F64, doubles.data(), {0, 0}, {1, 3}),
                    RuntimeFailure);

    // Integer dataset with an explicit fill, growing along both dimensions.
    h5::Handle i = h5::create_dataset(file.id(), "counts", h5::Dtype::I32, {1, 1}, {8, 8},
                                      {true, true}, 4, -1.0);
    const std::vector<std::int32_t> block{5, 6, 7, 8};
    h5::write(i.id(), h5::Dtype::I32, block.data(), {2, 1}, {2, 2});
    // Integer dataset with the default fill (0) and a 0-length dimension never written to.
    h5::Handle events = h5::create_dataset(file.id(), "events", h5::Dtype::I64, {0, 4}, {1024, 4});
    h5::Handle f64 = h5::create_dataset(file.id(), "f64", h5::Dtype::F64, {4}, {2});
    const double v = 2.5;
    h5::write(f64.id(), h5::Dtype::F64, &v, {1}, {1});
    // A zero count writes nothing and does not grow the dataset.
    h5::write(events.id(), h5::Dtype::I64, nullptr, {0, 0}, {0, 4});
    CHECK(h5::shape(events.id()) == std::vector<hsize_t>{0, 4});
  }
  h5::Handle file = h5::open_file_read(path);

  std::vector<float> series;
  h5::read_all(h5::open_dataset(file.id(), "series").id(), series);
  REQUIRE(series.size() == 18);
  const std::vector<float> expected_head{1, 2, 3, 4, 5, 6};
  CHECK(std::vector<float>(series.begin(), series.begin() + 6) == expected_head);
  for (std::size_t k = 6; k < 15; ++k) {
    if (k == 3 * 3 + 1) {
      CHECK(series[k] == 10.0f);
    } else {
      INFO("cell " << k);
      CHECK(std::isnan(series[k]));
    }
  }
  CHECK(series[15] == 7.0f);
  CHECK(series[16] == 8.0f);
  CHECK(series[17] == 9.0f);

  // Hyperslab read of rows 3..5, columns 1..2.
  std::vector<float> slab;
  h5::read(h5::open_dataset(file.id(), "series").id(), slab, {3, 1}, {3, 2});
  REQUIRE(slab.size() == 6);
  CHECK(slab[0] == 10.0f);
  CHECK(std::isnan(slab[1]));
  CHECK(slab[4] == 8.0f);
  CHECK(slab[5] == 9.0f);
  // A hyperslab outside the shape is an error naming the dataset.
  CHECK_THAT(config_error_of([&] {
               h5::read(h5::open_dataset(file.id(), "series").id(), slab, {5, 0}, {2, 3});
             }),
             Catch::Contains("series") && Catch::Contains("does not fit"));

  h5::Handle counts = h5::open_dataset(file.id(), "counts");
  CHECK(h5::shape(counts.id()) == std::vector<hsize_t>{4, 3});
  const std::vector<std::int32_t> expected_counts{-1, -1, -1,  //
                                                  -1, -1, -1,  //
                                                  -1, 5,  6,   //
                                                  -1, 7,  8};
  CHECK(read_back<std::int32_t>(counts.id()) == expected_counts);

  h5::Handle events = h5::open_dataset(file.id(), "events");
  CHECK(h5::shape(events.id()) == std::vector<hsize_t>{0, 4});
  CHECK(read_back<std::int64_t>(events.id()).empty());

  const std::vector<double> f64 = read_back<double>(h5::open_dataset(file.id(), "f64").id());
  REQUIRE(f64.size() == 4);
  CHECK(std::isnan(f64[0]));
  CHECK(f64[1] == 2.5);
  CHECK(std::isnan(f64[3]));
}

TEST_CASE("h5: chunk dimensions are clamped to fixed dimensions; bad layouts are refused", "[h5]") {
  TempDir dir;
  h5::Handle file = h5::create_file(dir.file("chunks.h5"));
  h5::Handle d = h5::create_dataset(file.id(), "small", h5::Dtype::F64, {3, 5}, {100, 100});
  h5::Handle dcpl(H5Dget_create_plist(d.id()));
  hsize_t chunk[2] = {0, 0};
  REQUIRE(H5Pget_chunk(dcpl.id(), 2, chunk) == 2);
  CHECK(chunk[0] == 3);
  CHECK(chunk[1] == 5);

  // Uncompressed when the deflate level is 0.
  h5::Handle raw = h5::create_dataset(file.id(), "raw", h5::Dtype::I8, {10}, {10}, {}, 0);
  h5::Handle raw_dcpl(H5Dget_create_plist(raw.id()));
  CHECK(H5Pget_nfilters(raw_dcpl.id()) == 0);

  CHECK_THROWS_AS(h5::create_dataset(file.id(), "rank", h5::Dtype::F32, {3, 3}, {3}),
                  RuntimeFailure);
  CHECK_THROWS_AS(h5::create_dataset(file.id(), "zero", h5::Dtype::F32, {3}, {0}), RuntimeFailure);
  CHECK_THROWS_AS(h5::create_dataset(file.id(), "level", h5::Dtype::F32, {3}, {3}, {}, 10),
                  RuntimeFailure);
  CHECK_THROWS_AS(h5::create_dataset(file.id(), "fill", h5::Dtype::I8, {3}, {3}, {}, 4, 300.0),
                  RuntimeFailure);
  // The same name twice: an HDF5 error, translated, naming the object.
  try {
    h5::create_dataset(file.id(), "small", h5::Dtype::F64, {3}, {3});
    FAIL("expected RuntimeFailure");
  } catch (const RuntimeFailure& e) {
    CHECK_THAT(e.what(), Catch::Contains("/small") && Catch::Contains("create dataset failed") &&
                             Catch::Contains("chunks.h5"));
  }
}

TEST_CASE("h5: attributes of every kind round-trip and overwrite replaces", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("attrs.h5");
  const std::string long_text(200000, 'x');  // more than an object-header message holds
  const std::vector<double> many(20000, 0.125);
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle g = h5::create_group(file.id(), "scenarios/baseline");
    h5::set_attr(file.id(), "schema_version", 1);
    h5::set_attr(file.id(), "tool", "alliance-sim");
    h5::set_attr(g.id(), "question", std::string("Does the alliance hold? Ω ü ✓"));
    h5::set_attr(g.id(), "empty", "");
    h5::set_attr(g.id(), "scenario_text", long_text);
    h5::set_attr(g.id(), "third", 1.0 / 3.0);
    h5::set_attr(g.id(), "nan", std::numeric_limits<double>::quiet_NaN());
    h5::set_attr(g.id(), "big", std::int64_t{INT64_MIN});
    h5::set_attr(g.id(), "unsigned", std::size_t{123});
    h5::set_attr(g.id(), "names", std::vector<std::string>{"alpha", "", "γ"});
    h5::set_attr(g.id(), "no_names", std::vector<std::string>{});
    h5::set_attr(g.id(), "weights", std::vector<double>{0.5, -1.0, 1e-300});
    h5::set_attr(g.id(), "seeds", std::vector<std::int64_t>{INT64_MAX, -3, 0});
    h5::set_attr(g.id(), "many", many);
    // Overwrite: same type, and a different type and shape.
    h5::set_attr(g.id(), "replaced", "first");
    h5::set_attr(g.id(), "replaced", "second");
    h5::set_attr(g.id(), "retyped", "text");
    h5::set_attr(g.id(), "retyped", std::vector<double>{1.0, 2.0});
    h5::Handle d = h5::create_dataset(g.id(), "alliance", h5::Dtype::F32, {4}, {4});
    h5::set_units(d.id(), "1", "alliance bond, 0..1");
    CHECK_THROWS_AS(h5::set_attr(g.id(), "nul", std::string("a\0b", 3)), ConfigError);
    CHECK_THROWS_AS(h5::set_attr(g.id(), "huge", std::uint64_t{1} << 63), RuntimeFailure);
  }
  h5::Handle file = h5::open_file_read(path);
  h5::Handle g = h5::open_group(file.id(), "scenarios/baseline");
  CHECK(h5::get_attr_int(file.id(), "schema_version") == 1);
  CHECK(h5::get_attr_string(file.id(), "tool") == "alliance-sim");
  CHECK(h5::get_attr_string(g.id(), "question") == "Does the alliance hold? Ω ü ✓");
  CHECK(h5::get_attr_string(g.id(), "empty").empty());
  CHECK(h5::get_attr_string(g.id(), "scenario_text") == long_text);
  CHECK(h5::get_attr_double(g.id(), "third") == 1.0 / 3.0);
  CHECK(std::isnan(h5::get_attr_double(g.id(), "nan")));
  CHECK(h5::get_attr_int(g.id(), "big") == INT64_MIN);
  CHECK(h5::get_attr_int(g.id(), "unsigned") == 123);
  CHECK(h5::get_attr_double(g.id(), "unsigned") == 123.0);  // integers read as doubles too
  CHECK(h5::get_attr_strings(g.id(), "names") == std::vector<std::string>{"alpha", "", "γ"});
  CHECK(h5::get_attr_strings(g.id(), "no_names").empty());
  CHECK(h5::get_attr_strings(g.id(), "question") ==
        std::vector<std::string>{"Does the alliance hold? Ω ü ✓"});
  CHECK(h5::get_attr_doubles(g.id(), "weights") == std::vector<double>{0.5, -1.0, 1e-300});
  CHECK(h5::get_attr_ints(g.id(), "seeds") == std::vector<std::int64_t>{INT64_MAX, -3, 0});
  CHECK(h5::get_attr_doubles(g.id(), "many") == many);
  CHECK(h5::get_attr_string(g.id(), "replaced") == "second");
  CHECK(h5::get_attr_doubles(g.id(), "retyped") == std::vector<double>{1.0, 2.0});
  h5::Handle d = h5::open_dataset(g.id(), "alliance");
  CHECK(h5::get_attr_string(d.id(), "units") == "1");
  CHECK(h5::get_attr_string(d.id(), "description") == "alliance bond, 0..1");

  CHECK(h5::has_attr(g.id(), "third"));
  CHECK_FALSE(h5::has_attr(g.id(), "nul"));
  CHECK_FALSE(h5::has_attr(g.id(), "missing"));

  // Stored as variable-length UTF-8 strings.
  h5::Handle attr(H5Aopen(g.id(), "question", H5P_DEFAULT));
  h5::Handle type(H5Aget_type(attr.id()));
  CHECK(H5Tget_class(type.id()) == H5T_STRING);
  CHECK(H5Tis_variable_str(type.id()) > 0);
  CHECK(H5Tget_cset(type.id()) == H5T_CSET_UTF8);

  // Wrong kind or count: ConfigError naming object and attribute.
  CHECK_THAT(config_error_of([&] { h5::get_attr_double(g.id(), "question"); }),
             Catch::Contains("/scenarios/baseline") && Catch::Contains("'question'") &&
                 Catch::Contains("string"));
  CHECK_THAT(config_error_of([&] { h5::get_attr_string(g.id(), "names"); }),
             Catch::Contains("holds 3 values"));
  CHECK_THAT(config_error_of([&] { h5::get_attr_int(g.id(), "third"); }),
             Catch::Contains("float64"));
  CHECK_THAT(config_error_of([&] { h5::get_attr_string(g.id(), "missing"); }),
             Catch::Contains("no attribute 'missing'"));
}

TEST_CASE("h5: fixed-length string attributes written by other tools are read", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("foreign.h5");
  {
    h5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    REQUIRE(file);
    h5::Handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.id(), 8);
    H5Tset_strpad(type.id(), H5T_STR_SPACEPAD);
    h5::Handle scalar(H5Screate(H5S_SCALAR));
    h5::Handle a(H5Acreate2(file.id(), "padded", type.id(), scalar.id(), H5P_DEFAULT, H5P_DEFAULT));
    REQUIRE(H5Awrite(a.id(), type.id(), "abc     ") >= 0);
    h5::Handle type2(H5Tcopy(H5T_C_S1));
    H5Tset_size(type2.id(), 4);
    hsize_t n = 2;
    h5::Handle space(H5Screate_simple(1, &n, nullptr));
    h5::Handle b(H5Acreate2(file.id(), "list", type2.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT));
    REQUIRE(H5Awrite(b.id(), type2.id(), "ab\0\0wxyz") >= 0);
  }
  h5::Handle file = h5::open_file_read(path);
  CHECK(h5::get_attr_string(file.id(), "padded") == "abc");
  CHECK(h5::get_attr_strings(file.id(), "list") == std::vector<std::string>{"ab", "wxyz"});
}

TEST_CASE("h5: dimension scales are attached and labelled", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("scales.h5");
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle day = h5::create_dataset(file.id(), "day", h5::Dtype::I32, {5}, {5});
    const std::vector<std::int32_t> days{0, 1, 2, 3, 4};
    h5::write_all(day.id(), h5::Dtype::I32, days.data());
    h5::make_scale(day.id(), "day");
    h5::Handle values = h5::create_dataset(file.id(), "values", h5::Dtype::F32, {2, 5}, {2, 5});
    h5::attach_scale(values.id(), day.id(), 1);
    h5::label_dim(values.id(), 0, "replicate");
    h5::label_dim(values.id(), 1, "day");
    CHECK_THROWS_AS(h5::attach_scale(values.id(), day.id(), 7), RuntimeFailure);
  }
  h5::Handle file = h5::open_file_read(path);
  h5::Handle day = h5::open_dataset(file.id(), "day");
  h5::Handle values = h5::open_dataset(file.id(), "values");
  CHECK(H5DSis_scale(day.id()) > 0);
  CHECK(H5DSis_attached(values.id(), day.id(), 1) > 0);
  CHECK(H5DSis_attached(values.id(), day.id(), 0) == 0);
  char label[32] = {};
  REQUIRE(H5DSget_label(values.id(), 0, label, sizeof label) > 0);
  CHECK(std::string(label) == "replicate");
  REQUIRE(H5DSget_label(values.id(), 1, label, sizeof label) > 0);
  CHECK(std::string(label) == "day");
}

TEST_CASE("h5: groups, nested existence checks and sorted listings", "[h5]") {
  TempDir dir;
  h5::Handle file = h5::create_file(dir.file("groups.h5"));
  h5::create_group(file.id(), "a/b/c");
  h5::create_group(file.id(), "a/zeta");
  h5::create_group(file.id(), "a/alpha");
  h5::create_dataset(file.id(), "a/b/ds", h5::Dtype::F32, {1}, {1});
  H5Lcreate_soft("/nowhere", file.id(), "a/dangling", H5P_DEFAULT, H5P_DEFAULT);

  CHECK(h5::exists(file.id(), ""));
  CHECK(h5::exists(file.id(), "/"));
  CHECK(h5::exists(file.id(), "a/b/c"));
  CHECK(h5::exists(file.id(), "/a/b/c/"));
  CHECK(h5::exists(file.id(), "a/b/ds"));
  CHECK_FALSE(h5::exists(file.id(), "a/x/c"));
  CHECK_FALSE(h5::exists(file.id(), "a/b/c/d"));
  CHECK_FALSE(h5::exists(file.id(), "a/b/ds/x"));  // through a dataset
  CHECK_FALSE(h5::exists(file.id(), "a/dangling"));
  h5::Handle b = h5::open_group(file.id(), "a/b");
  CHECK(h5::exists(b.id(), "c"));
  CHECK_FALSE(h5::exists(b.id(), "zeta"));

  CHECK(h5::list_children(h5::open_group(file.id(), "a").id()) ==
        std::vector<std::string>{"alpha", "b", "dangling", "zeta"});
  CHECK(h5::list_children(file.id()) == std::vector<std::string>{"a"});

  CHECK_THAT(config_error_of([&] { h5::open_group(file.id(), "a/missing"); }),
             Catch::Contains("groups.h5:/a/missing") && Catch::Contains("no such group"));
  CHECK_THAT(config_error_of([&] { h5::open_group(file.id(), "a/b/ds"); }),
             Catch::Contains("is not a group"));
  CHECK_THAT(config_error_of([&] { h5::open_dataset(file.id(), "a/b"); }),
             Catch::Contains("is not a dataset"));
  CHECK_THROWS_AS(h5::create_group(file.id(), "a/b"), RuntimeFailure);
}

TEST_CASE("h5: files that are not HDF5 get a ConfigError naming the path", "[h5]") {
  TempDir dir;
  const std::string text = dir.file("notes.txt");
  write_text(text, "this is a text file, not HDF5\n");
  const std::string empty = dir.file("empty.h5");
  write_text(empty, "");
  const std::string missing = dir.file("missing.h5");
  const std::string junk = dir.file("junk.h5");
  write_text(junk, std::string(4096, '\x89'));

  CHECK_THAT(config_error_of([&] { h5::open_file_read(text); }),
             Catch::Contains(text) && Catch::Contains("not an HDF5 file"));
  CHECK_THAT(config_error_of([&] { h5::open_file_read(empty); }),
             Catch::Contains(empty) && Catch::Contains("empty file"));
  CHECK_THAT(config_error_of([&] { h5::open_file_read(missing); }),
             Catch::Contains(missing) && Catch::Contains("no such file"));
  CHECK_THAT(config_error_of([&] { h5::open_file_read(dir.path().string()); }),
             Catch::Contains(dir.path().string()) && Catch::Contains("is a directory"));
  CHECK_THAT(config_error_of([&] { h5::open_file_read(junk); }),
             Catch::Contains(junk) && Catch::Contains("not an HDF5 file"));
  CHECK_THAT(config_error_of([&] { h5::open_file_rw(text); }), Catch::Contains(text));
}

TEST_CASE("h5: a truncated HDF5 file is an error, not a crash", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("cut.h5");
  {
    h5::Handle file = h5::create_file(path);
    h5::Handle d = h5::create_dataset(file.id(), "x", h5::Dtype::F64, {10000}, {1000}, {}, 0);
    const std::vector<double> data(10000, 1.0);
    h5::write_all(d.id(), h5::Dtype::F64, data.data());
  }
  const auto full = fs::file_size(path);
  REQUIRE(full > 4096);
  fs::resize_file(path, 2048);  // the signature survives, the rest does not
  CHECK_THAT(config_error_of([&] { h5::open_file_read(path); }),
             Catch::Contains(path) && Catch::Contains("open as HDF5 file failed"));
}

TEST_CASE("h5: the signature is also found after a user block", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("userblock.h5");
  {
    h5::Handle fcpl(H5Pcreate(H5P_FILE_CREATE));
    REQUIRE(H5Pset_userblock(fcpl.id(), 1024) >= 0);
    h5::Handle file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), H5P_DEFAULT));
    REQUIRE(file);
    h5::set_attr(file.id(), "marker", "behind a user block");
  }
  h5::Handle file = h5::open_file_read(path);
  CHECK(h5::get_attr_string(file.id(), "marker") == "behind a user block");
}

TEST_CASE("h5: handles move, close once, and a file is not closed under open objects", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("handles.h5");
  h5::Handle file = h5::create_file(path);
  REQUIRE(file);
  h5::Handle moved = std::move(file);
  CHECK_FALSE(file);  // NOLINT(bugprone-use-after-move): checking the moved-from state
  REQUIRE(moved);
  h5::Handle group = h5::create_group(moved.id(), "g");
  CHECK_THROWS_AS(moved.close(), RuntimeFailure);
  CHECK(moved);  // still open after the refused close
  group.close();
  CHECK_FALSE(group);
  moved.close();
  CHECK_FALSE(moved);
  moved.close();  // closing twice is harmless
  h5::Handle reopened = h5::open_file_read(path);
  CHECK(h5::exists(reopened.id(), "g"));
}

TEST_CASE("h5: library version is the one compiled against", "[h5]") {
  const std::string expected = std::to_string(H5_VERS_MAJOR) + "." + std::to_string(H5_VERS_MINOR) +
                               "." + std::to_string(H5_VERS_RELEASE);
  CHECK(h5::library_version() == expected);
  CHECK(std::string(h5::dtype_name(h5::Dtype::I32)) == "int32");
}

TEST_CASE("h5: scales attached in bulk read back like H5DSattach_scale's", "[h5]") {
  TempDir dir;
  // The same two scales on three datasets, attached one by one (H5DS) and in bulk.
  auto make = [&](const std::string& path, bool bulk) {
    h5::Handle file = h5::create_file(path);
    h5::Handle rep = h5::create_dataset(file.id(), "replicate", h5::Dtype::I32, {2}, {2});
    h5::Handle day = h5::create_dataset(file.id(), "day", h5::Dtype::I32, {5}, {5});
    const std::vector<std::int32_t> reps{0, 1}, days{0, 1, 2, 3, 4};
    h5::write_all(rep.id(), h5::Dtype::I32, reps.data());
    h5::write_all(day.id(), h5::Dtype::I32, days.data());
    h5::make_scale(rep.id(), "replicate");
    h5::make_scale(day.id(), "day");
    h5::ScaleAttachments scales;
    for (const char* name : {"a", "b", "c"}) {
      h5::Handle ds = h5::create_dataset(file.id(), name, h5::Dtype::F32, {2, 5}, {1, 5});
      if (bulk) {
        scales.attach(ds.id(), {rep.id(), day.id()});
      } else {
        h5::attach_scale(ds.id(), rep.id(), 0);
        h5::attach_scale(ds.id(), day.id(), 1);
      }
    }
    if (bulk) {
      h5::Handle again = h5::open_dataset(file.id(), "a");
      CHECK_THROWS_AS(scales.attach(again.id(), {rep.id()}), RuntimeFailure);  // has scales already
    }
    scales.finish();
  };
  make(dir.file("one.h5"), false);
  make(dir.file("bulk.h5"), true);
  CHECK(h5::compare_files(dir.file("one.h5"), dir.file("bulk.h5")) == "");
  h5::Handle file = h5::open_file_read(dir.file("bulk.h5"));
  h5::Handle rep = h5::open_dataset(file.id(), "replicate"),
             day = h5::open_dataset(file.id(), "day");
  for (const char* name : {"a", "b", "c"}) {
    h5::Handle ds = h5::open_dataset(file.id(), name);
    CHECK(H5DSis_attached(ds.id(), rep.id(), 0) > 0);
    CHECK(H5DSis_attached(ds.id(), day.id(), 1) > 0);
    CHECK(H5DSis_attached(ds.id(), day.id(), 0) == 0);
    CHECK(H5DSget_num_scales(ds.id(), 0) == 1);
  }
  // The scales know their datasets (REFERENCE_LIST): three each, as after H5DSattach_scale.
  for (hid_t scale : {rep.id(), day.id()}) {
    h5::Handle attr(H5Aopen(scale, "REFERENCE_LIST", H5P_DEFAULT));
    h5::Handle space(H5Aget_space(attr.id()));
    CHECK(H5Sget_simple_extent_npoints(space.id()) == 3);
  }
}
