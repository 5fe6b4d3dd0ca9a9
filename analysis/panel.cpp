// Reading one scenario's youth data from a result file (see panel.hpp).
#include "analysis/panel.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "engine/errors.hpp"
#include "engine/h5.hpp"

namespace asim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The names of schema_version 1, in the order of docs/hdf5-schema.md. Analysis reads result
// files only (docs/architecture.md §1.3), so it keeps its own copy of the documented names
// rather than including the simulator's catalogues; tests/e2e/test_analyse.cpp checks that export
// writes every dataset a fresh file holds.
// clang-format off
const std::vector<std::string> kSchemaWaveMeasures{
    "alliance_youth", "alliance_mentor", "alliance_parent", "alliance_observer", "motivation",
    "problems", "climate_support", "climate_growth", "climate_atmosphere", "climate_repression",
    "srs", "parent_outcome", "alliance_true", "alliance_true_bond", "alliance_true_goals",
    "alliance_true_tasks", "alliance_true_others", "alliance_true_parent", "motivation_true",
    "problems_true", "engagement_true", "peer_standing_true"};
const std::vector<std::string> kSchemaStaticFields{
    "intake_index", "setting", "group", "mentor", "admission_day", "age", "female", "profile",
    "externalising", "help_history", "expectations", "autonomy", "attachment",
    "parent_involvement", "severity", "problems_intake", "mandated", "planned_stay_days",
    "closed_indicated"};
const std::vector<std::string> kSchemaOutcomeFields{
    "exit_reason", "exit_day", "favourable", "premature_exit", "mentor_changes", "ruptures",
    "repairs", "incidents", "coercive_measures"};
// clang-format on

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Reads the hyperslab of a numeric dataset as doubles; integer -1 becomes NaN.
std::vector<double> read_numeric(hid_t ds, const std::string& where, std::vector<hsize_t> offset,
                                 std::vector<hsize_t> count, bool& integer) {
  const auto type = h5::stored_dtype(ds);
  if (!type) throw ConfigError(where + " is not stored as a signed integer or float");
  std::vector<double> out;
  integer = *type != h5::Dtype::F32 && *type != h5::Dtype::F64;
  if (!integer) {
    h5::read(ds, out, std::move(offset), std::move(count));
    return out;
  }
  std::vector<std::int64_t> raw;
  h5::read(ds, raw, std::move(offset), std::move(count));
  out.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i)
    out[i] = raw[i] == -1 ? kNaN : static_cast<double>(raw[i]);
  return out;
}

}  // namespace

std::vector<std::string> wave_suffixes(const std::vector<std::string>& names,
                                       const std::vector<int>& days) {
  std::vector<std::string> out;
  for (std::size_t w = 0; w < names.size(); ++w) {
    std::string s = names[w];
    for (char& c : s)
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) c = '_';
    if (s.empty() || std::find(out.begin(), out.end(), s) != out.end())
      s = "day" + std::to_string(w < days.size() ? days[w] : static_cast<int>(w));
    out.push_back(s);
  }
  return out;
}

std::size_t settled_wave(std::size_t waves) {
  return waves > 1 ? 1 : 0;
}

std::vector<std::size_t> later_waves(std::size_t waves) {
  std::vector<std::size_t> out;
  for (std::size_t w = waves > 1 ? 1 : 0; w < waves; ++w) out.push_back(w);
  return out;
}

std::size_t Panel::wave_index(const std::string& name) const {
  const auto it = std::find(wave_names.begin(), wave_names.end(), name);
  if (it == wave_names.end())
    throw ConfigError(file + ": scenario '" + scenario + "' has no wave named '" + name +
                      "' (wave names: " + join(wave_names) + ")");
  return static_cast<std::size_t>(it - wave_names.begin());
}

std::vector<double> Panel::at_wave(const std::string& measure, std::size_t wave) const {
  const auto it = wave_values.find(measure);
  if (it == wave_values.end()) throw ConfigError("internal: measure " + measure + " was not read");
  std::vector<double> out(replicates * youths);
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = it->second[k * waves + wave];
  return out;
}

const std::vector<double>& Panel::field(const std::string& name) const {
  if (auto it = static_values.find(name); it != static_values.end()) return it->second;
  if (auto it = outcome_values.find(name); it != outcome_values.end()) return it->second;
  throw ConfigError("internal: field " + name + " was not read");
}

std::vector<std::string> select_scenarios(const ResultFile& file, const std::string& only) {
  const auto all = file.scenarios();
  if (all.empty()) throw ConfigError(file.path() + ": the file holds no scenarios");
  if (only.empty()) return all;
  if (std::find(all.begin(), all.end(), only) == all.end())
    throw ConfigError(file.path() + ": no scenario '" + only + "' (scenarios: " + join(all) + ")");
  return {only};
}

