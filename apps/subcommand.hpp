// The subcommands of alliance-sim register themselves: each is a Subcommand whose add() declares
// it and its options on the command line (CLI11) and whose run() does its work once the command
// line is parsed. main.cpp only builds the app from subcommands(), parses and dispatches.
// A new subcommand is a class in the file of its area (subcommands_run.cpp,
// subcommands_analysis.cpp, subcommands_serve.cpp) added to that area's list.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

namespace asim {

class Subcommand {
 public:
  virtual ~Subcommand() = default;
  // Declares the subcommand and its options on `app`.
  virtual void add(CLI::App& app) = 0;
  // Runs it after parsing and returns the exit status; throws ConfigError (exit 2) or
  // RuntimeFailure (exit 1). `command_line`: the whole command line, quoted as a shell would
  // need it (result files store it).
  virtual int run(const std::string& command_line) = 0;
  // Whether it is the subcommand the command line gave.
  bool given() const { return command_ != nullptr && static_cast<bool>(*command_); }

 protected:
  CLI::App* command_ = nullptr;  // set by add()
};

using Subcommands = std::vector<std::unique_ptr<Subcommand>>;

// Every subcommand, in the order --help lists them.
Subcommands subcommands();
// The subcommands of each area, appended to `out`.
void add_run_subcommands(Subcommands& out);        // run, validate, params
void add_analysis_subcommands(Subcommands& out);   // inspect, compare, analyse, export,
                                                   // sensitivity, report
void add_serve_subcommands(Subcommands& out);      // serve
void add_calibrate_subcommands(Subcommands& out);  // calibrate

// An output option given as "" (-o "") is a mistake, not a request for the default: throws
// ConfigError ("--output \"\": the file name is empty; give a path (e.g. results/x.<example>").
void check_output_not_empty(const CLI::Option* option, const std::string& example);

// argv as one line, each argument quoted where a shell would need it.
std::string join_command_line(int argc, char** argv);
// The first word of the command line must be a subcommand. CLI11 alone answers a mistyped one
// with "A subcommand is required"; this names the word, suggests the nearest subcommand and
// lists them all. Returns the message, or "" when the word is a subcommand (or absent).
std::string unknown_subcommand(int argc, char** argv, const CLI::App& app);

}  // namespace asim
