// One scenario's youth data read from a result file into memory, for the analyses
// (analysis/analyse.hpp) and the CSV export (analysis/export.hpp). Only documented names of
// docs/hdf5-schema.md are read, through engine/h5.hpp, with every shape checked first; a file
// that lacks a name gives a ConfigError naming it. Only the first `replicates_written`
// replicates of a scenario are used.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/result_reader.hpp"

namespace asim {

// One scenario's youth data as doubles, missing values as NaN: NaN in float datasets, and -1 in
// the integer fields of youth/static and outcomes (so exit_day is NaN for a youth still in care).
struct Panel {
  std::string scenario;
  std::size_t first_replicate = 0;  // replicates [first_replicate, first_replicate + replicates)
  std::size_t replicates = 0, youths = 0, waves = 0;
  std::size_t replicates_written = 0;  // of the scenario (attribute replicates_written)
  bool complete = false;
  std::vector<std::string> wave_names;  // waves/day attribute "names": first, 3m, 6m, 9m
  std::vector<int> wave_days;           // waves/day: 14, 91, 182, 273
  // youth/waves/<measure>, index ((r * youths) + i) * waves + w, r relative to first_replicate.
  std::map<std::string, std::vector<double>> wave_values;
  // youth/static/<field> and outcomes/<field>, index r * youths + i.
  std::map<std::string, std::vector<double>> static_values, outcome_values;
  // Names stored as integers (written without decimals by export).
  std::map<std::string, bool> integer;

  // Index of a wave by name; ConfigError naming the file if absent.
  std::size_t wave_index(const std::string& name) const;
  // One wave of a measure, index r * youths + i.
  std::vector<double> at_wave(const std::string& measure, std::size_t wave) const;
  const std::vector<double>& field(const std::string& name) const;  // static or outcome
  std::string file;                                                 // for messages
};

struct PanelRequest {
  std::vector<std::string> wave_measures, static_fields, outcome_fields;
  std::size_t first_replicate = 0;
  std::optional<std::size_t> replicates;  // default: every written replicate from first_replicate
};
// With replicates = 0 and no names, read_panel only reads the layout (waves, sizes).

// Reads the named datasets of one scenario. ConfigError (naming file, scenario and dataset) when
// the scenario or a dataset is missing, a shape is not [R, N] / [R, N, W] with R >= written
// replicates, N = cohort_size and W = the length of waves/day, or a type is not numeric.
Panel read_panel(const ResultFile& file, const std::string& scenario, const PanelRequest& request);

// Names of the datasets under youth/waves, youth/static or outcomes that the file holds: the
// names of schema_version 1 (docs/hdf5-schema.md) in documented order, then any others in
// alphabetical order. A documented name the file lacks is an error (ConfigError naming it).
struct PanelNames {
  std::vector<std::string> wave_measures, static_fields, outcome_fields;
};
PanelNames panel_names(const ResultFile& file, const std::string& scenario);

// The waves a scenario measured at (waves.days, any number of them) and their roles in the
// analyses (docs/ODD.md, "Observation"): the first wave is the first-impression wave; the
// "settled" wave is the first one after it (3 months in the study); the later waves are those
// after the first (3, 6 and 9 months). With one wave, each role falls to that wave.
//
// Suffixes for column and outcome names (alliance_youth_<suffix>): each wave's name with every
// character other than a letter or digit replaced by '_' ("day 30" -> "day_30"); a name that
// would repeat another becomes "day<N>".
std::vector<std::string> wave_suffixes(const std::vector<std::string>& names,
                                       const std::vector<int>& days);
std::size_t settled_wave(std::size_t waves);              // 1, or 0 for a single wave
std::vector<std::size_t> later_waves(std::size_t waves);  // 1 .. waves-1, or {0}

// The scenario names to work on: every scenario of the file, or `only` after checking it exists
// (ConfigError listing the file's scenarios otherwise).
std::vector<std::string> select_scenarios(const ResultFile& file, const std::string& only);

}  // namespace asim
