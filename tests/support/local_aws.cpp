#include "support/local_aws.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

namespace dynamate::test {

const LocalAws& local_aws() {
  static const LocalAws instance = [] {
    const char* path = std::getenv("DYNAMATE_LOCAL_AWS");
    if (path == nullptr) {
      throw std::runtime_error(
          "DYNAMATE_LOCAL_AWS is not set: run the integration tests through ctest, which starts "
          "the local AWS servers (scripts/local-aws.sh)");
    }
    std::ifstream in(path);
    if (!in) {
      throw std::runtime_error(std::string("local AWS servers are not running: cannot read ") +
                               path + " (did the local_aws.start test fail?)");
    }
    std::map<std::string, std::string> kv;
    std::string line;
    while (std::getline(in, line)) {
      const auto eq = line.find('=');
      if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
    }
    LocalAws l;
    l.dynamodb_endpoint = kv["DYNAMODB_ENDPOINT"];
    l.s3_endpoint = kv["S3_ENDPOINT"];
    l.auth_endpoint = kv["AUTH_ENDPOINT"];
    l.auth_access_key = kv["AUTH_ACCESS_KEY"];
    l.auth_secret_key = kv["AUTH_SECRET_KEY"];
    if (l.dynamodb_endpoint.empty() || l.s3_endpoint.empty() || l.auth_endpoint.empty() ||
        l.auth_access_key.empty()) {
      throw std::runtime_error(std::string("incomplete local AWS description in ") + path);
    }
    return l;
  }();
  return instance;
}

namespace {
aws::ClientConfig base(const std::string& endpoint, std::string key, std::string secret) {
  aws::ClientConfig c;
  c.region = local_aws().region;
  c.endpoint = endpoint;
  c.credentials = aws::static_credentials({std::move(key), std::move(secret), "", {}, "test"});
  static const auto transport = http::make_curl_transport();
  c.transport = transport;
  c.s3_path_style = true;
  return c;
}
}  // namespace

aws::ClientConfig dynamodb_config() {
  return base(local_aws().dynamodb_endpoint, "testing", "testing");
}
aws::ClientConfig s3_config() { return base(local_aws().s3_endpoint, "testing", "testing"); }
aws::ClientConfig auth_config() {
  return base(local_aws().auth_endpoint, local_aws().auth_access_key, local_aws().auth_secret_key);
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

}  // namespace dynamate::test
