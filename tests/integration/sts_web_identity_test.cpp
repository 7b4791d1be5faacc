// STS AssumeRoleWithWebIdentity against moto (which serves STS on the same
// port as S3): the unsigned form POST is accepted and real temporary
// credentials come back.
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "dynamate/aws/credentials.hpp"
#include "support/local_aws.hpp"

namespace dynamate::aws {
namespace {

class TokenFile {
 public:
  explicit TokenFile(const std::string& token) {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynamate-sts-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    std::ofstream(dir_ / "token") << token;
  }
  ~TokenFile() { std::filesystem::remove_all(dir_); }
  TokenFile(const TokenFile&) = delete;
  TokenFile& operator=(const TokenFile&) = delete;
  std::string path() const { return (dir_ / "token").string(); }
  std::string dir() const { return dir_.string(); }

 private:
  std::filesystem::path dir_;
};

// Any JWT-shaped token: moto does not verify it.
constexpr const char* kToken =
    "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDp0ZXN0In0.c2ln";
constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/dynamate-web-identity";

TEST(StsWebIdentity, AssumeRoleWithWebIdentityAgainstMoto) {
  const auto& local = test::local_aws();
  TokenFile token(kToken);
  WebIdentityOptions options;
  options.role_arn = kRoleArn;
  options.token_file = token.path();
  options.session_name = "dynamate-integration";
  options.endpoint = local.s3_endpoint;
  options.context.env = map_environment({});
  auto creds = web_identity_credentials(options)->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_FALSE(creds->access_key_id.empty());
  EXPECT_FALSE(creds->secret_access_key.empty());
  EXPECT_FALSE(creds->session_token.empty());
  ASSERT_TRUE(creds->expiration);
  EXPECT_GT(*creds->expiration, std::chrono::system_clock::now());
  EXPECT_EQ(creds->provider, "web_identity");
}

TEST(StsWebIdentity, DefaultChainFromEnvironmentVariables) {
  const auto& local = test::local_aws();
  TokenFile token(kToken);
  ChainOptions options;
  options.context.env = map_environment({{"HOME", token.dir()},
                                         {"AWS_WEB_IDENTITY_TOKEN_FILE", token.path()},
                                         {"AWS_ROLE_ARN", kRoleArn},
                                         {"AWS_ROLE_SESSION_NAME", "dynamate-chain"},
                                         {"AWS_ENDPOINT_URL_STS", local.s3_endpoint},
                                         {"AWS_EC2_METADATA_DISABLED", "true"}});
  auto creds = default_credentials_chain(options)->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_FALSE(creds->access_key_id.empty());
  EXPECT_FALSE(creds->secret_access_key.empty());
  EXPECT_EQ(creds->provider, "web_identity");
}

}  // namespace
}  // namespace dynamate::aws
