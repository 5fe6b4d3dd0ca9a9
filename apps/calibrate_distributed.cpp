// ABC-SMC under mpirun: see calibrate_distributed.hpp.
#include "apps/calibrate_distributed.hpp"

#include <tbb/parallel_for.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "engine/errors.hpp"

namespace asim {

AbcEvaluator distributed_evaluator(mpi::World& world, tbb::task_arena& arena, const AbcSmc& abc) {
  return [&world, &arena, &abc](std::vector<AbcJob>& jobs) {
    const auto rank = static_cast<std::size_t>(world.rank()),
               size = static_cast<std::size_t>(world.size());
    std::vector<std::size_t> mine;
    for (std::size_t j = rank; j < jobs.size(); j += size) mine.push_back(j);
    int failure = 0;
    std::string message;
    arena.execute([&] {
      try {
        tbb::parallel_for(std::size_t{0}, mine.size(), std::size_t{1},
                          [&](std::size_t k) { abc.run_job(jobs[mine[k]]); });
      } catch (const ConfigError& e) {
        failure = 2, message = e.what();
      } catch (const std::exception& e) {
        failure = 1, message = e.what();
      }
    });
    std::vector<unsigned char> out;
    auto put_double = [&out](double v) {
      std::int64_t bits = 0;
      std::memcpy(&bits, &v, sizeof bits);
      mpi::put_i64(out, bits);
    };
    mpi::put_i64(out, failure);
    if (failure) {
      mpi::put_i64(out, static_cast<std::int64_t>(message.size()));
      out.insert(out.end(), message.begin(), message.end());
    } else {
      for (std::size_t j : mine) {
        mpi::put_i64(out, static_cast<std::int64_t>(j));
        mpi::put_i64(out, static_cast<std::int64_t>(jobs[j].simulated.size()));
        for (double v : jobs[j].simulated) put_double(v);
        put_double(jobs[j].distance);
      }
    }
    const auto all = world.all_gather(out);
    for (const auto& bytes : all) {
      std::size_t at = 0;
      if (const auto code = mpi::get_i64(bytes, at); code != 0) {
        const auto n = static_cast<std::size_t>(mpi::get_i64(bytes, at));
        const std::string text(bytes.begin() + static_cast<std::ptrdiff_t>(at),
                               bytes.begin() + static_cast<std::ptrdiff_t>(at + n));
        if (code == 2) throw ConfigError(text);
        throw RuntimeFailure(text);
      }
    }
    auto get_double = [](const std::vector<unsigned char>& bytes, std::size_t& at) {
      const std::int64_t bits = mpi::get_i64(bytes, at);
      double v = 0;
      std::memcpy(&v, &bits, sizeof v);
      return v;
    };
    for (const auto& bytes : all) {
      std::size_t at = 8;  // past the failure code
      while (at < bytes.size()) {
        const auto j = static_cast<std::size_t>(mpi::get_i64(bytes, at));
        const auto n = static_cast<std::size_t>(mpi::get_i64(bytes, at));
        if (j >= jobs.size()) throw RuntimeFailure("calibrate: a rank returned an unknown job");
        jobs[j].simulated.resize(n);
        for (auto& v : jobs[j].simulated) v = get_double(bytes, at);
        jobs[j].distance = get_double(bytes, at);
      }
    }
  };
}

}  // namespace asim
