// HDF5 result file writer. Every dataset carries "units" and "description" attributes and is
// attached to dimension scales (replicate, youth, wave day, day since admission, group,
// simulation day), so h5py, pandas and R's hdf5r can read it without code of ours.
#include "models/result_file.hpp"

#include <hdf5_hl.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <map>

#include "engine/code_list.hpp"
#include "engine/errors.hpp"
#include "engine/h5_chunks.hpp"
#include "models/scenarios.hpp"

namespace asim {

std::string utc_timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {

h5::Dtype dtype_of(FieldType t) {
  switch (t) {
    case FieldType::I8:
      return h5::Dtype::I8;
    case FieldType::I32:
      return h5::Dtype::I32;
    default:
      return h5::Dtype::F32;
  }
}

// Deflate level of the large datasets: level 1 keeps most of the size gain of shuffle + deflate
// at a fraction of the single writer thread's time (measured in bench/).
constexpr int kDeflate = 1;
constexpr hsize_t kEventChunk = 8192;  // events per chunk of each events/ column
constexpr hsize_t kScaleChunk = 4096;  // chunk of a growing coordinate (events/event, the sim day)
constexpr int kScaleDeflate = 4;       // and its deflate level

// Chunk shapes: one replicate per chunk along the first dimension (several for the small slices
// gathered below); these caps along the others.
constexpr hsize_t kWaveChunkYouths = 32768, kDailyChunkYouths = 512, kFieldChunkYouths = 65536,
                  kGroupChunkGroups = 256, kGroupChunkDays = 512;

hsize_t clamp_chunk(hsize_t n, hsize_t cap) {
  return std::max<hsize_t>(1, std::min(n, cap));
}

// A replicate's slice that fits one chunk and is smaller than a chunk compress_chunk would
// code (h5::kStoredChunkBytes: a replicate's wave measures, static fields or outcomes in a cohort
// of a few hundred) is not a chunk of its own: the writer gathers the slices of consecutive
// replicates into chunks of up to kGatheredChunkBytes and stores them (h5::store_chunk). One
// HDF5 chunk write then serves several replicates; one per replicate and dataset cost about as
// much CPU time as the rest of the default file's writing together (bench/README.md).
constexpr std::size_t kGatheredChunkBytes = 65536;
bool gathered(std::size_t rows, hsize_t row_cap, std::size_t slice_bytes) {
  return rows <= row_cap && slice_bytes < h5::kStoredChunkBytes;
}
hsize_t replicates_per_chunk(std::size_t slice_bytes, hsize_t replicates) {
  return std::clamp<hsize_t>(kGatheredChunkBytes / std::max<std::size_t>(slice_bytes, 1), 1,
                             std::max<hsize_t>(replicates, 1));
}
// A gathered slice as the worker hands it on: its bytes, in the dataset's element type.
template <class T>
std::vector<unsigned char> raw_bytes(const T* data, std::size_t n) {
  const auto* b = reinterpret_cast<const unsigned char*>(data);
  return std::vector<unsigned char>(b, b + n * sizeof(T));
}

// CF attributes of a variable (docs/hdf5-schema.md, "File-level conventions"), derived from the
// unit text of the output catalogues (models/results.hpp):
//   - units: a UDUNITS string; "1" for dimensionless quantities (scores, shares, counts, ids,
//     codes), "day" for both clocks (days since admission, simulation day), "year" for age;
//   - long_name and description: the one-line meaning;
//   - scale: the instrument's range ("1-5", "0-40") or "z" for standardised traits;
//   - flag_values / flag_meanings: for coded variables ("0 open, 1 closed", "0/1").
// A unit text with "since" is never written as units: CF readers (xarray) would take it for a
// time axis with a reference date.
struct CfAttrs {
  std::string units = "1";
  std::string scale;
  std::vector<double> flag_values;
  std::vector<std::string> flag_meanings;
};

bool is_number(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.')) return false;
  return true;
}

// A flag meaning as CF wants it: one word (letters, digits, '_', '-'), spaces as underscores:
// "in care" -> in_care, "drop-out" stays drop-out.
std::string flag_word(std::string_view text) {
  std::string w;
  for (char c : text) w += c == ' ' ? '_' : c;
  return w;
}

CfAttrs cf_attrs(std::string_view unit) {
  CfAttrs a;
  if (unit == "years")
    a.units = "year";
  else if (unit == "days" || unit == "days since admission" || unit == "simulation day")
    a.units = "day";
  else if (unit == "z") {
    a.scale = "z";
  } else if (const auto dash = unit.find('-'); dash != std::string_view::npos &&
                                               is_number(unit.substr(0, dash)) &&
                                               is_number(unit.substr(dash + 1))) {
    a.scale = std::string(unit);
  } else if (const auto codes = parse_code_list(unit)) {  // "0/1", "0 open, 1 closed"
    for (const auto& [code, meaning] : *codes) {
      a.flag_values.push_back(static_cast<double>(code));
      a.flag_meanings.push_back(flag_word(meaning));
    }
  } else if (!unit.empty() && std::isdigit(static_cast<unsigned char>(unit[0]))) {
    throw RuntimeFailure("result writer: unit text '" + std::string(unit) +
                         "' is neither a unit nor a list of codes");
  }
  return a;
}

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Writes units, long_name, description and, where they apply, scale and flag attributes.
void describe_variable(hid_t ds, h5::Dtype type, std::string_view unit, std::string_view meaning) {
  const CfAttrs a = cf_attrs(unit);
  h5::set_units(ds, a.units, meaning);
  h5::set_attr(ds, "long_name", meaning);
  if (!a.scale.empty()) h5::set_attr(ds, "scale", a.scale);
  if (!a.flag_values.empty()) {
    h5::set_attr(ds, "flag_values", type, a.flag_values);
    h5::set_attr(ds, "flag_meanings", join_words(a.flag_meanings));
  }
}

// Cuts a row-major [rows, cols] slice into [cr, cc] chunks (row-chunk major), padding edge
// chunks with `fill`, and compresses each. `at(r, c)` gives the element at row r, column c, so
// a caller can cut a transposed layout without copying it first.
template <class T, class At>
void compress_chunks(std::vector<std::vector<unsigned char>>& out, const At& at, std::size_t rows,
                     std::size_t cols, std::size_t cr, std::size_t cc, T fill) {
  thread_local std::vector<T> buf;
  buf.resize(cr * cc);
  for (std::size_t r0 = 0; r0 < rows; r0 += cr)
    for (std::size_t c0 = 0; c0 < cols; c0 += cc) {
      const std::size_t r1 = std::min(r0 + cr, rows), c1 = std::min(c0 + cc, cols);
      if (r1 - r0 < cr || c1 - c0 < cc) std::fill(buf.begin(), buf.end(), fill);
      for (std::size_t r = r0; r < r1; ++r) {
        T* row = buf.data() + (r - r0) * cc;
        for (std::size_t c = c0; c < c1; ++c) row[c - c0] = at(r, c);
      }
      out.push_back(h5::compress_chunk(buf.data(), sizeof(T), buf.size(), kDeflate));
    }
}

template <class T>
void compress_slice(std::vector<std::vector<unsigned char>>& out, const T* data, std::size_t rows,
                    std::size_t cols, std::size_t cr, std::size_t cc, T fill) {
  compress_chunks<T>(
      out, [&](std::size_t r, std::size_t c) { return data[r * cols + c]; }, rows, cols, cr, cc,
      fill);
}

// One replicate's [rows, cols] slice into `out`: its raw bytes where the writer gathers it with
// the next replicates' (gathered()), else its chunks compressed (rows cut at row_cap).
template <class T>
void put_slice(std::vector<std::vector<unsigned char>>& out, const T* data, std::size_t rows,
               std::size_t cols, hsize_t row_cap, T fill) {
  if (gathered(rows, row_cap, rows * cols * sizeof(T)))
    out.push_back(raw_bytes(data, rows * cols));
  else
    compress_slice<T>(out, data, rows, cols, clamp_chunk(rows, row_cap), cols, fill);
}

// Writes the chunks of one replicate's [rows, cols] slice in the order compress_slice made them.
void write_slice(hid_t dset, hsize_t replicate, std::size_t rows, std::size_t cols, std::size_t cr,
                 std::size_t cc, bool two_dimensional,
                 std::vector<std::vector<unsigned char>>::const_iterator& chunk,
                 const std::vector<hsize_t>& extent = {}) {
  for (std::size_t r0 = 0; r0 < rows; r0 += cr)
    for (std::size_t c0 = 0; c0 < cols; c0 += cc) {
      if (two_dimensional)
        h5::write_compressed_chunk(dset, {replicate, r0}, *chunk, extent);
      else
        h5::write_compressed_chunk(dset, {replicate, r0, c0}, *chunk, extent);
      ++chunk;
    }
}

template <class T>
std::vector<T> convert(const std::vector<double>& v) {
  std::vector<T> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<T>(std::isnan(v[i]) ? -1 : v[i]);
  return out;
}

std::size_t field_size(FieldType t) {
  return t == FieldType::I8 ? 1 : 4;
}

void compress_fields(std::vector<std::vector<unsigned char>>& out, const auto& catalogue,
                     const std::vector<double>* values, std::size_t N) {
  for (std::size_t f = 0; f < catalogue.size(); ++f) {
    switch (catalogue[f].type) {
      case FieldType::I8:
        put_slice<std::int8_t>(out, convert<std::int8_t>(values[f]).data(), N, 1, kFieldChunkYouths,
                               0);
        break;
      case FieldType::I32:
        put_slice<std::int32_t>(out, convert<std::int32_t>(values[f]).data(), N, 1,
                                kFieldChunkYouths, 0);
        break;
      case FieldType::F32: {
        const std::vector<float> v(values[f].begin(), values[f].end());
        put_slice<float>(out, v.data(), N, 1, kFieldChunkYouths, std::nanf(""));
        break;
      }
    }
  }
}

// The chunk of a gathered dataset being filled: the slices of replicates first, first + 1, ...
// (per_chunk 0: the dataset is not gathered; each replicate's slice is compressed and written as
// chunks of its own).
struct GatheredChunk {
  hid_t dataset = H5I_INVALID_HID;  // owned by the scenario's handles
  int rank = 2;                     // of the dataset: [R, N] or [R, N, W]
  hsize_t per_chunk = 0, first = 0;
  std::size_t element_size = 4, slice_bytes = 0;
  std::vector<unsigned char> fill;  // one element's fill value
  std::vector<unsigned char> rows;
  // Writes the chunk, slices not yet there as fill values (rows past the last replicate, or of
  // replicates an interrupted run never wrote). It stays in memory until it is full: a later
  // write of the same chunk replaces this one.
  void write() const {
    std::vector<unsigned char> chunk(per_chunk * slice_bytes);
    std::copy(rows.begin(), rows.end(), chunk.begin());
    for (std::size_t at = rows.size(); at < chunk.size(); at += element_size)
      std::copy(fill.begin(), fill.end(), chunk.begin() + static_cast<std::ptrdiff_t>(at));
    std::vector<hsize_t> offset(static_cast<std::size_t>(rank), 0);
    offset[0] = first;
    h5::write_compressed_chunk(
        dataset, offset, h5::store_chunk(chunk.data(), element_size, chunk.size() / element_size));
  }
};

}  // namespace

struct ResultWriter::ScenarioData {
  h5::Handle group;
  // Coordinate variables (dimension scales) that grow with the replicates written: the
  // simulation day of groups/daily and the event index of the events table.
  h5::Handle sim_day_scale, event_scale;
  std::vector<h5::Handle> waves, daily, statics, outcomes, group_daily;
  std::vector<int> daily_index;  // which DailyVar each daily dataset holds
  std::map<std::string, h5::Handle> events;
  hsize_t events_written = 0;  // events handed over; those before events_flushed are in the file
  // Events not yet in the file: fewer than a chunk (kEventChunk) per column until end_scenario.
  // Whole chunks go to the file coded here (h5::runs_chunk, see write_event_chunks) and written
  // directly, as the wave chunks are: appending through HDF5's own filter cost more CPU (zlib)
  // than simulating the default workload's youth-days with their events (bench/README.md).
  struct PendingEvents {
    std::vector<std::int32_t> replicate, day, youth, staff, index;
    std::vector<std::int8_t> kind;
    std::vector<float> value;
    std::size_t size() const { return day.size(); }
  } pending;
  hsize_t events_flushed = 0;
  // peers/edges: the ego networks at the waves, a table written as the events table is.
  h5::Handle edge_scale;
  std::map<std::string, h5::Handle> edges;
  hsize_t edges_written = 0, edges_flushed = 0;
  struct PendingEdges {
    std::vector<std::int32_t> replicate, wave, day, youth, partner, partner_cohort, index;
    std::vector<std::int8_t> tie;
    std::size_t size() const { return day.size(); }
  } pending_edges;
  // Per dataset of youth/waves, youth/static and outcomes (in that order): the slices gathered
  // into the chunk being filled (see gathered()).
  std::vector<GatheredChunk> gathered;
  hsize_t sim_days = 0;
  int replicates = 0, written = 0, cohort = 0, groups = 0, follow_up = 0;
  bool group_series = true;  // groups/daily written (RunOptions::group_series)
};

// The resolved scenario reads back as a scenario file: its name and question, then every value.
std::string resolved_toml(const Scenario& scenario) {
  return "[scenario]\nname = " + toml_quote(scenario.name) +
         "\nquestion = " + toml_quote(scenario.question) + "\n\n" + scenario.values.to_toml();
}

ResultWriter::ResultWriter(const std::string& path, const std::string& command_line)
    : file_(h5::create_file(path)) {
  const hid_t root = file_.id();
  h5::set_attr_int(root, "schema_version", kSchemaVersion);
  h5::set_attr(root, "generator", std::string("alliance-sim ") + ASIM_VERSION);
  h5::set_attr(root, "git_commit", std::string_view(git_commit()));
  h5::set_attr(root, "created_utc", utc_timestamp());
  h5::set_attr(root, "command_line", command_line);
  h5::set_attr(root, "hdf5_version", h5::library_version());
  // The metadata conventions the attributes follow (units, long_name, flag_values/meanings).
  h5::set_attr(root, "Conventions", "CF-1.8");
  h5::create_group(root, "scenarios");
}

ResultWriter::ResultWriter(const std::string& path, const std::string& command_line, Resume)
    : file_(h5::open_file_rw(path)) {
  const hid_t root = file_.id();
  if (!h5::has_attr(root, "schema_version") ||
      h5::get_attr_int(root, "schema_version") != kSchemaVersion || !h5::exists(root, "scenarios"))
    throw ConfigError(path + ": not a result file of this version; cannot resume it");
  h5::set_attr(root, "created_utc", utc_timestamp());
  h5::set_attr(root, "command_line", command_line);
}

bool ResultWriter::keep_finished(const Scenario& scenario, const RunOptions& options) {
  const std::string path = "scenarios/" + scenario.name;
  if (!h5::exists(file_.id(), path)) return false;
  bool same = false;
  {
    h5::Handle g = h5::open_group(file_.id(), path);
    same = h5::get_attr_int(g.id(), "complete") == 1 &&
           h5::get_attr_string(g.id(), "resolved_toml") == resolved_toml(scenario);
    for (int v = 0; v < kDailyVarCount && same; ++v)
      same = options.daily[static_cast<std::size_t>(v)] ==
             h5::exists(g.id(),
                        "youth/daily/" + std::string(kDailyVars[static_cast<std::size_t>(v)].name));
    same = same && options.group_series == h5::exists(g.id(), "groups/daily");
  }
  if (!same)
    h5::check(H5Ldelete(file_.id(), path.c_str(), H5P_DEFAULT), "remove unfinished scenario",
              file_.id(), path);
  return same;
}

ResultWriter::~ResultWriter() = default;

void ResultWriter::begin_scenario(const Scenario& scenario, const Model& model,
                                  const RunOptions& options, int replicates) {
  auto d = std::make_unique<ScenarioData>();
  const ModelParams& p = model.params();
  d->replicates = replicates;
  d->cohort = p.cohort_size;
  d->groups = model.group_count();
  d->follow_up = model.follow_up_days();
  const hsize_t R = static_cast<hsize_t>(replicates), N = static_cast<hsize_t>(p.cohort_size),
                W = static_cast<hsize_t>(model.wave_days().size()),
                D = static_cast<hsize_t>(d->follow_up), G = static_cast<hsize_t>(d->groups);
  d->group = h5::create_group(file_.id(), "scenarios/" + scenario.name);
  const hid_t sg = d->group.id();
  h5::set_attr(sg, "resolved_toml", resolved_toml(scenario));
  h5::set_attr(sg, "scenario_text", scenario.text);
  h5::set_attr(sg, "source", scenario.source_path);
  h5::set_attr(sg, "question", scenario.question);
  h5::set_attr_int(sg, "seed", p.seed);
  h5::set_attr_int(sg, "replicates", replicates);
  h5::set_attr_int(sg, "cohort_size", p.cohort_size);
  h5::set_attr_int(sg, "complete", 0);
  h5::set_attr_int(sg, "replicates_written", 0);
  if (!scenario.sweep_label.empty()) h5::set_attr(sg, "sweep_point", scenario.sweep_label);

  // Every section group holds the coordinate variables (dimension scales) of its own datasets,
  // so that netCDF-4 readers resolve each dimension in the dataset's group and xarray, opening
  // one group, finds its coordinates there (docs/hdf5-schema.md, "Dimensions").
  h5::ScaleAttachments scales;  // every dataset's scales, written in bulk (engine/h5.hpp)
  auto scale = [&](const std::string& path, const std::vector<std::int32_t>& values,
                   std::string_view units, std::string_view meaning, bool growable) {
    const hsize_t n = values.size();
    const std::string name = path.substr(path.rfind('/') + 1);
    h5::Handle ds = h5::create_dataset(sg, path, h5::Dtype::I32, {n},
                                       {growable ? kScaleChunk : clamp_chunk(n, 65536)}, {growable},
                                       kScaleDeflate, 0.0);
    if (n) h5::write_all(ds.id(), h5::Dtype::I32, values.data());
    h5::make_scale(ds.id(), name);
    describe_variable(ds.id(), h5::Dtype::I32, units, meaning);
    return ds;
  };
  auto iota = [](hsize_t n) {
    std::vector<std::int32_t> v(n);
    for (hsize_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i);
    return v;
  };
  const auto reps = iota(R), youths = iota(N);
  // The scales of a [replicate, youth] section.
  struct YouthScales {
    h5::Handle replicate, youth;
  };
  auto youth_scales = [&](const std::string& section) {
    return YouthScales{
        scale(section + "/replicate", reps, "", "replicate number", false),
        scale(section + "/youth", youths, "",
              "tracked youth: position in the replicate's cohort (admission order)", false)};
  };
  h5::create_group(sg, "events");
  h5::create_group(sg, "peers");

  const YouthScales wave_dims = youth_scales("youth/waves");
  const auto waves = model.wave_days();
  h5::Handle wave_scale =
      scale("youth/waves/wave", {waves.begin(), waves.end()}, "days since admission",
            "day of each measurement wave since admission", false);
  h5::set_attr(wave_scale.id(), "names", wave_names(p));
  const float nan = std::nanf("");
  const auto gather = [&](int rank, std::size_t element_size, std::size_t row_elements,
                          hsize_t row_cap, const void* fill) {
    GatheredChunk g;
    g.rank = rank;
    const std::size_t slice = static_cast<std::size_t>(N) * row_elements * element_size;
    if (gathered(static_cast<std::size_t>(N), row_cap, slice)) {
      g.per_chunk = replicates_per_chunk(slice, R);
      g.element_size = element_size;
      g.slice_bytes = slice;
      const auto* f = static_cast<const unsigned char*>(fill);
      g.fill.assign(f, f + element_size);
    }
    d->gathered.push_back(std::move(g));
    return std::max<hsize_t>(d->gathered.back().per_chunk, 1);
  };
  for (const auto& m : kWaveMeasures) {
    const hsize_t per_chunk = gather(3, sizeof(float), W, kWaveChunkYouths, &nan);
    h5::Handle ds =
        h5::create_dataset(sg, "youth/waves/" + std::string(m.name), h5::Dtype::F32, {R, N, W},
                           {per_chunk, clamp_chunk(N, kWaveChunkYouths), W}, {}, kDeflate);
    describe_variable(ds.id(), h5::Dtype::F32, m.unit, m.meaning);
    scales.attach(ds.id(), {wave_dims.replicate.id(), wave_dims.youth.id(), wave_scale.id()});
    d->gathered.back().dataset = ds.id();
    d->waves.push_back(std::move(ds));
  }
  bool any_daily = false;
  for (bool b : options.daily) any_daily = any_daily || b;
  YouthScales daily_dims;
  h5::Handle day_scale;
  if (any_daily) {
    daily_dims = youth_scales("youth/daily");
    day_scale = scale("youth/daily/day", iota(D), "days since admission",
                      "day since the youth's admission (day 0: the day of admission)", false);
    for (int v = 0; v < kDailyVarCount; ++v) {
      if (!options.daily[static_cast<std::size_t>(v)]) continue;
      const auto& var = kDailyVars[static_cast<std::size_t>(v)];
      h5::Handle ds =
          h5::create_dataset(sg, "youth/daily/" + std::string(var.name), h5::Dtype::F32, {R, N, D},
                             {1, clamp_chunk(N, kDailyChunkYouths), D}, {}, kDeflate);
      describe_variable(ds.id(), h5::Dtype::F32, var.unit, var.meaning);
      scales.attach(ds.id(), {daily_dims.replicate.id(), daily_dims.youth.id(), day_scale.id()});
      d->daily.push_back(std::move(ds));
      d->daily_index.push_back(v);
    }
  }
  const YouthScales static_dims = youth_scales("youth/static");
  const std::int32_t zero = 0;
  const auto field_fill = [&](FieldType t) -> const void* {
    return t == FieldType::F32 ? static_cast<const void*>(&nan) : &zero;
  };
  for (const auto& f : kStaticFields) {
    const hsize_t per_chunk =
        gather(2, field_size(f.type), 1, kFieldChunkYouths, field_fill(f.type));
    h5::Handle ds =
        h5::create_dataset(sg, "youth/static/" + std::string(f.name), dtype_of(f.type), {R, N},
                           {per_chunk, clamp_chunk(N, kFieldChunkYouths)}, {}, kDeflate);
    describe_variable(ds.id(), dtype_of(f.type), f.unit, f.meaning);
    scales.attach(ds.id(), {static_dims.replicate.id(), static_dims.youth.id()});
    d->gathered.back().dataset = ds.id();
    d->statics.push_back(std::move(ds));
  }
  const YouthScales outcome_dims = youth_scales("outcomes");
  for (const auto& f : kOutcomeFields) {
    const hsize_t per_chunk =
        gather(2, field_size(f.type), 1, kFieldChunkYouths, field_fill(f.type));
    h5::Handle ds =
        h5::create_dataset(sg, "outcomes/" + std::string(f.name), dtype_of(f.type), {R, N},
                           {per_chunk, clamp_chunk(N, kFieldChunkYouths)}, {}, kDeflate);
    describe_variable(ds.id(), dtype_of(f.type), f.unit, f.meaning);
    scales.attach(ds.id(), {outcome_dims.replicate.id(), outcome_dims.youth.id()});
    d->gathered.back().dataset = ds.id();
    d->outcomes.push_back(std::move(ds));
  }

  // groups/: the living groups and their setting; groups/daily: the daily series.
  const char* kGroupMeaning = "living group (groups 0 .. open_groups-1 are open, the rest closed)";
  h5::Handle group_scale = scale("groups/group", iota(G), "", kGroupMeaning, false);
  std::vector<std::int8_t> setting8(G);
  for (hsize_t g = 0; g < G; ++g)
    setting8[g] = static_cast<std::int8_t>(static_cast<int>(g) < p.open_groups ? kOpen : kClosed);
  {
    h5::Handle ds = h5::create_dataset(sg, "groups/setting", h5::Dtype::I8, {G},
                                       {clamp_chunk(G, 65536)}, {}, 4, 0.0);
    h5::write_all(ds.id(), h5::Dtype::I8, setting8.data());
    describe_variable(ds.id(), h5::Dtype::I8, "0 open, 1 closed", "setting of each living group");
    scales.attach(ds.id(), {group_scale.id()});
  }
  d->group_series = options.group_series;
  h5::Handle daily_replicate, daily_group;
  if (options.group_series) {
    daily_replicate = scale("groups/daily/replicate", reps, "", "replicate number", false);
    daily_group = scale("groups/daily/group", iota(G), "", kGroupMeaning, false);
    d->sim_day_scale =
        scale("groups/daily/day", {}, "simulation day",
              "day of the simulation (day 0 is the first day, before the burn-in)", true);
  }
  for (const auto& v : kGroupVars) {
    if (!options.group_series) break;
    h5::Handle ds = h5::create_dataset(
        sg, "groups/daily/" + std::string(v.name), h5::Dtype::F32, {R, G, 0},
        {1, clamp_chunk(G, kGroupChunkGroups), kGroupChunkDays}, {false, false, true}, kDeflate);
    describe_variable(ds.id(), h5::Dtype::F32, v.unit, v.meaning);
    scales.attach(ds.id(), {daily_replicate.id(), daily_group.id(), d->sim_day_scale.id()});
    d->group_daily.push_back(std::move(ds));
  }

  // events/: one table, its rows numbered by the coordinate `event`.
  d->event_scale = scale("events/event", {}, "", "event: row of the events table", true);
  std::vector<std::string> kind_names(kEventKindNames.begin(), kEventKindNames.end());
  std::string kind_codes;
  for (std::size_t k = 0; k < kind_names.size(); ++k)
    kind_codes += (k ? ", " : "") + std::to_string(k) + " " + kind_names[k];
  struct Column {
    const char* name;
    h5::Dtype type;
    std::string units;
    const char* meaning;
  };
  const Column columns[] = {
      {"replicate", h5::Dtype::I32, "", "replicate"},
      {"day", h5::Dtype::I32, "simulation day", "simulation day the event happened"},
      {"kind", h5::Dtype::I8, kind_codes, "event kind: index into the attribute kind_names"},
      {"youth", h5::Dtype::I32, "",
       "tracked youth (index into youth/waves/youth), -1 for staff events"},
      {"staff", h5::Dtype::I32, "", "staff id involved, -1 when none"},
      {"value", h5::Dtype::F32, "",
       "kind-specific: admission setting; rupture drop; repair gain; mentor change reason "
       "(1 turnover, 2 long sick leave, 3 switch on request); incident coercion 0/1; exit reason"},
  };
  for (const auto& c : columns) {
    h5::Handle ds = h5::create_dataset(sg, std::string("events/") + c.name, c.type, {0},
                                       {kEventChunk}, {true}, kDeflate);
    describe_variable(ds.id(), c.type, c.units, c.meaning);
    scales.attach(ds.id(), {d->event_scale.id()});
    d->events.emplace(c.name, std::move(ds));
  }
  {
    h5::Handle eg = h5::open_group(sg, "events");
    h5::set_attr(eg.id(), "kind_names", kind_names);
    h5::set_attr(eg.id(), "description",
                 "one row per event of a tracked youth or a staff member, in simulation order");
  }

  // peers/edges/: one table of ties, its rows numbered by the coordinate `edge`.
  d->edge_scale = scale("peers/edges/edge", {}, "", "edge: row of the ego-network table", true);
  const Column edge_columns[] = {
      {"replicate", h5::Dtype::I32, "", "replicate"},
      {"wave", h5::Dtype::I32, "", "measurement wave (index into youth/waves/wave)"},
      {"day", h5::Dtype::I32, "simulation day", "simulation day of the wave"},
      {"youth", h5::Dtype::I32, "", "tracked youth measured (index into youth/waves/youth)"},
      {"partner", h5::Dtype::I32, "",
       "the other youth of the tie: intake index (youth/static/intake_index if tracked)"},
      {"partner_cohort", h5::Dtype::I32, "",
       "the other youth's index into youth/waves/youth, -1 when not tracked"},
      {"tie", h5::Dtype::I8, "1 friendship, 2 conflict", "kind of tie"},
  };
  for (const auto& c : edge_columns) {
    h5::Handle ds = h5::create_dataset(sg, std::string("peers/edges/") + c.name, c.type, {0},
                                       {kEventChunk}, {true}, kDeflate);
    describe_variable(ds.id(), c.type, c.units, c.meaning);
    scales.attach(ds.id(), {d->edge_scale.id()});
    d->edges.emplace(c.name, std::move(ds));
  }
  {
    h5::Handle eg = h5::open_group(sg, "peers/edges");
    h5::set_attr(eg.id(), "description",
                 "one row per tie of a tracked youth measured at a wave: its ego network in the "
                 "living group that day (friendships and conflicts), in simulation order");
  }
  scales.finish();
  current_ = std::move(d);
}

void ResultWriter::compress(ReplicateResult& r, const RunOptions& options) {
  const std::size_t N = static_cast<std::size_t>(r.cohort), W = static_cast<std::size_t>(r.waves),
                    D = static_cast<std::size_t>(r.follow_up_days);
  auto& out = r.chunks;
  out.clear();
  const float nan = std::nanf("");
  for (int m = 0; m < kWaveMeasureCount; ++m)
    put_slice<float>(out, r.wave_values[m].data(), N, W, kWaveChunkYouths, nan);
  for (int v = 0; v < kDailyVarCount; ++v)
    if (options.daily[static_cast<std::size_t>(v)])
      compress_slice<float>(out, r.daily_values[v].data(), N, D, clamp_chunk(N, kDailyChunkYouths),
                            D, nan);
  compress_fields(out, kStaticFields, r.static_values, N);
  compress_fields(out, kOutcomeFields, r.outcome_values, N);
  // Group series are kept day-major in memory; the file holds [replicate, group, day].
  const std::size_t G = static_cast<std::size_t>(r.groups), T = static_cast<std::size_t>(r.days);
  for (int v = 0; v < kGroupVarCount && options.group_series; ++v) {
    const float* src = r.group_values[v].data();
    compress_chunks<float>(
        out, [&](std::size_t g, std::size_t t) { return src[t * G + g]; }, G, T,
        clamp_chunk(G, kGroupChunkGroups), kGroupChunkDays, nan);
  }
}

namespace {

// Moves the first `n` values of `column` into dataset `ds` from element `at` on (a multiple of
// `chunk`), as whole chunks of `chunk` values padded with `fill`; `extent`: the dataset's size
// after the write. Each byte plane of a chunk is stored or coded as literals and runs
// (h5::runs_chunk), without libdeflate's matcher: on these columns (small integers, codes, ids
// and the events' values, in the order the days bring them) the result is about as small as
// libdeflate's at level 1 and takes a third less time (bench/README.md).
template <class T>
void write_event_chunks(hid_t ds, std::vector<T>& column, std::size_t n, hsize_t at, hsize_t extent,
                        T fill, hsize_t chunk = kEventChunk) {
  std::vector<T> buffer(static_cast<std::size_t>(chunk));
  for (std::size_t from = 0; from < n; from += chunk) {
    const std::size_t m = std::min<std::size_t>(n - from, chunk);
    std::fill(buffer.begin(), buffer.end(), fill);
    std::copy_n(column.begin() + static_cast<std::ptrdiff_t>(from), m, buffer.begin());
    h5::write_compressed_chunk(ds, {at + from},
                               h5::runs_chunk(buffer.data(), sizeof(T), buffer.size()), {extent});
  }
  column.erase(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n));
}

}  // namespace

