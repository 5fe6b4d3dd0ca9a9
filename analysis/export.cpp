// `alliance-sim export` (see export.hpp): long and wide CSV panels, written atomically.
#include "analysis/export.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "analysis/panel.hpp"
#include "engine/atomic_output.hpp"
#include "engine/code_list.hpp"
#include "engine/errors.hpp"
#include "engine/h5.hpp"

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

// ---- SPSS syntax --------------------------------------------------------------------------

// What the syntax file says about one CSV column.
struct SpssColumn {
  std::string name;       // in the CSV header
  std::string label;      // VARIABLE LABELS
  bool text = false;      // a string column (scenario, wave)
  std::size_t width = 1;  // of a string column
  bool integer = false;
  std::vector<std::pair<long long, std::string>> codes;  // VALUE LABELS
};

// A quoted SPSS string ('...', with ' doubled), cut to `max_bytes` at a character boundary.
std::string spss_quote(std::string text, std::size_t max_bytes) {
  if (text.size() > max_bytes) {
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text.resize(n);
  }
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// An SPSS variable name for a CSV column: letters, digits and _ (others become _), starting
// with a letter, at most 64 bytes, not a reserved word, unique among `taken`.
std::string spss_name(const std::string& column, std::set<std::string>& taken) {
  static const std::set<std::string> reserved{"ALL", "AND", "BY",  "EQ", "GE", "GT",  "LE",
                                              "LT",  "NE",  "NOT", "OR", "TO", "WITH"};
  auto upper = [](std::string u) {
    for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  };
  std::string n;
  for (char c : column) n += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (n.empty() || !std::isalpha(static_cast<unsigned char>(n[0]))) n = "v" + n;
  if (n.size() > 60) n.resize(60);
  if (reserved.count(upper(n))) n += "_";
  const std::string stem = n;
  for (int k = 2; !taken.insert(upper(n)).second; ++k) n = stem + "_" + std::to_string(k);
  return n;
}

std::string attr_or(hid_t ds, const char* name) {
  return h5::has_attr(ds, name) ? h5::get_attr_string(ds, name) : std::string();
}

// The label and value labels of dataset section/name of a scenario group, from the dataset's
// own attributes (the file describes itself; analysis does not read the model's catalogues):
// schema_version 2 has long_name, scale ("1-5") and the CF flags flag_values/flag_meanings;
// schema_version 1 has description and, in units, the scale or the codes ("0 open, 1 closed").
void describe_dataset(hid_t scenario, const std::string& section, const std::string& name,
                      SpssColumn& col) {
  h5::Handle ds = h5::open_dataset(scenario, section + "/" + name);
  const bool cf = h5::has_attr(ds.id(), "long_name");
  const std::string units = attr_or(ds.id(), "units");
  // The scale or unit as the schema documents it ("1-5", "days since admission").
  const std::string unit = cf ? (h5::has_attr(ds.id(), "scale") ? attr_or(ds.id(), "scale")
                                 : units == "day"               ? std::string("days")
                                 : units == "year"              ? std::string("years")
                                                                : std::string())
                              : units;
  const auto unit_codes =
      cf ? std::vector<std::pair<long long, std::string>>{}
         : parse_code_list(unit).value_or(std::vector<std::pair<long long, std::string>>{});
  col.label = cf ? attr_or(ds.id(), "long_name") : attr_or(ds.id(), "description");
  if (col.label.empty()) col.label = name;
  // The CSV writes the -1 of an integer field as NA ("day of leaving care; -1 when still in care").
  if (const auto at = col.label.find("-1 when"); at != std::string::npos)
    col.label.replace(at, 2, "NA");
  if (!unit.empty() && unit_codes.empty() && unit != "count" && unit != "z" && unit != "1" &&
      !(cf && h5::has_attr(ds.id(), "flag_values")))
    col.label += " (" + unit + ")";
  if (h5::has_attr(ds.id(), "flag_values") && h5::has_attr(ds.id(), "flag_meanings")) {
    const auto values = h5::get_attr_doubles(ds.id(), "flag_values");
    std::vector<std::string> words;
    std::stringstream in(h5::get_attr_string(ds.id(), "flag_meanings"));
    for (std::string w; in >> w;) words.push_back(w);
    if (words.size() != values.size())
      throw ConfigError(h5::describe(ds.id()) + ": has " + std::to_string(values.size()) +
                        " flag_values but " + std::to_string(words.size()) + " flag_meanings");
    for (std::size_t k = 0; k < values.size(); ++k) {
      std::string text = words[k];  // CF words: in_care, drop-out
      std::replace(text.begin(), text.end(), '_', ' ');
      col.codes.emplace_back(static_cast<long long>(values[k]), text);
    }
  } else {
    col.codes = unit_codes;
  }
}

// The SPSS syntax that reads the CSV at `csv` with every column's type, variable labels, and
// value labels for every coded column.
std::string spss_syntax(const ResultFile& file, const std::string& csv, bool wide,
                        const std::vector<SpssColumn>& columns) {
  std::ostringstream o;
  o << "* Encoding: UTF-8.\n"
    << "* SPSS (and PSPP) syntax for " << std::filesystem::path(csv).filename().string() << ", the "
    << (wide ? "wide (one row per youth)" : "long (one row per youth and wave)")
    << " CSV export of\n* " << file.path() << ", written by alliance-sim export beside it.\n"
    << "* It reads the CSV with each column's type, labels every variable, and gives every coded\n"
    << "* column (setting, profile, exit_reason, the 0/1 fields) its value labels.\n"
    << "* If the CSV has moved, change the path of the FILE HANDLE below.\n"
    << "* NA in the CSV is missing: SPSS reads it as system-missing in a numeric column (the\n"
    << "* warnings about it are switched off while the data are read, and back on after).\n"
    << "FILE HANDLE alliance_csv /NAME="
    << spss_quote(std::filesystem::absolute(csv).string(), 4096)
    << ".\nPRESERVE.\nSET MXWARNS=0.\nGET DATA\n  /TYPE=TXT\n  /FILE=alliance_csv\n"
    << "  /ENCODING='UTF8'\n  /ARRANGEMENT=DELIMITED\n  /DELCASE=LINE\n  /FIRSTCASE=2\n"
    << "  /DELIMITERS=\",\"\n  /QUALIFIER='\"'\n  /VARIABLES=\n";
  std::set<std::string> taken;
  std::vector<std::string> names;
  for (const auto& c : columns) {
    names.push_back(spss_name(c.name, taken));
    // Numbers are read without implied decimals (w.0); FORMATS below sets how they are shown.
    o << "    " << names.back() << " "
      << (c.text      ? "A" + std::to_string(std::max<std::size_t>(1, c.width))
          : c.integer ? std::string("F11.0")
                      : std::string("F24.0"))
      << "\n";
  }
  o << ".\nEXECUTE.\nRESTORE.\n\nVARIABLE LABELS\n";
  for (std::size_t i = 0; i < columns.size(); ++i)
    o << "  " << (i ? "/" : "") << names[i] << " " << spss_quote(columns[i].label, 250) << "\n";
  o << ".\n";
  bool any_codes = false;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].codes.empty()) continue;
    o << (any_codes ? "  /" : "\nVALUE LABELS\n  ") << names[i];
    for (const auto& [code, text] : columns[i].codes)
      o << " " << code << " " << spss_quote(text, 120);
    o << "\n";
    any_codes = true;
  }
  if (any_codes) o << ".\n";
  std::string floats, nominal, scale;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& c = columns[i];
    if (!c.text && !c.integer) floats += " " + names[i];
    (c.text || !c.codes.empty() ? nominal : scale) += " " + names[i];
  }
  if (!floats.empty()) o << "\nFORMATS" << floats << " (F10.4).\n";
  o << "\nVARIABLE LEVEL";
  if (!nominal.empty()) o << nominal << " (NOMINAL)";
  if (!nominal.empty() && !scale.empty()) o << "\n  /";
  if (!scale.empty()) o << scale << " (SCALE)";
  o << ".\n";
  return o.str();
}

