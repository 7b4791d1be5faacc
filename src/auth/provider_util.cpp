// Helpers shared by the credential providers: environment, files, timestamps,
// the credentials JSON document and retried HTTP calls.
#include "auth/provider_util.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <simdjson.h>

namespace dynamate::aws::detail {

std::string env_string(const EnvLookup& env, const std::string& name) {
  if (!env) return {};
  auto value = env(name);
  return value ? std::move(*value) : std::string();
}

bool is_true(std::string_view value) noexcept {
  return value.size() == 4 && (value[0] | 0x20) == 't' && (value[1] | 0x20) == 'r' &&
         (value[2] | 0x20) == 'u' && (value[3] | 0x20) == 'e';
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::shared_ptr<http::Transport> shared_transport() {
  // One connection pool for every provider and client that did not bring its own.
  static const std::shared_ptr<http::Transport> transport = http::make_curl_transport();
  return transport;
}

ProviderContext with_defaults(ProviderContext context) {
  if (!context.env) context.env = process_environment();
  if (!context.transport) context.transport = shared_transport();
  if (!context.clock) context.clock = Clock::system();
  return context;
}

std::string home_directory(const EnvLookup& env) {
  std::string home = env_string(env, "HOME");
  if (!home.empty()) return home;
  // getpwuid_r, not getpwuid: providers may run on several threads at once.
  std::vector<char> buffer(16384);
  passwd entry{};
  passwd* found = nullptr;
  if (::getpwuid_r(::getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 &&
      found != nullptr && found->pw_dir != nullptr) {
    return found->pw_dir;
  }
  return {};
}

std::string expand_home(const std::string& path, const EnvLookup& env) {
  if (path == "~" || path.starts_with("~/")) return home_directory(env) + path.substr(1);
  return path;
}

Result<std::string> read_text_file(const std::string& path, std::string_view what) {
  std::error_code ec;
  // ifstream happily "opens" a directory on Linux and then reads nothing.
  const bool directory = std::filesystem::is_directory(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (directory || !in) {
    return unexpected(ErrorCode::invalid_argument,
                      std::string(what) + ": cannot read file " + path);
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    return unexpected(ErrorCode::invalid_argument,
                      std::string(what) + ": error reading file " + path);
  }
  return std::move(out).str();
}

namespace {

// Reads `count` digits at text[pos...]; false if any is not a digit.
bool digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

Error bad_timestamp(std::string_view text) {
  return Error(ErrorCode::protocol, "not an ISO 8601 timestamp: '" + std::string(text) + "'");
}

}  // namespace

Result<std::chrono::system_clock::time_point> parse_timestamp(std::string_view text) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!digits(text, 0, 4, y) || text.size() < 19 || text[4] != '-' || !digits(text, 5, 2, mo) ||
      text[7] != '-' || !digits(text, 8, 2, d) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !digits(text, 11, 2, h) ||
      text[13] != ':' || !digits(text, 14, 2, mi) || text[16] != ':' || !digits(text, 17, 2, s)) {
    return bad_timestamp(text);
  }
  const year_month_day date{year{y}, month{static_cast<unsigned>(mo)},
                            day{static_cast<unsigned>(d)}};
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return bad_timestamp(text);
  std::size_t pos = 19;
  nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::int64_t scale = 100'000'000;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction += nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad_timestamp(text);
  }
  seconds offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    const bool colon = pos + 3 < text.size() && text[pos + 3] == ':';
    if (!digits(text, pos + 1, 2, oh) || !digits(text, pos + (colon ? 4 : 3), 2, om)) {
      return bad_timestamp(text);
    }
    pos += colon ? 6 : 5;
    offset = seconds(sign * (oh * 3600 + om * 60));
  } else {
    return bad_timestamp(text);  // a timestamp without a zone is ambiguous
  }
  if (pos != text.size()) return bad_timestamp(text);
  const auto local = sys_days(date) + hours(h) + minutes(mi) + seconds(s) + fraction;
  return time_point_cast<system_clock::duration>(local - offset);
}

