// Replicates in memory as a Panel: see calibration_panel.hpp.
#include "apps/calibration_panel.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include "engine/errors.hpp"
#include "models/model_params.hpp"
#include "models/result_file.hpp"

namespace asim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A value as the result file stores it and read_panel reads it back.
double as_stored(double v, FieldType type) {
  switch (type) {
    case FieldType::F32:
      return static_cast<double>(static_cast<float>(v));
    case FieldType::I8: {
      const auto stored = static_cast<std::int8_t>(std::isnan(v) ? -1 : v);
      return stored == -1 ? kNaN : static_cast<double>(stored);
    }
    case FieldType::I32: {
      const auto stored = static_cast<std::int32_t>(std::isnan(v) ? -1 : v);
      return stored == -1 ? kNaN : static_cast<double>(stored);
    }
  }
  return v;
}

template <class Catalogue>
int find_in(const Catalogue& catalogue, const std::string& name) {
  for (std::size_t i = 0; i < catalogue.size(); ++i)
    if (catalogue[i].name == name) return static_cast<int>(i);
  throw RuntimeFailure("calibration panel: no variable '" + name + "' in the model's output");
}

}  // namespace

const std::vector<std::string>& calibration_wave_names() {
  // The registry's default waves.names (models/parameters.cpp).
  static const std::vector<std::string> names =
      wave_names(make_model_params(ParamValues(model_registry().registry())));
  return names;
}

Panel panel_from_results(const std::vector<ReplicateResult>& results,
                         const std::vector<int>& wave_days,
                         const std::vector<std::string>& wave_names, const PanelRequest& request,
                         const std::string& scenario) {
  Panel p;
  p.scenario = scenario;
  p.file = "(simulation in memory)";
  p.replicates = p.replicates_written = results.size();
  p.complete = true;
  p.youths = results.empty() ? 0 : static_cast<std::size_t>(results.front().cohort);
  p.wave_names = wave_names;
  p.wave_days.assign(wave_days.begin(), wave_days.end());
  p.waves = p.wave_days.size();
  const std::size_t N = p.youths, W = p.waves, R = p.replicates;
  for (const auto& r : results)
    if (static_cast<std::size_t>(r.cohort) != N || static_cast<std::size_t>(r.waves) != W)
      throw RuntimeFailure("calibration panel: replicates of different shapes");
  for (const auto& m : request.wave_measures) {
    const int k = find_in(kWaveMeasures, m);
    auto& out = p.wave_values[m];
    out.resize(R * N * W);
    for (std::size_t r = 0; r < R; ++r) {
      const auto& v = results[r].wave_values[k];
      for (std::size_t i = 0; i < N * W; ++i) out[r * N * W + i] = static_cast<double>(v[i]);
    }
    p.integer[m] = false;
  }
  auto fields = [&](const std::vector<std::string>& names, const auto& catalogue, bool outcome,
                    auto& into) {
    for (const auto& f : names) {
      const int k = find_in(catalogue, f);
      const FieldType type = catalogue[static_cast<std::size_t>(k)].type;
      auto& out = into[f];
      out.resize(R * N);
      for (std::size_t r = 0; r < R; ++r) {
        const auto& v = outcome ? results[r].outcome_values[k] : results[r].static_values[k];
        for (std::size_t i = 0; i < N; ++i) out[r * N + i] = as_stored(v[i], type);
      }
      p.integer[f] = type != FieldType::F32;
    }
  };
  fields(request.static_fields, kStaticFields, false, p.static_values);
  fields(request.outcome_fields, kOutcomeFields, true, p.outcome_values);
  return p;
}

}  // namespace asim
