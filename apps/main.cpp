// alliance-sim command line. Exit status: 0 ok, 1 runtime failure, 2 usage or input error,
// 128+signal when interrupted (the .partial file keeps finished scenarios).
// The subcommands register themselves (subcommand.hpp); main builds the app, parses and
// dispatches.
#include <CLI/CLI.hpp>
#include <iostream>

#include "apps/subcommand.hpp"
#include "engine/errors.hpp"
#include "engine/system_memory.hpp"

int main(int argc, char** argv) {
  asim::configure_allocator();  // before any thread starts (engine/system_memory.hpp)
  CLI::App app{
      "alliance-sim: agent-based simulation of working alliance and treatment motivation "
      "in residential youth care"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("alliance-sim ") + ASIM_VERSION);
  const asim::Subcommands commands = asim::subcommands();
  for (const auto& command : commands) command->add(app);

  if (const std::string message = asim::unknown_subcommand(argc, argv, app); !message.empty()) {
    std::cerr << "alliance-sim: error: " << message << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  try {
    for (const auto& command : commands)
      if (command->given()) return command->run(asim::join_command_line(argc, argv));
  } catch (const asim::ConfigError& e) {
    std::cerr << "alliance-sim: error: " << e.what() << "\n";
    return 2;
  } catch (const asim::RuntimeFailure& e) {
    std::cerr << "alliance-sim: failed: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "alliance-sim: failed: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
