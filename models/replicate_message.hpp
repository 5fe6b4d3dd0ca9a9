// A finished replicate as bytes, so a worker process can hand it to the process that writes the
// result file (distributed runs, apps/distributed_run.cpp). Only what ResultWriter::write_replicate
// reads travels: the shape, youth-days, the events and the chunks already compressed by
// ResultWriter::compress, so the writer neither simulates nor compresses.
#pragma once
#include <vector>

#include "models/results.hpp"

namespace asim {

std::vector<unsigned char> pack_replicate(const ReplicateResult& result);
// Throws RuntimeFailure on a buffer that is truncated or has trailing bytes.
ReplicateResult unpack_replicate(const std::vector<unsigned char>& bytes);

}  // namespace asim
