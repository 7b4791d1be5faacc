#include "cli_common.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

#include "dynamate/aws/dynamodb_json.hpp"

namespace dynamate::cli {

Result<Clients> make_clients(const GlobalOptions& options) {
  aws::EnvironmentOptions env;
  env.endpoint = options.endpoint;
  env.region = options.region;
  env.profile = options.profile;
  auto ddb_config = aws::config_from_environment("dynamodb", env);
  if (!ddb_config) return unexpected(std::move(ddb_config).error());
  auto s3_config = aws::config_from_environment("s3", env);
  if (!s3_config) return unexpected(std::move(s3_config).error());
  auto ddb = aws::DynamoDbClient::create(std::move(*ddb_config));
  if (!ddb) return unexpected(std::move(ddb).error());
  auto s3 = aws::S3Client::create(std::move(*s3_config));
  if (!s3) return unexpected(std::move(s3).error());
  return Clients{std::move(*ddb), std::move(*s3)};
}

namespace {
std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}
}  // namespace

int fail(const Error& error) {
  std::cerr << "dynamate: " << one_line(error.to_string()) << "\n";
  return 1;
}

void warn(const std::string& text) { std::cerr << "dynamate: warning: " << one_line(text) << "\n"; }

Result<AttributeMap> parse_item_argument(const std::string& option, const std::string& text) {
  std::string json = text;
  std::string source = option;
  if (text.starts_with("@")) {
    const std::string path = text.substr(1);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return unexpected(ErrorCode::invalid_argument, option + ": cannot read file " + path);
    }
    json.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    source = option + " " + text;
  }
  auto item = item_from_dynamodb_json(json);
  if (!item) {
    Error e = std::move(item).error();
    e.with_context(source + " is not an item in DynamoDB JSON ({\"name\": {\"S\": \"...\"}, ...})");
    return unexpected(std::move(e));
  }
  return item;
}

Result<std::pair<std::string, std::string>> split_assignment(const std::string& option,
                                                             const std::string& format,
                                                             const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return unexpected(ErrorCode::invalid_argument,
                      option + " \"" + text + "\": expected " + format);
  }
  return std::pair{text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace dynamate::cli
