// imds_credentials: EC2 instance profile credentials over IMDSv2 (session
// token first, then the role name, then the role's credentials).
#include <mutex>

#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolesPath = "/latest/meta-data/iam/security-credentials/";

class ImdsProvider final : public CredentialsProvider {
 public:
  explicit ImdsProvider(ImdsOptions options)
      : context_(detail::with_defaults(std::move(options.context))),
        endpoint_(std::move(options.endpoint)),
        timeout_(options.timeout),
        attempts_(options.attempts),
        token_ttl_(options.token_ttl) {}

  Result<Credentials> get() override {
    if (detail::is_true(detail::env_string(context_.env, "AWS_EC2_METADATA_DISABLED"))) {
      return unexpected(ErrorCode::credentials, "disabled by AWS_EC2_METADATA_DISABLED");
    }
    const std::string base = endpoint();
    auto token = session_token(base);
    if (!token) return unexpected(std::move(token).error());

    auto roles = get_path(base, std::string(kRolesPath), *token);
    if (!roles) return unexpected(std::move(roles).error());
    if (roles->status == 404) {
      return unexpected(ErrorCode::credentials, "no IAM role is attached to this instance");
    }
    if (roles->status != 200) return unexpected(status_error(*roles, kRolesPath));
    const std::string role = first_line(roles->body);
    if (role.empty()) {
      return unexpected(ErrorCode::credentials, "no IAM role is attached to this instance");
    }

    const std::string path = std::string(kRolesPath) + role;
    auto creds_response = get_path(base, path, *token);
    if (!creds_response) return unexpected(std::move(creds_response).error());
    if (creds_response->status != 200) return unexpected(status_error(*creds_response, path));
    auto creds = detail::parse_credentials_json(creds_response->body, "Token", "IMDS " + path);
    if (creds) creds->provider = "imds";
    return creds;
  }

 private:
  std::string endpoint() const {
    std::string base = endpoint_;
    if (base.empty()) base = detail::env_string(context_.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (base.empty()) {
      const std::string mode =
          detail::env_string(context_.env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
      base =
          detail::ascii_lower(mode) == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base;
  }

  // The IMDSv2 session token, reused until shortly before its TTL runs out.
  Result<std::string> session_token(const std::string& base) {
    const auto now = context_.clock->now();
    {
      std::lock_guard lock(mu_);
      if (!token_.empty() && token_base_ == base && now < token_expiry_) return token_;
    }
    http::Request request;
    request.method = "PUT";
    request.url = base + std::string(kTokenPath);
    request.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds",
                                 std::to_string(token_ttl_.count()));
    auto response = detail::send_with_attempts(*context_.transport, request, timeout_, attempts_);
    if (!response) {
      // No answer at all: we are not on EC2 (or IMDS is firewalled off).
      return unexpected(ErrorCode::credentials,
                        "IMDS at " + base + " did not answer: " + response.error().message);
    }
    if (response->status == 403 || response->status == 404 || response->status == 405) {
      // IMDS disabled on the instance, or something that is not IMDSv2.
      return unexpected(ErrorCode::credentials, "IMDS at " + base +
                                                    " refused a session token (HTTP " +
                                                    std::to_string(response->status) + ")");
    }
    if (response->status != 200 || response->body.empty()) {
      return unexpected(status_error(*response, kTokenPath));
    }
    std::lock_guard lock(mu_);
    token_ = response->body;
    token_base_ = base;
    // A minute of margin so a token never expires between use and arrival.
    token_expiry_ =
        now + token_ttl_ - std::min<std::chrono::seconds>(token_ttl_ / 2, std::chrono::seconds(60));
    return token_;
  }

  Result<http::Response> get_path(const std::string& base, const std::string& path,
                                  const std::string& token) const {
    http::Request request;
    request.url = base + path;
    request.headers.emplace_back("X-aws-ec2-metadata-token", token);
    auto response = detail::send_with_attempts(*context_.transport, request, timeout_, attempts_);
    if (!response) {
      Error e = std::move(response).error();
      return unexpected(std::move(e.with_context("IMDS " + path)));
    }
    return response;
  }

  Error status_error(const http::Response& response, std::string_view path) {
    if (response.status == 401) {
      // The token was rejected (expired early, IMDS restarted): fetch a new one
      // next time.
      std::lock_guard lock(mu_);
      token_.clear();
    }
    if (response.status == 200) {
      Error e(ErrorCode::protocol, "IMDS " + std::string(path) + " answered an empty body");
      e.http_status = 200;
      return e;
    }
    return detail::http_status_error(response, "IMDS " + std::string(path));
  }

  static std::string first_line(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    return line;
  }

  const ProviderContext context_;
  const std::string endpoint_;
  const std::chrono::milliseconds timeout_;
  const int attempts_;
  const std::chrono::seconds token_ttl_;

  std::mutex mu_;
  std::string token_;       // guarded by mu_
  std::string token_base_;  // guarded by mu_: the endpoint the token came from
  std::chrono::system_clock::time_point token_expiry_{};  // guarded by mu_
};

}  // namespace

std::shared_ptr<CredentialsProvider> imds_credentials(ImdsOptions options) {
  auto clock = options.context.clock;
  const CachingOptions caching = options.caching;
  return caching_credentials(std::make_shared<ImdsProvider>(std::move(options)), std::move(clock),
                             caching);
}

}  // namespace dynamate::aws
