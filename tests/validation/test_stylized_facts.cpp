// Stylized facts of the literature (docs/calibration.md) emerging at default parameters, each
// with a companion test that neutralises the mechanism behind it and shows the fact disappear.
// Seeds are fixed (the baseline's run.seed); replicate counts and tolerances are chosen so a test
// can neither pass by luck nor flake: each threshold is several standard errors from the
// simulated value (standard errors noted beside each check).
#include <catch2/catch.hpp>

#include "tests/validation/panel.hpp"

using namespace asim;
using namespace asim::validation;

namespace {
constexpr int kReps = 30;  // 30 x 400 = 12 000 tracked youths per run

auto in_setting(const Panel& p, int s) {
  return [&p, s](std::size_t i) { return p.setting[i] == s; };
}

// Standardised cross-lagged path alliance(t) -> motivation(t+1), controlling motivation(t).
Coefficient cross_lag(const Panel& p, int setting, int t) {
  std::vector<double> m_next, m_now, a_now;
  for (std::size_t i = 0; i < p.youths(); ++i) {
    if (p.setting[i] != setting) continue;
    const float mn = p.motivation[i * 4 + static_cast<std::size_t>(t + 1)];
    const float m0 = p.motivation[i * 4 + static_cast<std::size_t>(t)];
    const float a0 = p.alliance_youth[i * 4 + static_cast<std::size_t>(t)];
    if (std::isnan(mn) || std::isnan(m0) || std::isnan(a0)) continue;
    m_next.push_back(mn), m_now.push_back(m0), a_now.push_back(a0);
  }
  return standardised_ols(m_next, {m_now, a_now})[1];
}

double favourable_by_alliance_r(const Panel& p, int w) {
  std::vector<double> a, f;
  for (std::size_t i = 0; i < p.youths(); ++i) {
    const float v = p.alliance_youth[i * 4 + static_cast<std::size_t>(w)];
    if (!std::isnan(v)) a.push_back(v), f.push_back(p.favourable[i]);
  }
  return pearson(a, f);
}

double informant_r(const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<double> x, y;
  paired(a, 0, b, 0, all_rows, x, y);
  return pearson(x, y);
}

double premature_pct(const Panel& p, int ext) {
  double n = 0, k = 0;
  for (std::size_t i = 0; i < p.youths(); ++i)
    if (p.externalising[i] == ext) n += 1, k += p.premature[i];
  return 100.0 * k / n;
}

double first_wave_alliance(const Panel& p, int ext) {
  return mean(wave(p.alliance_youth, 0, [&](std::size_t i) { return p.externalising[i] == ext; }));
}

// Mean change of daily alliance from the day before to `after` days after a change of mentor
// through turnover (event value 1), over all such changes of tracked youths.
double alliance_change_at_turnover(const Panel& p, int after) {
  double sum = 0;
  int n = 0;
  for (const Event& e : p.mentor_changes) {
    if (e.value != 1.0f) continue;
    const int d = e.day - p.admission_day[static_cast<std::size_t>(e.youth)];
    if (d < 1 || d + after >= p.follow_up_days) continue;
    const std::size_t row =
        static_cast<std::size_t>(e.youth) * static_cast<std::size_t>(p.follow_up_days);
    const float before = p.daily_alliance[row + static_cast<std::size_t>(d - 1)];
    const float later = p.daily_alliance[row + static_cast<std::size_t>(d + after)];
    if (std::isnan(before) || std::isnan(later)) continue;
    sum += later - before;
    ++n;
  }
  return n ? sum / n : std::nan("");
}

std::vector<std::string> neutral_setting() {
  // Closed-setting mechanisms set to the open setting's values, and placement independent of
  // the problem profile, so closed groups differ from open ones in nothing but the label.
  return {
      "setting.closed.autonomy_restriction=0.1", "setting.closed.mandated_share=0.3",
      "setting.closed.growth_restriction=0",     "setting.closed.coercion_on_incident=0.05",
      "setting.closed.leaving_barrier=0",        "setting.closed.repression_base=0.35",
      "setting.closed.stay_median_days=240",     "placement.closed_indication_externalising=0.35"};
}
}  // namespace

