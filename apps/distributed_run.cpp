// Distributed runs over MPI: see distributed_run.hpp and docs/cluster.md.
#include "apps/distributed_run.hpp"

#include <tbb/task_arena.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "apps/posterior_run.hpp"
#include "apps/run_loop.hpp"
#include "apps/run_plan.hpp"
#include "apps/work_dispenser.hpp"
#include "engine/errors.hpp"
#include "engine/mpi_world.hpp"
#include "engine/progress.hpp"
#include "engine/test_hooks.hpp"
#include "models/replicate_message.hpp"

namespace asim {
namespace {

enum Tag : int {
  kRequest = 1,
  kWork = 2,
  kStop = 3,
  kResult = 4,
  kFailed = 5,
  kTestKill = 6,
  kTestTerm = 7
};

// Idle ranks poll for messages this often, instead of spinning in a blocking receive.
constexpr auto kPollInterval = std::chrono::milliseconds(1);
// How long the master waits for its workers to acknowledge the end of an interrupted run.
constexpr auto kStopTimeout = std::chrono::seconds(20);

// The failure tests' hook (ASIM_TEST_MPI_KILL_RANK, engine/test_hooks.hpp; test builds only):
// the first item handed to worker rank R once N replicates are written comes with the order to
// die (kTestKill, SIGKILL as a lost node) or to stop (kTestTerm, SIGTERM to that rank alone).
struct KillHook : TestKillHook {
  bool fired = false;
};

std::vector<unsigned char> pack_item(const WorkItem& item) {
  std::vector<unsigned char> out;
  mpi::put_i64(out, static_cast<std::int64_t>(item.scenario));
  mpi::put_i64(out, item.first);
  mpi::put_i64(out, item.count);
  return out;
}

WorkItem unpack_item(const std::vector<unsigned char>& bytes) {
  std::size_t at = 0;
  WorkItem item;
  item.scenario = static_cast<std::size_t>(mpi::get_i64(bytes, at));
  item.first = static_cast<int>(mpi::get_i64(bytes, at));
  item.count = static_cast<int>(mpi::get_i64(bytes, at));
  return item;
}

std::vector<unsigned char> pack_int(std::int64_t value) {
  std::vector<unsigned char> out;
  mpi::put_i64(out, value);
  return out;
}

// The model of the scenario a rank is working on, rebuilt only when the scenario changes.
class ModelCache {
 public:
  explicit ModelCache(const LoadedRun& loaded) : loaded_(loaded) {}
  const Model& get(std::size_t scenario) {
    if (!model_ || scenario != scenario_) {
      model_.emplace(loaded_.at(scenario).params);
      scenario_ = scenario;
    }
    return *model_;
  }

