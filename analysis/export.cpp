// `alliance-sim export` (see export.hpp): long and wide CSV panels, written atomically.
#include "analysis/export.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "analysis/panel.hpp"
#include "engine/atomic_output.hpp"
#include "engine/errors.hpp"

namespace asim {

namespace {

// Appends one value: NA when missing, an integer without decimals, a float32 in the shortest
// form that reads back to the same float32 (every stored float value is a float32 or an integer).
void append_value(std::string& out, double v, bool integer) {
  if (std::isnan(v)) {
    out += "NA";
    return;
  }
  char buf[64];
  std::to_chars_result r;
  if (integer)
    r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
  else
    r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v));
  out.append(buf, r.ptr);
}

void append_text(std::string& out, const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  out += '"';
}

}  // namespace

ExportSummary export_csv(const ResultFile& file, const ExportRequest& request) {
  if (request.format != "long" && request.format != "wide")
    throw ConfigError("--format " + request.format + ": use long or wide");
  const bool wide = request.format == "wide";
  const auto scenarios = select_scenarios(file, request.scenario);

  // Every scenario must hold the same datasets, so that one header fits all rows.
  const PanelNames names = panel_names(file, scenarios.front());
  for (const auto& s : scenarios) {
    const PanelNames other = panel_names(file, s);
    if (other.wave_measures != names.wave_measures || other.static_fields != names.static_fields ||
        other.outcome_fields != names.outcome_fields)
      throw ConfigError(file.path() + ": scenarios '" + scenarios.front() + "' and '" + s +
                        "' hold different datasets; export them one at a time with --scenario");
  }
  PanelRequest request_all;
  request_all.wave_measures = names.wave_measures;
  request_all.static_fields = names.static_fields;
  request_all.outcome_fields = names.outcome_fields;

  // Wave names come from the first scenario; each scenario is checked against them. Reading with
  // zero replicates checks every dataset's shape and reads only the layout.
  PanelRequest layout_only = request_all;
  layout_only.replicates = 0;
  const Panel layout = read_panel(file, scenarios.front(), layout_only);

  ExportSummary summary;
  summary.columns = {"scenario", "replicate", "youth"};
  if (!wide) summary.columns.insert(summary.columns.end(), {"wave", "wave_day"});
  for (const auto& f : names.static_fields) summary.columns.push_back(f);
  for (const auto& m : names.wave_measures) {
    if (!wide)
      summary.columns.push_back(m);
    else
      for (const auto& w : layout.wave_names) summary.columns.push_back(m + "_" + w);
  }
  for (const auto& f : names.outcome_fields) summary.columns.push_back(f);

  AtomicOutput atomic(request.output, request.overwrite);
  std::ofstream out(atomic.partial_path(), std::ios::binary | std::ios::trunc);
  if (!out) throw RuntimeFailure(atomic.partial_path() + ": cannot open for writing");
  std::string buf;
  for (std::size_t c = 0; c < summary.columns.size(); ++c)
    buf += (c ? "," : "") + summary.columns[c];
  buf += "\n";

  for (const auto& scenario : scenarios) {
    PanelRequest one = request_all;
    one.replicates = 0;
    const Panel shape = read_panel(file, scenario, one);
    if (shape.wave_names != layout.wave_names || shape.wave_days != layout.wave_days)
      throw ConfigError(file.path() + ": scenarios '" + scenarios.front() + "' and '" + scenario +
                        "' have different waves; export them one at a time with --scenario");
    const std::size_t written = shape.replicates_written;
    for (std::size_t r = 0; r < written; ++r) {
      one.first_replicate = r;
      one.replicates = 1;
      const Panel p = read_panel(file, scenario, one);
      const std::size_t N = p.youths, W = p.waves;
      auto statics = [&](std::size_t i) {
        for (const auto& f : names.static_fields) {
          buf += ',';
          append_value(buf, p.static_values.at(f)[i], p.integer.at(f));
        }
      };
      auto outcomes = [&](std::size_t i) {
        for (const auto& f : names.outcome_fields) {
          buf += ',';
          append_value(buf, p.outcome_values.at(f)[i], p.integer.at(f));
        }
      };
      auto prefix = [&](std::size_t i) {
        append_text(buf, scenario);
        buf += ',' + std::to_string(p.first_replicate) + ',' + std::to_string(i);
      };
      for (std::size_t i = 0; i < N; ++i) {
        if (wide) {
          prefix(i);
          statics(i);
          for (const auto& m : names.wave_measures)
            for (std::size_t w = 0; w < W; ++w) {
              buf += ',';
              append_value(buf, p.wave_values.at(m)[i * W + w], p.integer.at(m));
            }
          outcomes(i);
          buf += '\n';
          ++summary.rows;
        } else {
          for (std::size_t w = 0; w < W; ++w) {
            prefix(i);
            buf += ',';
            append_text(buf, p.wave_names[w]);
            buf += ',' + std::to_string(p.wave_days[w]);
            statics(i);
            for (const auto& m : names.wave_measures) {
              buf += ',';
              append_value(buf, p.wave_values.at(m)[i * W + w], p.integer.at(m));
            }
            outcomes(i);
            buf += '\n';
            ++summary.rows;
          }
        }
        if (buf.size() > (1u << 20)) {
          out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
          buf.clear();
        }
      }
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.close();
  if (!out) throw RuntimeFailure(atomic.partial_path() + ": writing failed (disk full?)");
  atomic.commit();
  return summary;
}

}  // namespace asim
