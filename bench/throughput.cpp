// Throughput benchmark: youth-days simulated per second per core for named workloads, at 1, 2,
// ... threads, with and without writing the result file, plus wall time, peak memory, bytes
// written and, for the classroom workload, the latency of one simulated day.
// Each measurement runs in a child process of its own, so its peak resident memory and CPU time
// (user + system, from wait4) are its own: youth-days per CPU-second is the per-core throughput
// that other processes on the machine disturb least.
// Writes JSON (one object per measurement) to the file given by --json and a table to stdout;
// bench/summarise.py turns JSON files into a table with parallel efficiency and a plot.
//
// --skip STEP[,STEP] leaves those steps of the day's schedule out (models/schedule.hpp): a
// knock-out measurement, whose time saved against the full run is what the steps cost (their
// results mean nothing; the workload's name gets "-no-STEP" in the table and the JSON).
//
//   bench_throughput [--workloads default,large] [--threads 1,2] [--outputs
//   none,waves,groups,main,daily]
//                    [--replicates N] [--skip STEP[,STEP]] [--json FILE]
#include <sys/resource.h>
#include <sys/wait.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "apps/run_loop.hpp"
#include "engine/errors.hpp"
#include "engine/system_memory.hpp"
#include "models/result_file.hpp"
#include "models/scenarios.hpp"
#include "models/schedule.hpp"

using namespace asim;

namespace {

struct Workload {
  std::string name, description;
  std::vector<std::string> overrides;
  std::string sweep_file;  // a sweep runs through the command line (alliance-sim run FILE)
};

const std::vector<Workload> kWorkloads = {
    {"default", "built-in baseline: 10 groups, 400 tracked youths, 50 replicates", {}, {}},
    {"large",
     "large institution: 200 groups (1800 beds), 4000 tracked youths, 4 replicates",
     {"institution.open_groups=120", "institution.closed_groups=80", "cohort.size=4000",
      "run.replicates=4"},
     {}},
    {"national",
     "national cohort: 2200 groups, 20000 tracked youths, 273 days of follow-up, 100 replicates",
     {"institution.open_groups=1300", "institution.closed_groups=900", "cohort.size=20000",
      "run.replicates=100"},
     {}},
    {"classroom",
     "one living group, 10 tracked youths, 1 replicate",
     {"institution.open_groups=1", "institution.closed_groups=0", "cohort.size=10",
      "run.replicates=1", "placement.closed_indication_externalising=0",
      "placement.closed_indication_other=0"},
     {}},
    {"sweep",
     "wide sweep: 500 Latin-hypercube points x 10 replicates, 3 groups, 40 tracked youths "
     "(bench/sweep-wide.toml, run by alliance-sim run)",
     {},
     ASIM_SOURCE_DIR "/bench/sweep-wide.toml"},
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

struct Measurement {
  std::string workload, output;
  int threads = 0, replicates = 0, beds = 0;
  double wall_s = 0, cpu_s = 0, youth_days = 0, sim_days = 0, bytes = 0, peak_rss_mib = 0;
};

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("asim-bench-" + name + "-" + std::to_string(getpid()) + ".h5"))
      .string();
}

// Runs in the child: simulates (and writes) the workload, fills wall time, youth-days, days.
void measure_model(const Workload& w, int threads, const std::string& output_mode, int replicates,
                   std::uint32_t skipped_steps, Measurement& m) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const auto& o : w.overrides) loader.apply_override(s, o);
  if (replicates > 0) loader.apply_override(s, "run.replicates=" + std::to_string(replicates));
  const Model model(make_model_params(s.values));
  RunOptions options;
  options.skipped_steps = skipped_steps;
  // As `alliance-sim run` writes by default: waves, static fields, outcomes and events; "groups"
  // adds each living group's daily series (--group-series yes).
  options.group_series = output_mode == "groups";
  if (output_mode == "daily") options.daily.fill(true);
  if (output_mode == "main")  // --daily main: the study's main trajectories
    for (DailyVar v : {kDailyAlliance, kDailyMotivation, kDailyProblems}) options.daily[v] = true;
  const std::string path = temp_path(w.name);
  m.replicates = model.params().replicates;
  auto count = [&](const ReplicateResult& r) {
    m.youth_days += r.youth_days;
    m.sim_days += r.days;
  };
  tbb::task_arena arena(threads);
  const auto t0 = std::chrono::steady_clock::now();
  if (output_mode == "none") {
    arena.execute([&] {
      run_replicates(model, options, 0, m.replicates, [&](ReplicateResult&& r) { count(r); }, {});
    });
  } else {
    // Written through the command line's run loop (apps/run_loop.hpp), as `alliance-sim run`.
    LoadedRun run;
    run.scenarios.push_back({s, model.params()});
    ResultWriter writer(path, "bench");
    RunLoop loop(writer, run, options, false, true);
    run_in_process(loop, options, arena, [] { return false; });
    loop.writer().close();
    m.youth_days = loop.youth_days();
    m.sim_days = loop.simulated_days();
  }
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (output_mode != "none") {
    m.bytes = static_cast<double>(std::filesystem::file_size(path));
    std::filesystem::remove(path);
  }
}