TEST_CASE("first-wave alliance: youth and mentor means about 3.9, SD 0.7 and 0.5",
          "[validation][calibration]") {
  const Panel p = run_panel({}, kReps);
  const auto youth = wave(p.alliance_youth, 0, all_rows),
             mentor = wave(p.alliance_mentor, 0, all_rows);
  WARN("youth " << mean(youth) << " (SD " << sd(youth) << "), mentor " << mean(mentor) << " (SD "
                << sd(mentor) << "), n " << youth.size());
  // SE of a mean over ~11 000 youths is < 0.01; the tolerance (0.15) is the calibration target's.
  CHECK(mean(youth) == Approx(3.9).margin(0.15));
  CHECK(sd(youth) == Approx(0.7).margin(0.15));
  // The mentor's mean and SD (3.9, 0.5) are not matched at the calibrated rater parameters: fact
  // 1 (mentor) in test_raters.cpp, [!mayfail], and docs/calibration.md "Not matched".
  // Youths and parents rate more positively than mentors, at every wave.
  for (int w = 0; w < 4; ++w) {
    CHECK(mean(wave(p.alliance_youth, w, all_rows)) >
          mean(wave(p.alliance_mentor, w, all_rows)) + 0.02);
    CHECK(mean(wave(p.alliance_parent, w, all_rows)) >
          mean(wave(p.alliance_mentor, w, all_rows)) + 0.05);
  }
}

TEST_CASE("closed settings: lower alliance and lower motivation", "[validation][setting]") {
  const Panel p = run_panel({}, kReps);
  const double da = mean(wave(p.alliance_youth, 1, in_setting(p, 0))) -
                    mean(wave(p.alliance_youth, 1, in_setting(p, 1)));
  const double dm =
      mean(wave(p.motivation, 2, in_setting(p, 0))) - mean(wave(p.motivation, 2, in_setting(p, 1)));
  WARN("open - closed: alliance 3m " << da << ", motivation 6m " << dm);
  // SE of each difference is about 0.02 (alliance, SD 0.78, n ~ 3 000 / 1 800).
  CHECK(da > 0.08);
  CHECK(dm > 0.4);
}

TEST_CASE("companion: with the closed-setting mechanisms neutralised the differences vanish",
          "[validation][setting][companion]") {
  const Panel p = run_panel(neutral_setting(), kReps);
  const double da = mean(wave(p.alliance_youth, 1, in_setting(p, 0))) -
                    mean(wave(p.alliance_youth, 1, in_setting(p, 1)));
  const double dm =
      mean(wave(p.motivation, 2, in_setting(p, 0))) - mean(wave(p.motivation, 2, in_setting(p, 1)));
  WARN("open - closed without setting mechanisms: alliance 3m " << da << ", motivation 6m " << dm);
  CHECK(std::abs(da) < 0.06);  // 3 SE
  CHECK(std::abs(dm) < 0.06);
}

TEST_CASE("alliance predicts later motivation in open but not in closed settings",
          "[validation][clpm]") {
  const Panel p = run_panel({}, kReps);
  const Coefficient open36 = cross_lag(p, 0, 1), open69 = cross_lag(p, 0, 2);
  const Coefficient closed36 = cross_lag(p, 1, 1), closed69 = cross_lag(p, 1, 2);
  WARN("open 3->6 " << open36.beta << " (" << open36.se << "), 6->9 " << open69.beta << " ("
                    << open69.se << "); closed 3->6 " << closed36.beta << " (" << closed36.se
                    << "), 6->9 " << closed69.beta << " (" << closed69.se << ")");
  // Positive, the 95 % CI clear of 0 (the calibrated rater error makes the youth-rated alliance a
  // weaker proxy of the latent one: standardised paths about 0.11 and 0.07, docs/calibration.md).
  CHECK(open36.beta - 1.96 * open36.se > 0.03);
  CHECK(open69.beta - 1.96 * open69.se > 0);
  // "Absent" in closed care: well below half the open path (SE about 0.03).
  CHECK(closed36.beta < 0.5 * open36.beta);
  CHECK(closed36.beta < 0.1);
}

