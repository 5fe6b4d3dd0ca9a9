// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), domain-free: the
// simulator and the distance are callbacks, so the same code calibrates the model
// (apps/calibrate_command.cpp) and is tested on problems with a known posterior.
//
// The method (docs/calibration.md):
//   - generation 0 samples `particles` parameter vectors from the uniform prior (tolerance
//     infinite: every simulation is accepted);
//   - generation t >= 1 sets its tolerance eps_t adaptively to the `quantile` of the previous
//     generation's distances (Del Moral, Doucet & Jasra 2012; Drovandi & Pettitt 2011; with
//     common random numbers, of the previous particles simulated with this generation's draws,
//     see AbcSettings::common_random_numbers), then
//     fills each particle slot by proposing: draw an ancestor from the previous generation by
//     its weight, perturb it with a Gaussian kernel of twice the previous weighted covariance
//     (Beaumont, Cornuet, Marin & Robert 2009), reject proposals outside the prior, simulate, and
//     accept when the distance is at most eps_t;
//   - importance weight of an accepted particle: prior density / sum_j W_j K(theta | theta_j)
//     (the uniform prior's density is a constant inside its box), normalised; the effective
//     sample size is (sum w)^2 / sum w^2.
// It stops after `generations` generations, or when a generation's acceptance rate falls below
// `min_acceptance` (that generation is abandoned and the previous one is the posterior).
//
// Determinism: every random draw is a Philox draw keyed by (seed, generation, slot, attempt),
// and slots make their attempts in synchronised rounds, so the result does not depend on the
// number of threads or the order in which simulations finish.
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace asim {

struct AbcPrior {
  std::string name;
  double lower = 0, upper = 1;  // uniform on [lower, upper], lower < upper
};

struct AbcSettings {
  int particles = 200;           // accepted particles per generation
  int generations = 4;           // generations in all, generation 0 (the prior) included
  double quantile = 0.5;         // eps_t = this quantile of generation t-1's distances
  double min_acceptance = 0.05;  // stop when a generation accepts fewer of its simulations
  std::uint32_t seed = 1;
  // The simulator uses common random numbers within a generation (every particle meets the same
  // random draws, which change from one generation to the next). Then a distance of generation
  // t-1 says little about what generation t's draws allow, so the tolerance eps_t is set from the
  // previous generation's particles simulated again with generation t's draws: the quantile of
  // those distances. This costs one simulation per particle and generation, and keeps the
  // schedule attainable (without it, a tolerance below what the new draws allow at any parameter
  // value stops the calibration).
  bool common_random_numbers = false;
};

struct AbcGeneration {
  double tolerance = std::numeric_limits<double>::infinity();  // eps_t
  long long simulations = 0;                                   // proposals simulated (attempts)
  long long tolerance_simulations = 0;         // previous particles simulated again to set eps_t
  std::vector<std::vector<double>> theta;      // [particle][parameter]
  std::vector<double> weight;                  // normalised, sum 1
  std::vector<double> distance;                // [particle]
  std::vector<std::vector<double>> simulated;  // [particle][statistic]
  double ess() const;
  double acceptance_rate() const {
    return simulations > 0 ? static_cast<double>(theta.size()) / static_cast<double>(simulations)
                           : 0.0;
  }
};

// Which simulation is asked for: a model simulator uses `generation` for its common random
// numbers (every particle of a generation meets the same youths); a toy simulator may key its
// noise by all three.
struct SimulationKey {
  int generation = 0, slot = 0, attempt = 0;
};
// Returns the simulated statistics of one parameter vector. Called concurrently.
using AbcSimulator =
    std::function<std::vector<double>(const std::vector<double>& theta, const SimulationKey& key)>;
using AbcDistance = std::function<double(const std::vector<double>& simulated)>;

// One simulation to run: a parameter vector and its key in; its statistics and distance out.
struct AbcJob {
  std::vector<double> theta;
  SimulationKey key;
  std::vector<double> simulated;
  double distance = std::numeric_limits<double>::infinity();
};
// Runs every job (AbcSmc::run_job on each). The default runs them in parallel with TBB in the
// current arena; a distributed evaluator shares them out between MPI ranks. Either way a job's
// result depends only on the job, so the calibration does not depend on who ran it.
using AbcEvaluator = std::function<void(std::vector<AbcJob>& jobs)>;

class AbcSmc {
 public:
  // std::invalid_argument for an empty prior, lower >= upper, particles < 2, generations < 1,
  // quantile outside (0, 1] or min_acceptance outside (0, 1].
  AbcSmc(std::vector<AbcPrior> priors, AbcSettings settings, AbcSimulator simulate,
         AbcDistance distance);

  // Replaces the default (TBB) evaluator.
  void set_evaluator(AbcEvaluator evaluator) { evaluator_ = std::move(evaluator); }
  // Simulates one job and sets its statistics and distance (thread-safe).
  void run_job(AbcJob& job) const;

  // Generations already done (read back from an interrupted calibration's .partial).
  void restore(std::vector<AbcGeneration> done) { generations_ = std::move(done); }

  enum class Step { Added, Stopped, LowAcceptance };
  // Runs the next generation. `stop` is polled between rounds: when it says stop, the
  // generation is abandoned and Stopped returned. `progress(accepted, simulations)` is called
  // after each round (from this thread).
  Step next_generation(const std::function<bool()>& stop,
                       const std::function<void(int, long long)>& progress = {});
  // Runs generations until `generations` are done, acceptance falls too low, or `stop`.
  Step run(const std::function<bool()>& stop,
           const std::function<void(int, long long)>& progress = {},
           const std::function<void(const AbcGeneration&)>& generation_done = {});

  bool complete() const { return static_cast<int>(generations_.size()) >= settings_.generations; }
  const std::vector<AbcGeneration>& generations() const { return generations_; }
  const std::vector<AbcPrior>& priors() const { return priors_; }
  const AbcSettings& settings() const { return settings_; }

 private:
  std::vector<double> propose(const AbcGeneration& previous, const std::vector<double>& chol,
                              const SimulationKey& key) const;
  std::vector<AbcPrior> priors_;
  AbcSettings settings_;
  AbcSimulator simulate_;
  AbcDistance distance_;
  AbcEvaluator evaluator_;
  std::vector<AbcGeneration> generations_;
  void evaluate(std::vector<AbcJob>& jobs) const;
};

// Weighted summaries of one parameter over a generation's particles.
struct WeightedSummary {
  double mean = 0, sd = 0, q025 = 0, q50 = 0, q975 = 0;
};
WeightedSummary weighted_summary(const std::vector<double>& values,
                                 const std::vector<double>& weights);
// Weighted quantile: the smallest value whose cumulative weight (in sorted order) reaches p.
double weighted_quantile(const std::vector<double>& values, const std::vector<double>& weights,
                         double p);

// `draws` particle indices resampled by weight (systematic resampling with one Philox uniform
// keyed by `seed`): deterministic, each particle drawn about draws * weight times.
std::vector<int> resample_particles(const std::vector<double>& weights, int draws,
                                    std::uint32_t seed);

}  // namespace asim
