// container_credentials: the ECS task role / EKS Pod Identity endpoint.
#include "auth/provider_util.hpp"
#include "dynamate/aws/credentials.hpp"

namespace dynamate::aws {
namespace {

constexpr const char* kEcsHost = "http://169.254.170.2";

// The SDKs only send the authorization token over plain HTTP to hosts that
// cannot be someone else's: loopback, and the link-local ECS/EKS agents.
bool allowed_full_uri(const detail::UrlParts& url) {
  if (url.scheme == "https") return true;
  if (url.scheme != "http") return false;
  return detail::is_loopback_host(url.host) || url.host == "169.254.170.2" ||
         url.host == "169.254.170.23" || url.host == "fd00:ec2::23";
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

class ContainerProvider final : public CredentialsProvider {
 public:
  explicit ContainerProvider(ContainerOptions options)
      : context_(detail::with_defaults(std::move(options.context))),
        timeout_(options.timeout),
        attempts_(options.attempts) {}

  Result<Credentials> get() override {
    http::Request request;
    const std::string relative =
        detail::env_string(context_.env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const std::string full = detail::env_string(context_.env, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (!relative.empty()) {
      request.url = kEcsHost + (relative.front() == '/' ? relative : "/" + relative);
    } else if (!full.empty()) {
      auto parts = detail::split_url(full);
      if (!parts || !allowed_full_uri(*parts)) {
        return unexpected(ErrorCode::invalid_argument,
                          "AWS_CONTAINER_CREDENTIALS_FULL_URI '" + full +
                              "' must use https, or http to a loopback address, "
                              "169.254.170.2 or 169.254.170.23");
      }
      request.url = full;
    } else {
      return unexpected(ErrorCode::credentials,
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
    }
    request.headers.emplace_back("Accept", "application/json");
    auto token = authorization_token();
    if (!token) return unexpected(std::move(token).error());
    if (!token->empty()) request.headers.emplace_back("Authorization", std::move(*token));
    return fetch(request);
  }

 private:
  // The token file wins over the variable: EKS Pod Identity rotates the file,
  // so it is read again at each refresh.
  Result<std::string> authorization_token() const {
    std::string token;
    const std::string file =
        detail::env_string(context_.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    if (!file.empty()) {
      auto text = detail::read_text_file(file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
      if (!text) return unexpected(std::move(text).error());
      token = std::move(*text);
      while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    } else {
      token = detail::env_string(context_.env, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    if (has_line_break(token)) {
      // A header value with a line break would inject headers.
      return unexpected(ErrorCode::invalid_argument,
                        "the container authorization token contains a line break");
    }
    return token;
  }

  Result<Credentials> fetch(const http::Request& request) const {
    const std::string what = "container credentials endpoint " + request.url;
    auto response = detail::send_with_attempts(*context_.transport, request, timeout_, attempts_);
    if (!response) {
      Error e = std::move(response).error();
      return unexpected(std::move(e.with_context(what)));
    }
    if (response->status != 200) return unexpected(detail::http_status_error(*response, what));
    auto creds = detail::parse_credentials_json(response->body, "Token", what);
    if (creds) creds->provider = "container";
    return creds;
  }

  const ProviderContext context_;
  const std::chrono::milliseconds timeout_;
  const int attempts_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> container_credentials(ContainerOptions options) {
  auto clock = options.context.clock;
  const CachingOptions caching = options.caching;
  return caching_credentials(std::make_shared<ContainerProvider>(std::move(options)),
                             std::move(clock), caching);
}

}  // namespace dynamate::aws
