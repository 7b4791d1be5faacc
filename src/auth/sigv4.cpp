// AWS Signature Version 4: header signing (sign_request) and presigned URLs
// (presign_url). The canonical-request pieces live in sigv4_canonical.cpp.
//
// Hot path (a DynamoDB call): one SHA-256 of the body, one of the canonical
// request, one HMAC. The four-HMAC signing-key derivation is cached per thread
// for each (secret, date, region, service), and the canonical request is built
// in per-thread buffers that keep their capacity, so a steady stream of calls
// allocates almost nothing. No state is shared between threads.
#include "dynamate/aws/sigv4.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "auth/sigv4_canonical.hpp"
#include "core/crypto.hpp"
#include "core/try.hpp"

namespace dynamate::aws {

using namespace sigv4_detail;  // NOLINT(google-build-using-namespace): this file's own helpers

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr auto kMaxPresignExpiry = std::chrono::seconds(7 * 24 * 3600);

// Overwrites memory that held key material; volatile so the stores stay.
void secure_zero(void* p, std::size_t n) noexcept {
  auto* v = static_cast<volatile unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) v[i] = 0;
}

// The derived signing key for the last few (secret, date, region, service)
// tuples this thread used. A handful of entries covers a process talking to
// DynamoDB and S3 in one or two regions; the key changes only at midnight UTC.
class SigningKeyCache {
 public:
  ~SigningKeyCache() {
    for (auto& e : entries_) {
      secure_zero(e.secret.data(), e.secret.size());
      secure_zero(e.key.data(), e.key.size());
    }
  }

  const detail::Sha256Digest& get(std::string_view secret, std::string_view date,
                                  std::string_view region, std::string_view service) {
    for (const auto& e : entries_) {
      if (e.valid && e.date == date && e.secret == secret && e.region == region &&
          e.service == service) {
        return e.key;
      }
    }
    Entry& e = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    secure_zero(e.secret.data(), e.secret.size());
    e.valid = false;
    std::string k_secret;
    k_secret.reserve(4 + secret.size());
    k_secret.append("AWS4").append(secret);
    auto k = detail::hmac_sha256(k_secret, date);
    secure_zero(k_secret.data(), k_secret.size());
    k = detail::hmac_sha256(as_view(k), region);
    k = detail::hmac_sha256(as_view(k), service);
    e.key = detail::hmac_sha256(as_view(k), "aws4_request");
    e.secret.assign(secret);
    e.date.assign(date);
    e.region.assign(region);
    e.service.assign(service);
    e.valid = true;
    return e.key;
  }

  static std::string_view as_view(const detail::Sha256Digest& d) noexcept {
    return {reinterpret_cast<const char*>(d.data()), d.size()};
  }

 private:
  struct Entry {
    std::string secret, date, region, service;
    detail::Sha256Digest key{};
    bool valid = false;
  };
  std::array<Entry, 4> entries_;
  std::size_t next_ = 0;
};

// Per-thread buffers; cleared, never shrunk, on each call.
struct Scratch {
  std::string canonical;
  std::string headers_block;  // presign: headers come before the query is known
  std::string signed_headers;
  std::string host;
  std::string scope;
  std::string string_to_sign;
  std::vector<HeaderRef> headers;
  std::vector<QueryParam> query;
  SigningKeyCache keys;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

Result<void> check_inputs(const Credentials& credentials, const SigningParams& params) {
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
    return unexpected(ErrorCode::invalid_argument,
                      "sigv4: credentials lack an access key id or secret access key");
  }
  if (params.region.empty()) {
    return unexpected(ErrorCode::invalid_argument, "sigv4: SigningParams::region is empty");
  }
  if (params.service.empty()) {
    return unexpected(ErrorCode::invalid_argument, "sigv4: SigningParams::service is empty");
  }
  return {};
}

Result<void> check_payload_hash(std::string_view hash) {
  if (hash.empty() ||
      std::any_of(hash.begin(), hash.end(), [](char c) { return c == '\r' || c == '\n'; })) {
    return unexpected(ErrorCode::invalid_argument,
                      "sigv4: SigningParams::payload_hash is empty or contains a line break");
  }
  return {};
}

// Replaces the first header called `name` (any case, keeping its spelling and
// position) and drops any others; appends it when absent. Re-signing a retried
// request therefore updates X-Amz-Date instead of adding a second one.
void set_header(http::Headers& headers, std::string_view name, std::string_view value) {
  bool found = false;
  std::erase_if(headers, [&](std::pair<std::string, std::string>& h) {
    if (!iequals(h.first, name)) return false;
    if (found) return true;
    found = true;
    h.second.assign(value);
    return false;
  });
  if (!found) headers.emplace_back(std::string(name), std::string(value));
}

