// Problems and engagement (Fjermestad et al. 2016: alliance -> involvement -> change). Engagement
// rises with motivation and task collaboration; problems fall in proportion to engagement and to
// the problems themselves, with an extra gain for more severe cases (MODEL-BRIEF §4: larger
// effects for more severe problems). Peers pull a youth's problems toward the level of the
// group's externalising youths (contagion of problem behaviour).
#include "models/processes.hpp"

namespace asim {

void update_problems(const DayContext& ctx, Group& g) {
  const ModelParams& p = ctx.p;
  double ext_sum = 0;
  int ext_n = 0;
  for (int b = 0; b < g.beds; ++b)
    if (g.occupied[b] && g.externalising[b]) {
      ext_sum += g.problems[b];
      ++ext_n;
    }
  const bool contagion = ext_n > 0;
  const double peer_level = contagion ? ext_sum / ext_n : 0.0;
  for (int b = 0; b < g.beds; ++b) {
    if (!g.occupied[b]) continue;
    const double engagement = std::clamp(p.engagement_base + p.w_engagement_motivation * g.motivation[b] +
                                             p.w_engagement_tasks * g.tasks[b],
                                         0.0, 1.0);
    g.engagement[b] = static_cast<float>(engagement);
    const double gain = 1.0 + p.severity_gain * (g.severity[b] - 20.0) / 20.0;
    double next = g.problems[b] - p.problems_rate * engagement * std::max(0.0, gain) * g.problems[b];
    if (contagion) next += p.contagion * (peer_level - g.problems[b]) * (peer_level > g.problems[b]);
    g.problems[b] = static_cast<float>(std::clamp(next, 0.0, 40.0));
  }
}

}  // namespace asim