// The syntax file's path: the CSV's with the extension .sps ("x.csv" -> "x.sps"), or the CSV's
// path with ".sps" added when that would be the CSV itself.
std::string syntax_path(const std::string& csv) {
  std::filesystem::path p(csv);
  if (p.extension() == ".sps") return csv + ".sps";
  return p.replace_extension(".sps").string();
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
  // Wide columns: measure_<wave>, the wave's name made a valid R/SPSS/pandas name ("day 30" ->
  // day_30, analysis/panel.hpp).
  const auto suffix = wave_suffixes(layout.wave_names, layout.wave_days);

  ExportSummary summary;
  summary.columns = {"scenario", "replicate", "youth"};
  if (!wide) summary.columns.insert(summary.columns.end(), {"wave", "wave_day"});
  for (const auto& f : names.static_fields) summary.columns.push_back(f);
  for (const auto& m : names.wave_measures) {
    if (!wide)
      summary.columns.push_back(m);
    else
      for (const auto& w : suffix) summary.columns.push_back(m + "_" + w);
  }
  for (const auto& f : names.outcome_fields) summary.columns.push_back(f);

  // The SPSS syntax file's columns, described from the first scenario's datasets.
  std::vector<SpssColumn> spss;
  {
    std::size_t scenario_width = 1, wave_width = 1;
    for (const auto& s : scenarios) scenario_width = std::max(scenario_width, s.size());
    for (const auto& w : layout.wave_names) wave_width = std::max(wave_width, w.size());
    h5::Handle g = h5::open_group(file.id(), "scenarios/" + scenarios.front());
    auto add = [&](std::string name, std::string label, bool integer) {
      SpssColumn c;
      c.name = std::move(name);
      c.label = std::move(label);
      c.integer = integer;
      spss.push_back(std::move(c));
    };
    add("scenario", "scenario (name in the result file)", false);
    spss.back().text = true;
    spss.back().width = scenario_width;
    add("replicate", "replicate (0-based)", true);
    add("youth", "youth of the replicate's cohort (0-based)", true);
    if (!wide) {
      add(
          "wave",
          "wave (" +
              [&] {
                std::string list;
                for (std::size_t w = 0; w < layout.wave_names.size(); ++w)
                  list += (w ? ", " : "") + layout.wave_names[w] + " = day " +
                          std::to_string(layout.wave_days[w]);
                return list;
              }() +
              ")",
          false);
      spss.back().text = true;
      spss.back().width = wave_width;
      add("wave_day", "day since admission of the wave", true);
    }
    auto dataset = [&](const std::string& section, const std::string& name,
                       const std::string& column, const std::string& suffix) {
      SpssColumn c;
      c.name = column;
      c.integer = layout.integer.at(name);
      describe_dataset(g.id(), section, name, c);
      c.label += suffix;
      spss.push_back(std::move(c));
    };
    for (const auto& f : names.static_fields) dataset("youth/static", f, f, "");
    for (const auto& m : names.wave_measures) {
      if (!wide)
        dataset("youth/waves", m, m, "");
      else
        for (std::size_t w = 0; w < layout.wave_names.size(); ++w)
          dataset("youth/waves", m, m + "_" + suffix[w],
                  ", wave " + layout.wave_names[w] + " (day " +
                      std::to_string(layout.wave_days[w]) + ")");
    }
    for (const auto& f : names.outcome_fields) dataset("outcomes", f, f, "");
  }

  summary.syntax_file = syntax_path(request.output);
  AtomicOutput atomic(request.output, request.overwrite);
  AtomicOutput atomic_syntax(summary.syntax_file, request.overwrite);
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
  {
    std::ofstream sps(atomic_syntax.partial_path(), std::ios::binary | std::ios::trunc);
    sps << spss_syntax(file, request.output, wide, spss);
    sps.close();
    if (!sps) throw RuntimeFailure(atomic_syntax.partial_path() + ": writing failed (disk full?)");
  }
  atomic.commit();
  atomic_syntax.commit();
  return summary;
}

}  // namespace asim
