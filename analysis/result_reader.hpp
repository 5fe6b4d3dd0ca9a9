// Reading result files for analysis and inspection. Only documented names are used
// (docs/hdf5-schema.md), so any file of this schema version can be read.
#pragma once
#include <string>
#include <vector>

#include "engine/h5.hpp"

namespace asim {

struct ScenarioSummary {
  std::string name;
  std::string label;  // a sweep point's parameter values ("mentor.caseload=5"), else empty
  int replicates = 0, replicates_written = 0, cohort = 0;
  bool complete = false;
  // Per wave (the scenario's waves, named as in its wave coordinate): mean over youths measured.
  std::vector<std::string> wave_names;
  std::vector<double> alliance_youth, alliance_mentor, motivation, problems;
  double favourable = 0, dropout = 0, absconded = 0, transferred = 0, planned = 0,
         mentor_changes = 0, ruptures = 0, incidents = 0;
  double favourable_ci = 0;  // half-width of the 95 % CI of favourable % over replicates
  // Open vs closed: youth-rated alliance at the settled wave (3m) and motivation at the wave
  // after it (6m); with fewer waves, the last (analysis/panel.hpp, wave roles).
  std::size_t alliance_wave = 0, motivation_wave = 0;
  double open_alliance = 0, closed_alliance = 0, open_motivation = 0, closed_motivation = 0;
  long long events = 0;
};

class ResultFile {
 public:
  // Opens read-only; a missing, foreign or newer-schema file gives ConfigError naming the path.
  explicit ResultFile(const std::string& path);
  const std::string& path() const { return path_; }
  int schema_version() const { return schema_version_; }
  // Where this file's layout keeps a scenario's wave days (the coordinate of youth/waves, with
  // the attribute "names"), relative to the scenario group: youth/waves/wave (schema 2) or
  // waves/day (schema 1).
  std::string wave_days_path() const;
  // The coordinate of /sweep/design's rows (the scenario group of each design point):
  // sweep/point (schema 2) or sweep/points (schema 1).
  std::string sweep_points_path() const;
  // A sweep point's parameter values as a label, e.g. "mentor.caseload=5,
  // staff.annual_turnover=0.3": the scenario's attribute sweep_point (schema 2), or made from
  // /sweep/design (schema 1). Empty for a scenario that is not a sweep point.
  std::string sweep_label(const std::string& scenario) const;
  // "name" or "name (label)" for a sweep point.
  std::string display_name(const std::string& scenario) const;
  std::vector<std::string> scenarios() const;
  ScenarioSummary summarise(const std::string& scenario) const;
  // Human-readable description of the file: provenance, scenarios, replicates, dataset shapes.
  std::string describe() const;
  hid_t id() const { return file_.id(); }

 private:
  std::string path_;
  h5::Handle file_;
  int schema_version_ = 0;
};

std::string format_summary_table(const std::vector<ScenarioSummary>& summaries);

}  // namespace asim
