// dynamate/aws/sigv4.hpp: AWS Signature Version 4, header signing and presigned
// URLs, for DynamoDB (and any other JSON service) and S3.
//
// Non-S3 services: the canonical URI is the normalized path URI-encoded once
// more (double encoding); S3: the wire path verbatim, never normalized, and the
// payload hash also goes out as X-Amz-Content-SHA256 (or UNSIGNED-PAYLOAD).
// Verified against the official AWS SigV4 test suite and botocore's signers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "dynamate/aws/credentials.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws {

struct SigningParams {
  std::string region;
  std::string service;  // "dynamodb", "s3", ...
  std::chrono::system_clock::time_point time;
  bool s3_rules = false;          // S3 path/payload conventions (see above)
  bool unsigned_payload = false;  // payload hash "UNSIGNED-PAYLOAD"
  // Hex SHA-256 of the body when already known (streamed bodies, or hashed
  // once by the caller); otherwise computed from Request::body.
  std::optional<std::string> payload_hash;
};

// The intermediate results, for tests and for logging signature mismatches.
struct SigningTrace {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signing_key_hex;
  std::string signature;
};

// Signs `request` in place: adds X-Amz-Date, X-Amz-Security-Token (when the
// credentials carry one), X-Amz-Content-SHA256 (S3) and Authorization. A Host
// header is used as given, else derived from the URL. Errors:
// invalid_argument for an unparsable URL or a streamed body without a hash
// under s3_rules=false. Thread-safe (no shared state).
Result<void> sign_request(http::Request& request, const Credentials& credentials,
                          const SigningParams& params, SigningTrace* trace = nullptr);

// A presigned URL for `method` on `url` valid for `expires` (1 s to 7 days),
// signing `headers` (Host is always signed). Errors: invalid_argument.
Result<std::string> presign_url(std::string_view method, std::string_view url,
                                const http::Headers& headers,
                                const Credentials& credentials, const SigningParams& params,
                                std::chrono::seconds expires, SigningTrace* trace = nullptr);

// URI encoding as SigV4 defines it: every byte except A-Z a-z 0-9 - _ . ~ as
// %XX (uppercase); '/' kept when encode_slash is false.
std::string uri_encode(std::string_view text, bool encode_slash);

}  // namespace dynamate::aws
