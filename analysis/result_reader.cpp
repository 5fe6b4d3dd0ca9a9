// Result-file reader: checks the file is ours (signature, schema_version) before reading, then
// reads datasets by their documented names.
#include "analysis/result_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "analysis/panel.hpp"
#include "engine/errors.hpp"

namespace asim {

namespace {
constexpr int kReadableSchema = 2;  // and every earlier one

std::string fmt(double v, int decimals = 2) {
  if (std::isnan(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Mean over non-NaN values at wave w of a [R, N, W] dataset, restricted by a mask over [R, N].
double wave_mean(const std::vector<float>& v, std::size_t rn, std::size_t W, std::size_t w,
                 const std::vector<bool>* mask = nullptr) {
  double s = 0;
  long n = 0;
  for (std::size_t i = 0; i < rn; ++i) {
    if (mask && !(*mask)[i]) continue;
    const float x = v[i * W + w];
    if (!std::isnan(x)) {
      s += x;
      ++n;
    }
  }
  return n ? s / n : std::nan("");
}
}  // namespace

namespace {
// Checks made before HDF5 parses the file (HDF5 1.10 can crash on crafted metadata): the
// signature (h5::superblock_version), and a superblock of version 2 or later. Every file
// alliance-sim writes has version 2 (library-version bounds v1.8, engine/h5.cpp); in those the
// superblock and every object header carry checksums, so HDF5 rejects corrupted metadata with
// an error instead of following it. Files of HDF5 1.6 style (version 0 or 1, e.g. h5py's
// default) were not written by alliance-sim and are refused before HDF5 reads them.
h5::Handle open_result_file(const std::string& path) {
  const int version = h5::superblock_version(path);
  if (version < 2)
    throw ConfigError(path + ": not an alliance-sim result file (HDF5 superblock version " +
                      std::to_string(version) +
                      "; alliance-sim writes version 2, whose metadata is checksummed)");
  return h5::open_file_read(path);
}
}  // namespace

ResultFile::ResultFile(const std::string& path) : path_(path), file_(open_result_file(path)) {
  if (!h5::has_attr(file_.id(), "schema_version") || !h5::exists(file_.id(), "scenarios"))
    throw ConfigError(path + ": not an alliance-sim result file (no schema_version or /scenarios)");
  schema_version_ = static_cast<int>(h5::get_attr_int(file_.id(), "schema_version"));
  if (schema_version_ > kReadableSchema || schema_version_ < 1)
    throw ConfigError(path + ": schema_version " + std::to_string(schema_version_) +
                      " is not supported by this build (reads 1 to " +
                      std::to_string(kReadableSchema) + "); use a newer alliance-sim");
}

std::string ResultFile::wave_days_path() const {
  return schema_version_ >= 2 ? "youth/waves/wave" : "waves/day";
}

std::string ResultFile::sweep_points_path() const {
  return schema_version_ >= 2 ? "sweep/point" : "sweep/points";
}

std::string ResultFile::sweep_label(const std::string& scenario) const {
  h5::Handle g = h5::open_group(file_.id(), "scenarios/" + scenario);
  if (h5::has_attr(g.id(), "sweep_point")) return h5::get_attr_string(g.id(), "sweep_point");
  if (schema_version_ >= 2 || !h5::exists(file_.id(), "sweep/design") ||
      !h5::exists(file_.id(), sweep_points_path()))
    return "";
  // Schema 1: the row of /sweep/design whose point is this scenario.
  h5::Handle points_ds = h5::open_dataset(file_.id(), sweep_points_path());
  const auto points = h5::read_string_dataset(points_ds.id());
  const auto row = std::find(points.begin(), points.end(), scenario);
  if (row == points.end()) return "";
  h5::Handle design = h5::open_dataset(file_.id(), "sweep/design");
  const auto names = h5::get_attr_strings(design.id(), "parameters");
  const auto shape = h5::shape(design.id());
  if (shape.size() != 2 || shape[1] != names.size() || shape[0] != points.size()) return "";
  std::vector<double> values;
  h5::read(design.id(), values, {static_cast<hsize_t>(row - points.begin()), 0}, {1, shape[1]});
  std::string label;
  for (std::size_t j = 0; j < names.size(); ++j) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%g", values[j]);
    label += (j ? ", " : "") + names[j] + "=" + buf;
  }
  return label;
}

std::string ResultFile::display_name(const std::string& scenario) const {
  const std::string label = sweep_label(scenario);
  return label.empty() ? scenario : scenario + " (" + label + ")";
}

std::vector<std::string> ResultFile::scenarios() const {
  h5::Handle g = h5::open_group(file_.id(), "scenarios");
  return h5::list_children(g.id());
}

ScenarioSummary ResultFile::summarise(const std::string& scenario) const {
  ScenarioSummary s;
  s.name = scenario;
  s.label = sweep_label(scenario);
  h5::Handle g = h5::open_group(file_.id(), "scenarios/" + scenario);
  s.replicates = static_cast<int>(h5::get_attr_int(g.id(), "replicates"));
  s.replicates_written = static_cast<int>(h5::get_attr_int(g.id(), "replicates_written"));
  s.complete = h5::get_attr_int(g.id(), "complete") != 0;
  s.cohort = static_cast<int>(h5::get_attr_int(g.id(), "cohort_size"));
  const auto R = static_cast<std::size_t>(s.replicates_written);
  const auto N = static_cast<std::size_t>(s.cohort);
  const std::size_t rn = R * N;
  // The waves: as many as youth/waves/alliance_youth has, named by the wave coordinate's
  // attribute names (else "wave 1", ...: a damaged file still gets its summary or its error).
  std::size_t W = 0;
  if (h5::exists(g.id(), "youth/waves/alliance_youth")) {
    h5::Handle ds = h5::open_dataset(g.id(), "youth/waves/alliance_youth");
    const auto shape = h5::shape(ds.id());
    if (shape.size() == 3) W = static_cast<std::size_t>(shape[2]);
  }
  if (h5::exists(g.id(), wave_days_path())) {
    h5::Handle coord = h5::open_dataset(g.id(), wave_days_path());
    if (h5::has_attr(coord.id(), "names")) s.wave_names = h5::get_attr_strings(coord.id(), "names");
  }
  if (s.wave_names.size() != W) {
    s.wave_names.clear();
    for (std::size_t w = 0; w < W; ++w) s.wave_names.push_back("wave " + std::to_string(w + 1));
  }
  if (W == 0 && rn > 0) W = 1;  // no wave dataset: reading it below names the problem
  s.alliance_wave = settled_wave(W);
  s.motivation_wave = W ? std::min<std::size_t>(2, W - 1) : 0;
  for (auto* v : {&s.alliance_youth, &s.alliance_mentor, &s.motivation, &s.problems})
    v->assign(W, std::nan(""));
  if (rn == 0) return s;
  auto read_rows = [&](const std::string& path, auto& out, hsize_t cols) {
    h5::Handle ds = h5::open_dataset(g.id(), path);
    const auto shape = h5::shape(ds.id());
    if (shape.size() < 2 || shape[0] < R || shape[1] != N ||
        (cols && (shape.size() != 3 || shape[2] != cols)))
      throw ConfigError(path_ + ": dataset " + scenario + "/" + path + " has an unexpected shape");
    if (cols)
      h5::read(ds.id(), out, {0, 0, 0}, {R, N, cols});
    else
      h5::read(ds.id(), out, {0, 0}, {R, N});
  };
  std::vector<float> ay, am, mo, pr;
  std::vector<std::int32_t> setting, exit_reason, favourable, changes, ruptures, incidents;
  read_rows("youth/waves/alliance_youth", ay, W);
  read_rows("youth/waves/alliance_mentor", am, W);
  read_rows("youth/waves/motivation", mo, W);
  read_rows("youth/waves/problems", pr, W);
  read_rows("youth/static/setting", setting, 0);
  read_rows("outcomes/exit_reason", exit_reason, 0);
  read_rows("outcomes/favourable", favourable, 0);
  read_rows("outcomes/mentor_changes", changes, 0);
  read_rows("outcomes/ruptures", ruptures, 0);
  read_rows("outcomes/incidents", incidents, 0);
  for (std::size_t w = 0; w < W; ++w) {
    s.alliance_youth[w] = wave_mean(ay, rn, W, w);
    s.alliance_mentor[w] = wave_mean(am, rn, W, w);
    s.motivation[w] = wave_mean(mo, rn, W, w);
    s.problems[w] = wave_mean(pr, rn, W, w);
  }
  std::vector<bool> open(rn), closed(rn);
  for (std::size_t i = 0; i < rn; ++i) {
    open[i] = setting[i] == 0;
    closed[i] = setting[i] == 1;
  }
  s.open_alliance = wave_mean(ay, rn, W, s.alliance_wave, &open);
  s.closed_alliance = wave_mean(ay, rn, W, s.alliance_wave, &closed);
  s.open_motivation = wave_mean(mo, rn, W, s.motivation_wave, &open);
  s.closed_motivation = wave_mean(mo, rn, W, s.motivation_wave, &closed);
  std::vector<double> fav_per_rep(R, 0.0);
  for (std::size_t i = 0; i < rn; ++i) {
    const int reason = exit_reason[i];
    s.planned += reason == 1;
    s.dropout += reason == 2;
    s.absconded += reason == 3;
    s.transferred += reason == 4;
    s.favourable += favourable[i];
    fav_per_rep[i / N] += favourable[i];
    s.mentor_changes += changes[i];
    s.ruptures += ruptures[i];
    s.incidents += incidents[i];
  }
  const double n = static_cast<double>(rn);
  for (double* x : {&s.planned, &s.dropout, &s.absconded, &s.transferred, &s.favourable})
    *x = 100.0 * *x / n;
  for (double* x : {&s.mentor_changes, &s.ruptures, &s.incidents}) *x /= n;
  if (R > 1) {
    double mean = 0, ss = 0;
    for (double& f : fav_per_rep) {
      f = 100.0 * f / static_cast<double>(N);
      mean += f;
    }
    mean /= static_cast<double>(R);
    for (double f : fav_per_rep) ss += (f - mean) * (f - mean);
    s.favourable_ci = 1.96 * std::sqrt(ss / static_cast<double>(R - 1) / static_cast<double>(R));
  }
  if (h5::exists(g.id(), "events/day")) {
    h5::Handle ev = h5::open_dataset(g.id(), "events/day");
    s.events = static_cast<long long>(h5::shape(ev.id())[0]);
  }
  return s;
}

std::string ResultFile::describe() const {
  std::ostringstream o;
  const hid_t root = file_.id();
  auto attr = [&](hid_t obj, const char* name) {
    return h5::has_attr(obj, name) ? h5::get_attr_string(obj, name) : std::string("-");
  };
  o << path_ << "\n";
  o << "  schema_version  " << schema_version_ << "\n";
  o << "  generator       " << attr(root, "generator") << "\n";
  o << "  git_commit      " << attr(root, "git_commit") << "\n";
  o << "  created_utc     " << attr(root, "created_utc") << "\n";
  o << "  command_line    " << attr(root, "command_line") << "\n";
  for (const auto& name : scenarios()) {
    h5::Handle g = h5::open_group(root, "scenarios/" + name);
    o << "\nscenario " << name << "\n";
    o << "  question        " << attr(g.id(), "question") << "\n";
    if (const std::string label = sweep_label(name); !label.empty())
      o << "  sweep point     " << label << "\n";
    o << "  source          " << attr(g.id(), "source") << "\n";
    o << "  seed            " << h5::get_attr_int(g.id(), "seed") << "\n";
    o << "  replicates      " << h5::get_attr_int(g.id(), "replicates_written") << " of "
      << h5::get_attr_int(g.id(), "replicates")
      << (h5::get_attr_int(g.id(), "complete") ? " (complete)" : " (INCOMPLETE)") << "\n";
    o << "  cohort          " << h5::get_attr_int(g.id(), "cohort_size")
      << " youths per replicate\n";
    for (const char* section : {"youth/static", "youth/waves", "youth/daily", "outcomes",
                                "groups/daily", "events", "peers/edges"}) {
      if (!h5::exists(g.id(), section)) continue;
      h5::Handle sec = h5::open_group(g.id(), section);
      o << "  " << section << ":";
      // Coordinates (dimension scales) first, as "dims replicate=50 youth=400", then the data.
      std::string dims, data;
      for (const auto& child : h5::list_children(sec.id())) {
        h5::Handle ds = h5::open_dataset(sec.id(), child);
        const auto shape = h5::shape(ds.id());
        if (h5::is_scale(ds.id()) && shape.size() == 1) {
          dims += " " + child + "=" + std::to_string(shape[0]);
          continue;
        }
        data += " " + child + "[";
        for (std::size_t i = 0; i < shape.size(); ++i)
          data += (i ? "," : "") + std::to_string(shape[i]);
        data += "]";
      }
      if (!dims.empty()) o << " (dims" << dims << ")";
      o << data << "\n";
    }
  }
  return o.str();
}

std::string format_summary_table(const std::vector<ScenarioSummary>& summaries) {
  std::ostringstream o;
  for (const auto& s : summaries) {
    o << "scenario " << s.name << (s.label.empty() ? "" : " (" + s.label + ")") << ": "
      << s.replicates_written << " replicates x " << s.cohort << " youths"
      << (s.complete ? "" : " (incomplete)") << "\n";
    // One column per wave, at least 7 (the first) or 6 wide, wider for a longer name.
    std::vector<std::size_t> width;
    for (std::size_t w = 0; w < s.wave_names.size(); ++w)
      width.push_back(std::max<std::size_t>(w == 0 ? 7 : 6, s.wave_names[w].size()));
    auto cell = [](const std::string& text, std::size_t w) {
      return std::string(w > text.size() ? w - text.size() : 0, ' ') + text;
    };
    std::string head(21, ' ');
    for (std::size_t w = 0; w < width.size(); ++w)
      head += (w ? " " : "") + cell(s.wave_names[w], width[w]);
    o << head << "\n";
    auto row = [&](const char* label, const std::vector<double>& v) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "  %-18s ", label);
      std::string line = buf;
      for (std::size_t w = 0; w < width.size() && w < v.size(); ++w)
        line += (w ? " " : "") + cell(fmt(v[w]), width[w]);
      o << line << "\n";
    };
    row("alliance (youth)", s.alliance_youth);
    row("alliance (mentor)", s.alliance_mentor);
    row("motivation", s.motivation);
    row("problems", s.problems);
    if (s.alliance_wave < s.wave_names.size() && s.motivation_wave < s.wave_names.size())
      o << "  open vs closed: alliance " << s.wave_names[s.alliance_wave] << " "
        << fmt(s.open_alliance) << " vs " << fmt(s.closed_alliance) << ", motivation "
        << s.wave_names[s.motivation_wave] << " " << fmt(s.open_motivation) << " vs "
        << fmt(s.closed_motivation) << "\n";
    o << "  favourable " << fmt(s.favourable, 1) << "% (+/- " << fmt(s.favourable_ci, 1)
      << "), planned discharge " << fmt(s.planned, 1) << "%, drop-out " << fmt(s.dropout, 1)
      << "%, absconded " << fmt(s.absconded, 1) << "%, transferred " << fmt(s.transferred, 1)
      << "%\n";
    o << "  per youth: " << fmt(s.mentor_changes) << " mentor changes, " << fmt(s.ruptures)
      << " ruptures, " << fmt(s.incidents) << " incidents\n";
  }
  return o.str();
}

}  // namespace asim
