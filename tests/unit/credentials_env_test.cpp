// Static credentials, the AWS_* environment variables provider and the
// environment lookups.
#include <cstdlib>
#include <map>
#include <memory>

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

// A mutable environment that counts its lookups.
struct CountingEnvironment {
  std::shared_ptr<std::map<std::string, std::string>> vars =
      std::make_shared<std::map<std::string, std::string>>();
  std::shared_ptr<int> lookups = std::make_shared<int>(0);

  EnvLookup lookup() const {
    return [map = vars, count = lookups](const std::string& name) -> std::optional<std::string> {
      ++*count;
      auto it = map->find(name);
      if (it == map->end()) return std::nullopt;
      return it->second;
    };
  }
};

TEST(EnvironmentCredentials, ReadsAgainUntilTheFirstSuccess) {
  CountingEnvironment env;
  auto provider = environment_credentials(env.lookup());
  EXPECT_FALSE(provider->get());
  (*env.vars)["AWS_ACCESS_KEY_ID"] = "LATER";
  EXPECT_FALSE(provider->get());  // half a configuration: still not cached
  (*env.vars)["AWS_SECRET_ACCESS_KEY"] = "S";
  auto creds = provider->get();
  ASSERT_TRUE(creds);
  EXPECT_EQ(creds->access_key_id, "LATER");
}

TEST(EnvironmentCredentials, CachesTheFirstSuccess) {
  CountingEnvironment env;
  (*env.vars)["AWS_ACCESS_KEY_ID"] = "FIRST";
  (*env.vars)["AWS_SECRET_ACCESS_KEY"] = "S1";
  (*env.vars)["AWS_SESSION_TOKEN"] = "T1";
  auto provider = environment_credentials(env.lookup());
  auto first = provider->get();
  ASSERT_TRUE(first);
  const int lookups = *env.lookups;
  EXPECT_GT(lookups, 0);

  (*env.vars)["AWS_ACCESS_KEY_ID"] = "SECOND";
  (*env.vars).erase("AWS_SECRET_ACCESS_KEY");
  for (int i = 0; i < 3; ++i) {
    auto again = provider->get();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->access_key_id, "FIRST");
    EXPECT_EQ(again->secret_access_key, "S1");
    EXPECT_EQ(again->session_token, "T1");
    EXPECT_EQ(again->provider, "environment");
  }
  EXPECT_EQ(*env.lookups, lookups);  // the environment is not read again
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
