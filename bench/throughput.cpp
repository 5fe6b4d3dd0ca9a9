// Throughput benchmark: youth-days simulated per second per core for named workloads, at 1, 2,
// ... threads, with and without writing the result file, plus wall time and peak memory.
// Writes JSON (one object per measurement) to the file given by --json and a table to stdout.
//
//   bench_throughput [--workloads default,large] [--threads 1,2] [--json FILE] [--repeat N]
#include <sys/resource.h>
#include <tbb/task_arena.h>

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

#include "engine/errors.hpp"
#include "models/result_file.hpp"
#include "models/scenarios.hpp"

using namespace asim;

namespace {

struct Workload {
  std::string name, description;
  std::vector<std::string> overrides;
};

const std::vector<Workload> kWorkloads = {
    {"default", "built-in baseline: 10 groups, 400 tracked youths, 50 replicates", {}},
    {"large",
     "large institution: 200 groups (1800 beds), 4000 tracked youths, 4 replicates",
     {"institution.open_groups=120", "institution.closed_groups=80", "cohort.size=4000",
      "run.replicates=4"}},
    {"national",
     "national cohort: 2200 groups, 20000 tracked youths, 100 replicates",
     {"institution.open_groups=1300", "institution.closed_groups=900", "cohort.size=20000",
      "run.replicates=100"}},
    {"classroom", "one living group, 10 tracked youths, 1 replicate",
     {"institution.open_groups=1", "institution.closed_groups=0", "cohort.size=10",
      "run.replicates=1", "placement.closed_indication_externalising=0",
      "placement.closed_indication_other=0"}},
};

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

double peak_rss_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

struct Measurement {
  std::string workload, output;
  int threads = 0, replicates = 0;
  double wall_s = 0, youth_days = 0, bytes = 0, peak_rss_mib = 0;
};

Measurement measure(const Workload& w, int threads, const std::string& output_mode) {
  const ScenarioLoader loader = model_scenario_loader();
  Scenario s = loader.load_builtin("baseline");
  for (const auto& o : w.overrides) loader.apply_override(s, o);
  const Model model(make_model_params(s.values));
  RunOptions options;
  if (output_mode == "daily") options.daily.fill(true);
  const std::string path = (std::filesystem::temp_directory_path() / ("asim-bench-" + w.name + ".h5")).string();
  Measurement m;
  m.workload = w.name;
  m.output = output_mode;
  m.threads = threads;
  m.replicates = model.params().replicates;
  tbb::task_arena arena(threads);
  const auto t0 = std::chrono::steady_clock::now();
  if (output_mode == "none") {
    arena.execute([&] {
      run_replicates(model, options, 0, m.replicates,
                     [&](ReplicateResult&& r) { m.youth_days += r.youth_days; }, {});
    });
  } else {
    ResultWriter writer(path, "bench");
    writer.begin_scenario(s, model, options, m.replicates);
    arena.execute([&] {
      run_replicates(model, options, 0, m.replicates,
                     [&](ReplicateResult&& r) {
                       m.youth_days += r.youth_days;
                       writer.write_replicate(r);
                     },
                     {}, [&](ReplicateResult& r) { ResultWriter::compress(r, options); });
    });
    writer.end_scenario();
    writer.close();
    m.bytes = static_cast<double>(std::filesystem::file_size(path));
    std::filesystem::remove(path);
  }
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.peak_rss_mib = peak_rss_mib();
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::string workloads = "default,large", threads = "1,2", outputs = "none,waves,daily", json;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--workloads") workloads = value;
    else if (flag == "--threads") threads = value;
    else if (flag == "--outputs") outputs = value;
    else if (flag == "--json") json = value;
    else {
      std::cerr << "usage: bench_throughput [--workloads a,b] [--threads 1,2] "
                   "[--outputs none,waves,daily] [--json FILE]\n";
      return 2;
    }
  }
  std::vector<Measurement> results;
  std::printf("%-10s %-6s %7s %10s %14s %16s %10s %10s\n", "workload", "output", "threads",
              "wall_s", "youth-days/s", "per thread", "MiB out", "peak MiB");
  for (const auto& name : split(workloads)) {
    const Workload* w = nullptr;
    for (const auto& k : kWorkloads)
      if (k.name == name) w = &k;
    if (!w) {
      std::cerr << "unknown workload " << name << "\n";
      return 2;
    }
    for (const auto& out : split(outputs))
      for (const auto& t : split(threads)) {
        const Measurement m = measure(*w, std::stoi(t), out);
        results.push_back(m);
        std::printf("%-10s %-6s %7d %10.3f %14.3g %16.3g %10.1f %10.1f\n", m.workload.c_str(),
                    m.output.c_str(), m.threads, m.wall_s, m.youth_days / m.wall_s,
                    m.youth_days / m.wall_s / m.threads, m.bytes / 1048576.0, m.peak_rss_mib);
        std::fflush(stdout);
      }
  }
  if (!json.empty()) {
    std::ofstream f(json);
    f << "{\n  \"generator\": \"alliance-sim " << ASIM_VERSION << "\",\n  \"git_commit\": \""
      << git_commit() << "\",\n  \"hardware_threads\": " << std::thread::hardware_concurrency()
      << ",\n  \"measurements\": [\n";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& m = results[i];
      f << "    {\"workload\": \"" << m.workload << "\", \"output\": \"" << m.output
        << "\", \"threads\": " << m.threads << ", \"replicates\": " << m.replicates
        << ", \"wall_s\": " << m.wall_s << ", \"youth_days\": " << m.youth_days
        << ", \"youth_days_per_s\": " << m.youth_days / m.wall_s
        << ", \"youth_days_per_s_per_thread\": " << m.youth_days / m.wall_s / m.threads
        << ", \"bytes_written\": " << m.bytes << ", \"peak_rss_mib\": " << m.peak_rss_mib << "}"
        << (i + 1 < results.size() ? "," : "") << "\n";
    }
    f << "  ]\n}\n";
  }
  return 0;
}
