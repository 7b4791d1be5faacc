// The HTTP credential sources: container endpoint, EC2 IMDSv2 and STS
// AssumeRoleWithWebIdentity, against a loopback server (real HTTP over
// 127.0.0.1) or, where the URL itself is the point, a FakeTransport that
// records requests without sending anything.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "dynamate/aws/credentials.hpp"
#include "support/fake_transport.hpp"
#include "support/loopback_server.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono_literals;
using test::FakeTransport;
using test::LoopbackServer;
using test::ServerRequest;
using test::ServerResponse;
using TimePoint = std::chrono::system_clock::time_point;

class FakeClock final : public Clock {
 public:
  TimePoint now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void sleep_for(std::chrono::nanoseconds d) override { advance(d); }
  void advance(std::chrono::nanoseconds d) {
    std::lock_guard lock(mu_);
    now_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
  }

 private:
  mutable std::mutex mu_;
  TimePoint now_ = TimePoint(std::chrono::seconds(1'700'000'000));  // 2023-11-14T22:13:20Z
};

// A temporary directory for token files, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "dynamate-http-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

ProviderContext context(std::map<std::string, std::string> env,
                        std::shared_ptr<http::Transport> transport = nullptr,
                        std::shared_ptr<Clock> clock = nullptr) {
  ProviderContext c;
  c.env = map_environment(std::move(env));
  c.transport = transport ? std::move(transport) : http::make_curl_transport();
  c.clock = clock ? std::move(clock) : std::make_shared<FakeClock>();
  return c;
}

ServerResponse respond(int status, std::string body) {
  ServerResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// A port on 127.0.0.1 where nothing listens (connection refused at once).
int closed_port() {
  LoopbackServer probe([](const ServerRequest&) { return ServerResponse{}; });
  return probe.port();
}

constexpr const char* kContainerJson =
    R"({"AccessKeyId":"CK","SecretAccessKey":"CS","Token":"CT",)"
    R"("Expiration":"2023-11-15T04:13:20Z","RoleArn":"arn:aws:iam::1:role/task"})";

// ---------------------------------------------------------------------------
// Container credentials

Result<Credentials> container_get(ProviderContext c) {
  ContainerOptions options;
  options.context = std::move(c);
  return container_credentials(options)->get();
}

TEST(ContainerCredentials, RelativeUriGoesToTheEcsAgent) {
  auto fake = std::make_shared<FakeTransport>();
  fake->push(200, kContainerJson);
  auto creds = container_get(
      context({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc"}}, fake));
  ASSERT_TRUE(creds) << creds.error().to_string();
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].url, "http://169.254.170.2/v2/credentials/abc");
  EXPECT_EQ(http::find_header(requests[0].headers, "Authorization"), nullptr);
  EXPECT_EQ(creds->access_key_id, "CK");
  EXPECT_EQ(creds->secret_access_key, "CS");
  EXPECT_EQ(creds->session_token, "CT");
  EXPECT_EQ(creds->provider, "container");
  ASSERT_TRUE(creds->expiration);
  EXPECT_EQ(*creds->expiration, TimePoint(std::chrono::seconds(1'700'000'000 + 6 * 3600)));
}

TEST(ContainerCredentials, FullUriOnLoopbackWithAuthorizationToken) {
  LoopbackServer server([](const ServerRequest&) { return respond(200, kContainerJson); });
  auto creds =
      container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/creds"},
                             {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc"}}));
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "CK");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/creds");
  ASSERT_NE(requests[0].header("Authorization"), nullptr);
  EXPECT_EQ(*requests[0].header("Authorization"), "Basic abc");
}

TEST(ContainerCredentials, TokenFileWinsOverTokenVariable) {
  TempDir dir;
  const std::string file = dir.write("token", "from-file\n");
  LoopbackServer server([](const ServerRequest&) { return respond(200, kContainerJson); });
  auto creds = container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/c"},
                                      {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "from-variable"},
                                      {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file}}));
  ASSERT_TRUE(creds) << creds.error().to_string();
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(*server.requests()[0].header("Authorization"), "from-file");
}

TEST(ContainerCredentials, RefusesPlainHttpToOtherHosts) {
  auto fake = std::make_shared<FakeTransport>();
  for (const char* uri :
       {"http://example.com/creds", "http://169.254.169.254/x", "ftp://127.0.0.1/"}) {
    auto creds = container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}, fake));
    ASSERT_FALSE(creds) << uri;
    EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument) << uri;
  }
  EXPECT_EQ(fake->request_count(), 0u);
}