 private:
  const LoadedRun& loaded_;
  std::size_t scenario_ = 0;
  std::optional<Model> model_;
};

// The next message from rank 0, polling; a worker waits here between items.
mpi::Message wait_for_master(const mpi::World& world) {
  for (;;) {
    if (auto m = world.try_receive(0)) return std::move(*m);
    std::this_thread::sleep_for(kPollInterval);
  }
}

int run_worker(const mpi::World& world, const LoadedRun& loaded, const RunOptions& options,
               int threads, const PosteriorDraws* posterior) {
  tbb::task_arena arena(threads > 0 ? threads : tbb::task_arena::automatic);
  ModelCache models(loaded);
  for (;;) {
    world.send(0, kRequest, pack_int(arena.max_concurrency()));
    const mpi::Message reply = wait_for_master(world);
    if (reply.tag == kStop) return stop_requested() ? 128 + stop_signal() : 0;
    if (reply.tag == kTestKill) std::raise(SIGKILL);
    if (reply.tag == kTestTerm) std::raise(SIGTERM);
    const WorkItem item = unpack_item(reply.bytes);
    // Finished replicates are held until the item is done and then sent from this thread, the
    // only one that calls MPI.
    std::vector<ReplicateResult> finished;
    auto fail = [&](const std::string& why, int status) {
      const std::string text = "rank " + std::to_string(world.rank()) + ": " + why;
      world.send(0, kFailed, std::vector<unsigned char>(text.begin(), text.end()));
      while (wait_for_master(world).tag != kStop) {
      }
      return status;
    };
    bool complete = false;
    try {
      auto stop = [] { return stop_requested(); };
      auto keep = [&](ReplicateResult&& r) { finished.push_back(std::move(r)); };
      complete = posterior ? simulate_item(arena, loaded, *posterior, item.scenario, item.first,
                                           item.count, options, stop, keep)
                           : simulate_replicates(arena, models.get(item.scenario), options,
                                                 item.first, item.count, stop, keep);
    } catch (const std::exception& e) {
      return fail(e.what(), 1);
    }
    for (const auto& r : finished) world.send(0, kResult, pack_replicate(r));
    // A signal to this rank alone (an administrator's kill, the out-of-memory killer) leaves its
    // item unfinished: rank 0 must hear it, or it would wait for those replicates for ever.
    if (!complete)
      return fail(
          std::string("interrupted by ") + (stop_signal() == SIGTERM ? "SIGTERM" : "SIGINT"),
          128 + (stop_signal() ? stop_signal() : SIGINT));
  }
}

// CPU time of the calling thread: the writer's cost, apart from waiting for a busy machine.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Memory for finished replicates waiting to be written in order, beyond which no new work is
// handed out (results of work already handed out are still received).
constexpr std::size_t kMaxBufferedBytes = std::size_t{1} << 30;

std::size_t result_bytes(const ReplicateResult& r) {
  std::size_t bytes = r.events.size() * sizeof(Event);
  for (const auto& c : r.chunks) bytes += c.size();
  return bytes;
}

// State shared by the master's writer (main thread) and its own simulation thread.
struct MasterShared {
  std::mutex mutex;
  std::condition_variable results_ready, window_moved;
  std::map<std::int64_t, ReplicateResult> finished;  // by position in writing order
  std::int64_t written = 0, window = 0;
  std::size_t buffered_bytes = 0;  // compressed size of the replicates in `finished`
  // How far past `written` work may be handed out now: none while the replicates held for
  // in-order writing exceed kMaxBufferedBytes (the replicate at `written` has been handed out
  // already, so the writer is never left waiting).
  std::int64_t allowed_window() const { return buffered_bytes > kMaxBufferedBytes ? 0 : window; }
  void add_finished(std::int64_t at, ReplicateResult&& r) {
    buffered_bytes += result_bytes(r);
    finished.emplace(at, std::move(r));
  }
  std::atomic<bool> stop{false};
  bool local_done = false;
  std::string local_error;
};

class Master {
 public:
  Master(const mpi::World& world, const RunRequest& req, const LoadedRun& loaded,
         const RunOptions& options, const PosteriorDraws* posterior)
      : world_(world), req_(req), loaded_(loaded), options_(options), posterior_(posterior) {}

  int run(AtomicOutput& atomic, const std::string& output, bool replacing);

 private:
  void simulate_locally(WorkDispenser& dispenser, tbb::task_arena& arena);
  void write_ready(RunLoop& loop);
  void serve_requests(WorkDispenser& dispenser);
  // Tells every worker still running to stop; false if they did not all answer in time.
  bool stop_workers();

