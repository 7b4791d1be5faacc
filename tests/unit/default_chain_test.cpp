// chain_credentials and default_credentials_chain: the SDK order, the first
// provider that works wins and is remembered, real failures stop the search,
// and the final error lists every provider. Container, STS and IMDS answers
// come from a FakeTransport keyed by URL: nothing is sent anywhere.
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "dynamate/aws/credentials.hpp"
#include "support/fake_transport.hpp"

namespace dynamate::aws {
namespace {

using test::FakeTransport;

// Named fakes for chain_credentials.
class ScriptedProvider final : public CredentialsProvider {
 public:
  explicit ScriptedProvider(Result<Credentials> answer) : answer_(std::move(answer)) {}
  Result<Credentials> get() override {
    ++calls;
    return answer_;
  }
  std::atomic<int> calls{0};

 private:
  const Result<Credentials> answer_;
};

std::shared_ptr<ScriptedProvider> gives(const std::string& key) {
  return std::make_shared<ScriptedProvider>(Credentials{key, "S", "", std::nullopt, key});
}
std::shared_ptr<ScriptedProvider> absent(const std::string& why) {
  return std::make_shared<ScriptedProvider>(Error(ErrorCode::credentials, why));
}
std::shared_ptr<ScriptedProvider> broken(const std::string& why) {
  return std::make_shared<ScriptedProvider>(Error(ErrorCode::access_denied, why));
}

TEST(ChainCredentials, FirstThatAnswersWinsAndIsRemembered) {
  auto a = absent("a has nothing");
  auto b = gives("B");
  auto c = gives("C");
  auto chain = chain_credentials({{"a", a}, {"b", b}, {"c", c}});
  for (int i = 0; i < 3; ++i) {
    auto creds = chain->get();
    ASSERT_TRUE(creds);
    EXPECT_EQ(creds->access_key_id, "B");
  }
  EXPECT_EQ(a->calls, 1);  // not asked again once b was chosen
  EXPECT_EQ(b->calls, 3);
  EXPECT_EQ(c->calls, 0);
}

TEST(ChainCredentials, RealFailureStopsTheSearch) {
  auto c = gives("C");
  auto chain = chain_credentials({{"a", absent("nothing")}, {"b", broken("refused")}, {"c", c}});
  auto creds = chain->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::access_denied);
  EXPECT_NE(creds.error().message.find("'b'"), std::string::npos);
  EXPECT_NE(creds.error().message.find("refused"), std::string::npos);
  EXPECT_EQ(c->calls, 0);
}

TEST(ChainCredentials, NoneWorksListsEveryProvider) {
  auto chain =
      chain_credentials({{"first", absent("reason one")}, {"second", absent("reason two")}});
  auto creds = chain->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  for (const char* part : {"first: reason one", "second: reason two"}) {
    EXPECT_NE(creds.error().message.find(part), std::string::npos) << creds.error().message;
  }
}

// Works once, then fails for good (a refresh that is refused).
class OnceProvider final : public CredentialsProvider {
 public:
  Result<Credentials> get() override {
    if (++calls_ == 1) return Credentials{"ONCE", "S", "", std::nullopt, "once"};
    return unexpected(ErrorCode::access_denied, "refresh refused");
  }

 private:
  std::atomic<int> calls_{0};
};

TEST(ChainCredentials, FailuresOfTheChosenProviderNameItAndDoNotFallBack) {
  auto later = gives("LATER");
  auto chain = chain_credentials({{"once", std::make_shared<OnceProvider>()}, {"later", later}});
  ASSERT_TRUE(chain->get());
  auto failed = chain->get();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::access_denied);
  EXPECT_NE(failed.error().message.find("credentials provider 'once'"), std::string::npos);
  EXPECT_EQ(later->calls, 0);
}

TEST(ChainCredentials, ConcurrentFirstCallsSearchOnce) {
  auto a = absent("nothing");
  auto b = gives("B");
  auto chain = chain_credentials({{"a", a}, {"b", b}});
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j) {
        if (auto creds = chain->get(); creds && creds->access_key_id == "B") ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 800);
  EXPECT_EQ(a->calls, 1);  // the search ran once; everyone else used its result
  EXPECT_EQ(b->calls, 800);
}

// ---------------------------------------------------------------------------
// The default chain over a fixed environment, temporary files and a fake network.

constexpr const char* kContainerJson =
    R"({"AccessKeyId":"CONTAINER","SecretAccessKey":"S","Token":"T",)"
    R"("Expiration":"2099-01-01T00:00:00Z"})";
constexpr const char* kImdsJson =
    R"({"Code":"Success","AccessKeyId":"IMDS","SecretAccessKey":"S","Token":"T",)"
    R"("Expiration":"2099-01-01T00:00:00Z"})";
constexpr const char* kStsXml =
    "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
    "<AccessKeyId>WEB</AccessKeyId><SecretAccessKey>S</SecretAccessKey>"
    "<SessionToken>T</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration>"
    "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";

