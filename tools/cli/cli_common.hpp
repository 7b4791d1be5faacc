// Shared pieces of the dynamate CLI: global options, client construction from
// the AWS environment conventions, argument parsing helpers, one-line error
// reporting, and the registration functions of the subcommands (one file
// each: put.cpp, get.cpp, rm.cpp, gc.cpp, demo.cpp).
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/s3.hpp"

namespace CLI {
class App;
}

namespace dynamate::cli {

struct GlobalOptions {
  std::string endpoint;  // --endpoint: both services (else AWS_ENDPOINT_URL[_<SERVICE>])
  std::string region;    // --region (else AWS_REGION / AWS_DEFAULT_REGION / profile)
  std::string profile;   // --profile (else AWS_PROFILE)
};

struct Clients {
  aws::DynamoDbClient dynamodb;
  aws::S3Client s3;
};

Result<Clients> make_clients(const GlobalOptions& options);

// Prints "dynamate: <error>" (on one line) on stderr and returns exit status 1.
int fail(const Error& error);
// Prints "dynamate: warning: <text>" on stderr.
void warn(const std::string& text);

// An item or key given on the command line: DynamoDB JSON text, or @FILE to
// read it from a file. `option` names the option in errors.
Result<AttributeMap> parse_item_argument(const std::string& option, const std::string& text);
// "NAME=VALUE" -> {NAME, VALUE}; invalid_argument naming `option` and
// `format` when there is no '=' or the name is empty.
Result<std::pair<std::string, std::string>> split_assignment(const std::string& option,
                                                             const std::string& format,
                                                             const std::string& text);

// A registered subcommand: `run` is called when it was given.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};
Command add_put_command(CLI::App& parent, const GlobalOptions& global);
Command add_get_command(CLI::App& parent, const GlobalOptions& global);
Command add_rm_command(CLI::App& parent, const GlobalOptions& global);
Command add_gc_command(CLI::App& parent, const GlobalOptions& global);
Command add_demo_command(CLI::App& parent, const GlobalOptions& global);

}  // namespace dynamate::cli