TEST_CASE(
    "companion: the closed path appears when autonomy is not restricted, the open path goes "
    "without the mechanism",
    "[validation][clpm][companion]") {
  const Panel free = run_panel({"setting.closed.autonomy_restriction=0.1"}, kReps);
  const Coefficient open36 = cross_lag(free, 0, 1), closed36 = cross_lag(free, 1, 1);
  WARN("autonomy unrestricted: open " << open36.beta << ", closed " << closed36.beta << " ("
                                      << closed36.se << ")");
  CHECK(closed36.beta > 0.6 * open36.beta);
  const Panel none = run_panel({"motivation.w_alliance=0"}, kReps);
  const Coefficient open_none = cross_lag(none, 0, 1);
  WARN("no alliance -> motivation mechanism: open " << open_none.beta << " (" << open_none.se
                                                    << ")");
  CHECK(std::abs(open_none.beta) < 0.06);
}

TEST_CASE("the alliance-outcome association is small to moderate and grows over treatment",
          "[validation][outcome]") {
  const Panel p = run_panel({}, kReps);
  double r[4];
  for (int w = 0; w < 4; ++w) r[w] = favourable_by_alliance_r(p, w);
  WARN("r(alliance_youth, favourable): " << r[0] << " " << r[1] << " " << r[2] << " " << r[3]);
  // SE of r is about 0.01 at the first wave (n ~ 11 000) and 0.015 at 9 months (n ~ 4 500).
  CHECK(r[0] > 0.0);
  CHECK(r[0] < 0.2);
  CHECK(r[3] > 0.12);
  CHECK(r[3] < 0.35);
  CHECK(r[3] - r[0] > 0.06);
}

TEST_CASE("companion: without the routes from alliance to change and back, the association shrinks",
          "[validation][outcome][companion]") {
  // Routes: tasks -> engagement -> problems, alliance -> motivation -> engagement, and
  // improvement -> alliance (reciprocal). All three off.
  const Panel base = run_panel({}, kReps);
  const Panel p = run_panel(
      {"alliance.w_progress=0", "problems.w_engagement_tasks=0", "motivation.w_alliance=0"}, kReps);
  double before[4], after[4];
  for (int w = 0; w < 4; ++w)
    before[w] = favourable_by_alliance_r(base, w), after[w] = favourable_by_alliance_r(p, w);
  WARN("r at 9 months " << before[3] << " -> " << after[3] << "; growth first->9m "
                        << before[3] - before[0] << " -> " << after[3] - after[0]);
  // SE of r at 9 months about 0.015; the runs share their random numbers, so their difference
  // is more precise still.
  CHECK(after[3] < 0.6 * before[3]);
  CHECK(after[3] - after[0] < 0.6 * (before[3] - before[0]));
}

TEST_CASE("youth and mentor agree weakly; observers agree more with each",
          "[validation][informants]") {
  const Panel p = run_panel({}, kReps);
  const double ym = informant_r(p.alliance_youth, p.alliance_mentor);
  const double yo = informant_r(p.alliance_youth, p.alliance_observer);
  const double mo = informant_r(p.alliance_mentor, p.alliance_observer);
  WARN("first wave r: youth-mentor " << ym << ", youth-observer " << yo << ", mentor-observer "
                                     << mo);
  CHECK(ym > 0.05);  // SE 0.01
  CHECK(ym < 0.4);
  CHECK(yo > ym + 0.05);
  CHECK(mo > ym + 0.05);
}

