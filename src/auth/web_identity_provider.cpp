// web_identity_credentials: STS AssumeRoleWithWebIdentity with a token file
// (EKS IRSA, GitHub Actions OIDC, ...). The call is unsigned: the web identity
// token is the proof.
#include <algorithm>

#include <pugixml.hpp>

#include "auth/env_config.hpp"
#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

struct StsAnswer {
  Result<Credentials> credentials = unexpected(ErrorCode::internal, "unset");
  bool retry = false;
};

std::string child_text(const pugi::xml_node& node, const char* name) {
  return node.child(name).text().as_string();
}

// An STS <ErrorResponse> (or anything else that is not a success) as an Error.
Error sts_error(const http::Response& response, const pugi::xml_document& doc, bool parsed) {
  const pugi::xml_node error_node = doc.child("ErrorResponse").child("Error");
  if (!parsed || !error_node) {
    Error e = detail::http_status_error(response, "STS AssumeRoleWithWebIdentity");
    if (response.status < 500 && response.status != 401 && response.status != 403) {
      e.code = ErrorCode::protocol;
    }
    return e;
  }
  const std::string code = child_text(error_node, "Code");
  ErrorCode kind = ErrorCode::validation;
  if (code == "AccessDenied" || code == "InvalidIdentityToken" || code == "ExpiredTokenException" ||
      code == "ExpiredToken" || response.status == 403) {
    kind = ErrorCode::access_denied;
  } else if (response.status >= 500 || code == "IDPCommunicationError") {
    kind = ErrorCode::service;
  }
  Error e(kind, "STS AssumeRoleWithWebIdentity: " + child_text(error_node, "Message"));
  e.aws_code = code;
  e.request_id = child_text(doc.child("ErrorResponse"), "RequestId");
  e.http_status = response.status;
  e.retryable = kind == ErrorCode::service;
  return e;
}

StsAnswer parse_sts_response(const http::Response& response) {
  StsAnswer answer;
  pugi::xml_document doc;
  const bool parsed = doc.load_buffer(response.body.data(), response.body.size());
  if (response.status != 200) {
    answer.credentials = unexpected(sts_error(response, doc, parsed));
    answer.retry = answer.credentials.error().retryable;
    return answer;
  }
  // A 200 answer carries the secret key and session token: errors name what
  // is missing and never quote the body.
  auto bad_answer = [&](const std::string& why) {
    answer.credentials =
        unexpected(ErrorCode::protocol, "STS AssumeRoleWithWebIdentity: unexpected answer: " + why);
    return answer;
  };
  if (!parsed) return bad_answer("not XML");
  const pugi::xml_node node = doc.child("AssumeRoleWithWebIdentityResponse")
                                  .child("AssumeRoleWithWebIdentityResult")
                                  .child("Credentials");
  if (!node) return bad_answer("no <Credentials> element");
  Credentials creds;
  creds.access_key_id = child_text(node, "AccessKeyId");
  creds.secret_access_key = child_text(node, "SecretAccessKey");
  creds.session_token = child_text(node, "SessionToken");
  if (creds.access_key_id.empty()) return bad_answer("missing <AccessKeyId>");
  if (creds.secret_access_key.empty()) return bad_answer("missing <SecretAccessKey>");
  auto expiration = detail::parse_timestamp(child_text(node, "Expiration"));
  if (!expiration) return bad_answer("<Expiration> " + expiration.error().message);
  creds.expiration = *expiration;
  creds.provider = "web_identity";
  answer.credentials = std::move(creds);
  return answer;
}

std::string sts_endpoint(const WebIdentityOptions& options, const EnvLookup& env) {
  if (!options.endpoint.empty()) return options.endpoint;
  std::string configured = detail::configured_endpoint(env, "sts", nullptr, nullptr);
  if (!configured.empty()) return configured;
  const std::string region =
      options.region.empty() ? detail::region_from(env, nullptr) : options.region;
  if (region.empty()) return "https://sts.amazonaws.com";
  const char* suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://sts." + region + suffix;
}

class WebIdentityProvider final : public CredentialsProvider {
 public:
  explicit WebIdentityProvider(WebIdentityOptions options)
      : options_(std::move(options)), context_(detail::with_defaults(options_.context)) {}

  Result<Credentials> get() override {
    const std::string token_file = setting(options_.token_file, "AWS_WEB_IDENTITY_TOKEN_FILE");
    if (token_file.empty()) {
      return unexpected(ErrorCode::credentials, "AWS_WEB_IDENTITY_TOKEN_FILE is not set");
    }
    const std::string role_arn = setting(options_.role_arn, "AWS_ROLE_ARN");
    if (role_arn.empty()) {
      return unexpected(ErrorCode::invalid_argument,
                        "a web identity token file is configured but no role ARN (AWS_ROLE_ARN)");
    }
    // Read at each refresh: Kubernetes rotates the projected token.
    auto token = detail::read_text_file(token_file, "web identity token");
    if (!token) return unexpected(std::move(token).error());
    while (!token->empty() && (token->back() == '\n' || token->back() == '\r')) token->pop_back();

    std::string session = setting(options_.session_name, "AWS_ROLE_SESSION_NAME");
    if (session.empty()) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
          context_.clock->now().time_since_epoch());
      session = "dynamate-" + std::to_string(ms.count());
    }
    http::Request request;
    request.method = "POST";
    request.url = sts_endpoint(options_, context_.env) + "/";
    request.headers.emplace_back("Content-Type",
                                 "application/x-www-form-urlencoded; charset=utf-8");
    request.headers.emplace_back("Accept", "application/xml");
    request.body = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" +
                   detail::form_encode(role_arn) +
                   "&RoleSessionName=" + detail::form_encode(session) +
                   "&WebIdentityToken=" + detail::form_encode(*token);
    return call(request);
  }

 private:
  std::string setting(const std::string& given, const char* variable) const {
    return given.empty() ? detail::env_string(context_.env, variable) : given;
  }

  Result<Credentials> call(const http::Request& request) const {
    StsAnswer answer;
    for (int attempt = 0; attempt < std::max(options_.attempts, 1); ++attempt) {
      auto response = detail::send_with_attempts(*context_.transport, request, options_.timeout, 1);
      if (!response) {
        Error e = std::move(response).error();
        answer.retry = e.code == ErrorCode::transport || e.code == ErrorCode::timeout;
        answer.credentials = unexpected(std::move(e.with_context("STS " + request.url)));
      } else {
        answer = parse_sts_response(*response);
      }
      if (answer.credentials || !answer.retry) break;
    }
    return std::move(answer.credentials);
  }

  const WebIdentityOptions options_;
  const ProviderContext context_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> web_identity_credentials(WebIdentityOptions options) {
  auto clock = options.context.clock;
  const CachingOptions caching = options.caching;
  return caching_credentials(std::make_shared<WebIdentityProvider>(std::move(options)),
                             std::move(clock), caching);
}

}  // namespace dynamate::aws
