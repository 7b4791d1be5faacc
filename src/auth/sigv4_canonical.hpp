// src/auth/sigv4_canonical.hpp: the pieces of a SigV4 canonical request (URL
// splitting, URI encoding, path normalization, canonical query and headers, the
// X-Amz-Date stamp). Private to the signer; split out so that sigv4.cpp holds
// only the signing flow. Everything here appends to caller-owned buffers so the
// signer can reuse one set of per-thread buffers across requests.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/result.hpp"

namespace dynamate::aws::sigv4_detail {

// Views into an absolute URL; valid as long as the URL string is.
struct UrlParts {
  bool https = false;
  std::string_view host;        // as written; IPv6 literals keep their brackets
  std::string_view port;        // digits, empty when absent
  std::string_view path;        // from the first '/', may be empty
  std::string_view query;       // after '?', without it
  bool has_query_mark = false;  // a '?' was present (even with an empty query)
  std::size_t end = 0;          // where the fragment ('#') starts, or the URL's size
};

// Accepts http:// and https:// URLs. Path and query bytes are taken as they are
// (the SigV4 test suite sends raw UTF-8 and spaces); the authority is checked.
// Errors: invalid_argument naming the problem.
Result<UrlParts> parse_url(std::string_view url);

// Lowercased host, plus ":port" when the port is not the scheme's default.
void append_host(std::string& out, const UrlParts& url);

// SigV4 UriEncode: every byte except A-Z a-z 0-9 - _ . ~ (and '/' when
// encode_slash is false) as %XX with uppercase hex.
void append_uri_encoded(std::string& out, std::string_view text, bool encode_slash);

// S3: the wire path verbatim. Others: UriEncode(remove_dot_segments(path)), with
// empty segments dropped as AWS requires. An empty path is "/".
void append_canonical_uri(std::string& out, std::string_view path, bool s3_rules);

struct QueryParam {
  std::string name;   // encoded
  std::string value;  // encoded
};

// Splits a wire query on '&' and '='; each component is percent-decoded and
// encoded again, so raw and already-encoded input give the same canonical form.
void parse_query(std::string_view query, std::vector<QueryParam>& out);

// Sorts `params` by name, then value (byte order) and appends "n=v&n=v".
void append_canonical_query(std::string& out, std::vector<QueryParam>& params);

struct HeaderRef {
  std::string_view name;  // trimmed, original case
  std::string_view value;
  std::size_t order = 0;  // position of arrival: duplicates join in this order
};

// Headers SigV4 signers never sign (hop-by-hop ones, and those that proxies or
// SDK layers rewrite after signing).
bool is_unsigned_header(std::string_view name) noexcept;

bool iequals(std::string_view a, std::string_view b) noexcept;

// Appends "name:value\n" for each signed header (lowercased names in byte
// order, values trimmed with inner whitespace runs collapsed, duplicates joined
// with ','), then the blank line; appends "a;b;c" to `signed_headers`. Skips
// unsigned headers. Reorders `headers`.
void append_canonical_headers(std::string& out, std::string& signed_headers,
                              std::vector<HeaderRef>& headers);

// "YYYYMMDDTHHMMSSZ" and its first 8 characters.
struct AmzDate {
  char text[16];
  std::string_view datetime() const noexcept { return {text, 16}; }
  std::string_view date() const noexcept { return {text, 8}; }
};

// UTC; errors (invalid_argument) for years outside 0000..9999.
Result<AmzDate> format_amz_date(std::chrono::system_clock::time_point time);

// Lowercase hex of `n` bytes into `out` (2n chars).
void write_hex(char* out, const unsigned char* data, std::size_t n) noexcept;

}  // namespace dynamate::aws::sigv4_detail