TEST_CASE("companion: without persistent rater leniencies youth and mentor agree much more",
          "[validation][informants][companion]") {
  const Panel base = run_panel({}, kReps);
  const Panel p = run_panel({"rater.youth_sd=0", "rater.mentor_sd=0"}, kReps);
  const double before = informant_r(base.alliance_youth, base.alliance_mentor);
  const double after = informant_r(p.alliance_youth, p.alliance_mentor);
  WARN("youth-mentor r with leniencies " << before << ", without " << after);
  CHECK(after > before + 0.15);
}

TEST_CASE(
    "outcome is best when youth and mentor both rate the alliance strong, worst when both weak",
    "[validation][outcome]") {
  const Panel p = run_panel({}, kReps);
  const auto ys = wave(p.alliance_youth, 1, all_rows), ms = wave(p.alliance_mentor, 1, all_rows);
  auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
    return v[v.size() / 2];
  };
  const double my = median(ys), mm = median(ms);
  double n[2][2] = {}, k[2][2] = {};
  for (std::size_t i = 0; i < p.youths(); ++i) {
    const float y = p.alliance_youth[i * 4 + 1], m = p.alliance_mentor[i * 4 + 1];
    if (std::isnan(y) || std::isnan(m)) continue;
    const int a = y > my, b = m > mm;
    n[a][b] += 1;
    k[a][b] += p.favourable[i];
  }
  double pct[2][2];
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) pct[a][b] = 100.0 * k[a][b] / n[a][b];
  WARN("favourable %: weak/weak " << pct[0][0] << ", youth strong " << pct[1][0]
                                  << ", mentor strong " << pct[0][1] << ", strong/strong "
                                  << pct[1][1]);
  // Each cell holds about 1 500-3 000 youths: SE of a percentage under 1.2 points.
  CHECK(pct[1][1] > pct[1][0] + 3);
  CHECK(pct[1][1] > pct[0][1] + 3);
  CHECK(pct[1][0] > pct[0][0] + 3);
  CHECK(pct[0][1] > pct[0][0] + 3);
}

TEST_CASE("externalising youths: lower alliance and markedly more premature exit",
          "[validation][externalising]") {
  const Panel p = run_panel({}, kReps);
  const double ext = premature_pct(p, 1), other = premature_pct(p, 0);
  const double da = first_wave_alliance(p, 0) - first_wave_alliance(p, 1);
  WARN("premature exit: externalising " << ext << " %, others " << other << " %; alliance gap "
                                        << da);
  // The level follows residential care's 15.6 % of stays ended on the youth's own initiative,
  // not Kazdin & Wassell's outpatient 30-50 % (docs/calibration.md, "The dynamic block"); what
  // stays of theirs is the excess. SE of a share about 0.6 points over ~5 400 youths.
  CHECK(ext > 1.5 * other);
  CHECK(ext > other + 5.0);
  CHECK(ext < 50.0);
  CHECK(da > 0.1);
}

TEST_CASE("companion: neutralising the externalising mechanisms removes most of the gaps",
          "[validation][externalising][companion]") {
  const Panel base = run_panel({}, kReps);
  const Panel p = run_panel(
      {"alliance.w_externalising=0", "alliance.w_externalising_girls=0",
       "rupture.w_externalising=0", "exit.dropout_externalising=0", "incident.w_externalising=0",
       "youth.externalising_problem_offset=0", "placement.closed_indication_externalising=0.25"},
      kReps);
  const double gap_before = premature_pct(base, 1) - premature_pct(base, 0);
  const double gap_after = premature_pct(p, 1) - premature_pct(p, 0);
  const double da_before = first_wave_alliance(base, 0) - first_wave_alliance(base, 1);
  const double da_after = first_wave_alliance(p, 0) - first_wave_alliance(p, 1);
  WARN("premature gap " << gap_before << " -> " << gap_after << "; alliance gap " << da_before
                        << " -> " << da_after);
  // What remains comes from the wish for autonomy, which is higher in externalising youths.
  CHECK(gap_after < 0.5 * gap_before);
  CHECK(da_after < 0.5 * da_before);
}

