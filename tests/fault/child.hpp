// Runs the command-line tool as a child process that a fault test can signal, limit and watch:
// output to a log file, optional environment, file-size limit (setrlimit RLIMIT_FSIZE) and
// unprivileged user (so a read-only directory is read-only even when the tests run as root).
#pragma once
#include <fcntl.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support.hpp"

namespace asim::test {

struct ChildOptions {
  std::vector<std::pair<std::string, std::string>> env;
  rlim_t file_size_limit = RLIM_INFINITY;  // bytes
  bool as_nobody = false;                  // drop root to the user "nobody" before exec
};

class Child {
 public:
  Child(const std::vector<std::string>& args, std::string log, const ChildOptions& options = {})
      : log_(std::move(log)) {
    const passwd* nobody = options.as_nobody ? ::getpwnam("nobody") : nullptr;
    // The ASIM_TEST_* variables act only on the executable built with the test hooks.
    bool hooks = false;
    for (const auto& [name, value] : options.env) hooks = hooks || name.rfind("ASIM_TEST_", 0) == 0;
    std::vector<std::string> argv_text{hooks ? cli_with_hooks() : cli()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) ::_exit(120);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      for (const auto& [name, value] : options.env) ::setenv(name.c_str(), value.c_str(), 1);
      if (options.file_size_limit != RLIM_INFINITY) {
        const rlimit limit{options.file_size_limit, options.file_size_limit};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(121);
      }
      if (nobody) {
        if (::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0) ::_exit(122);
      }
      std::vector<char*> argv;
      for (auto& a : argv_text) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(123);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }

  pid_t pid() const { return pid_; }
  void signal(int sig) const { ::kill(pid_, sig); }
  // Exit status, or 128 + signal.
  int wait() {
    if (reaped_) return status_;
    int raw = 0;
    while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    return status_;
  }
  bool running() {
    if (reaped_) return false;
    int raw = 0;
    if (::waitpid(pid_, &raw, WNOHANG) == pid_) {
      reaped_ = true;
      status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
      return false;
    }
    return true;
  }
  std::string output() const { return read_text(log_); }

  // Polls (every 20 ms, up to a generous timeout) until `ready` holds for the output so far;
  // false if the child ended or the timeout passed first. Never a fixed sleep.
  bool wait_for_output(const std::function<bool(const std::string&)>& ready,
                       std::chrono::seconds timeout = std::chrono::seconds(300)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (ready(output())) return true;
      if (!running()) return ready(output());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
};

// The largest "done" count in progress lines "<label>: 12/400 replicates (3%), ..." so far.
inline long replicates_done(const std::string& output) {
  static const std::regex line(R"(: (\d+)/(\d+) replicates)");
  long best = -1;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), line);
       it != std::sregex_iterator(); ++it)
    best = std::max(best, std::stol((*it)[1].str()));
  return best;
}

}  // namespace asim::test
