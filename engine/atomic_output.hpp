// Atomic result files (docs/architecture.md §6.2): results are written to "<final>.partial" in the
// target directory and renamed to the final name only when complete, so an interrupted run
// never leaves a truncated file under the final name and never destroys an earlier result.
// After SIGINT/SIGTERM the caller calls keep_partial() so that --resume can complete the
// .partial; after any other failure the destructor removes it.
//
// Also here: the SIGINT/SIGTERM handlers that ask a run to stop at the next safe point.
#pragma once
#include <string>

namespace asim {

class AtomicOutput {
 public:
  // Checks, before any work is done, and throws ConfigError with a message naming the path:
  //   - the final path is a directory, or exists and `overwrite` is false
  //     ("results/x.h5 exists; pass --overwrite to replace it"; the file is not touched);
  //   - its directory is missing (it is not created here), is not a directory, or is not
  //     writable.
  // A "<final>.partial" left by an earlier run is not removed here: the writer replaces it
  // (HDF5 create truncates), or --resume opens it (see partial_exists()).
  AtomicOutput(std::string final_path, bool overwrite);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  const std::string& partial_path() const { return partial_; }
  const std::string& final_path() const { return final_; }
  // Whether "<final>.partial" is on disk now.
  bool partial_exists() const;

  // Publishes the finished .partial under the final name: fsync the file, rename it, fsync the
  // directory. The file must be closed first (h5::Handle::close()). Without `overwrite`, a
  // final file that appeared since construction is not replaced: RuntimeFailure, and the
  // .partial is kept so the finished result is not lost. Throws RuntimeFailure if the .partial
  // is missing or an I/O step fails; the destructor then removes the .partial.
  void commit();
  // Writes `bytes` as the whole .partial (RuntimeFailure naming it when it cannot be opened or
  // written, e.g. a full disk); commit() then publishes it.
  void write_partial(const std::string& bytes) const;
  // On destruction, leave the .partial in place (after SIGINT/SIGTERM, for --resume).
  void keep_partial() { keep_ = true; }
  bool committed() const { return committed_; }

 private:
  std::string final_;
  std::string partial_;
  std::string directory_;
  bool overwrite_ = false;
  bool committed_ = false;
  bool keep_ = false;
};

// SIGINT and SIGTERM set a flag that the run loop polls with stop_requested(); the run then
// finishes its current scenario, keeps the .partial and exits. The SIGINT handler is one-shot:
// a second Ctrl-C gets the default action and ends the process at once. The handler only
// stores to a lock-free atomic, which is async-signal-safe. Calling install_stop_handlers()
// again re-arms both handlers. It also ignores SIGXFSZ, so that a file-size limit gives a
// write error (reported, .partial removed) rather than killing the process.
void install_stop_handlers();
bool stop_requested();
int stop_signal();  // the signal received (SIGINT or SIGTERM), 0 if none
void request_stop_for_test(int sig);
void clear_stop_for_test();

}  // namespace asim