namespace {
void check_lever(const std::vector<std::string>& lever, const std::vector<std::string>& neutral,
                 const char* name) {
  const Panel base = run_panel(neutral, kReps);
  auto with = neutral;
  with.insert(with.end(), lever.begin(), lever.end());
  const Panel p = run_panel(with, kReps);
  const PairedDiff a3 = paired_difference(base.rep_alliance_3m, p.rep_alliance_3m);
  const PairedDiff a6 = paired_difference(base.rep_alliance_6m, p.rep_alliance_6m);
  const PairedDiff pe = paired_difference(base.rep_premature, p.rep_premature);
  WARN(name << ": alliance 3m " << a3.mean << " +/- " << a3.half << ", 6m " << a6.mean << " +/- "
            << a6.half << ", premature exit " << pe.mean << " +/- " << pe.half);
  if (neutral.empty()) {
    CHECK(a3.mean - a3.half > 0);
    CHECK(a6.mean - a6.half > 0);
    // Premature exit falls, in point estimate: at 30 replicates its paired interval (about
    // +/- 0.5 points) is wider than the effect since friends leave together (peers.cpp couples
    // the youths' exits); fact 8a (tests/validation/test_levers.cpp) checks it with the
    // replicates it needs.
    CHECK(pe.mean < 0);
  } else {
    // With its mechanism neutralised the lever has no effect: the paired CIs cover 0 and the
    // differences are small.
    CHECK(std::abs(a6.mean) < 0.02);
    CHECK(std::abs(pe.mean) < 0.6);
  }
}
}  // namespace

TEST_CASE("a lower caseload raises the alliance and lowers drop-out", "[validation][levers]") {
  check_lever({"mentor.caseload=5"}, {}, "caseload 5");
}
TEST_CASE("companion: caseload acts only through time per youth and stress",
          "[validation][levers][companion]") {
  // Same weekly time per youth (hours scaled with the caseload) and no workload stress.
  check_lever({"mentor.caseload=5", "mentor.mentoring_hours=5"}, {"staff.stress_caseload=0"},
              "caseload 5, same time, no stress");
}
TEST_CASE("routine feedback raises the alliance and lowers drop-out", "[validation][levers]") {
  check_lever({"policy.routine_feedback=true"}, {}, "routine feedback");
}
TEST_CASE("companion: feedback acts only through earlier detection and adapting",
          "[validation][levers][companion]") {
  check_lever({"policy.routine_feedback=true"},
              {"feedback.detect_with_feedback=0.08", "feedback.not_on_track_gain=0"},
              "feedback without detection or adapting");
}
TEST_CASE("alliance training raises the alliance and lowers drop-out", "[validation][levers]") {
  check_lever({"policy.alliance_training=true"}, {}, "training");
}
TEST_CASE("companion: training acts only through skill, pushing and repair",
          "[validation][levers][companion]") {
  check_lever({"policy.alliance_training=true"},
              {"training.skill_gain=0", "training.push_reduction=0", "training.repair_gain=0"},
              "training without its mechanisms");
}

TEST_CASE("a change of mentor lowers the alliance", "[validation][mentor_change]") {
  const Panel p = run_panel({}, kReps, true);
  const double change = alliance_change_at_turnover(p, 3);
  WARN("alliance change around a turnover change of mentor: "
       << change << " over " << p.mentor_changes.size() << " changes");
  CHECK(change < -0.02);  // SE about 0.002 over ~1 200 changes
}

TEST_CASE("companion: when a change keeps the alliance, it does not fall",
          "[validation][mentor_change][companion]") {
  const Panel p = run_panel({"mentor_change.carry_over=1", "mentor_change.loss=0"}, kReps, true);
  const double change = alliance_change_at_turnover(p, 3);
  WARN("alliance change with full carry-over: " << change);
  CHECK(change > -0.01);
}
