// The statistics a calibration target can name (targets/*.toml, docs/calibration.md): every
// table of `alliance-sim analyse`, computed by the same code (analyse_panel), plus a few tables
// the literature's figures need that analyse does not print (exit shares, open-closed
// differences, subgroup descriptives with the latent states, the informants' validity against
// the latent alliance, correlations of alliance with later outcomes). A statistic is named
// "<table>.<column>" and a row is chosen by the values of the table's key columns, e.g.
//   statistic = "agreement.r", where = { wave = "3m", rater_a = "youth", rater_b = "mentor" }
// The catalogue lists each statistic's key columns and their allowed values, so a targets file
// is checked (with "did you mean" hints) before anything is simulated.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/panel.hpp"
#include "analysis/tables.hpp"

namespace asim {

struct StatisticKey {
  std::string column;               // a key column of the table, e.g. "wave"
  std::vector<std::string> values;  // its allowed values, e.g. first, 3m, 6m, 9m
};

struct StatisticDef {
  std::string name;           // "<table>.<column>", e.g. "agreement.r"
  std::string table, column;  // where the value is read
  std::vector<StatisticKey> keys;
  std::string meaning;  // one line, for `calibrate --list-statistics` and the docs
};

// Every statistic a target may name, for a model measured at the waves `wave_names` (the
// analyses expect first, 3m, 6m and 9m among them).
std::vector<StatisticDef> statistic_catalogue(const std::vector<std::string>& wave_names);

// The panel fields the statistics read (wave measures incl. the latent ones, static and
// outcome fields).
PanelRequest statistic_panel_request();

// Every table of analyse_panel(panel) followed by the calibration tables (exits,
// setting_difference, subgroups, validity, correlation).
std::vector<Table> statistic_tables(const Panel& panel);

using KeyValues = std::vector<std::pair<std::string, std::string>>;  // (column, value)

// The value of `column` in the one row of table `table` whose key columns hold `where`
// (a count key matches its decimal text). NaN when the row has no value (NA); nullopt when no
// row matches or the table or column is absent.
std::optional<double> lookup_statistic(const std::vector<Table>& tables, const std::string& table,
                                       const std::string& column, const KeyValues& where);

}  // namespace asim
