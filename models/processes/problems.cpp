// Problems and engagement (Fjermestad et al. 2016: alliance -> involvement -> change). Engagement
// rises with motivation and task collaboration; problems fall in proportion to engagement and to
// the problems themselves, with an extra gain for more severe cases (docs/evidence.md §4.5: larger
// effects for more severe problems). Peers pull a youth's problems toward the level of the
// group's externalising youths (contagion of problem behaviour).
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_problems(const DayContext& ctx, Group& g) {
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
  const double base = p.engagement_base, w_motivation = p.w_engagement_motivation;
  const double w_tasks = p.w_engagement_tasks, severity_gain = p.severity_gain;
  const double rate = p.problems_rate, contagion_rate = p.contagion;
  const std::int8_t* occupied = g.occupied.data();
  const float *motivation = g.motivation.data(), *tasks = g.tasks.data(), *severity = g.severity.data();
  float *engagement_out = g.engagement.data(), *problems = g.problems.data();
  // std::clamp(v, lo, hi) is v < lo ? lo : (hi < v ? hi : v); written as max/min of the same
  // comparisons so that the loop vectorises.
  auto clamp = [](double v, double lo, double hi) { return std::min(std::max(v, lo), hi); };
  for (int b = 0; b < g.beds; ++b) {
    const double engagement = clamp(base + w_motivation * motivation[b] + w_tasks * tasks[b], 0.0, 1.0);
    const double gain =
        1.0 + severity_gain * (severity[b] - kReferenceProblems) / kReferenceProblems;
    double next = problems[b] - rate * engagement * std::max(0.0, gain) * problems[b];
    if (contagion) next += contagion_rate * (peer_level - problems[b]) * (peer_level > problems[b]);
    const float engagement_f = static_cast<float>(engagement);
    const float next_f = static_cast<float>(clamp(next, 0.0, kProblemsMax));
    engagement_out[b] = occupied[b] ? engagement_f : engagement_out[b];
    problems[b] = occupied[b] ? next_f : problems[b];
  }
}

}  // namespace asim
