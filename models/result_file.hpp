// Writes a run's result file (layout: docs/hdf5-schema.md). One writer thread streams each
// replicate's result into chunked, compressed datasets as soon as it is finished, so memory
// does not grow with the number of replicates.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/h5.hpp"
#include "models/simulation.hpp"

namespace asim {

// 2: netCDF-4 layout (every section group holds its own dimension scales, CF attributes);
// 1: the scales in sibling groups (waves/day, youth/id, groups/id, groups/day, youth/day).
inline constexpr int kSchemaVersion = 2;

// A parameter sweep's design as stored under /sweep (docs/sweeps.md, docs/hdf5-schema.md).
struct SweepDesignRecord {
  std::string design;                       // "grid", "lhs", "sobol" or "saltelli"
  std::string source;                       // name of the scenario the sweep was declared in
  std::int64_t base_samples = 0;            // saltelli: N (rows A, B, AB_1..AB_k of N each); else 0
  std::int64_t seed = 0;                    // seed of the design (lhs); the scenario's run.seed
  std::vector<std::string> parameters;      // swept parameter names, one per column
  std::vector<std::string> units;           // their units ("1" when dimensionless)
  std::vector<double> lower, upper;         // sampled range per parameter; NaN for grid lists
  std::vector<std::string> points;          // scenario group of each row: sweep-0001, ...
  std::vector<std::string> labels;          // each row's values as text: "mentor.caseload=5, ..."
  std::vector<std::vector<double>> matrix;  // [point][parameter] values as set (registry units)
};

class ResultWriter {
 public:
  // Creates `path` (truncating) and writes the root's provenance attributes.
  ResultWriter(const std::string& path, const std::string& command_line);
  // Opens the .partial file of an interrupted run to complete it (--resume): scenarios finished
  // there are kept, unfinished ones are removed and run again.
  struct Resume {};
  ResultWriter(const std::string& path, const std::string& command_line, Resume);
  // Whether the file already holds this scenario complete, with identical resolved parameters
  // and daily variables. Removes an incomplete or different group of that name.
  bool keep_finished(const Scenario& scenario, const RunOptions& options);
  ~ResultWriter();
  // Opens /scenarios/<name>/ with its resolved parameters and creates its datasets.
  void begin_scenario(const Scenario& scenario, const Model& model, const RunOptions& options,
                      int replicates);
  // Compresses every chunk of a replicate's datasets (shuffle + deflate) into result.chunks, in
  // the writer's order; a slice smaller than a compressed chunk goes in raw, for the writer to
  // gather with the next replicates' (result_file.cpp, gathered()). Touches no HDF5 state, so
  // the simulation threads call it in parallel; write_replicate then hands the chunks to HDF5.
  static void compress(ReplicateResult& result, const RunOptions& options);
  void write_replicate(const ReplicateResult& result);
  // Writes the scenario's last events and edges and its attribute replicates_written, and marks
  // it complete (attribute complete = 1).
  void end_scenario();
  // Writes /sweep/design [point, parameter] (float64) with its coordinates /sweep/point (the
  // scenario group of each row) and /sweep/parameter (the parameter of each column), string
  // datasets that are the design's dimension scales. Replaces an earlier /sweep
  // (a resumed run writes it again). Call before the sweep's scenarios, so a .partial file of
  // an interrupted sweep describes itself too.
  void write_sweep_design(const SweepDesignRecord& sweep);
  // Hands everything written so far to the operating system (H5Fflush), e.g. after each
  // finished scenario, so that a process killed later leaves as much finished work as possible;
  // in an open scenario, first its gathered chunks so far and its replicates_written.
  void flush();
  // Closes the file; throws RuntimeFailure when data could not be written. An open scenario (an
  // interrupted run) gets its replicates so far: their gathered chunks, events and edges, and
  // replicates_written (complete stays 0).
  void close();

 private:
  struct ScenarioData;
  // The open scenario's gathered chunks so far and its replicates_written (flush, close).
  void write_open_scenario();
  // Writes the pending events' whole chunks; with `last`, the rest too (end_scenario).
  static void write_pending_events(ScenarioData& d, bool last);
  static void write_pending_edges(ScenarioData& d, bool last);
  h5::Handle file_;
  std::unique_ptr<ScenarioData> current_;
};

std::string utc_timestamp();
// The resolved_toml attribute of a scenario group.
std::string resolved_toml(const Scenario& scenario);

}  // namespace asim
