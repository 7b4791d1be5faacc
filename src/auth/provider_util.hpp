// src/auth/provider_util.hpp: helpers shared by the credential providers and
// the environment config resolution: environment access, timestamps, the
// credentials JSON documents (process, container, IMDS), small HTTP helpers.
// Private.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/aws/credentials.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws::detail {

// The value of `name`, or "" when unset (empty values count as unset).
std::string env_string(const EnvLookup& env, const std::string& name);
// "true" in any case, as the SDKs accept it.
bool is_true(std::string_view value) noexcept;
// Lower-case ASCII copy.
std::string ascii_lower(std::string_view text);

// The process-wide default curl transport, created on first use.
std::shared_ptr<http::Transport> shared_transport();
// Fills empty members of `context` with the defaults.
ProviderContext with_defaults(ProviderContext context);

// $HOME (then the passwd entry); "" when unknown.
std::string home_directory(const EnvLookup& env);
// "~/x" -> "$HOME/x"; other paths unchanged.
std::string expand_home(const std::string& path, const EnvLookup& env);

// Whole file as text. invalid_argument naming `what` and the path on failure.
Result<std::string> read_text_file(const std::string& path, std::string_view what);

// ISO 8601 / RFC 3339 timestamps as AWS writes them: 2024-01-02T03:04:05Z,
// with optional fractional seconds and a Z or +hh:mm / -hh:mm offset.
Result<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text);

// Parses the credentials JSON shared by credential_process, the container
// endpoint and IMDS: AccessKeyId, SecretAccessKey, `token_field` ("Token" or
// "SessionToken"), Expiration; with `require_version`, also "Version": 1
// (credential_process output). protocol error (mentioning `source` and the
// field at fault) when it is not such a document. The message never quotes
// the document, which carries secrets; only a malformed Expiration value.
Result<Credentials> parse_credentials_json(std::string_view json, std::string_view token_field,
                                           std::string_view source, bool require_version = false);

// application/x-www-form-urlencoded value encoding (RFC 3986 unreserved kept).
std::string form_encode(std::string_view text);

// Sends `request` up to `attempts` times with a per-attempt timeout, retrying
// transport errors, timeouts and 5xx answers. Returns the last response (any
// status) or the last transport error.
Result<http::Response> send_with_attempts(http::Transport& transport, const http::Request& request,
                                          std::chrono::milliseconds timeout, int attempts);

// An Error for an unexpected HTTP status from a credentials endpoint:
// access_denied for 401/403, service otherwise (retryable for 5xx).
Error http_status_error(const http::Response& response, std::string_view what);

// scheme://host[:port][/path...]; host without brackets for IPv6 literals,
// scheme lower-cased. nullopt when `url` has no scheme or host.
struct UrlParts {
  std::string scheme;
  std::string host;
  std::string port;  // "" when absent
  std::string path;  // from the first '/', "" when absent
};
std::optional<UrlParts> split_url(std::string_view url);
// A dotted-quad IPv4 or an IPv6 literal (as split_url returns it).
bool is_ip_literal(std::string_view host) noexcept;
// localhost, 127.0.0.0/8 or ::1.
bool is_loopback_host(std::string_view host) noexcept;

// At most the first 200 characters of `body`, for error messages. Only for
// bodies that cannot carry secrets (error answers), never for a credentials
// document.
std::string body_excerpt(std::string_view body);

}  // namespace dynamate::aws::detail
