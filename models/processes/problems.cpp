// Problems and engagement (Fjermestad et al. 2016: alliance -> involvement -> change). Engagement
// rises with motivation and task collaboration; problems fall in proportion to engagement and to
// the problems themselves, with an extra gain for more severe cases (docs/evidence.md §4.5: larger
// effects for more severe problems). Deviancy training: friends with more problems pull a
// youth's problems up (the friends' mean, models/processes/peers.cpp), more so when supervision
// is thin (an understaffed day) and structure is low (a team climate below its reference), less
// under a positive peer culture programme (Dodge, Dishion & Lansford 2006; Lee & Thompson 2009).
#include "models/processes.hpp"

namespace asim {

ASIM_VECTOR_CLONES void update_problems(const TileContext& ctx, Tile& t) {
  const ModelParams& p = ctx.p;
  // Per group: today's rate of deviancy training, by supervision and structure.
  double* deviancy_of = ctx.draws.group_a.data();
  const double deviancy = p.deviancy_rate * (p.peer_programme ? 1.0 - p.programme_deviancy : 1.0);
  for (int i = 0; i < t.group_count; ++i) {
    const Group& g = t.group(i);
    // At most the whole gap a day (the parameters' ranges allow more): no overshoot.
    deviancy_of[i] = std::min(
        1.0, deviancy * (1.0 + p.deviancy_understaffed * g.understaffed_today +
                         p.deviancy_team * std::max(0.0, kReferenceClimate - g.team_climate)));
  }
  const double base = p.engagement_base, w_motivation = p.w_engagement_motivation;
  const double w_tasks = p.w_engagement_tasks, severity_gain = p.severity_gain;
  const double rate = p.problems_rate;
  const std::int32_t* occupied = t.occupied.data();
  const std::int32_t* group = t.tile_group.data();
  const float *motivation = t.motivation.data(), *tasks = t.tasks.data(),
              *severity = t.severity.data(), *friend_problems = t.friend_problems.data();
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
    // Friends with fewer problems, or none (friend_problems is then the youth's own), add +0.0.
    const double level = friend_problems[b];
    next += deviancy_of[group[b]] * (level - problems[b]) * (level > problems[b]);
    const float engagement_f = static_cast<float>(engagement);
    const float next_f = static_cast<float>(clamp(next, 0.0, kProblemsMax));
    engagement_out[b] = occupied[b] ? engagement_f : engagement_out[b];
    problems[b] = occupied[b] ? next_f : problems[b];
  }
}

// A newly admitted youth's values of the module's per-bed fields.
void Problems::admit(const DayContext& /*ctx*/, Group& g, int bed, const Referral& /*r*/) {
  g.engagement[bed] = 0;
}

// The module's registry rows (docs/parameters.md).
void Problems::register_params(ParamRows& r) {
  using P = ModelParams;
  r.real("problems.rate", &P::problems_rate, 0.006, 0, 0.1, "1/day",
         "relative daily reduction of problems at full engagement",
         "assumption; larger absolute change for severe problems (docs/evidence.md §4.5)");
  r.real("problems.engagement_base", &P::engagement_base, 0.1, 0, 1, "engagement",
         "engagement without motivation or task collaboration", kAssume);
  r.real("problems.w_engagement_motivation", &P::w_engagement_motivation, 0.5, 0, 2, "",
         "motivation -> engagement", "Fjermestad et al. 2016");
  r.real("problems.w_engagement_tasks", &P::w_engagement_tasks, 0.4, 0, 2, "",
         "task collaboration -> engagement", "Fjermestad et al. 2016");
  r.real("problems.severity_gain", &P::severity_gain, 0.5, 0, 3, "",
         "extra relative change for more severe problems", "docs/evidence.md §4.5");
}

}  // namespace asim