// Runs in the child: the sweep through `alliance-sim run`, whose last lines report the
// youth-days it simulated and the time the simulation took.
void measure_cli(const Workload& w, int threads, const std::string& output_mode, int replicates,
                 Measurement& m) {
  if (output_mode != "waves")
    throw ConfigError("workload " + w.name + " runs through alliance-sim run: use --outputs waves");
  const std::string path = temp_path(w.name);
  std::string cmd = std::string("'") + ASIM_CLI + "' run '" + w.sweep_file + "' --threads " +
                    std::to_string(threads) + " -o '" + path + "' --overwrite";
  if (replicates > 0) cmd += " --replicates " + std::to_string(replicates);
  const auto t0 = std::chrono::steady_clock::now();
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe) throw RuntimeFailure("cannot run " + cmd);
  char line[4096];
  double seconds = 0;
  while (std::fgets(line, sizeof line, pipe)) {
    double yd = 0, s = 0;
    if (std::sscanf(line, "simulated %lf youth-days in %lf s", &yd, &s) == 2)
      m.youth_days = yd, seconds = s;
  }
  if (pclose(pipe) != 0 || seconds <= 0) throw RuntimeFailure("failed: " + cmd);
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.bytes = static_cast<double>(std::filesystem::file_size(path));
  std::filesystem::remove(path);
  m.replicates = replicates > 0 ? replicates : 10;
}

int bed_count(const Workload& w) {
  if (!w.sweep_file.empty()) return 27;  // 3 groups of about 9 beds
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const auto& o : w.overrides) loader.apply_override(s, o);
  const ModelParams p = make_model_params(s.values);
  return (p.open_groups + p.closed_groups) * p.group_size;  // groups x mean beds
}

