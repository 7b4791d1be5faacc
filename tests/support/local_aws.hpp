// Endpoints of the local AWS servers that scripts/local-aws.sh started for
// this ctest run. Integration tests call local_aws() and FAIL (never skip) when
// the servers are not there.
#pragma once

#include <string>

#include "dynamate/aws/client_config.hpp"

namespace dynamate::test {

struct LocalAws {
  std::string dynamodb_endpoint;  // DynamoDB Local
  std::string s3_endpoint;        // moto (auth off)
  std::string auth_endpoint;      // moto with IAM auth on (both services)
  std::string auth_access_key;    // the only key the auth server accepts
  std::string auth_secret_key;
  std::string region = "us-east-1";
};

// Reads $DYNAMATE_LOCAL_AWS; throws std::runtime_error with a clear message if
// it is missing or incomplete.
const LocalAws& local_aws();

// Client configs with static credentials and a shared curl transport.
aws::ClientConfig dynamodb_config();
aws::ClientConfig s3_config();
aws::ClientConfig auth_config();  // signature-checked moto, real key
// A name unique to this process and call: table/bucket names for tests.
std::string unique_name(const std::string& prefix);

}  // namespace dynamate::test
