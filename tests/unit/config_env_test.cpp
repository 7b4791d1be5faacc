// config_from_environment: region and endpoint precedence, S3 addressing,
// retries and credentials, from a fixed environment and temporary files.
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "dynamate/aws/client_config.hpp"

namespace dynamate::aws {
namespace {

// A private $HOME with an optional ~/.aws/config, removed afterwards.
class Home {
 public:
  explicit Home(const std::string& config = {}) {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynamate-config-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    if (!config.empty()) {
      std::filesystem::create_directories(path_ / ".aws");
      std::ofstream(path_ / ".aws" / "config") << config;
    }
  }
  ~Home() { std::filesystem::remove_all(path_); }
  Home(const Home&) = delete;
  Home& operator=(const Home&) = delete;

  // Options whose environment is only HOME, IMDS off, plus `vars`.
  EnvironmentOptions options(std::map<std::string, std::string> vars = {}) const {
    vars["HOME"] = path_.string();
    vars["AWS_EC2_METADATA_DISABLED"] = "true";
    EnvironmentOptions o;
    o.env = map_environment(std::move(vars));
    return o;
  }

 private:
  std::filesystem::path path_;
};

std::string region_of(const Result<ClientConfig>& c) {
  return c ? c->region : "error: " + c.error().to_string();
}
std::string endpoint_of(const Result<ClientConfig>& c) {
  return c ? c->endpoint : "error: " + c.error().to_string();
}

TEST(ConfigFromEnvironment, RegionPrecedence) {
  Home home("[default]\nregion = from-profile\n");
  EXPECT_EQ(region_of(config_from_environment("dynamodb", home.options())), "from-profile");
  EXPECT_EQ(region_of(config_from_environment(
                "dynamodb", home.options({{"AWS_DEFAULT_REGION", "from-default"}}))),
            "from-default");
  EXPECT_EQ(region_of(config_from_environment("dynamodb",
                                              home.options({{"AWS_DEFAULT_REGION", "from-default"},
                                                            {"AWS_REGION", "from-region"}}))),
            "from-region");
  auto options = home.options({{"AWS_REGION", "from-region"}});
  options.region = "explicit";
  EXPECT_EQ(region_of(config_from_environment("dynamodb", options)), "explicit");
}

TEST(ConfigFromEnvironment, RegionFromTheSelectedProfile) {
  Home home("[default]\nregion = r-default\n[profile dev]\nregion = r-dev\n");
  EXPECT_EQ(region_of(config_from_environment("s3", home.options({{"AWS_PROFILE", "dev"}}))),
            "r-dev");
  auto options = home.options({{"AWS_PROFILE", "dev"}});
  options.profile = "default";
  EXPECT_EQ(region_of(config_from_environment("s3", options)), "r-default");
}

TEST(ConfigFromEnvironment, MissingRegionNamesTheVariables) {
  Home home;
  auto config = config_from_environment("dynamodb", home.options());
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::invalid_argument);
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION", "region"}) {
    EXPECT_NE(config.error().message.find(name), std::string::npos) << name;
  }
}

TEST(ConfigFromEnvironment, NoEndpointMeansTheAwsDefault) {
  Home home;
  auto config = config_from_environment("dynamodb", home.options({{"AWS_REGION", "us-east-1"}}));
  ASSERT_TRUE(config) << config.error().to_string();
  EXPECT_EQ(config->endpoint, "");
  EXPECT_FALSE(config->s3_path_style);
  EXPECT_NE(config->transport, nullptr);
  EXPECT_NE(config->clock, nullptr);
  EXPECT_NE(config->credentials, nullptr);
}

TEST(ConfigFromEnvironment, EndpointPrecedence) {
  Home home(
      "[default]\nregion = us-east-1\nendpoint_url = http://profile-global:1\n"
      "services = local\n"
      "[services local]\n"
      "dynamodb =\n  endpoint_url = http://services-ddb:2\n"
      "s3 =\n  endpoint_url = http://services-s3:3\n");
  EXPECT_EQ(endpoint_of(config_from_environment("dynamodb", home.options())),
            "http://services-ddb:2");
  EXPECT_EQ(endpoint_of(config_from_environment("s3", home.options())), "http://services-s3:3");
  EXPECT_EQ(endpoint_of(config_from_environment("sts", home.options())), "http://profile-global:1");
  const std::map<std::string, std::string> global = {{"AWS_ENDPOINT_URL", "http://env-global:4/"}};
  EXPECT_EQ(endpoint_of(config_from_environment("dynamodb", home.options(global))),
            "http://env-global:4");
  auto both = global;
  both["AWS_ENDPOINT_URL_DYNAMODB"] = "http://env-ddb:5";
  EXPECT_EQ(endpoint_of(config_from_environment("dynamodb", home.options(both))),
            "http://env-ddb:5");
  EXPECT_EQ(endpoint_of(config_from_environment("s3", home.options(both))),
            "http://env-global:4");  // the DynamoDB variable does not apply to S3
  auto options = home.options(both);
  options.endpoint = "http://explicit:6";
  EXPECT_EQ(endpoint_of(config_from_environment("dynamodb", options)), "http://explicit:6");
}