void collect_headers(const http::Headers& in, Scratch& s, const UrlParts& url) {
  s.headers.clear();
  bool has_host = false;
  for (const auto& [name, value] : in) {
    s.headers.push_back(HeaderRef{name, value, s.headers.size()});
    has_host = has_host || iequals(name, "host");
  }
  if (!has_host) {  // signed as the transport will send it
    s.host.clear();
    append_host(s.host, url);
    s.headers.push_back(HeaderRef{"host", s.host, s.headers.size()});
  }
}

// From the finished canonical request to the hex signature; fills `trace`.
void sign_canonical(Scratch& s, const AmzDate& date, const Credentials& credentials,
                    const SigningParams& params, char (&signature)[64], SigningTrace* trace) {
  char hex[64];
  const auto creq_hash = detail::sha256(s.canonical);
  write_hex(hex, creq_hash.data(), creq_hash.size());
  s.string_to_sign.clear();
  s.string_to_sign.append(kAlgorithm).append(1, '\n').append(date.datetime()).append(1, '\n');
  s.string_to_sign.append(s.scope).append(1, '\n').append(hex, sizeof hex);

  const auto& key =
      s.keys.get(credentials.secret_access_key, date.date(), params.region, params.service);
  const auto sig = detail::hmac_sha256(SigningKeyCache::as_view(key), s.string_to_sign);
  write_hex(signature, sig.data(), sig.size());
  if (trace != nullptr) {
    trace->canonical_request = s.canonical;
    trace->string_to_sign = s.string_to_sign;
    trace->signing_key_hex.resize(64);
    write_hex(trace->signing_key_hex.data(), key.data(), key.size());
    trace->signature.assign(signature, sizeof signature);
  }
}

void build_scope(Scratch& s, const AmzDate& date, const SigningParams& params) {
  s.scope.clear();
  s.scope.append(date.date()).append(1, '/').append(params.region).append(1, '/');
  s.scope.append(params.service).append("/aws4_request");
}

}  // namespace

std::string uri_encode(std::string_view text, bool encode_slash) {
  std::string out;
  out.reserve(text.size());
  append_uri_encoded(out, text, encode_slash);
  return out;
}

Result<void> sign_request(http::Request& request, const Credentials& credentials,
                          const SigningParams& params, SigningTrace* trace) {
  DYNAMATE_TRY(check_inputs(credentials, params));
  if (request.method.empty()) {
    return unexpected(ErrorCode::invalid_argument, "sigv4: request method is empty");
  }
  DYNAMATE_ASSIGN_OR_RETURN(const UrlParts url, parse_url(request.url));
  DYNAMATE_ASSIGN_OR_RETURN(const AmzDate date, format_amz_date(params.time));

  // The payload hash, computed at most once. unsigned_payload wins over a
  // given hash so that a client-wide "don't sign payloads" setting holds even
  // where an uploader hashed the body for its own integrity checks.
  char body_hex[64];
  std::string_view payload;
  if (params.unsigned_payload) {
    payload = kUnsignedPayload;
  } else if (params.payload_hash) {
    DYNAMATE_TRY(check_payload_hash(*params.payload_hash));
    payload = *params.payload_hash;
  } else if (request.body_source) {
    if (!params.s3_rules) {
      return unexpected(ErrorCode::invalid_argument,
                        "sigv4: a streamed body needs SigningParams::payload_hash (or "
                        "unsigned_payload) outside S3");
    }
    payload = kUnsignedPayload;  // S3 accepts unsigned streamed payloads
  } else if (request.body.empty()) {
    payload = kEmptySha256;
  } else {
    const auto digest = detail::sha256(request.body);
    write_hex(body_hex, digest.data(), digest.size());
    payload = std::string_view(body_hex, sizeof body_hex);
  }

  // A request signed before (a retry) carries an old signature: never sign it.
  std::erase_if(request.headers, [](const auto& h) { return iequals(h.first, "authorization"); });
  set_header(request.headers, "X-Amz-Date", date.datetime());
  if (!credentials.session_token.empty()) {
    set_header(request.headers, "X-Amz-Security-Token", credentials.session_token);
  }
  if (params.s3_rules) set_header(request.headers, "X-Amz-Content-SHA256", payload);

  Scratch& s = scratch();
  collect_headers(request.headers, s, url);
  s.canonical.clear();
  s.canonical.append(request.method).append(1, '\n');
  append_canonical_uri(s.canonical, url.path, params.s3_rules);
  s.canonical.push_back('\n');
  s.query.clear();
  parse_query(url.query, s.query);
  append_canonical_query(s.canonical, s.query);
  s.canonical.push_back('\n');
  s.signed_headers.clear();
  append_canonical_headers(s.canonical, s.signed_headers, s.headers);
  s.canonical.append(s.signed_headers).append(1, '\n').append(payload);

  build_scope(s, date, params);
  char signature[64];
  sign_canonical(s, date, credentials, params, signature, trace);

  std::string auth;
  auth.reserve(kAlgorithm.size() + credentials.access_key_id.size() + s.scope.size() +
               s.signed_headers.size() + 64 + 40);
  auth.append(kAlgorithm).append(" Credential=").append(credentials.access_key_id);
  auth.append(1, '/').append(s.scope).append(", SignedHeaders=").append(s.signed_headers);
  auth.append(", Signature=").append(signature, sizeof signature);
  request.headers.emplace_back("Authorization", std::move(auth));
  return {};
}