Panel read_panel(const ResultFile& file, const std::string& scenario, const PanelRequest& request) {
  const std::string where = file.path() + ": scenario '" + scenario + "'";
  const std::string group_path = "scenarios/" + scenario;
  if (!h5::exists(file.id(), group_path))
    throw ConfigError(file.path() + ": no scenario '" + scenario + "'");
  h5::Handle g = h5::open_group(file.id(), group_path);
  auto int_attr = [&](const char* name) {
    if (!h5::has_attr(g.id(), name))
      throw ConfigError(where + " lacks the attribute '" + name + "'");
    return h5::get_attr_int(g.id(), name);
  };
  Panel p;
  p.file = file.path();
  p.scenario = scenario;
  const std::int64_t written = int_attr("replicates_written"), cohort = int_attr("cohort_size");
  p.complete = int_attr("complete") != 0;
  if (written < 0 || cohort < 0)
    throw ConfigError(where + ": negative replicates_written or cohort_size");
  const auto R = static_cast<std::size_t>(written);
  p.replicates_written = R;
  p.youths = static_cast<std::size_t>(cohort);
  p.first_replicate = std::min(request.first_replicate, R);
  p.replicates = std::min(request.replicates.value_or(R), R - p.first_replicate);

  auto open = [&](const std::string& path) {
    if (!h5::exists(g.id(), path)) throw ConfigError(where + " lacks the dataset " + path);
    return h5::open_dataset(g.id(), path);
  };
  {
    const std::string days_path = file.wave_days_path();
    h5::Handle days = open(days_path);
    const auto shape = h5::shape(days.id());
    if (shape.size() != 1 || shape[0] == 0)
      throw ConfigError(where + ": " + days_path + " should be one-dimensional and non-empty");
    bool integer = false;
    for (double d : read_numeric(days.id(), where + ": " + days_path, {0}, {shape[0]}, integer))
      p.wave_days.push_back(static_cast<int>(d));
    if (!h5::has_attr(days.id(), "names"))
      throw ConfigError(where + ": " + days_path + " lacks the attribute 'names'");
    p.wave_names = h5::get_attr_strings(days.id(), "names");
    if (p.wave_names.size() != shape[0])
      throw ConfigError(where + ": " + days_path + " has " + std::to_string(shape[0]) +
                        " days but " + std::to_string(p.wave_names.size()) + " names");
    p.waves = shape[0];
  }
  const hsize_t first = p.first_replicate, count = p.replicates, N = p.youths, W = p.waves;
  auto check_shape = [&](const std::string& path, const std::vector<hsize_t>& shape, bool waves) {
    const bool ok = shape.size() == (waves ? 3u : 2u) && shape[0] >= R && shape[1] == N &&
                    (!waves || shape[2] == W);
    if (!ok) {
      std::string s;
      for (auto d : shape) s += (s.empty() ? "" : ", ") + std::to_string(d);
      throw ConfigError(where + ": " + path + " has shape [" + s +
                        "], expected [R >= " + std::to_string(R) + ", " + std::to_string(N) +
                        (waves ? ", " + std::to_string(W) : "") + "]");
    }
  };
  for (const auto& m : request.wave_measures) {
    const std::string path = "youth/waves/" + m;
    h5::Handle ds = open(path);
    check_shape(path, h5::shape(ds.id()), true);
    bool integer =
        h5::stored_dtype(ds.id()) != h5::Dtype::F32 && h5::stored_dtype(ds.id()) != h5::Dtype::F64;
    if (count * N * W > 0)
      p.wave_values[m] =
          read_numeric(ds.id(), where + ": " + path, {first, 0, 0}, {count, N, W}, integer);
    else
      p.wave_values[m].clear();
    p.integer[m] = integer;
  }
  auto read_fields = [&](const std::vector<std::string>& names, const char* section, auto& into) {
    for (const auto& f : names) {
      const std::string path = std::string(section) + "/" + f;
      h5::Handle ds = open(path);
      check_shape(path, h5::shape(ds.id()), false);
      bool integer = h5::stored_dtype(ds.id()) != h5::Dtype::F32 &&
                     h5::stored_dtype(ds.id()) != h5::Dtype::F64;
      if (count * N > 0)
        into[f] = read_numeric(ds.id(), where + ": " + path, {first, 0}, {count, N}, integer);
      else
        into[f].clear();
      p.integer[f] = integer;
    }
  };
  read_fields(request.static_fields, "youth/static", p.static_values);
  read_fields(request.outcome_fields, "outcomes", p.outcome_values);
  return p;
}

PanelNames panel_names(const ResultFile& file, const std::string& scenario) {
  const std::string where = file.path() + ": scenario '" + scenario + "'";
  h5::Handle g = h5::open_group(file.id(), "scenarios/" + scenario);
  auto names = [&](const std::string& section, const std::vector<std::string>& documented) {
    if (!h5::exists(g.id(), section)) throw ConfigError(where + " lacks the group " + section);
    h5::Handle sec = h5::open_group(g.id(), section);
    const auto present = h5::list_children(sec.id());
    const std::set<std::string> have(present.begin(), present.end());
    std::vector<std::string> out;
    for (const auto& d : documented) {
      if (!have.count(d)) throw ConfigError(where + " lacks the dataset " + section + "/" + d);
      out.push_back(d);
    }
    for (const auto& n : present) {
      if (std::find(documented.begin(), documented.end(), n) != documented.end()) continue;
      h5::Handle ds = h5::open_dataset(sec.id(), n);
      if (!h5::is_scale(ds.id())) out.push_back(n);  // coordinates are not variables
    }
    return out;
  };
  return {names("youth/waves", kSchemaWaveMeasures), names("youth/static", kSchemaStaticFields),
          names("outcomes", kSchemaOutcomeFields)};
}

}  // namespace asim