TEST(ContainerCredentials, AllowsTheEksAgentAndHttps) {
  auto fake = std::make_shared<FakeTransport>();
  fake->set_handler([](const http::Request&) {
    http::Response r;
    r.status = 200;
    r.body = kContainerJson;
    return Result<http::Response>(r);
  });
  for (const char* uri : {"http://169.254.170.23/v1/credentials", "https://creds.example.com/x",
                          "http://localhost:51679/c", "http://[::1]:8080/c"}) {
    auto creds = container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", uri}}, fake));
    EXPECT_TRUE(creds) << uri << ": " << creds.error().to_string();
  }
  EXPECT_EQ(fake->request_count(), 4u);
}

TEST(ContainerCredentials, NotConfiguredIsNothingToOffer) {
  auto creds = container_get(context({}));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
}

TEST(ContainerCredentials, TokenWithLineBreakIsRefused) {
  auto fake = std::make_shared<FakeTransport>();
  auto creds = container_get(context({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"},
                                      {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Evil: 1"}},
                                     fake));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fake->request_count(), 0u);
}

TEST(ContainerCredentials, ServerErrorIsRetriedThenReported) {
  LoopbackServer server([](const ServerRequest&) { return respond(500, "boom"); });
  auto creds =
      container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/c"}}));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::service);
  EXPECT_EQ(creds.error().http_status, 500);
  EXPECT_EQ(server.requests().size(), 2u);  // two attempts by default
}

TEST(ContainerCredentials, ForbiddenIsAccessDenied) {
  LoopbackServer server([](const ServerRequest&) { return respond(403, "no"); });
  auto creds =
      container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/c"}}));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::access_denied);
  EXPECT_EQ(server.requests().size(), 1u);  // 4xx is not retried
}

TEST(ContainerCredentials, GarbageIsAProtocolError) {
  for (const char* body : {"<html>hi</html>", R"({"AccessKeyId":"A"})",
                           R"({"AccessKeyId":"A","SecretAccessKey":"B","Expiration":"soon"})"}) {
    LoopbackServer server([&](const ServerRequest&) { return respond(200, body); });
    auto creds =
        container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/c"}}));
    ASSERT_FALSE(creds) << body;
    EXPECT_EQ(creds.error().code, ErrorCode::protocol) << body;
  }
}

TEST(ContainerCredentials, MalformedDocumentsAreNotQuoted) {
  // The document carries the secret: the message names the field, never the body.
  for (
      const char* body : {
          R"({"SecretAccessKey":"HTTP-SECRET-MARKER","Token":"HTTP-TOKEN-MARKER"})",
          R"({"AccessKeyId":"A","SecretAccessKey":"HTTP-SECRET-MARKER","Token":7})",
          R"({"AccessKeyId":"A","SecretAccessKey":"HTTP-SECRET-MARKER","Token":"HTTP-TOKEN-MARKER")",
      }) {
    LoopbackServer server([&](const ServerRequest&) { return respond(200, body); });
    auto creds =
        container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/c"}}));
    ASSERT_FALSE(creds) << body;
    EXPECT_EQ(creds.error().code, ErrorCode::protocol) << body;
    EXPECT_EQ(creds.error().message.find("HTTP-SECRET-MARKER"), std::string::npos)
        << creds.error().message;
    EXPECT_EQ(creds.error().message.find("HTTP-TOKEN-MARKER"), std::string::npos)
        << creds.error().message;
  }
  LoopbackServer server([](const ServerRequest&) {
    return respond(200, R"({"AccessKeyId":"A","SecretAccessKey":"HTTP-SECRET-MARKER",)"
                        R"("Expiration":"tomorrow"})");
  });
  auto creds =
      container_get(context({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/c"}}));
  ASSERT_FALSE(creds);
  const std::string& message = creds.error().message;
  EXPECT_NE(message.find("\"Expiration\" 'tomorrow' is not ISO 8601"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("HTTP-SECRET-MARKER"), std::string::npos) << message;
}

// ---------------------------------------------------------------------------
// EC2 IMDSv2

constexpr const char* kImdsJson =
    R"({"Code":"Success","LastUpdated":"2023-11-14T22:00:00Z","Type":"AWS-HMAC",)"
    R"("AccessKeyId":"IK","SecretAccessKey":"IS","Token":"IT",)"
    R"("Expiration":"2023-11-14T23:13:20.000+00:00"})";

// A well-behaved IMDS: token first, then the role, then its credentials.
ServerResponse imds(const ServerRequest& r) {
  if (r.method == "PUT" && r.target == "/latest/api/token") {
    const auto* ttl = r.header("X-aws-ec2-metadata-token-ttl-seconds");
    return ttl != nullptr ? respond(200, "TOKEN-1") : respond(400, "missing ttl");
  }
  const auto* token = r.header("X-aws-ec2-metadata-token");
  if (token == nullptr || *token != "TOKEN-1") return respond(401, "");
  if (r.target == "/latest/meta-data/iam/security-credentials/") return respond(200, "my-role\n");
  if (r.target == "/latest/meta-data/iam/security-credentials/my-role") {
    return respond(200, kImdsJson);
  }
  return respond(404, "");
}

Result<Credentials> imds_get(ProviderContext c, std::string endpoint = {}) {
  ImdsOptions options;
  options.context = std::move(c);
  options.endpoint = std::move(endpoint);
  return imds_credentials(options)->get();
}

TEST(ImdsCredentials, TokenFirstThenRoleThenCredentials) {
  LoopbackServer server(imds);
  auto creds = imds_get(context({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url() + "/"}}));
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "IK");
  EXPECT_EQ(creds->secret_access_key, "IS");
  EXPECT_EQ(creds->session_token, "IT");
  EXPECT_EQ(creds->provider, "imds");
  ASSERT_TRUE(creds->expiration);
  EXPECT_EQ(*creds->expiration, TimePoint(std::chrono::seconds(1'700'000'000 + 3600)));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/latest/api/token");
  EXPECT_EQ(*requests[0].header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[2].target, "/latest/meta-data/iam/security-credentials/my-role");
  for (std::size_t i = 1; i < requests.size(); ++i) {
    ASSERT_NE(requests[i].header("X-aws-ec2-metadata-token"), nullptr);
    EXPECT_EQ(*requests[i].header("X-aws-ec2-metadata-token"), "TOKEN-1");
  }
}

TEST(ImdsCredentials, SessionTokenIsReusedAcrossRefreshes) {
  LoopbackServer server(imds);
  auto clock = std::make_shared<FakeClock>();
  ImdsOptions options;
  options.context = context({}, nullptr, clock);
  options.endpoint = server.url();
  auto provider = imds_credentials(options);
  ASSERT_TRUE(provider->get());
  ASSERT_TRUE(provider->get());  // cached: no traffic
  EXPECT_EQ(server.requests().size(), 3u);
  clock->advance(56min);  // due for refresh (expiry at 60 min)
  auto again = provider->get();
  ASSERT_TRUE(again) << again.error().to_string();
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 5u);
  EXPECT_EQ(requests[3].method, "GET");  // no second PUT: the 6-hour token still holds
}

TEST(ImdsCredentials, DisabledByEnvironment) {
  LoopbackServer server(imds);
  auto creds = imds_get(context({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  EXPECT_TRUE(server.requests().empty());
}

TEST(ImdsCredentials, UnreachableIsNothingToOffer) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port());
  auto creds = imds_get(context({{"AWS_EC2_METADATA_SERVICE_ENDPOINT", url}}));
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  EXPECT_NE(creds.error().message.find("did not answer"), std::string::npos);
}

TEST(ImdsCredentials, NoRoleAttachedIsNothingToOffer) {
  LoopbackServer server([](const ServerRequest& r) {
    if (r.method == "PUT") return respond(200, "TOKEN-1");
    return respond(404, "");
  });
  auto creds = imds_get(context({}), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  EXPECT_NE(creds.error().message.find("no IAM role"), std::string::npos);
}

TEST(ImdsCredentials, TokenRefusedIsNothingToOffer) {
  LoopbackServer server([](const ServerRequest&) { return respond(403, ""); });
  auto creds = imds_get(context({}), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::credentials);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(ImdsCredentials, ServerErrorOnCredentialsIsAFailure) {
  LoopbackServer server([](const ServerRequest& r) {
    if (r.method == "PUT") return respond(200, "TOKEN-1");
    if (r.target.ends_with("/")) return respond(200, "my-role");
    return respond(500, "internal");
  });
  auto creds = imds_get(context({}), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::service);
  EXPECT_EQ(creds.error().http_status, 500);
}

TEST(ImdsCredentials, GarbageCredentialsAreAProtocolError) {
  LoopbackServer server([](const ServerRequest& r) {
    if (r.method == "PUT") return respond(200, "TOKEN-1");
    if (r.target.ends_with("/")) return respond(200, "my-role");
    return respond(200, "{\"Code\":\"Success\"");
  });
  auto creds = imds_get(context({}), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::protocol);
}

TEST(ImdsCredentials, DefaultEndpoints) {
  auto fake = std::make_shared<FakeTransport>();
  fake->push_error(Error(ErrorCode::timeout, "no route"));
  fake->push_error(Error(ErrorCode::timeout, "no route"));
  EXPECT_FALSE(imds_get(context({}, fake)));
  EXPECT_FALSE(imds_get(context({{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"}}, fake)));
  const auto requests = fake->requests();
  ASSERT_EQ(requests.size(), 2u);  // one attempt each: start-up off EC2 stays quick
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(requests[1].url, "http://[fd00:ec2::254]/latest/api/token");
}

// ---------------------------------------------------------------------------
// STS AssumeRoleWithWebIdentity

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_form(std::string_view body) {
  std::map<std::string, std::string> fields;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    const auto eq = pair.find('=');
    fields[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
  }
  return fields;
}

constexpr const char* kStsXml =
    R"(<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
    <Credentials>
      <SessionToken>WT</SessionToken>
      <SecretAccessKey>WS</SecretAccessKey>
      <Expiration>2023-11-14T23:13:20Z</Expiration>
      <AccessKeyId>WK</AccessKeyId>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>)";

constexpr const char* kRoleArn = "arn:aws:iam::123456789012:role/web-role";

TEST(WebIdentityCredentials, PostsTheFormAndParsesTheXml) {
  TempDir dir;
  const std::string token = dir.write("token", "eyJhbGciOi.payload+/=.sig\n");
  LoopbackServer server([](const ServerRequest&) { return respond(200, kStsXml); });
  WebIdentityOptions options;
  options.context = context({{"AWS_WEB_IDENTITY_TOKEN_FILE", token},
                             {"AWS_ROLE_ARN", kRoleArn},
                             {"AWS_ROLE_SESSION_NAME", "my session"},
                             {"AWS_ENDPOINT_URL_STS", server.url()}});
  auto creds = web_identity_credentials(options)->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "WK");
  EXPECT_EQ(creds->secret_access_key, "WS");
  EXPECT_EQ(creds->session_token, "WT");
  EXPECT_EQ(creds->provider, "web_identity");
  ASSERT_TRUE(creds->expiration);
  EXPECT_EQ(*creds->expiration, TimePoint(std::chrono::seconds(1'700'000'000 + 3600)));

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& r = requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  ASSERT_NE(r.header("Content-Type"), nullptr);
  EXPECT_TRUE(r.header("Content-Type")->starts_with("application/x-www-form-urlencoded"));
  EXPECT_EQ(r.header("Authorization"), nullptr);   // unsigned: the token is the proof
  EXPECT_EQ(r.body.find(':'), std::string::npos);  // the ARN is percent-encoded
  const auto form = parse_form(r.body);
  EXPECT_EQ(form.at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(form.at("Version"), "2011-06-15");
  EXPECT_EQ(form.at("RoleArn"), kRoleArn);
  EXPECT_EQ(form.at("RoleSessionName"), "my session");
  EXPECT_EQ(form.at("WebIdentityToken"), "eyJhbGciOi.payload+/=.sig");
}

Result<Credentials> web_get(const std::string& token_file, const std::string& endpoint,
                            std::shared_ptr<http::Transport> transport = nullptr) {
  WebIdentityOptions options;
  options.role_arn = kRoleArn;
  options.token_file = token_file;
  options.endpoint = endpoint;
  options.context = context({}, std::move(transport));
  return web_identity_credentials(options)->get();
}

TEST(WebIdentityCredentials, StsErrorResponse) {
  TempDir dir;
  LoopbackServer server([](const ServerRequest&) {
    return respond(403, R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized</Message></Error>
  <RequestId>req-42</RequestId></ErrorResponse>)");
  });
  auto creds = web_get(dir.write("t", "tok"), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::access_denied);
  EXPECT_EQ(creds.error().aws_code, "AccessDenied");
  EXPECT_EQ(creds.error().request_id, "req-42");
  EXPECT_EQ(creds.error().http_status, 403);
  EXPECT_NE(creds.error().message.find("Not authorized"), std::string::npos);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(WebIdentityCredentials, ServerErrorsAreRetriedThenReported) {
  TempDir dir;
  LoopbackServer server([](const ServerRequest&) { return respond(500, "oops"); });
  auto creds = web_get(dir.write("t", "tok"), server.url());
  ASSERT_FALSE(creds);
  EXPECT_EQ(creds.error().code, ErrorCode::service);
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(WebIdentityCredentials, IdpCommunicationErrorIsRetried) {
  TempDir dir;
  int calls = 0;
  LoopbackServer server([&](const ServerRequest&) {
    if (++calls == 1) {
      return respond(400, R"(<ErrorResponse><Error><Code>IDPCommunicationError</Code>
        <Message>try again</Message></Error></ErrorResponse>)");
    }
    return respond(200, kStsXml);
  });
  auto creds = web_get(dir.write("t", "tok"), server.url());
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(WebIdentityCredentials, GarbageIsAProtocolError) {
  TempDir dir;
  for (const char* body : {"not xml at all", "<AssumeRoleWithWebIdentityResponse/>"}) {
    LoopbackServer server([&](const ServerRequest&) { return respond(200, body); });
    auto creds = web_get(dir.write("t", "tok"), server.url());
    ASSERT_FALSE(creds) << body;
    EXPECT_EQ(creds.error().code, ErrorCode::protocol) << body;
  }
}

TEST(WebIdentityCredentials, MalformedAnswersAreNotQuoted) {
  // A 200 answer carries the secret key and session token.
  TempDir dir;
  const std::string credentials =
      "<SecretAccessKey>STS-SECRET-MARKER</SecretAccessKey>"
      "<SessionToken>STS-TOKEN-MARKER</SessionToken>";
  const std::string wrap_open =
      "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>";
  const std::string wrap_close =
      "</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {wrap_open + credentials + "<Expiration>2023-11-14T23:13:20Z</Expiration>" + wrap_close,
       "missing <AccessKeyId>"},
      {wrap_open + "<AccessKeyId>K</AccessKeyId>" + credentials + "<Expiration>soon</Expiration>" +
           wrap_close,
       "<Expiration>"},
      {wrap_open + "<AccessKeyId>K</AccessKeyId>" + credentials, "not XML"},  // truncated
      {"<Other>" + credentials + "</Other>", "no <Credentials>"},
  };
  for (const auto& [body, why] : cases) {
    LoopbackServer server([&](const ServerRequest&) { return respond(200, body); });
    auto creds = web_get(dir.write("t", "tok"), server.url());
    ASSERT_FALSE(creds) << body;
    const std::string& message = creds.error().message;
    EXPECT_EQ(creds.error().code, ErrorCode::protocol) << message;
    EXPECT_NE(message.find(why), std::string::npos) << message;
    EXPECT_EQ(message.find("STS-SECRET-MARKER"), std::string::npos) << message;
    EXPECT_EQ(message.find("STS-TOKEN-MARKER"), std::string::npos) << message;
  }
}

TEST(WebIdentityCredentials, ConfigurationProblems) {
  auto fake = std::make_shared<FakeTransport>();
  WebIdentityOptions none;
  none.context = context({}, fake);
  auto absent = web_identity_credentials(none)->get();
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, ErrorCode::credentials);

  WebIdentityOptions no_role;
  no_role.context = context({{"AWS_WEB_IDENTITY_TOKEN_FILE", "/some/token"}}, fake);
  auto missing_role = web_identity_credentials(no_role)->get();
  ASSERT_FALSE(missing_role);
  EXPECT_EQ(missing_role.error().code, ErrorCode::invalid_argument);

  auto unreadable = web_get("/nonexistent/dynamate/token", "http://127.0.0.1:1", fake);
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fake->request_count(), 0u);
}

TEST(WebIdentityCredentials, EndpointResolution) {
  TempDir dir;
  const std::string token = dir.write("t", "tok");
  auto fake = std::make_shared<FakeTransport>();
  fake->set_handler([](const http::Request&) {
    http::Response r;
    r.status = 200;
    r.body = kStsXml;
    return Result<http::Response>(r);
  });
  auto url_for = [&](std::map<std::string, std::string> env, std::string region = {}) {
    env["AWS_WEB_IDENTITY_TOKEN_FILE"] = token;
    env["AWS_ROLE_ARN"] = kRoleArn;
    WebIdentityOptions options;
    options.region = std::move(region);
    options.context = context(std::move(env), fake);
    auto creds = web_identity_credentials(options)->get();
    EXPECT_TRUE(creds);
    return fake->requests().back().url;
  };
  EXPECT_EQ(url_for({}), "https://sts.amazonaws.com/");
  EXPECT_EQ(url_for({{"AWS_REGION", "eu-west-1"}}), "https://sts.eu-west-1.amazonaws.com/");
  EXPECT_EQ(url_for({{"AWS_DEFAULT_REGION", "cn-north-1"}}),
            "https://sts.cn-north-1.amazonaws.com.cn/");
  EXPECT_EQ(url_for({{"AWS_REGION", "eu-west-1"}}, "us-west-2"),
            "https://sts.us-west-2.amazonaws.com/");
  EXPECT_EQ(url_for({{"AWS_ENDPOINT_URL", "http://local:1/"}}), "http://local:1/");
  EXPECT_EQ(
      url_for({{"AWS_ENDPOINT_URL", "http://local:1"}, {"AWS_ENDPOINT_URL_STS", "http://sts:2"}}),
      "http://sts:2/");
  EXPECT_EQ(url_for({{"AWS_ENDPOINT_URL_STS", "http://sts:2"},
                     {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"},
                     {"AWS_REGION", "us-east-2"}}),
            "https://sts.us-east-2.amazonaws.com/");
}

TEST(WebIdentityCredentials, FromAProfile) {
  TempDir dir;
  const std::string token = dir.write("token", "profile-token");
  LoopbackServer server([](const ServerRequest&) { return respond(200, kStsXml); });
  const std::string config =
      dir.write("config", "[profile irsa]\nrole_arn = " + std::string(kRoleArn) +
                              "\nweb_identity_token_file = " + token +
                              "\nrole_session_name = from-profile\n");
  ProfileOptions options;
  options.profile = "irsa";
  options.config_file = config;
  options.credentials_file = dir.path() + "/none";
  options.context = context({{"AWS_ENDPOINT_URL_STS", server.url()}});
  auto creds = profile_credentials(options)->get();
  ASSERT_TRUE(creds) << creds.error().to_string();
  EXPECT_EQ(creds->access_key_id, "WK");
  ASSERT_EQ(server.requests().size(), 1u);
  const auto form = parse_form(server.requests()[0].body);
  EXPECT_EQ(form.at("RoleArn"), kRoleArn);
  EXPECT_EQ(form.at("RoleSessionName"), "from-profile");
  EXPECT_EQ(form.at("WebIdentityToken"), "profile-token");
}

}  // namespace
}  // namespace dynamate::aws
