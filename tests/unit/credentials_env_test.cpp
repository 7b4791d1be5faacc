// Static credentials, the AWS_* environment variables provider and the
// environment lookups.
#include <cstdlib>

#include <gtest/gtest.h>

#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

TEST(StaticCredentials, ReturnsWhatItWasGiven) {
  auto provider = static_credentials({"AKID", "SECRET", "TOKEN", std::nullopt, ""});
  auto creds = provider->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "AKID");
  EXPECT_EQ(creds->secret_access_key, "SECRET");
  EXPECT_EQ(creds->session_token, "TOKEN");
  EXPECT_FALSE(creds->expiration);
  EXPECT_EQ(creds->provider, "static");
}

TEST(StaticCredentials, KeepsAGivenProviderName) {
  auto creds = static_credentials({"AKID", "SECRET", "", std::nullopt, "mine"})->get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->provider, "mine");
}

TEST(StaticCredentials, EmptyKeyIsInvalid) {
  auto creds = static_credentials({"", "SECRET", "", std::nullopt, ""})->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
}

TEST(EnvironmentCredentials, ReadsKeyIdSecretAndToken) {
  auto provider = environment_credentials(map_environment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                           {"AWS_SECRET_ACCESS_KEY", "SECRET"},
                                                           {"AWS_SESSION_TOKEN", "TOKEN"}}));
  auto creds = provider->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "AKID");
  EXPECT_EQ(creds->secret_access_key, "SECRET");
  EXPECT_EQ(creds->session_token, "TOKEN");
  EXPECT_FALSE(creds->expiration);
  EXPECT_EQ(creds->provider, "environment");
}

TEST(EnvironmentCredentials, SessionTokenIsOptional) {
  auto creds = environment_credentials(map_environment({{"AWS_ACCESS_KEY_ID", "AKID"},
                                                        {"AWS_SECRET_ACCESS_KEY", "SECRET"}}))
                   ->get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->session_token, "");
}

TEST(EnvironmentCredentials, AcceptsLegacyNames) {
  auto creds = environment_credentials(
                   map_environment({{"AWS_ACCESS_KEY", "OLDKEY"}, {"AWS_SECRET_KEY", "OLDSECRET"}}))
                   ->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "OLDKEY");
  EXPECT_EQ(creds->secret_access_key, "OLDSECRET");
}

TEST(EnvironmentCredentials, CurrentNamesWinOverLegacyOnes) {
  auto creds = environment_credentials(map_environment({{"AWS_ACCESS_KEY_ID", "NEW"},
                                                        {"AWS_ACCESS_KEY", "OLD"},
                                                        {"AWS_SECRET_ACCESS_KEY", "NEWSECRET"},
                                                        {"AWS_SECRET_KEY", "OLDSECRET"}}))
                   ->get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "NEW");
  EXPECT_EQ(creds->secret_access_key, "NEWSECRET");
}

TEST(EnvironmentCredentials, NothingToOfferWithoutAKeyId) {
  auto creds = environment_credentials(map_environment({}))->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  EXPECT_NE(creds.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST(EnvironmentCredentials, EmptyValuesCountAsUnset) {
  auto creds = environment_credentials(map_environment({{"AWS_ACCESS_KEY_ID", ""},
                                                        {"AWS_SECRET_ACCESS_KEY", "SECRET"}}))
                   ->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
}

TEST(EnvironmentCredentials, KeyWithoutSecretIsAMistakeNotAbsence) {
  auto creds = environment_credentials(map_environment({{"AWS_ACCESS_KEY_ID", "AKID"}}))->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(creds.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST(EnvironmentCredentials, SeesChangesBetweenCalls) {
  auto vars = std::make_shared<std::map<std::string, std::string>>();
  EnvLookup env = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars->find(name);
    if (it == vars->end()) return std::nullopt;
    return it->second;
  };
  auto provider = environment_credentials(env);
  EXPECT_FALSE(provider->get());
  (*vars)["AWS_ACCESS_KEY_ID"] = "LATER";
  (*vars)["AWS_SECRET_ACCESS_KEY"] = "S";
  auto creds = provider->get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "LATER");
}

TEST(ProcessEnvironment, ReadsTheRealEnvironment) {
  ::setenv("DYNAMATE_CREDENTIALS_ENV_TEST", "value", 1);
  ::setenv("DYNAMATE_CREDENTIALS_ENV_TEST_EMPTY", "", 1);
  const EnvLookup env = process_environment();
  EXPECT_EQ(env("DYNAMATE_CREDENTIALS_ENV_TEST"), std::optional<std::string>("value"));
  EXPECT_EQ(env("DYNAMATE_CREDENTIALS_ENV_TEST_EMPTY"), std::nullopt);
  EXPECT_EQ(env("DYNAMATE_CREDENTIALS_ENV_TEST_UNSET"), std::nullopt);
  ::unsetenv("DYNAMATE_CREDENTIALS_ENV_TEST");
  ::unsetenv("DYNAMATE_CREDENTIALS_ENV_TEST_EMPTY");
}

TEST(MapEnvironment, LooksUpOnlyItsOwnVariables) {
  const EnvLookup env = map_environment({{"A", "1"}, {"B", ""}});
  EXPECT_EQ(env("A"), std::optional<std::string>("1"));
  EXPECT_EQ(env("B"), std::nullopt);
  EXPECT_EQ(env("PATH"), std::nullopt);
}

}  // namespace
}  // namespace dynamate::aws
