// Problems and engagement (Fjermestad et al. 2016: alliance -> involvement -> change). Engagement
// rises with motivation and task collaboration; problems fall in proportion to engagement and to
// the problems themselves, with an extra gain for more severe cases (docs/evidence.md §4.5: larger
// effects for more severe problems). Peers pull a youth's problems toward the level of the
// group's externalising youths (contagion of problem behaviour).
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_problems(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // Per group: the mean problems of its externalising youths (the peer level) and whether any.
  double *level_of = ctx.draws.group_a.data(), *contagion_of = ctx.draws.group_b.data();
  for (int i = 0; i < t.group_count; ++i) {
    const Group& g = t.group(i);
    double ext_sum = 0;
    int ext_n = 0;
    for (int b = 0; b < g.beds; ++b)
      if (g.occupied[b] && g.externalising[b]) {
        ext_sum += g.problems[b];
        ++ext_n;
      }
    level_of[i] = ext_n > 0 ? ext_sum / ext_n : 0.0;
    contagion_of[i] = ext_n > 0 ? p.contagion : 0.0;
  }
  const double base = p.engagement_base, w_motivation = p.w_engagement_motivation;
  const double w_tasks = p.w_engagement_tasks, severity_gain = p.severity_gain;
  const double rate = p.problems_rate;
  const std::int32_t* occupied = t.occupied.data();
  const std::int32_t* group = t.tile_group.data();
  const float *motivation = t.motivation.data(), *tasks = t.tasks.data(),
              *severity = t.severity.data();
  float* __restrict engagement_out = t.engagement.data(), * __restrict problems = t.problems.data();
  // std::clamp(v, lo, hi) is v < lo ? lo : (hi < v ? hi : v); written as max/min of the same
  // comparisons so that the loop vectorises.
  auto clamp = [](double v, double lo, double hi) { return std::min(std::max(v, lo), hi); };
  const int beds = t.beds;
  ASIM_BEDS_INDEPENDENT
  for (int b = 0; b < beds; ++b) {
    const double engagement =
        clamp(base + w_motivation * motivation[b] + w_tasks * tasks[b], 0.0, 1.0);
    const double gain =
        1.0 + severity_gain * (severity[b] - kReferenceProblems) / kReferenceProblems;
    double next = problems[b] - rate * engagement * std::max(0.0, gain) * problems[b];
    // Without externalising peers the rate is 0 and the term adds +0.0 or -0.0: next is unchanged.
    const double level = level_of[group[b]];
    next += contagion_of[group[b]] * (level - problems[b]) * (level > problems[b]);
    const float engagement_f = static_cast<float>(engagement);
    const float next_f = static_cast<float>(clamp(next, 0.0, kProblemsMax));
    engagement_out[b] = occupied[b] ? engagement_f : engagement_out[b];
    problems[b] = occupied[b] ? next_f : problems[b];
  }
}

}  // namespace asim