Result<Credentials> parse_credentials_json(std::string_view json, std::string_view token_field,
                                           std::string_view source, bool require_version) {
  // The document carries the secret key and session token: messages name the
  // field at fault and never quote the document.
  auto fail = [&](const std::string& why) {
    return Error(ErrorCode::protocol, std::string(source) + ": " + why);
  };
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(simdjson::padded_string(json)).get(root) != simdjson::SUCCESS ||
      !root.is_object()) {
    return fail("expected a JSON object (" + std::to_string(json.size()) + " bytes received)");
  }
  // "" when the field is fine, else why it is not.
  auto string_field = [&](std::string_view key, bool required, std::string& out) -> std::string {
    const std::string quoted = "\"" + std::string(key) + "\"";
    std::string_view value;
    auto field = root[key];
    if (field.error() == simdjson::NO_SUCH_FIELD) return required ? "missing " + quoted : "";
    if (field.get(value) != simdjson::SUCCESS) return quoted + " is not a string";
    out.assign(value);
    return required && out.empty() ? quoted + " is empty" : "";
  };
  if (require_version) {
    // The format is versioned: refuse what we do not know rather than guess.
    std::int64_t version = 0;
    if (root["Version"].get(version) != simdjson::SUCCESS || version != 1) {
      return fail("missing or unsupported \"Version\" (expected 1)");
    }
  }
  Credentials creds;
  std::string expiration;
  std::string why = string_field("AccessKeyId", true, creds.access_key_id);
  if (why.empty()) why = string_field("SecretAccessKey", true, creds.secret_access_key);
  if (why.empty()) why = string_field(token_field, false, creds.session_token);
  if (why.empty()) why = string_field("Expiration", false, expiration);
  if (!why.empty()) return fail(why);
  if (!expiration.empty()) {
    // The expiration is not a secret; quoting it helps to fix the producer.
    auto when = parse_timestamp(expiration);
    if (!when) return fail("\"Expiration\" '" + expiration + "' is not ISO 8601");
    creds.expiration = *when;
  }
  return creds;
}

std::string form_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

Result<http::Response> send_with_attempts(http::Transport& transport, const http::Request& request,
                                          std::chrono::milliseconds timeout, int attempts) {
  http::SendOptions options;
  options.timeout = timeout;
  Result<http::Response> last = unexpected(ErrorCode::internal, "no attempt made");
  for (int i = 0; i < std::max(attempts, 1); ++i) {
    last = transport.send(request, options);
    const bool retry = last ? last->status >= 500
                            : (last.error().code == ErrorCode::transport ||
                               last.error().code == ErrorCode::timeout);
    if (!retry) break;
  }
  return last;
}

Error http_status_error(const http::Response& response, std::string_view what) {
  const int status = response.status;
  const ErrorCode code =
      status == 401 || status == 403 ? ErrorCode::access_denied : ErrorCode::service;
  Error e(code, std::string(what) + " answered HTTP " + std::to_string(status) + ": " +
                    body_excerpt(response.body));
  e.http_status = status;
  e.aws_code = std::to_string(status);
  e.retryable = status >= 500;
  return e;
}

std::optional<UrlParts> split_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  UrlParts parts;
  parts.scheme = ascii_lower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  const auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos) parts.path = std::string(rest.substr(path_start));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);  // user info is never part of the host
  }
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    parts.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      parts.port = std::string(authority.substr(close + 2));
    }
  } else {
    const auto colon = authority.rfind(':');
    parts.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) parts.port = std::string(authority.substr(colon + 1));
  }
  parts.host = ascii_lower(parts.host);
  if (parts.host.empty()) return std::nullopt;
  return parts;
}

bool is_ip_literal(std::string_view host) noexcept {
  if (host.find(':') != std::string_view::npos) return true;  // only IPv6 literals have ':'
  int dots = 0, digits_in_part = 0;
  for (const char c : host) {
    if (c == '.') {
      if (digits_in_part == 0) return false;
      ++dots;
      digits_in_part = 0;
    } else if (c >= '0' && c <= '9' && digits_in_part < 3) {
      ++digits_in_part;
    } else {
      return false;
    }
  }
  return dots == 3 && digits_in_part > 0;
}

bool is_loopback_host(std::string_view host) noexcept {
  return host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" ||
         (host.starts_with("127.") && is_ip_literal(host));
}

std::string body_excerpt(std::string_view body) {
  constexpr std::size_t kMax = 200;
  if (body.size() <= kMax) return "'" + std::string(body) + "'";
  return "'" + std::string(body.substr(0, kMax)) + "...'";
}

}  // namespace dynamate::aws::detail