  const mpi::World& world_;
  const RunRequest& req_;
  const LoadedRun& loaded_;
  const RunOptions& options_;
  const PosteriorDraws* posterior_ = nullptr;  // --posterior: the draws every scenario runs
  MasterShared shared_;
  std::deque<std::pair<int, int>> waiting_;  // (rank, capacity) of workers asking for work
  std::map<int, WorkItem> assigned_;         // the item each worker is simulating
  int workers_running_ = 0, max_capacity_ = 1, total_threads_ = 0;
  std::string failure_;
  KillHook hook_{test_mpi_kill_hook(), false};
  double write_seconds_ = 0, write_cpu_seconds_ = 0;  // the master's time in the result writer
};

void Master::simulate_locally(WorkDispenser& dispenser, tbb::task_arena& arena) {
  // With the failure tests' hook armed (test builds only), rank 0 simulates nothing: every item
  // goes to the workers, so rank R asks for work again once N replicates are written whatever
  // the machine's load. Were rank 0 simulating too, it could take the remaining items while
  // rank R is busy, and the hook would never fire.
  if (hook_.rank >= 0) {
    std::lock_guard lock(shared_.mutex);
    shared_.local_done = true;
    shared_.results_ready.notify_one();
    return;
  }
  ModelCache models(loaded_);
  const int capacity = arena.max_concurrency();
  try {
    for (;;) {
      std::optional<WorkItem> item;
      {
        std::unique_lock lock(shared_.mutex);
        shared_.window_moved.wait(lock, [&] {
          if (shared_.stop) return true;
          item = dispenser.next(capacity, shared_.written, shared_.allowed_window());
          return item.has_value() || dispenser.exhausted();
        });
        if (shared_.stop || !item) break;
      }
      auto stop = [&] { return shared_.stop.load() || stop_requested(); };
      auto keep = [&](ReplicateResult&& r) {
        std::lock_guard lock(shared_.mutex);
        const auto at = dispenser.position(item->scenario, r.replicate);
        shared_.add_finished(at, std::move(r));
        shared_.results_ready.notify_one();
      };
      if (posterior_)
        simulate_item(arena, loaded_, *posterior_, item->scenario, item->first, item->count,
                      options_, stop, keep);
      else
        simulate_replicates(arena, models.get(item->scenario), options_, item->first, item->count,
                            stop, keep);
    }
  } catch (const std::exception& e) {
    std::lock_guard lock(shared_.mutex);
    shared_.local_error = std::string("rank 0: ") + e.what();
  }
  std::lock_guard lock(shared_.mutex);
  shared_.local_done = true;
  shared_.results_ready.notify_one();
}

// Writes the finished replicates that are next in writing order through the run loop, which
// opens and closes scenario groups exactly as in the single-process run.
void Master::write_ready(RunLoop& loop) {
  for (;;) {
    ReplicateResult r;
    {
      std::lock_guard lock(shared_.mutex);
      auto it = shared_.finished.find(shared_.written);
      if (it == shared_.finished.end()) return;
      r = std::move(it->second);
      shared_.finished.erase(it);
      shared_.buffered_bytes -= result_bytes(r);
    }
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = thread_cpu_seconds();
    if (loop.write(r)) loop.writer().flush();  // a scenario ended
    write_seconds_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    write_cpu_seconds_ += thread_cpu_seconds() - cpu_started;
    std::lock_guard lock(shared_.mutex);
    ++shared_.written;
  }
}

void Master::serve_requests(WorkDispenser& dispenser) {
  while (!waiting_.empty()) {
    const auto [rank, capacity] = waiting_.front();
    std::optional<WorkItem> item;
    bool exhausted = false;
    std::int64_t written = 0;
    {
      std::lock_guard lock(shared_.mutex);
      item = dispenser.next(capacity, shared_.written, shared_.allowed_window());
      exhausted = dispenser.exhausted();
      written = shared_.written;
    }
    if (!item && !exhausted) return;  // the window is full: the worker waits
    waiting_.pop_front();
    if (item) {
      assigned_[rank] = *item;
      const bool kill = hook_.rank == rank && !hook_.fired && written >= hook_.after_written;
      hook_.fired = hook_.fired || kill;
      world_.send(rank, !kill ? kWork : hook_.terminate ? kTestTerm : kTestKill, pack_item(*item));
    } else {
      world_.send(rank, kStop, {});
      --workers_running_;
    }
  }
}

bool Master::stop_workers() {
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  for (const auto& w : waiting_) {
    world_.send(w.first, kStop, {});
    --workers_running_;
  }
  waiting_.clear();
  while (workers_running_ > 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    if (auto m = world_.try_receive()) {
      if (m->tag == kRequest) {
        world_.send(m->source, kStop, {});
        --workers_running_;
      }
      continue;  // results of an interrupted run are not written
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return true;
}

int Master::run(AtomicOutput& atomic, const std::string& output, bool replacing) {
  workers_running_ = world_.size() - 1;
  // What is left to do: every scenario, or on --resume those not finished in the .partial.
  ResultWriter writer = open_run_file(atomic, req_.command_line, req_.resume);
  RunLoop loop(writer, loaded_, options_, req_.resume, req_.quiet);
  loop.writer().flush();
  if (req_.resume && !req_.quiet)
    std::cerr << "alliance-sim: resuming " << atomic.partial_path() << ": " << loop.kept_scenarios()
              << " of " << loaded_.size() << " scenarios finished there; running "
              << loop.todo().size() << "\n";
  WorkDispenser dispenser(loop.todo(), loop.todo_replicates());

  tbb::task_arena arena(req_.threads > 0 ? req_.threads : tbb::task_arena::automatic);
  max_capacity_ = arena.max_concurrency();
  total_threads_ = max_capacity_;
  shared_.window = dispense_window(world_.size(), max_capacity_);

  std::thread local([&] { simulate_locally(dispenser, arena); });
  bool interrupted = false;
  try {
    for (;;) {
      if (stop_requested()) {
        interrupted = true;
        break;
      }
      bool active = false;
      while (auto m = world_.try_receive()) {
        active = true;
        if (m->tag == kRequest) {
          std::size_t at = 0;
          const int capacity = static_cast<int>(mpi::get_i64(m->bytes, at));
          if (!assigned_.count(m->source)) total_threads_ += capacity;
          if (capacity > max_capacity_) {
            max_capacity_ = capacity;
            std::lock_guard lock(shared_.mutex);
            shared_.window = dispense_window(world_.size(), max_capacity_);
          }
          waiting_.emplace_back(m->source, capacity);
        } else if (m->tag == kResult) {
          ReplicateResult r = unpack_replicate(m->bytes);
          const WorkItem& item = assigned_.at(m->source);
          std::lock_guard lock(shared_.mutex);
          shared_.add_finished(dispenser.position(item.scenario, r.replicate), std::move(r));
        } else if (m->tag == kFailed) {
          failure_ = std::string(m->bytes.begin(), m->bytes.end());
          waiting_.emplace_back(m->source, 0);  // it waits for the stop message
          break;
        }
      }
      {
        std::lock_guard lock(shared_.mutex);
        if (!shared_.local_error.empty() && failure_.empty()) failure_ = shared_.local_error;
      }
      if (!failure_.empty()) break;
      // Waiting workers are served before this rank's own simulation thread hears that the
      // window moved: their requests have been waiting longer.
      write_ready(loop);
      serve_requests(dispenser);
      shared_.window_moved.notify_all();
      std::unique_lock lock(shared_.mutex);
      if (shared_.written == dispenser.total() && shared_.local_done && workers_running_ == 0)
        break;
      if (!active && !shared_.finished.count(shared_.written))
        shared_.results_ready.wait_for(lock, kPollInterval);
    }
  } catch (...) {
    shared_.stop = true;
    shared_.window_moved.notify_all();
    local.join();
    if (!stop_workers()) world_.abort(1);
    throw;
  }
  shared_.stop = true;
  shared_.window_moved.notify_all();
  if (interrupted || !failure_.empty()) {
    // Close the .partial before waiting for this rank's own simulation thread (which never
    // touches the writer) to finish its replicate: after a rank is lost the launcher sends
    // SIGTERM and, about a second later, SIGKILL.
    loop.writer().close();
    loop.progress().finish(interrupted);
    local.join();
    atomic.keep_partial();
    int status = 1;
    if (interrupted)
      status = report_interrupted(atomic, output, loop.finished_scenarios());
    else
      std::cerr << "alliance-sim: failed: " << failure_ << "; finished scenarios are kept in "
                << atomic.partial_path() << "; complete them with --resume\n";
    if (!stop_workers()) world_.abort(status);
    return status;
  }
  local.join();
  loop.writer().close();
  loop.progress().finish();
  const double seconds = loop.seconds();
  if (posterior_) write_posterior_group(atomic.partial_path(), *posterior_);
  atomic.commit();
  print_run_summary(req_, loaded_, output, replacing, loop.youth_days(), seconds,
                    "on " + std::to_string(world_.size()) + " ranks (" +
                        std::to_string(total_threads_) + " threads)",
                    total_threads_);
  if (!req_.quiet) {
    const double mib = static_cast<double>(std::filesystem::file_size(output)) / (1024.0 * 1024.0);
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "rank 0 wrote %.1f MiB in %.2f s (%.0f MiB/s while writing; %.2f s of CPU, "
                  "%.0f MiB per CPU second)\n",
                  mib, write_seconds_, write_seconds_ > 0 ? mib / write_seconds_ : 0.0,
                  write_cpu_seconds_, write_cpu_seconds_ > 0 ? mib / write_cpu_seconds_ : 0.0);
    std::cout << buf;
  }
  return 0;
}

}  // namespace

int run_distributed(const RunRequest& req) {
  mpi::World world;
  install_stop_handlers();
  if (world.size() == 1) return run_single_process(req);

  // Every rank loads and checks the scenarios; rank 0 also checks the output. A failure on any
  // rank ends every rank with that status before work starts.
  int status = 0;
  std::string error;
  std::optional<LoadedRun> loaded;
  std::optional<PosteriorDraws> posterior;
  RunOptions options;
  std::string output;
  std::optional<AtomicOutput> atomic;
  bool replacing = false;
  try {
    loaded.emplace(load_scenarios(req.scenario_files, req.overrides, req.replicates, req.seed));
    posterior = prepare_posterior(req, *loaded);  // every rank draws the same K
    options = run_options(req);
    check_threads(req);
    if (world.rank() == 0) {
      output = output_path(req, *loaded);
      atomic.emplace(output, req.overwrite);
      check_resume(req, *atomic);
      replacing = std::filesystem::exists(output);
      const RunSize size = check_size(*loaded, options, req.threads, output);
      if (!req.quiet) {
        for (const auto& note : loaded->notes) std::cerr << "note: " << note << "\n";
        std::cerr << expected_size_line(size, options);
      }
      if (req.resume) {
        try {
          probe_for_resume(*atomic);  // before any rank starts: a damaged .partial is refused here
        } catch (const std::exception& e) {
          throw resume_failure(*atomic, e);
        }
      }
    }
  } catch (const ConfigError& e) {
    status = 2;
    error = std::string("alliance-sim: error: ") + e.what();
  } catch (const std::exception& e) {
    status = 1;
    error = std::string("alliance-sim: failed: ") + e.what();
  }
  const int root_status = world.broadcast_from_root(status);
  const int worst = world.max_over_ranks(status);
  if (worst != 0) {
    if (atomic) atomic->keep_partial();  // nothing was written: an earlier .partial stays as it was
    if (status != 0 && (world.rank() == 0 || root_status == 0))
      std::cerr << error << (world.rank() ? " (rank " + std::to_string(world.rank()) + ")" : "")
                << "\n";
    return worst;
  }
  const PosteriorDraws* draws = posterior ? &*posterior : nullptr;
  if (world.rank() != 0) return run_worker(world, *loaded, options, req.threads, draws);
  Master master(world, req, *loaded, options, draws);
  return master.run(*atomic, output, replacing);
}

}  // namespace asim
