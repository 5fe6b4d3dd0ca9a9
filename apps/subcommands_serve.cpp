// The classroom subcommand: serve (serve_command.hpp).
#include "apps/serve_command.hpp"
#include "apps/subcommand.hpp"

namespace asim {
namespace {

class ServeSubcommand : public Subcommand {
 public:
  void add(CLI::App& app) override {
    command_ = app.add_subcommand(
        "serve", "classroom mode: a local web page showing one living group live, day by day");
    command_->add_option("scenario", serve_.scenario_file,
                         "scenario TOML file for the defaults (none: the built-in baseline)");
    command_->add_option("--port", serve_.port, "port (default 8080; 0 picks a free one)")
        ->check(CLI::Range(0, 65535));
    command_->add_option("--host", serve_.host,
                         "address to listen on (default 127.0.0.1, this machine only)");
    command_->add_option("--set", serve_.overrides, "override a parameter: key=value (repeatable)");
    command_
        ->add_option("--max-sessions", serve_.max_sessions,
                     "browser tabs served at once (default 64; about 1.2 MB of memory each)")
        ->check(CLI::Range(1, 1000));
    command_
        ->add_option("--idle-seconds", serve_.idle_seconds,
                     "a tab idle this long gives way to a new one when all are taken "
                     "(default 600)")
        ->check(CLI::Range(0, 86400));
    command_
        ->add_option("--rate-limit", serve_.rate_limit,
                     "requests per second one tab may send on average; more answer 429 "
                     "(default 20)")
        ->check(CLI::PositiveNumber);
    command_
        ->add_option("--rate-burst", serve_.rate_burst,
                     "requests one tab may send at once before --rate-limit applies "
                     "(default 40)")
        ->check(CLI::Range(1.0, 1e9));
    command_
        ->add_option("--create-rate-limit", serve_.create_rate_limit,
                     "new tabs (sessions) per second from one address on average (default 2)")
        ->check(CLI::PositiveNumber);
    command_
        ->add_option("--create-burst", serve_.create_burst,
                     "new tabs one address may open at once (default 64, a class behind one "
                     "address)")
        ->check(CLI::Range(1.0, 1e9));
  }
  int run(const std::string&) override { return serve_command(serve_); }

 private:
  ServeRequest serve_;
};

}  // namespace

void add_serve_subcommands(Subcommands& out) {
  out.push_back(std::make_unique<ServeSubcommand>());
}

}  // namespace asim
