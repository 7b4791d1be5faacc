// The dynamate command-line tool. Subcommands live in their own files; this
// one only wires up the global options and dispatches. Errors print one line
// on stderr ("dynamate: <error>") and exit non-zero.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli_common.hpp"

int main(int argc, char** argv) {
  using namespace dynamate::cli;
  CLI::App app{"dynamate: DynamoDB object mapper with large attributes in S3"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the subcommand
  GlobalOptions global;
  app.add_option("--endpoint", global.endpoint,
                 "Endpoint URL for both services (default: AWS_ENDPOINT_URL_DYNAMODB / "
                 "AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS)");
  app.add_option("--region", global.region,
                 "AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / profile)");
  app.add_option("--profile", global.profile, "Shared-config profile (default: AWS_PROFILE)");

  const std::vector<Command> commands{add_demo_command(app, global), add_put_command(app, global),
                                      add_get_command(app, global), add_rm_command(app, global),
                                      add_gc_command(app, global)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    for (char& c : what) {
      if (c == '\n') c = ' ';
    }
    std::cerr << "dynamate: invalid_argument: " << what << " (see --help)\n";
    return 2;
  }
  for (const auto& c : commands) {
    if (*c.app) return c.run();
  }
  return 2;
}
