// Atomic result files and stop signals: see atomic_output.hpp.
#include "engine/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>
#include <utility>

#include "engine/errors.hpp"
#include "engine/test_hooks.hpp"

namespace asim {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int err) {
  return std::generic_category().message(err);
}

// fsync of a file or directory opened read-only; EINVAL (a file system without fsync support
// for this kind of file) is not an error.
void sync_path(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
  if (fd < 0) throw RuntimeFailure(path + ": cannot open to sync: " + errno_text(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) throw RuntimeFailure(path + ": sync failed: " + errno_text(err));
}

// Rename that never replaces an existing target (renameat2 RENAME_NOREPLACE), falling back to
// check-then-rename on file systems that do not support the flag.
int rename_no_replace(const std::string& from, const std::string& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
#endif
  std::error_code ec;
  if (fs::exists(fs::symlink_status(to, ec))) {
    errno = EEXIST;
    return -1;
  }
  return std::rename(from.c_str(), to.c_str());
}

std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "signal handler needs a lock-free atomic");

void on_stop_signal(int sig) {
  g_stop_signal.store(sig, std::memory_order_relaxed);
}

void install(int sig, int flags) {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = flags;
  if (::sigaction(sig, &action, nullptr) != 0) {
    throw RuntimeFailure(std::string("cannot install handler for signal ") + std::to_string(sig) +
                         ": " + errno_text(errno));
  }
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path, bool overwrite)
    : final_(std::move(final_path)), partial_(final_ + ".partial"), overwrite_(overwrite) {
  if (final_.empty()) throw ConfigError("output path is empty");
  if (final_.back() == '/') throw ConfigError(final_ + ": is a directory, not a file name");
  const fs::path parent = fs::path(final_).parent_path();
  directory_ = parent.empty() ? std::string(".") : parent.string();

  std::error_code ec;
  const fs::file_status dir_status = fs::status(directory_, ec);
  if (dir_status.type() == fs::file_type::not_found) {
    throw ConfigError(directory_ + ": output directory does not exist");
  }
  if (ec) throw ConfigError(directory_ + ": cannot access output directory: " + ec.message());
  if (!fs::is_directory(dir_status)) throw ConfigError(directory_ + ": is not a directory");

  const fs::file_status final_status = fs::status(final_, ec);
  if (fs::is_directory(final_status)) {
    throw ConfigError(final_ + ": is a directory; give a file name, e.g. " +
                      (fs::path(final_) / "results.h5").string());
  }
  if (fs::exists(final_status)) {
    if (!overwrite_) throw ConfigError(final_ + " exists; pass --overwrite to replace it");
    if (!fs::is_regular_file(final_status)) {
      throw ConfigError(final_ + ": exists and is not a regular file; not replacing it");
    }
  }
  if (fs::is_directory(fs::status(partial_, ec))) {
    throw ConfigError(partial_ + ": is a directory; remove it or choose another output path");
  }
  // The .partial is created with truncation and then renamed: through a symbolic link (or into
  // a FIFO or device) that would overwrite the link's target and publish the link itself.
  const fs::file_status partial_status = fs::symlink_status(partial_, ec);
  if (fs::exists(partial_status) && !fs::is_regular_file(partial_status)) {
    throw ConfigError(partial_ + ": exists and is not a regular file" +
                      (fs::is_symlink(partial_status) ? std::string(" (a symbolic link)") : "") +
                      "; remove it or choose another output path");
  }
  // Creating the .partial, renaming it and removing it all need write access to the directory.
  if (::access(directory_.c_str(), W_OK | X_OK) != 0) {
    throw ConfigError(directory_ + ": output directory is not writable: " + errno_text(errno));
  }
}

AtomicOutput::~AtomicOutput() {
  if (committed_ || keep_) return;
  std::error_code ec;
  fs::remove(partial_, ec);
}

bool AtomicOutput::partial_exists() const {
  std::error_code ec;
  return fs::exists(fs::symlink_status(partial_, ec));
}

void AtomicOutput::commit() {
  if (committed_) throw RuntimeFailure(final_ + ": already committed");
  std::error_code ec;
  if (!fs::is_regular_file(fs::status(partial_, ec))) {
    throw RuntimeFailure(partial_ + ": missing when publishing the result");
  }
  sync_path(partial_, false);
  test_pause_before_rename();  // test builds only (engine/test_hooks.hpp)
  const int rc = overwrite_ ? std::rename(partial_.c_str(), final_.c_str())
                            : rename_no_replace(partial_, final_);
  if (rc != 0) {
    const int err = errno;
    if (err == EEXIST) {
      keep_ = true;  // the finished result stays in the .partial rather than being lost
      throw RuntimeFailure(final_ +
                           " appeared during the run; not replacing it (the result is in " +
                           partial_ + ")");
    }
    throw RuntimeFailure("cannot rename " + partial_ + " to " + final_ + ": " + errno_text(err));
  }
  committed_ = true;
  sync_path(directory_, true);
}

void install_stop_handlers() {
  install(SIGINT, SA_RESTART | SA_RESETHAND);
  install(SIGTERM, SA_RESTART);
  // Past a file-size limit (ulimit -f) the default action of SIGXFSZ kills the process and
  // leaves a truncated .partial behind; ignored, the write fails with EFBIG instead, which is
  // reported and cleaned up like any other write error.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  if (::sigaction(SIGXFSZ, &ignore, nullptr) != 0)
    throw RuntimeFailure(std::string("cannot ignore SIGXFSZ: ") + errno_text(errno));
}

bool stop_requested() {
  return g_stop_signal.load(std::memory_order_relaxed) != 0;
}

int stop_signal() {
  return g_stop_signal.load(std::memory_order_relaxed);
}

void request_stop_for_test(int sig) {
  g_stop_signal.store(sig, std::memory_order_relaxed);
}

void clear_stop_for_test() {
  g_stop_signal.store(0, std::memory_order_relaxed);
}

void AtomicOutput::write_partial(const std::string& bytes) const {
  std::ofstream out(partial_, std::ios::binary | std::ios::trunc);
  if (!out) throw RuntimeFailure(partial_ + ": cannot open for writing");
  out << bytes;
  out.flush();
  if (!out) throw RuntimeFailure(partial_ + ": writing failed (disk full?)");
}

}  // namespace asim