void ResultWriter::write_pending_events(ScenarioData& d, bool last) {
  ScenarioData::PendingEvents& q = d.pending;
  while (q.size() >= kEventChunk || (last && q.size() > 0)) {
    const std::size_t n = std::min<std::size_t>(q.size(), kEventChunk);
    const hsize_t at = d.events_flushed, extent = at + n;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    write_event_chunks(d.events.at("replicate").id(), q.replicate, n, at, extent, 0);
    write_event_chunks(d.events.at("day").id(), q.day, n, at, extent, 0);
    write_event_chunks(d.events.at("kind").id(), q.kind, n, at, extent, std::int8_t{0});
    write_event_chunks(d.events.at("youth").id(), q.youth, n, at, extent, 0);
    write_event_chunks(d.events.at("staff").id(), q.staff, n, at, extent, 0);
    write_event_chunks(d.events.at("value").id(), q.value, n, at, extent, nan);
    write_event_chunks(d.event_scale.id(), q.index, n, at, extent, 0, kScaleChunk);
    d.events_flushed = extent;
  }
}

void ResultWriter::write_pending_edges(ScenarioData& d, bool last) {
  ScenarioData::PendingEdges& q = d.pending_edges;
  while (q.size() >= kEventChunk || (last && q.size() > 0)) {
    const std::size_t n = std::min<std::size_t>(q.size(), kEventChunk);
    const hsize_t at = d.edges_flushed, extent = at + n;
    write_event_chunks(d.edges.at("replicate").id(), q.replicate, n, at, extent, 0);
    write_event_chunks(d.edges.at("wave").id(), q.wave, n, at, extent, 0);
    write_event_chunks(d.edges.at("day").id(), q.day, n, at, extent, 0);
    write_event_chunks(d.edges.at("youth").id(), q.youth, n, at, extent, 0);
    write_event_chunks(d.edges.at("partner").id(), q.partner, n, at, extent, 0);
    write_event_chunks(d.edges.at("partner_cohort").id(), q.partner_cohort, n, at, extent, 0);
    write_event_chunks(d.edges.at("tie").id(), q.tie, n, at, extent, std::int8_t{0});
    write_event_chunks(d.edge_scale.id(), q.index, n, at, extent, 0, kScaleChunk);
    d.edges_flushed = extent;
  }
}

