// Simulated replicates in memory as the analyses' Panel (analysis/panel.hpp), exactly as
// read_panel would read them back from a result file: wave values as stored (float32), integer
// fields' -1 as missing, float32 static fields rounded to float. So a calibration's statistics
// equal those of `alliance-sim analyse` on a run of the same parameters and seed, without the
// file round trip (tests/calibration checks that they do).
#pragma once
#include <array>
#include <string>
#include <vector>

#include "analysis/panel.hpp"
#include "models/results.hpp"

namespace asim {

// The names of the default waves (waves.names: first, 3m, 6m, 9m), which targets name.
const std::vector<std::string>& calibration_wave_names();

// `results`: replicates 0..R-1 of one scenario, in order. Reads the measures and fields of
// `request` (names of models/results.hpp's catalogues).
Panel panel_from_results(const std::vector<ReplicateResult>& results,
                         const std::vector<int>& wave_days,
                         const std::vector<std::string>& wave_names, const PanelRequest& request,
                         const std::string& scenario = "calibration");

}  // namespace asim