Result<http::Response> answer(int status, std::string body) {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// Container agent, STS and IMDS, told apart by URL; IMDS only when `on_ec2`.
std::shared_ptr<FakeTransport> fake_aws(bool on_ec2) {
  auto fake = std::make_shared<FakeTransport>();
  fake->set_handler([on_ec2](const http::Request& r) -> Result<http::Response> {
    if (r.url.starts_with("http://169.254.170.2/")) return answer(200, kContainerJson);
    if (r.url.starts_with("https://sts.")) return answer(200, kStsXml);
    if (r.url.starts_with("http://169.254.169.254/")) {
      if (!on_ec2) return unexpected(ErrorCode::timeout, "connect timed out");
      if (r.method == "PUT") return answer(200, "TOKEN");
      if (r.url.ends_with("/security-credentials/")) return answer(200, "role");
      return answer(200, kImdsJson);
    }
    return unexpected(ErrorCode::transport, "unexpected URL " + r.url);
  });
  return fake;
}

class DefaultChain : public ::testing::Test {
 protected:
  DefaultChain() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynamate-chain-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    home_ = pattern;
    std::filesystem::create_directories(home_ / ".aws");
    vars_ = std::make_shared<std::map<std::string, std::string>>();
    (*vars_)["HOME"] = home_.string();
  }
  ~DefaultChain() override { std::filesystem::remove_all(home_); }

  void write(const std::string& relative, const std::string& text) {
    std::ofstream(home_ / relative) << text;
  }
  void set(const std::string& name, const std::string& value) { (*vars_)[name] = value; }

  std::shared_ptr<CredentialsProvider> chain(bool on_ec2 = false) {
    fake_ = fake_aws(on_ec2);
    ChainOptions options;
    // A live view of vars_, so a test can change the environment later.
    options.context.env = [vars = vars_](const std::string& name) -> std::optional<std::string> {
      auto it = vars->find(name);
      if (it == vars->end() || it->second.empty()) return std::nullopt;
      return it->second;
    };
    options.context.transport = fake_;
    return default_credentials_chain(options);
  }

  std::string key(const std::shared_ptr<CredentialsProvider>& provider) {
    auto creds = provider->get();
    return creds ? creds->access_key_id : "error: " + creds.error().to_string();
  }

  void configure_everything() {
    set("AWS_ACCESS_KEY_ID", "ENV");
    set("AWS_SECRET_ACCESS_KEY", "S");
    write(".aws/credentials",
          "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = S\n");
    write("token", "jwt");
    set("AWS_WEB_IDENTITY_TOKEN_FILE", (home_ / "token").string());
    set("AWS_ROLE_ARN", "arn:aws:iam::1:role/r");
    set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
  }

  std::filesystem::path home_;
  std::shared_ptr<std::map<std::string, std::string>> vars_;
  std::shared_ptr<FakeTransport> fake_;
};

TEST_F(DefaultChain, OrderIsEnvironmentProfileWebIdentityContainerImds) {
  configure_everything();
  EXPECT_EQ(key(chain(true)), "ENV");
  vars_->erase("AWS_ACCESS_KEY_ID");
  EXPECT_EQ(key(chain(true)), "PROFILE");
  std::filesystem::remove(home_ / ".aws/credentials");
  EXPECT_EQ(key(chain(true)), "WEB");
  vars_->erase("AWS_WEB_IDENTITY_TOKEN_FILE");
  EXPECT_EQ(key(chain(true)), "CONTAINER");
  vars_->erase("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  EXPECT_EQ(key(chain(true)), "IMDS");
}

TEST_F(DefaultChain, EarlierProvidersMakeNoNetworkCalls) {
  configure_everything();
  auto provider = chain(true);
  EXPECT_EQ(key(provider), "ENV");
  EXPECT_EQ(fake_->request_count(), 0u);
}

TEST_F(DefaultChain, TheWinnerIsRemembered) {
  set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
  auto provider = chain(true);
  EXPECT_EQ(key(provider), "CONTAINER");
  // Environment credentials appearing later do not switch identities.
  set("AWS_ACCESS_KEY_ID", "ENV");
  set("AWS_SECRET_ACCESS_KEY", "S");
  EXPECT_EQ(key(provider), "CONTAINER");
  EXPECT_EQ(fake_->request_count(), 1u);  // and the container answer is cached
}

TEST_F(DefaultChain, NoneWorksListsWhatEachProviderSaid) {
  auto creds = chain(false)->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  const std::string& m = creds.error().message;
  for (const char* part : {"environment: AWS_ACCESS_KEY_ID is not set",
                           "profile: ", "web_identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
                           "container: ", "imds: IMDS at http://169.254.169.254 did not answer"}) {
    EXPECT_NE(m.find(part), std::string::npos) << part << " not in: " << m;
  }
  // Order in the message is the order tried.
  EXPECT_LT(m.find("environment:"), m.find("profile:"));
  EXPECT_LT(m.find("profile:"), m.find("web_identity:"));
  EXPECT_LT(m.find("web_identity:"), m.find("container:"));
  EXPECT_LT(m.find("container:"), m.find("imds:"));
}

TEST_F(DefaultChain, ImdsCanBeSwitchedOff) {
  set("AWS_EC2_METADATA_DISABLED", "true");
  auto creds = chain(true)->get();
  ASSERT_FALSE(creds);
  EXPECT_NE(creds.error().message.find("imds: disabled by AWS_EC2_METADATA_DISABLED"),
            std::string::npos);
  EXPECT_EQ(fake_->request_count(), 0u);
}

TEST_F(DefaultChain, MissingNamedProfileStopsTheChain) {
  set("AWS_PROFILE", "typo");
  set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
  auto creds = chain(true)->get();
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(creds.error().message.find("'typo'"), std::string::npos);
  EXPECT_EQ(fake_->request_count(), 0u);  // no fallback to another identity
}

TEST_F(DefaultChain, CredentialProcessInTheProfile) {
  write(".aws/config",
        "[default]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"PROC\","
        "\"SecretAccessKey\":\"S\"}'\n");
  set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
  EXPECT_EQ(key(chain(true)), "PROC");
}

TEST_F(DefaultChain, ProfileWithOnlyARegionFallsThrough) {
  write(".aws/config", "[default]\nregion = us-east-1\n");
  set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x");
  EXPECT_EQ(key(chain(true)), "CONTAINER");
}

}  // namespace
}  // namespace dynamate::aws
