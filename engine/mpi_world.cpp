// MPI world: see mpi_world.hpp.
#include "engine/mpi_world.hpp"

#include <mpi.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "engine/errors.hpp"

namespace asim::mpi {

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return true;
  }
  return false;
}

World::World() {
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
    throw RuntimeFailure("MPI_Init_thread failed");
  if (provided < MPI_THREAD_FUNNELED) {
    MPI_Finalize();
    throw RuntimeFailure("the MPI library does not support MPI_THREAD_FUNNELED");
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

World::~World() {
  MPI_Finalize();
}

void World::send(int destination, int tag, const std::vector<unsigned char>& bytes) const {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw RuntimeFailure("MPI message of " + std::to_string(bytes.size()) +
                         " bytes exceeds the 2 GiB limit of one message");
  if (MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, destination, tag,
               MPI_COMM_WORLD) != MPI_SUCCESS)
    throw RuntimeFailure("MPI_Send to rank " + std::to_string(destination) + " failed");
}

std::optional<Message> World::try_receive(int source) const {
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(source < 0 ? MPI_ANY_SOURCE : source, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Message m;
  m.source = status.MPI_SOURCE;
  m.tag = status.MPI_TAG;
  m.bytes.resize(static_cast<std::size_t>(count));
  if (MPI_Recv(m.bytes.data(), count, MPI_BYTE, m.source, m.tag, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE) != MPI_SUCCESS)
    throw RuntimeFailure("MPI_Recv from rank " + std::to_string(m.source) + " failed");
  return m;
}

int World::max_over_ranks(int value) const {
  int out = 0;
  MPI_Allreduce(&value, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out;
}

int World::broadcast_from_root(int value) const {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

std::vector<std::vector<unsigned char>> World::all_gather(
    const std::vector<unsigned char>& bytes) const {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    throw RuntimeFailure("MPI all-gather of " + std::to_string(bytes.size()) +
                         " bytes exceeds 2 GiB");
  const int mine = static_cast<int>(bytes.size());
  std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_));
  if (MPI_Allgather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD) != MPI_SUCCESS)
    throw RuntimeFailure("MPI_Allgather failed");
  long long total = 0;
  for (int r = 0; r < size_; ++r) {
    offsets[static_cast<std::size_t>(r)] = static_cast<int>(total);
    total += sizes[static_cast<std::size_t>(r)];
    if (total > INT_MAX) throw RuntimeFailure("MPI all-gather exceeds 2 GiB");
  }
  std::vector<unsigned char> all(static_cast<std::size_t>(total));
  if (MPI_Allgatherv(bytes.data(), mine, MPI_BYTE, all.data(), sizes.data(), offsets.data(),
                     MPI_BYTE, MPI_COMM_WORLD) != MPI_SUCCESS)
    throw RuntimeFailure("MPI_Allgatherv failed");
  std::vector<std::vector<unsigned char>> out(static_cast<std::size_t>(size_));
  for (int r = 0; r < size_; ++r) {
    const auto at = all.begin() + offsets[static_cast<std::size_t>(r)];
    out[static_cast<std::size_t>(r)].assign(at, at + sizes[static_cast<std::size_t>(r)]);
  }
  return out;
}

void World::abort(int status) const {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

void put_i64(std::vector<unsigned char>& out, std::int64_t value) {
  unsigned char b[8];
  std::memcpy(b, &value, 8);
  out.insert(out.end(), b, b + 8);
}

std::int64_t get_i64(const std::vector<unsigned char>& in, std::size_t& at) {
  if (at + 8 > in.size()) throw RuntimeFailure("MPI message is truncated");
  std::int64_t value = 0;
  std::memcpy(&value, in.data() + at, 8);
  at += 8;
  return value;
}

}  // namespace asim::mpi
