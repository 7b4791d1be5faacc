// dynamate/aws/client_config.hpp: what a service client needs (region,
// endpoint, credentials, transport, retries, clock), and how to resolve it from
// the AWS environment conventions.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/aws/clock.hpp"
#include "dynamate/aws/credentials.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/aws/retry.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws {

struct ClientConfig {
  std::string region;  // required, e.g. "us-east-1"
  // Base URL such as "http://127.0.0.1:8000"; empty = the AWS endpoint of the
  // region ("https://dynamodb.<region>.amazonaws.com", "https://s3.<region>...").
  std::string endpoint;
  std::shared_ptr<CredentialsProvider> credentials;  // required
  std::shared_ptr<http::Transport> transport;        // default: a shared curl transport
  std::shared_ptr<Clock> clock;                      // default: Clock::system()
  RetryOptions retry;
  std::chrono::milliseconds request_timeout{0};  // per attempt; 0 = transport default
  // S3 addressing: path style (endpoint/bucket/key) instead of virtual-hosted
  // (bucket.endpoint/key). Forced on for IP-address and localhost endpoints
  // and, over https, for bucket names with dots (a wildcard certificate does
  // not cover them). Other names S3 would need path style for are rejected by
  // bucket-name validation.
  bool s3_path_style = false;
};

// Settings read from the environment and the shared config files, for
// ClientConfig::from_environment. Each field left empty is looked up.
struct EnvironmentOptions {
  std::string profile;   // default: AWS_PROFILE, else "default"
  std::string region;    // default: AWS_REGION, AWS_DEFAULT_REGION, profile region
  std::string endpoint;  // default: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, profile
  EnvLookup env;         // default: the process environment
};

// Builds a config for `service` ("dynamodb" or "s3") from the AWS
// conventions: region, endpoint, retry attempts (AWS_MAX_ATTEMPTS / profile
// max_attempts) and the default credentials chain. Errors: invalid_argument
// when no region can be found, a config file cannot be read or parsed, or a
// setting such as AWS_MAX_ATTEMPTS is malformed.
Result<ClientConfig> config_from_environment(std::string_view service,
                                             const EnvironmentOptions& options = {});

}  // namespace dynamate::aws
