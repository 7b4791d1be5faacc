// The dynamate command-line tool. Subcommands live in their own files; this
// one only wires up the global options and dispatches.
#include <CLI/CLI.hpp>

#include "cli_common.hpp"
#include "demo.hpp"

int main(int argc, char** argv) {
  using namespace dynamate::cli;
  CLI::App app{"dynamate: DynamoDB object mapper with large attributes in S3"};
  app.require_subcommand(1);
  GlobalOptions global;
  app.add_option("--endpoint", global.endpoint,
                 "Endpoint URL for both services (default: AWS_ENDPOINT_URL_DYNAMODB / "
                 "AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, else AWS)");
  app.add_option("--region", global.region,
                 "AWS region (default: AWS_REGION / AWS_DEFAULT_REGION / profile)");
  app.add_option("--profile", global.profile, "Shared-config profile (default: AWS_PROFILE)");

  DemoOptions demo;
  auto* demo_cmd = app.add_subcommand(
      "demo", "Create a table and a bucket, exercise items and objects, clean up");
  demo_cmd->add_option("--items", demo.items, "How many items and objects")
      ->check(CLI::Range(2, 1000));
  demo_cmd->add_flag("--keep", demo.keep, "Leave the table and bucket behind");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (*demo_cmd) return run_demo(global, demo);
  return 1;
}