void ResultWriter::write_replicate(const ReplicateResult& r) {
  ScenarioData& d = *current_;
  const hsize_t rep = static_cast<hsize_t>(r.replicate);
  const std::size_t N = static_cast<std::size_t>(r.cohort), W = static_cast<std::size_t>(r.waves),
                    D = static_cast<std::size_t>(r.follow_up_days);
  if (r.cohort != d.cohort || rep >= static_cast<hsize_t>(d.replicates))
    throw RuntimeFailure("result writer: replicate " + std::to_string(r.replicate) + " of " +
                         std::to_string(r.cohort) + " youths does not fit the scenario");
  if (r.chunks.empty()) {
    ReplicateResult copy = r;
    RunOptions options;
    for (int v : d.daily_index) options.daily[static_cast<std::size_t>(v)] = true;
    options.group_series = d.group_series;
    compress(copy, options);
    write_replicate(copy);
    return;
  }
  auto chunk = r.chunks.cbegin();
  auto next_gathered = d.gathered.begin();
  // A gathered dataset takes the replicate's slice into the chunk being filled and writes the
  // chunk once it is full or the scenario's last replicate is in.
  const auto gather = [&]() {
    GatheredChunk& g = *next_gathered++;
    if (g.per_chunk == 0) return false;
    if (chunk == r.chunks.cend() || chunk->size() != g.slice_bytes ||
        (!g.rows.empty() && rep != g.first + g.rows.size() / g.slice_bytes))
      throw RuntimeFailure("result writer: a gathered slice does not match its dataset");
    if (g.rows.empty()) g.first = rep;
    g.rows.insert(g.rows.end(), chunk->begin(), chunk->end());
    ++chunk;
    if (rep + 1 - g.first == g.per_chunk || rep + 1 == static_cast<hsize_t>(d.replicates)) {
      g.write();
      g.rows.clear();
    }
    return true;
  };
  for (int m = 0; m < kWaveMeasureCount; ++m) {
    const hid_t ds = d.waves[static_cast<std::size_t>(m)].id();
    if (!gather()) write_slice(ds, rep, N, W, clamp_chunk(N, kWaveChunkYouths), W, false, chunk);
  }
  for (std::size_t i = 0; i < d.daily.size(); ++i)
    write_slice(d.daily[i].id(), rep, N, D, clamp_chunk(N, kDailyChunkYouths), D, false, chunk);
  for (auto& ds : d.statics)
    if (!gather())
      write_slice(ds.id(), rep, N, 1, clamp_chunk(N, kFieldChunkYouths), 1, true, chunk);
  for (auto& ds : d.outcomes)
    if (!gather())
      write_slice(ds.id(), rep, N, 1, clamp_chunk(N, kFieldChunkYouths), 1, true, chunk);
  const hsize_t G = static_cast<hsize_t>(r.groups), T = static_cast<hsize_t>(r.days);
  const hsize_t R = static_cast<hsize_t>(d.replicates);
  for (auto& ds : d.group_daily)
    write_slice(ds.id(), rep, G, T, clamp_chunk(G, kGroupChunkGroups), kGroupChunkDays, false,
                chunk, {R, G, std::max<hsize_t>(T, d.sim_days)});
  if (chunk != r.chunks.cend())
    throw RuntimeFailure("result writer: compressed chunks do not match the datasets");
  if (d.group_series && T > d.sim_days) {
    std::vector<std::int32_t> days(T - d.sim_days);
    for (hsize_t t = d.sim_days; t < T; ++t) days[t - d.sim_days] = static_cast<std::int32_t>(t);
    h5::write(d.sim_day_scale.id(), h5::Dtype::I32, days.data(), {d.sim_days}, {T - d.sim_days});
    d.sim_days = T;
  }
  // Events: one column per field, appended (whole chunks now, the rest at end_scenario).
  ScenarioData::PendingEvents& q = d.pending;
  for (const Event& e : r.events) {
    q.replicate.push_back(r.replicate);
    q.day.push_back(e.day);
    q.kind.push_back(e.kind);
    q.youth.push_back(e.youth);
    q.staff.push_back(e.staff);
    q.value.push_back(e.value);
    q.index.push_back(static_cast<std::int32_t>(d.events_written++));
  }
  write_pending_events(d, false);
  // The ego networks: the same way.
  ScenarioData::PendingEdges& qe = d.pending_edges;
  for (const PeerEdge& e : r.peer_edges) {
    qe.replicate.push_back(r.replicate);
    qe.wave.push_back(e.wave);
    qe.day.push_back(e.day);
    qe.youth.push_back(e.youth);
    qe.partner.push_back(e.partner);
    qe.partner_cohort.push_back(e.partner_cohort);
    qe.tie.push_back(e.tie);
    qe.index.push_back(static_cast<std::int32_t>(d.edges_written++));
  }
  write_pending_edges(d, false);
  // The attribute replicates_written follows at end_scenario, or at close for a scenario that
  // was interrupted: an attribute written per replicate cost about 1 % of a default run's CPU
  // time (HDF5 rewrites the group's object header), and the file is consistent for a reader
  // only once it is closed.
  d.written += 1;
}

