// dynamate/aws/sigv4.hpp: AWS Signature Version 4, header signing and presigned
// URLs, for DynamoDB (and any other JSON service) and S3.
//
// Non-S3 services: the canonical URI is the normalized path URI-encoded once
// more (double encoding); S3: the wire path verbatim, never normalized, and the
// payload hash also goes out as X-Amz-Content-SHA256 (or UNSIGNED-PAYLOAD).
// The query is canonicalized per component (percent-decoded, then encoded
// again), so both wire-encoded and raw URLs sign as the server will see them.
// Verified against the official AWS SigV4 test suite and botocore's signers
// (tests/conformance).
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
  bool unsigned_payload = false;  // payload hash "UNSIGNED-PAYLOAD"; wins over payload_hash
  // Hex SHA-256 of the body when already known (streamed bodies, or hashed
  // once by the caller); otherwise computed from Request::body. Any other
  // literal S3 accepts (e.g. "STREAMING-...") may be given here too.
  std::optional<std::string> payload_hash;
};

// The intermediate results, for tests and for logging signature mismatches.
struct SigningTrace {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signing_key_hex;
  std::string signature;
};

// Signs `request` in place: sets X-Amz-Date, X-Amz-Security-Token (when the
// credentials carry one), X-Amz-Content-SHA256 (S3) and Authorization. A header
// that is already present is updated where it stands and any old Authorization
// is replaced, so a retried request can simply be signed again. A Host header
// is used as given, else derived from the URL (lowercase, port only when not
// the scheme's default); the transport must send that same Host. Hop-by-hop
// headers and User-Agent / X-Amzn-Trace-Id are never signed.
// The body is hashed once (unless payload_hash or unsigned_payload says
// otherwise); a streamed body without a hash is signed UNSIGNED-PAYLOAD under
// s3_rules and rejected elsewhere.
// Errors: invalid_argument for an unparsable URL (only http/https), empty
// method, credentials, region or service, or a streamed body without a hash
// under s3_rules=false; the request is left unchanged then. Thread-safe: the
// signing-key cache and scratch buffers are per thread.
Result<void> sign_request(http::Request& request, const Credentials& credentials,
                          const SigningParams& params, SigningTrace* trace = nullptr);

// A presigned URL for `method` on `url` valid for `expires` (1 s to 7 days),
// signing `headers` (Host is always signed; whoever uses the URL must send the
// other headers with the same values). The X-Amz-* parameters are appended to
// the URL's own query in botocore's order, X-Amz-Signature last. The payload
// hash is UNSIGNED-PAYLOAD under s3_rules or unsigned_payload, else
// payload_hash or the empty-body hash.
// Errors: invalid_argument (bad URL, expiry out of range, empty inputs).
// Thread-safe.
Result<std::string> presign_url(std::string_view method, std::string_view url,
                                const http::Headers& headers, const Credentials& credentials,
                                const SigningParams& params, std::chrono::seconds expires,
                                SigningTrace* trace = nullptr);

// URI encoding as SigV4 defines it: every byte except A-Z a-z 0-9 - _ . ~ as
// %XX (uppercase); '/' kept when encode_slash is false.
std::string uri_encode(std::string_view text, bool encode_slash);

}  // namespace dynamate::aws