// Forks a child for one measurement; its peak resident memory comes from wait4's rusage (the
// child's own, not the benchmark's so far; a sweep's includes the alliance-sim it runs).
Measurement measure(const Workload& w, int threads, const std::string& output_mode, int replicates,
                    std::uint32_t skipped_steps, const std::string& skip_label) {
  Measurement m;
  m.workload = w.name + skip_label;
  m.output = output_mode;
  m.threads = threads;
  m.beds = bed_count(w);
  int fds[2];
  if (pipe(fds) != 0) throw RuntimeFailure("pipe failed");
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw RuntimeFailure("fork failed");
  if (pid == 0) {
    close(fds[0]);
    int rc = 0;
    try {
      if (w.sweep_file.empty())
        measure_model(w, threads, output_mode, replicates, skipped_steps, m);
      else
        measure_cli(w, threads, output_mode, replicates, m);
    } catch (const std::exception& e) {
      std::cerr << "bench_throughput: " << w.name << ": " << e.what() << "\n";
      rc = 1;
    }
    const double row[6] = {m.wall_s,
                           m.youth_days,
                           m.sim_days,
                           m.bytes,
                           static_cast<double>(m.replicates),
                           static_cast<double>(rc)};
    const ssize_t ignored = write(fds[1], row, sizeof row);
    (void)ignored;
    _exit(rc);
  }
  close(fds[1]);
  double row[6] = {};
  const ssize_t got = read(fds[0], row, sizeof row);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  if (got != static_cast<ssize_t>(sizeof row) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw RuntimeFailure("measurement of " + w.name + " failed");
  m.wall_s = row[0];
  m.youth_days = row[1];
  m.sim_days = row[2];
  m.bytes = row[3];
  m.replicates = static_cast<int>(row[4]);
  m.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  m.cpu_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  configure_allocator();  // as alliance-sim does (engine/system_memory.hpp)
  std::string workloads = "default,large", threads = "1,2", outputs = "none,waves,main,daily", json,
              skip;
  int replicates = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--workloads")
      workloads = value;
    else if (flag == "--threads")
      threads = value;
    else if (flag == "--outputs")
      outputs = value;
    else if (flag == "--replicates")
      replicates = std::stoi(value);
    else if (flag == "--json")
      json = value;
    else if (flag == "--skip")
      skip = value;
    else {
      std::cerr << "usage: bench_throughput [--workloads default,large,national,classroom,sweep] "
                   "[--threads 1,2] [--outputs none,waves,groups,main,daily] [--replicates N] "
                   "[--skip STEP[,STEP]] [--json FILE]\n";
      return 2;
    }
  }
  // The knock-out: each named step's bit. Three steps stay, as the run could not go on in any
  // useful way without them: admit (no youth would arrive), draws (every uniform would stay
  // zero) and exits (no youth would leave, and the cohort would never be complete).
  const auto required = [](std::string_view step) {
    return step == "admit" || step == "draws" || step == "exits";
  };
  std::uint32_t skipped_steps = 0;
  std::string skip_label;
  for (const auto& name : split(skip)) {
    const std::uint32_t bit = step_bit(name);
    if (bit == 0 || required(name)) {
      std::cerr << "bench_throughput: --skip: unknown or required step '" << name << "' (allowed:";
      for (const ProcessStep& step : kDailySchedule)
        if (!required(step.name)) std::cerr << " " << step.name;
      std::cerr << ")\n";
      return 2;
    }
    skipped_steps |= bit;
    skip_label += "-no-" + name;
  }
  std::vector<Measurement> results;
  std::printf("%-10s %-6s %7s %5s %9s %9s %12s %12s %12s %9s %9s %10s\n", "workload", "output",
              "threads", "reps", "wall_s", "cpu_s", "youth-days/s", "per thread", "per cpu-s",
              "MiB out", "peak MiB", "ms/day");
  try {
    for (const auto& name : split(workloads)) {
      const Workload* w = nullptr;
      for (const auto& k : kWorkloads)
        if (k.name == name) w = &k;
      if (!w) {
        std::cerr << "unknown workload " << name << "\n";
        return 2;
      }
      for (const auto& out : split(outputs)) {
        if (out != "none" && out != "waves" && out != "groups" && out != "main" && out != "daily") {
          std::cerr << "unknown output " << out << " (allowed: none, waves, groups, main, daily)\n";
          return 2;
        }
        if (!w->sweep_file.empty() && out != "waves") continue;  // the sweep writes its file
        for (const auto& t : split(threads)) {
          if (skipped_steps != 0 && !w->sweep_file.empty()) {
            std::cerr << "bench_throughput: --skip does not apply to workload " << w->name << "\n";
            return 2;
          }
          const Measurement m =
              measure(*w, std::stoi(t), out, replicates, skipped_steps, skip_label);
          results.push_back(m);
          std::printf("%-10s %-6s %7d %5d %9.3f %9.3f %12.3g %12.3g %12.3g %9.1f %9.1f %10.4f\n",
                      m.workload.c_str(), m.output.c_str(), m.threads, m.replicates, m.wall_s,
                      m.cpu_s, m.youth_days / m.wall_s, m.youth_days / m.wall_s / m.threads,
                      m.youth_days / m.cpu_s, m.bytes / 1048576.0, m.peak_rss_mib,
                      m.sim_days > 0 ? 1000.0 * m.wall_s / m.sim_days : 0.0);
          std::fflush(stdout);
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bench_throughput: " << e.what() << "\n";
    return 1;
  }
  if (!json.empty()) {
    std::ofstream f(json);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    f << "{\n  \"generator\": \"alliance-sim " << ASIM_VERSION << "\",\n  \"git_commit\": \""
      << git_commit() << "\",\n  \"host\": \"" << host
      << "\",\n  \"hardware_threads\": " << std::thread::hardware_concurrency()
      << ",\n  \"measurements\": [\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& m = results[i];
      f << "    {\"workload\": \"" << m.workload << "\", \"output\": \"" << m.output
        << "\", \"threads\": " << m.threads << ", \"replicates\": " << m.replicates
        << ", \"beds\": " << m.beds << ", \"wall_s\": " << m.wall_s << ", \"cpu_s\": " << m.cpu_s
        << ", \"youth_days\": " << m.youth_days << ", \"simulated_days\": " << m.sim_days
        << ", \"youth_days_per_s\": " << m.youth_days / m.wall_s
        << ", \"youth_days_per_s_per_thread\": " << m.youth_days / m.wall_s / m.threads
        << ", \"youth_days_per_cpu_s\": " << m.youth_days / m.cpu_s
        << ", \"ms_per_simulated_day\": " << (m.sim_days > 0 ? 1000.0 * m.wall_s / m.sim_days : 0.0)
        << ", \"bytes_written\": " << m.bytes << ", \"peak_rss_mib\": " << m.peak_rss_mib << "}"
        << (i + 1 < results.size() ? "," : "") << "\n";
    }
    f << "  ]\n}\n";
  }
  return 0;
}
