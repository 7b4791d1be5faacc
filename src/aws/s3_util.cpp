// Helpers shared by the S3Client operations: query strings, object headers in
// both directions, payload hashing (at most one pass), ISO 8601 dates (HTTP
// dates are core/http_date.hpp's).
#include <charconv>
#include <ctime>
#include <vector>

#include "aws/error_parser.hpp"
#include "aws/s3_internal.hpp"
#include "core/crypto.hpp"
#include "core/http_date.hpp"
#include "core/try.hpp"

namespace dynamate::aws::detail {
namespace {

bool iequals_prefix(std::string_view text, std::string_view lower_prefix) noexcept {
  if (text.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The digest behind a 64-digit hex SHA-256; nullopt if malformed.
std::optional<std::string> sha256_from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  std::string out(32, '\0');
  for (std::size_t i = 0; i < 32; ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string_view digest_view(const dynamate::detail::Sha256Digest& d) noexcept {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// Fills sha256_hex and checksum_sha256 from a known digest (raw bytes).
void set_hash(PreparedPayload& p, std::string_view digest, const PayloadOptions& options) {
  p.sha256_hex = hex_encode(digest);
  if (options.checksum_sha256) p.checksum_sha256 = base64_encode(digest);
}

Result<bool> use_given_hash(PreparedPayload& p, const PayloadOptions& options) {
  if (!options.sha256_hex) return false;
  const auto digest = sha256_from_hex(*options.sha256_hex);
  if (!digest) {
    return unexpected(ErrorCode::invalid_argument,
                      "sha256_hex \"" + *options.sha256_hex + "\" is not 64 hex digits");
  }
  set_hash(p, *digest, options);
  return true;
}

}  // namespace

void add_query(std::string& query, std::string_view name, std::string_view value) {
  if (!query.empty()) query += '&';
  query += uri_encode(name, true);
  query += '=';
  query += uri_encode(value, true);
}

void add_attribute_headers(http::Headers& headers, const ObjectAttributes& a) {
  const auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) headers.emplace_back(name, value);
  };
  add("Content-Type", a.content_type);
  add("Content-Encoding", a.content_encoding);
  add("Content-Disposition", a.content_disposition);
  add("Cache-Control", a.cache_control);
  for (const auto& [name, value] : a.metadata) {
    headers.emplace_back("x-amz-meta-" + lowercase(name), value);
  }
  switch (a.sse) {
    case ServerSideEncryption::none:
      break;
    case ServerSideEncryption::s3:
      headers.emplace_back("x-amz-server-side-encryption", "AES256");
      break;
    case ServerSideEncryption::kms:
      headers.emplace_back("x-amz-server-side-encryption", "aws:kms");
      add("x-amz-server-side-encryption-aws-kms-key-id", a.kms_key_id);
      break;
  }
  add("x-amz-storage-class", a.storage_class);
}

std::string header_or_empty(const http::Response& response, std::string_view name) {
  const std::string* v = response.header(name);
  return v != nullptr ? *v : std::string();
}

std::optional<Error> error_in_200(const http::Response& response) {
  Error error;
  if (s3_error_in_200(response, error)) return error;
  return std::nullopt;
}

ObjectInfo object_info_from(const http::Response& response) {
  ObjectInfo info;
  for (const auto& [name, value] : response.headers) {
    if (iequals_prefix(name, "x-amz-meta-")) {
      info.metadata[lowercase(std::string_view(name).substr(11))] = value;
    }
  }
  const std::string length = header_or_empty(response, "Content-Length");
  std::from_chars(length.data(), length.data() + length.size(), info.content_length);
  info.content_type = header_or_empty(response, "Content-Type");
  info.content_encoding = header_or_empty(response, "Content-Encoding");
  info.content_disposition = header_or_empty(response, "Content-Disposition");
  info.cache_control = header_or_empty(response, "Cache-Control");
  info.content_range = header_or_empty(response, "Content-Range");
  info.etag = header_or_empty(response, "ETag");
  info.version_id = header_or_empty(response, "x-amz-version-id");
  info.storage_class = header_or_empty(response, "x-amz-storage-class");
  info.server_side_encryption = header_or_empty(response, "x-amz-server-side-encryption");
  info.kms_key_id = header_or_empty(response, "x-amz-server-side-encryption-aws-kms-key-id");
  info.checksum_sha256 = header_or_empty(response, "x-amz-checksum-sha256");
  if (const std::string* lm = response.header("Last-Modified")) {
    info.last_modified = dynamate::detail::parse_http_date(*lm);
  }
  return info;
}

Result<PreparedPayload> prepare_payload(std::string_view body, const PayloadOptions& options) {
  PreparedPayload p;
  DYNAMATE_ASSIGN_OR_RETURN(const bool given, use_given_hash(p, options));
  if (!given && (!options.unsigned_payload || options.checksum_sha256)) {
    set_hash(p, digest_view(dynamate::detail::sha256(body)), options);
  }
  if (options.content_md5) p.content_md5 = dynamate::detail::md5_base64(body);
  return p;
}

Result<PreparedPayload> prepare_payload(http::BodySource& body, const PayloadOptions& options) {
  if (options.content_md5) {
    return unexpected(ErrorCode::invalid_argument,
                      "content_md5 needs an in-memory body; use checksum_sha256 for streams");
  }
  // The body is sent from its first byte even if the caller read some of it:
  // rewind now, not only after a hashing pass (there may be none).
  DYNAMATE_TRY(body.rewind());
  PreparedPayload p;
  DYNAMATE_ASSIGN_OR_RETURN(const bool given, use_given_hash(p, options));
  if (given || (options.unsigned_payload && !options.checksum_sha256)) return p;
  // The hashing pre-pass: one bounded buffer, whatever the size.
  dynamate::detail::Sha256 hasher;
  std::vector<char> buffer(256 * 1024);
  std::uint64_t total = 0;
  for (;;) {
    DYNAMATE_ASSIGN_OR_RETURN(const std::size_t n, body.read(buffer));
    if (n == 0) break;
    hasher.update({buffer.data(), n});
    total += n;
  }
  if (total != body.size()) {
    return unexpected(ErrorCode::invalid_argument, "body source produced " + std::to_string(total) +
                                                       " bytes but its size() is " +
                                                       std::to_string(body.size()));
  }
  DYNAMATE_TRY(body.rewind());
  const dynamate::detail::Sha256Digest digest = hasher.finish();
  set_hash(p, digest_view(digest), options);
  return p;
}

void apply_payload(const PreparedPayload& p, http::Headers& headers, CallOptions& options) {
  if (!p.checksum_sha256.empty()) {
    // The algorithm header is what the AWS SDKs send with a checksum; some
    // S3-compatible servers (moto) keep the checksum only when it is present.
    headers.emplace_back("x-amz-sdk-checksum-algorithm", "SHA256");
    headers.emplace_back("x-amz-checksum-sha256", p.checksum_sha256);
  }
  if (!p.content_md5.empty()) headers.emplace_back("Content-MD5", p.content_md5);
  options.payload_hash = p.sha256_hex;
  options.unsigned_payload = !p.sha256_hex.has_value();
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  // 2009-10-12T17:50:30.000Z (fraction optional)
  const std::string s(text);
  std::tm tm{};
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return std::nullopt;
  auto tp = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (*rest == '.') {
    ++rest;
    long scale = 100;
    long millis = 0;
    for (; *rest >= '0' && *rest <= '9'; ++rest) {
      millis += (*rest - '0') * scale;
      scale /= 10;
    }
    tp += std::chrono::milliseconds(millis);
  }
  if (*rest != 'Z' && *rest != '\0' && *rest != '+') return std::nullopt;
  return tp;
}

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace dynamate::aws::detail
