// The charts of `alliance-sim report` (analysis/report.hpp), each drawn as inline SVG from the
// tables of analyse() (analysis/analyse.hpp) or the differences of compare_scenarios()
// (analysis/compare.hpp), never from numbers computed here: a chart shows what `analyse` and
// `compare` print. Only the informant scatter also reads the raw ratings it plots.
#pragma once
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "analysis/compare.hpp"
#include "analysis/panel.hpp"
#include "analysis/plain_summary.hpp"
#include "analysis/tables.hpp"

namespace asim::report {

// Read access to a Table by column name. A missing column is a programming error
// (std::logic_error): the tables are made by analyse() in this program.
class TableView {
 public:
  explicit TableView(const Table& table) : table_(table) {}
  std::size_t column(const std::string& name) const;
  double number(const std::vector<Cell>& row, const std::string& name) const;  // NaN for NA
  std::string text(const std::vector<Cell>& row, const std::string& name) const;
  // Rows whose text columns equal the given values, in table order.
  std::vector<const std::vector<Cell>*> rows(
      const std::vector<std::pair<std::string, std::string>>& where) const;

 private:
  const Table& table_;
};

// One chart: an SVG and the caption that says what it shows and on how many youths.
struct Figure {
  std::string kind;  // section: trajectories, scatter, subgroups, clpm, survival, hazard, forest
  std::string scenario;  // empty for charts across scenarios
  std::string title, svg, caption;
  double width = 0;  // of the SVG, in pixels: the caption wraps to it
  // The y axis's range (data units), for charts with one y axis; NaN otherwise. Charts of the same
  // measure in one report share it (see the *_range functions below).
  double y_low = std::numeric_limits<double>::quiet_NaN(),
         y_high = std::numeric_limits<double>::quiet_NaN();
};

// The y range that the youth- and mentor-rated trajectory charts share: the outer ticks around
// the means and bands of both measures in every scenario, kept inside the rating scale 1-5, and
// the whole scale when its minimum is near (within 0.5). A range starting above 1 is drawn with
// a marked axis break.
std::pair<double, double> trajectory_range(const Table& trajectories,
                                           const std::vector<std::string>& measures,
                                           const std::vector<std::string>& scenarios);

// Youth- or mentor-rated alliance (measure alliance_youth / alliance_mentor) per wave, a line
// per scenario with the band of the central 95 % of the replicate means (table trajectories).
// `y_range`: the shared range of trajectory_range().
Figure trajectory_chart(const Table& trajectories, const std::string& measure,
                        const std::vector<std::string>& scenarios,
                        std::pair<double, double> y_range);

// Youth- against mentor-rated alliance at `wave`, one point per youth (at most `max_points`:
// every k-th in replicate and youth order), coloured by setting; r and d from table agreement.
Figure scatter_chart(const Panel& panel, const Table& agreement, const std::string& wave,
                     std::size_t max_points);

// The highest y value that the subgroup charts of `scenarios` share: the outer tick above every
// upper CI limit (at least 10 %).
double subgroup_y_max(const Table& median_split, const std::vector<std::string>& scenarios);

// Favourable % of the four median-split subgroups with Wilson CIs (table median_split), on a y
// axis from 0 to `y_max` (subgroup_y_max).
// `wave`: the name of the wave the split was made at (the settled wave, analysis/panel.hpp).
Figure subgroup_chart(const Table& median_split, const std::string& scenario, double y_max,
                      const std::string& wave);

// Path diagrams of the pooled standardised cross-lagged panel, open and closed (table clpm).
Figure clpm_chart(const Table& clpm, const std::string& scenario);

// Kaplan-Meier curves of staying without premature exit, by "setting" or "profile"
// (tables survival_curve and survival).
Figure survival_chart(const Table& survival_curve, const Table& survival,
                      const std::string& scenario, const std::string& by);

// The highest y value that the hazard charts of `scenarios` share: the outer tick above every
// upper CI limit.
double hazard_y_max(const Table& hazard, const std::vector<std::string>& scenarios);

// Premature exits per 1000 youth-days by tertile of first-wave alliance (table hazard), on a y
// axis from 0 to `y_max` (hazard_y_max); `first_wave_day`: the day of the landmark.
Figure hazard_chart(const Table& hazard, const std::string& scenario, double y_max,
                    int first_wave_day);

// The colour of a verdict (analysis/plain_summary.hpp, verdict()): better green, worse red
// (vermillion), no clear difference grey, a change of an outcome with no better direction
// ("higher", "lower") blue; the Okabe-Ito colours, distinct for colour-blind readers.
const char* verdict_colour(const std::string& verdict);

// Forest plot of the paired differences against the baseline, a panel per metric, each
// difference coloured by its verdict, with a legend in words.
Figure forest_chart(const std::vector<Difference>& differences,
                    const std::vector<std::string>& metrics, const std::string& baseline,
                    bool pathways = false);

}  // namespace asim::report
