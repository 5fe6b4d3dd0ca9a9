// Writes a run's result file (layout: docs/hdf5-schema.md). One writer thread streams each
// replicate's result into chunked, compressed datasets as soon as it is finished, so memory
// does not grow with the number of replicates.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "engine/config.hpp"
#include "engine/h5.hpp"
#include "models/simulation.hpp"

namespace asim {

inline constexpr int kSchemaVersion = 1;
inline constexpr std::array<const char*, 4> kWaveNames{"first", "3m", "6m", "9m"};

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
  // Compresses every chunk of a replicate's datasets (shuffle + deflate) into result.chunks.
  // Touches no HDF5 state, so the simulation threads call it in parallel; write_replicate then
  // only hands the chunks to HDF5.
  static void compress(ReplicateResult& result, const RunOptions& options);
  void write_replicate(const ReplicateResult& result);
  // Marks the scenario complete (attribute complete = 1).
  void end_scenario();
  // Closes the file; throws RuntimeFailure when data could not be written.
  void close();

 private:
  struct ScenarioData;
  h5::Handle file_;
  std::unique_ptr<ScenarioData> current_;
};

std::string utc_timestamp();
// The resolved_toml attribute of a scenario group.
std::string resolved_toml(const Scenario& scenario);

}  // namespace asim