TEST(ConfigFromEnvironment, ConfiguredEndpointsCanBeIgnored) {
  Home home(
      "[default]\nregion = us-east-1\nendpoint_url = http://profile:1\n"
      "[profile quiet]\nregion = us-east-1\nendpoint_url = http://profile:1\n"
      "ignore_configured_endpoint_urls = true\n");
  const std::map<std::string, std::string> vars = {{"AWS_ENDPOINT_URL", "http://env:2"},
                                                   {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}};
  EXPECT_EQ(endpoint_of(config_from_environment("dynamodb", home.options(vars))), "");
  EXPECT_EQ(
      endpoint_of(config_from_environment("dynamodb", home.options({{"AWS_PROFILE", "quiet"}}))),
      "");
  // An explicit endpoint is not "configured": it always applies.
  auto options = home.options(vars);
  options.endpoint = "http://explicit:3";
  EXPECT_EQ(endpoint_of(config_from_environment("dynamodb", options)), "http://explicit:3");
}

TEST(ConfigFromEnvironment, S3PathStyle) {
  Home home(
      "[default]\nregion = us-east-1\n"
      "[profile path]\nregion = us-east-1\ns3 =\n  addressing_style = path\n");
  auto plain =
      config_from_environment("s3", home.options({{"AWS_ENDPOINT_URL", "https://s3.example.com"}}));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->s3_path_style);
  auto from_profile = config_from_environment("s3", home.options({{"AWS_PROFILE", "path"}}));
  ASSERT_TRUE(from_profile);
  EXPECT_TRUE(from_profile->s3_path_style);
  for (const char* url :
       {"http://127.0.0.1:9000", "http://localhost:4566", "http://[::1]:9000", "http://10.0.0.5"}) {
    auto local = config_from_environment("s3", home.options({{"AWS_ENDPOINT_URL_S3", url}}));
    ASSERT_TRUE(local);
    EXPECT_TRUE(local->s3_path_style) << url;
  }
}

TEST(ConfigFromEnvironment, MaxAttempts) {
  Home home("[default]\nregion = us-east-1\nmax_attempts = 7\n");
  auto from_profile = config_from_environment("dynamodb", home.options());
  ASSERT_TRUE(from_profile);
  EXPECT_EQ(from_profile->retry.max_attempts, 7);
  auto from_env = config_from_environment("dynamodb", home.options({{"AWS_MAX_ATTEMPTS", "2"}}));
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->retry.max_attempts, 2);
  auto bad = config_from_environment("dynamodb", home.options({{"AWS_MAX_ATTEMPTS", "lots"}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
}

TEST(ConfigFromEnvironment, CredentialsComeFromTheDefaultChain) {
  Home home("[default]\nregion = us-east-1\n");
  auto config = config_from_environment(
      "dynamodb", home.options({{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", "S"}}));
  ASSERT_TRUE(config);
  auto creds = config->credentials->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "AKID");
  EXPECT_EQ(creds->provider, "environment");
}

TEST(ConfigFromEnvironment, ProfileCredentialsFollowTheChosenProfile) {
  Home home(
      "[default]\nregion = us-east-1\naws_access_key_id = D\naws_secret_access_key = DS\n"
      "[profile dev]\nregion = us-east-1\naws_access_key_id = V\naws_secret_access_key = VS\n");
  auto options = home.options();
  options.profile = "dev";
  auto config = config_from_environment("s3", options);
  ASSERT_TRUE(config);
  auto creds = config->credentials->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "V");
}

TEST(ConfigFromEnvironment, UsesOneSharedTransport) {
  Home home;
  auto a = config_from_environment("dynamodb", home.options({{"AWS_REGION", "us-east-1"}}));
  auto b = config_from_environment("s3", home.options({{"AWS_REGION", "us-east-1"}}));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->transport, b->transport);
}

}  // namespace
}  // namespace dynamate::aws
