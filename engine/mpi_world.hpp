// The MPI world of a distributed run (Open MPI): start-up and shutdown, and the few
// point-to-point messages a master/worker scheme needs. Domain-free: messages are tagged byte
// buffers. Only the thread that constructed the world calls MPI (MPI_THREAD_FUNNELED).
//
// The binary also runs without any launcher: launched_by_mpi() looks at the environment that
// mpirun / srun set, and MPI is initialised only then, so a plain `alliance-sim run` never
// touches MPI.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace asim::mpi {

// Whether this process was started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx):
// one of OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_RANK, PMI_SIZE is set.
bool launched_by_mpi();

struct Message {
  int source = -1;
  int tag = -1;
  std::vector<unsigned char> bytes;
};

class World {
 public:
  // MPI_Init_thread (FUNNELED); throws RuntimeFailure if MPI cannot start.
  World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  // MPI_Finalize.
  ~World();

  int rank() const { return rank_; }
  int size() const { return size_; }

  // Blocking send of a tagged byte buffer (at most 2^31 - 1 bytes; RuntimeFailure beyond).
  void send(int destination, int tag, const std::vector<unsigned char>& bytes) const;
  // A message waiting from `source` (any source if -1), received, or nothing; never blocks.
  std::optional<Message> try_receive(int source = -1) const;
  // Reduces `value` with max over all ranks (collective).
  int max_over_ranks(int value) const;
  // Rank 0's `value` on every rank (collective).
  int broadcast_from_root(int value) const;
  // Every rank's `bytes`, in rank order, on every rank (collective: MPI_Allgather of the sizes,
  // then MPI_Allgatherv). RuntimeFailure beyond 2 GiB in all.
  std::vector<std::vector<unsigned char>> all_gather(const std::vector<unsigned char>& bytes) const;
  // Ends every process of the job with `status` (MPI_Abort); for a master that cannot reach
  // its workers.
  [[noreturn]] void abort(int status) const;

 private:
  int rank_ = 0, size_ = 1;
};

// Fixed-width little helpers for message payloads.
void put_i64(std::vector<unsigned char>& out, std::int64_t value);
std::int64_t get_i64(const std::vector<unsigned char>& in, std::size_t& at);

}  // namespace asim::mpi