void ResultWriter::end_scenario() {
  if (!current_) return;
  write_pending_events(*current_, true);
  write_pending_edges(*current_, true);
  h5::set_attr_int(current_->group.id(), "replicates_written", current_->written);
  h5::set_attr_int(current_->group.id(), "complete", 1);
  current_.reset();
}

void ResultWriter::write_sweep_design(const SweepDesignRecord& sweep) {
  const hid_t root = file_.id();
  const hsize_t P = sweep.matrix.size(), K = sweep.parameters.size();
  if (P == 0 || K == 0 || sweep.points.size() != P || sweep.units.size() != K ||
      sweep.lower.size() != K || sweep.upper.size() != K)
    throw RuntimeFailure("write_sweep_design: inconsistent sweep description");
  if (h5::exists(root, "sweep"))
    h5::check(H5Ldelete(root, "sweep", H5P_DEFAULT), "replace sweep design", root, "sweep");
  h5::Handle group = h5::create_group(root, "sweep");
  h5::set_attr(group.id(), "description",
               "parameter sweep: one scenario group per design point (docs/sweeps.md)");

  // /sweep/point and /sweep/parameter: the design's coordinates, variable-length UTF-8 strings
  // (the scenario group of each design point; the registry name of each swept parameter), and
  // /sweep/label [point], each point's values as text.
  {
    h5::Handle label_handle;
    h5::Handle points = h5::create_string_dataset(group.id(), "point", sweep.points);
    h5::make_scale(points.id(), "point");
    describe_variable(points.id(), h5::Dtype::I32, "",
                      "design point: its scenario group (/scenarios/<name>)");
    h5::Handle params = h5::create_string_dataset(group.id(), "parameter", sweep.parameters);
    h5::make_scale(params.id(), "parameter");
    describe_variable(params.id(), h5::Dtype::I32, "", "swept parameter (registry name)");
    h5::set_attr(params.id(), "parameter_units", sweep.units);
    if (sweep.labels.size() == P) {
      h5::Handle labels = h5::create_string_dataset(group.id(), "label", sweep.labels);
      describe_variable(labels.id(), h5::Dtype::I32, "",
                        "design point: its parameter values as text (e.g. mentor.caseload=5)");
      label_handle = std::move(labels);
    }

    std::vector<double> flat;
    flat.reserve(P * K);
    for (const auto& row : sweep.matrix) {
      if (row.size() != K) throw RuntimeFailure("write_sweep_design: ragged design matrix");
      flat.insert(flat.end(), row.begin(), row.end());
    }
    const hsize_t chunk_rows = std::max<hsize_t>(1, std::min<hsize_t>(P, 65536 / K));
    h5::Handle design =
        h5::create_dataset(group.id(), "design", h5::Dtype::F64, {P, K}, {chunk_rows, K}, {}, 4);
    h5::write_all(design.id(), h5::Dtype::F64, flat.data());
    const std::string meaning =
        "value of each swept parameter (column) at each design point (row), as set in that "
        "point's scenario; Boolean 0/1, choices by index";
    h5::set_units(design.id(), "1", meaning);
    h5::set_attr(design.id(), "long_name", meaning);
    h5::set_attr(design.id(), "parameters", sweep.parameters);
    h5::set_attr(design.id(), "parameter_units", sweep.units);
    h5::set_attr(design.id(), "lower", sweep.lower);
    h5::set_attr(design.id(), "upper", sweep.upper);
    h5::set_attr(design.id(), "design", sweep.design);
    h5::set_attr_int(design.id(), "points", static_cast<std::int64_t>(P));
    h5::set_attr_int(design.id(), "base_samples", sweep.base_samples);
    h5::set_attr_int(design.id(), "seed", sweep.seed);
    h5::set_attr(design.id(), "source", sweep.source);
    h5::set_attr(design.id(), "layout",
                 sweep.design == "saltelli"
                     ? "rows: A (base_samples rows), B (base_samples rows), then AB_1..AB_k "
                       "(base_samples rows each; AB_i = A with column i from B)"
                     : "rows: design points in order");
    h5::ScaleAttachments scales;
    scales.attach(design.id(), {points.id(), params.id()});
    if (label_handle) scales.attach(label_handle.id(), {points.id()});
    scales.finish();
  }
}

// The open scenario's gathered chunks as far as they are filled, and its replicates_written.
void ResultWriter::write_open_scenario() {
  if (!current_) return;
  for (const GatheredChunk& g : current_->gathered)
    if (!g.rows.empty()) g.write();
  h5::set_attr_int(current_->group.id(), "replicates_written", current_->written);
}

void ResultWriter::flush() {
  write_open_scenario();
  h5::flush(file_.id());
}

void ResultWriter::close() {
  // An interrupted scenario: its replicates so far, their events and edges included (complete
  // stays 0).
  if (current_) {
    write_pending_events(*current_, true);
    write_pending_edges(*current_, true);
    write_open_scenario();
  }
  current_.reset();
  file_.close();
}

}  // namespace asim
