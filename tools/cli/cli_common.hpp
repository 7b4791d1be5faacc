// Shared pieces of the dynamate CLI: global options, client construction from
// the AWS environment conventions, and one-line error reporting.
#pragma once

#include <string>

#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/s3.hpp"

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

// Prints "dynamate: <error>" on stderr and returns exit status 1.
int fail(const Error& error);

}  // namespace dynamate::cli
