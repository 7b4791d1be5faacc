#include "cli_common.hpp"

#include <iostream>

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

int fail(const Error& error) {
  std::cerr << "dynamate: " << error.to_string() << "\n";
  return 1;
}

}  // namespace dynamate::cli
