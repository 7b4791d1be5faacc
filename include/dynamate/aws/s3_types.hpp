// dynamate/aws/s3_types.hpp: the request options and results of S3Client's
// operations (see dynamate/aws/s3.hpp), plus S3's size limits.
//
// Plain aggregates meant for designated initializers:
//   client.put_object(bucket, key, body, {.attributes = {.content_type = "text/html"},
//                                         .if_none_match = true});
// Every member has a default initializer ({} included), so that partial
// designated initializers do not trip GCC's -Wmissing-field-initializers.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamate/bytes.hpp"

namespace dynamate::aws {

inline constexpr std::uint64_t kMiB = 1024 * 1024;
inline constexpr std::uint64_t kGiB = 1024 * kMiB;
// S3 limits, checked before anything is sent.
inline constexpr std::uint64_t kS3MaxPutSize = 5 * kGiB;            // one PutObject
inline constexpr std::uint64_t kS3MaxObjectSize = 5 * 1024 * kGiB;  // 5 TiB
inline constexpr std::uint64_t kS3MinPartSize = 5 * kMiB;           // all parts but the last
inline constexpr std::uint64_t kS3MaxPartSize = 5 * kGiB;
inline constexpr int kS3MaxParts = 10000;
inline constexpr std::size_t kS3MaxKeyBytes = 1024;
inline constexpr std::size_t kS3MaxMetadataBytes = 2048;  // names + values, UTF-8
inline constexpr std::size_t kS3MaxDeleteBatch = 1000;    // keys per DeleteObjects request

using TimePoint = std::chrono::system_clock::time_point;

enum class ServerSideEncryption : std::uint8_t {
  none,  // the bucket's default
  s3,    // SSE-S3: x-amz-server-side-encryption: AES256
  kms,   // SSE-KMS: aws:kms, with ObjectAttributes::kms_key_id or the account's default key
};

// What an object is created with (PutObject, CreateMultipartUpload, CopyObject
// with MetadataDirective::replace, upload()). Empty strings are not sent.
struct ObjectAttributes {
  std::string content_type{};
  std::string content_encoding{};
  std::string content_disposition{};
  std::string cache_control{};
  // Sent as x-amz-meta-<name>. Names must be HTTP header tokens (S3 stores them
  // lowercased; names differing only in case are rejected); values printable
  // ASCII. Names plus values at most 2 KB.
  std::map<std::string, std::string> metadata{};
  ServerSideEncryption sse = ServerSideEncryption::none;
  std::string kms_key_id{};     // with sse == kms; empty = the AWS-managed key
  std::string storage_class{};  // "STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", ...
};

// How a request body is hashed and checked.
//
// SigV4 signs a hash of the body (x-amz-content-sha256). In-memory bodies are
// hashed once, and that one hash is reused for x-amz-checksum-sha256. A
// streamed body (BodySource) is by default hashed in a pre-pass, so the source
// is read twice. unsigned_payload sends UNSIGNED-PAYLOAD instead and saves that
// pass: over HTTPS, TLS already protects the body's integrity in transit, so
// this is safe and is what the AWS SDKs do for streams; over plain HTTP the body
// is then not covered by the signature. Set checksum_sha256 too if S3 should
// still verify (and store) the body's hash: that needs the pre-pass again,
// unless sha256_hex is given.
struct PayloadOptions {
  bool unsigned_payload = false;
  // The body's SHA-256 (lowercase hex) when the caller already knows it: no
  // hashing pass at all. Must be right, or S3 rejects the request.
  std::optional<std::string> sha256_hex{};
  // Send x-amz-checksum-sha256 (base64): S3 verifies the body against it and
  // keeps it (GetObject/HeadObject return it with checksum_mode).
  bool checksum_sha256 = false;
  // Send Content-MD5. In-memory bodies only (invalid_argument for a stream);
  // prefer checksum_sha256.
  bool content_md5 = false;
};

struct PutObjectOptions {
  ObjectAttributes attributes{};
  PayloadOptions payload{};
  // Create only: If-None-Match: * ; an existing object fails the call with
  // ErrorCode::condition_failed (HTTP 412).
  bool if_none_match = false;
  // Replace only the object with this ETag (If-Match); else condition_failed.
  std::string if_match{};
};

struct PutObjectResult {
  std::string etag{};             // as S3 returns it, quotes included
  std::string version_id{};       // versioned buckets only
  std::string sha256_hex{};       // the body's hash when it was computed or given
  std::string checksum_sha256{};  // base64, when sent
};

// An inclusive byte range [first, last]; last unset = to the end.
struct ByteRange {
  std::uint64_t first = 0;
  std::optional<std::uint64_t> last{};
};

struct GetObjectOptions {
  std::optional<ByteRange> range{};  // HTTP 206 with a Content-Range
  std::string if_match{};            // else condition_failed (412)
  std::string if_none_match{};       // ETag or "*"; a match fails (304)
  std::string version_id{};
  bool checksum_mode = false;  // ask S3 to return the stored checksum
};

// Response headers of GetObject / HeadObject.
struct ObjectInfo {
  std::uint64_t content_length = 0;  // of this response (the range, for a range read)
  std::string content_type{};
  std::string content_encoding{};
  std::string content_disposition{};
  std::string cache_control{};
  std::string content_range{};  // "bytes 0-9/100" for range reads
  std::string etag{};           // quotes included
  std::string version_id{};
  std::string storage_class{};           // empty means STANDARD
  std::string server_side_encryption{};  // "AES256", "aws:kms", ...
  std::string kms_key_id{};
  std::string checksum_sha256{};  // base64, with checksum_mode and a stored checksum
  std::map<std::string, std::string> metadata{};  // x-amz-meta-* names, lowercased
  std::optional<TimePoint> last_modified{};
};

struct GetObjectResult {
  ObjectInfo info{};
  Bytes body{};
};

struct DeleteObjectsOptions {
  // Quiet mode: S3 reports only failures. DeleteObjectsResult::deleted is then
  // derived (every key that was not reported as failed).
  bool quiet = true;
};

struct DeleteObjectError {
  std::string key{};
  std::string code{};  // S3's error name, e.g. "AccessDenied"
  std::string message{};
};

struct DeleteObjectsResult {
  std::vector<std::string> deleted{};
  std::vector<DeleteObjectError> errors{};
};

struct ListObjectsOptions {
  std::string prefix{};
  std::string delimiter{};           // e.g. "/" to group keys into common prefixes
  int max_keys = 0;                  // per page; 0 = S3's default (1000)
  std::string continuation_token{};  // from a previous page
  std::string start_after{};         // list keys after this one
};

struct ObjectSummary {
  std::string key{};
  std::uint64_t size = 0;
  std::string etag{};
  std::optional<TimePoint> last_modified{};
  std::string storage_class{};
};

struct ListObjectsResult {
  std::vector<ObjectSummary> objects{};
  std::vector<std::string> common_prefixes{};
  bool is_truncated = false;
  std::string next_continuation_token{};  // set when is_truncated
};

enum class MetadataDirective : std::uint8_t {
  copy,     // keep the source's metadata and content headers
  replace,  // use CopyObjectOptions::attributes
};

struct CopyObjectOptions {
  MetadataDirective metadata_directive = MetadataDirective::copy;
  // With replace: the new content headers and metadata. sse and storage_class
  // apply to the copy in either mode.
  ObjectAttributes attributes{};
  std::string source_if_match{};  // x-amz-copy-source-if-match; else condition_failed
  std::string source_version_id{};
};

struct CopyObjectResult {
  std::string etag{};
  std::optional<TimePoint> last_modified{};
  std::string version_id{};
};

struct CreateMultipartUploadOptions {
  ObjectAttributes attributes{};
  // Parts will carry x-amz-checksum-sha256 (x-amz-checksum-algorithm: SHA256).
  bool checksum_sha256 = false;
};

// One uploaded part, as CompleteMultipartUpload needs it.
struct CompletedPart {
  int part_number = 0;
  std::string etag{};
  std::string checksum_sha256{};  // base64; required when the upload has SHA256 checksums
};

struct CompleteMultipartUploadOptions {
  // Create only (If-None-Match: *); else condition_failed. Marked ambiguous
  // when it came from a retry: the object may be this upload's.
  bool if_none_match = false;
};

struct CompleteMultipartUploadResult {
  std::string etag{};  // "<md5 of part md5s>-<parts>"
  std::string version_id{};
  std::string location{};
  std::string checksum_sha256{};  // composite, "<base64>-<parts>", when parts had checksums
};

struct PartInfo {
  int part_number = 0;
  std::string etag{};
  std::uint64_t size = 0;
  std::optional<TimePoint> last_modified{};
  std::string checksum_sha256{};
};

struct ListPartsOptions {
  int max_parts = 0;           // 0 = S3's default (1000)
  int part_number_marker = 0;  // list parts after this number
};

struct ListPartsResult {
  std::vector<PartInfo> parts{};
  bool is_truncated = false;
  int next_part_number_marker = 0;
};

// S3Client::upload / upload_file.
struct UploadOptions {
  ObjectAttributes attributes{};
  // checksum_sha256: on the object (PutObject) or on every part. sha256_hex
  // (the whole body's hash): the single PutObject only. unsigned_payload: the
  // single PutObject and every part (file parts: saves the re-read; buffered
  // stream parts: saves the hashing). content_md5: rejected (invalid_argument).
  PayloadOptions payload{};
  bool if_none_match = false;  // create only, on PutObject or CompleteMultipartUpload
  std::uint64_t multipart_threshold = 16 * kMiB;  // sizes >= this use multipart
  // Raised automatically when the object would need more than 10000 parts.
  std::uint64_t part_size = 8 * kMiB;
  int concurrency = 4;  // parts in flight; memory for streams ~ concurrency * part_size
};

struct UploadResult {
  std::string etag{};
  std::string version_id{};
  std::string checksum_sha256{};  // object checksum (composite for multipart)
  int parts = 0;                  // 0 = a single PutObject
};

}  // namespace dynamate::aws