Result<std::string> presign_url(std::string_view method, std::string_view url,
                                const http::Headers& headers, const Credentials& credentials,
                                const SigningParams& params, std::chrono::seconds expires,
                                SigningTrace* trace) {
  DYNAMATE_TRY(check_inputs(credentials, params));
  if (method.empty()) {
    return unexpected(ErrorCode::invalid_argument, "sigv4: presign method is empty");
  }
  if (expires < std::chrono::seconds(1) || expires > kMaxPresignExpiry) {
    return unexpected(ErrorCode::invalid_argument,
                      "sigv4: presigned URL expiry must be 1 to 604800 seconds (7 days), got " +
                          std::to_string(expires.count()));
  }
  DYNAMATE_ASSIGN_OR_RETURN(const UrlParts parts, parse_url(url));
  DYNAMATE_ASSIGN_OR_RETURN(const AmzDate date, format_amz_date(params.time));

  // Whoever follows the URL sends no signed body: S3 defines UNSIGNED-PAYLOAD
  // for that; other services sign the hash of the (normally empty) body.
  std::string_view payload = kEmptySha256;
  if (params.s3_rules || params.unsigned_payload) {
    payload = kUnsignedPayload;
  } else if (params.payload_hash) {
    DYNAMATE_TRY(check_payload_hash(*params.payload_hash));
    payload = *params.payload_hash;
  }

  Scratch& s = scratch();
  build_scope(s, date, params);
  collect_headers(headers, s, parts);
  s.headers_block.clear();
  s.signed_headers.clear();
  append_canonical_headers(s.headers_block, s.signed_headers, s.headers);

  // The authentication parameters, in the order botocore writes them; the
  // signature covers only their sorted canonical form.
  std::string credential(credentials.access_key_id);
  credential.append(1, '/').append(s.scope);
  std::array<std::pair<std::string_view, std::string_view>, 6> auth_params = {{
      {"X-Amz-Algorithm", kAlgorithm},
      {"X-Amz-Credential", credential},
      {"X-Amz-Date", date.datetime()},
      {"X-Amz-Expires", {}},
      {"X-Amz-SignedHeaders", s.signed_headers},
      {"X-Amz-Security-Token", credentials.session_token},
  }};
  const std::string expires_text = std::to_string(expires.count());
  auth_params[3].second = expires_text;
  const std::size_t n_auth = credentials.session_token.empty() ? 5 : 6;

  std::string out(url.substr(0, parts.end));
  if (!parts.query.empty()) {
    out.push_back('&');
  } else if (!parts.has_query_mark) {
    out.push_back('?');
  }
  s.query.clear();
  parse_query(parts.query, s.query);
  for (std::size_t i = 0; i < n_auth; ++i) {
    QueryParam& p = s.query.emplace_back();
    p.name.assign(auth_params[i].first);
    append_uri_encoded(p.value, auth_params[i].second, true);
    out.append(p.name).append(1, '=').append(p.value).append(1, '&');
  }

  s.canonical.clear();
  s.canonical.append(method).append(1, '\n');
  append_canonical_uri(s.canonical, parts.path, params.s3_rules);
  s.canonical.push_back('\n');
  append_canonical_query(s.canonical, s.query);
  s.canonical.append(1, '\n').append(s.headers_block);
  s.canonical.append(s.signed_headers).append(1, '\n').append(payload);

  char signature[64];
  sign_canonical(s, date, credentials, params, signature, trace);
  out.append("X-Amz-Signature=").append(signature, sizeof signature);
  return out;
}

}  // namespace dynamate::aws
