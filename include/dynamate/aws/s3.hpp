// dynamate/aws/s3.hpp: S3Client, one method per S3 API call dynamate needs,
// presigned URLs, and streaming upload()/download() helpers built on them.
//
// Addressing: virtual-hosted (https://bucket.s3.<region>.amazonaws.com/key) by
// default; path style (<endpoint>/bucket/key) with ClientConfig::s3_path_style,
// for IP-address and localhost endpoints, and for bucket names with dots over
// https (the wildcard certificate does not cover them). Keys are sent
// URI-encoded once ('/' kept) and never normalized: "a//b/./c/../d" is a key.
//
// Every operation validates its input first (bucket name, key, metadata, part
// number, sizes) and returns ErrorCode::invalid_argument without sending
// anything. Service errors come back as the codes of dynamate/error.hpp:
// not_found (NoSuchBucket, NoSuchKey, NoSuchUpload), condition_failed
// (precondition 412 / 304), already_exists, access_denied, throttled, ...
// Retries follow the client's RetryOptions; each method says whether it is
// idempotent, i.e. retried even after an ambiguous failure.
//
// Thread-safety: S3Client is a cheap handle (a shared_ptr); copies share one
// pipeline, and every method is const and safe to call from many threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "dynamate/aws/client_config.hpp"
#include "dynamate/aws/http.hpp"
#include "dynamate/aws/s3_types.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws {

// The rules S3 applies to new bucket names: 3-63 characters of lowercase
// letters, digits, dots and hyphens; starting and ending with a letter or
// digit; no "..", not an IP address, none of S3's reserved prefixes/suffixes
// (xn--, sthree-, -s3alias, --ol-s3, ...). Errors: invalid_argument saying why.
Result<void> validate_bucket_name(std::string_view bucket);
// 1 to 1024 bytes of valid UTF-8. Errors: invalid_argument.
Result<void> validate_object_key(std::string_view key);

class S3Client {
 public:
  // Builds a client (no network). Errors: invalid_argument for a config
  // without region or credentials, or an endpoint that is not http(s)://.
  static Result<S3Client> create(ClientConfig config);

  const ClientConfig& config() const noexcept;

  // --- Buckets -------------------------------------------------------------

  // CreateBucket, with a LocationConstraint for the client's region unless it
  // is us-east-1. Errors: already_exists (BucketAlreadyExists /
  // BucketAlreadyOwnedByYou). Not idempotent (a lost answer is not retried).
  Result<void> create_bucket(std::string_view bucket) const;
  // HeadBucket. Errors: not_found, access_denied. Idempotent.
  Result<void> head_bucket(std::string_view bucket) const;
  // DeleteBucket (must be empty). Errors: not_found; aws_code BucketNotEmpty
  // (HTTP 409) while objects remain. Idempotent.
  Result<void> delete_bucket(std::string_view bucket) const;

  // --- Objects -------------------------------------------------------------

  // PutObject from memory (at most 5 GiB). The body is hashed once for the
  // signature (and the checksum). Errors: condition_failed (if_none_match /
  // if_match), not_found (bucket), access_denied. Idempotent unless a
  // condition is set.
  Result<PutObjectResult> put_object(std::string_view bucket, std::string_view key,
                                     std::string body, const PutObjectOptions& options = {}) const;
  // PutObject streamed from `body` (size() bytes, at most 5 GiB, read from its
  // first byte: rewound first, whatever was read from it already, and again
  // after the hashing pass and for retries). See
  // PayloadOptions for hashing. Memory stays flat. Errors as above, plus the
  // source's own errors.
  Result<PutObjectResult> put_object(std::string_view bucket, std::string_view key,
                                     std::shared_ptr<http::BodySource> body,
                                     const PutObjectOptions& options = {}) const;

  // GetObject into memory. Errors: not_found (NoSuchKey / NoSuchBucket),
  // condition_failed (if_match 412, if_none_match 304), validation
  // (InvalidRange). Idempotent.
  Result<GetObjectResult> get_object(std::string_view bucket, std::string_view key,
                                     const GetObjectOptions& options = {}) const;
  // GetObject streamed into `sink` (reset and rewritten if a retry happens).
  // Returns the response headers. Errors as above, plus the sink's own.
  Result<ObjectInfo> get_object(std::string_view bucket, std::string_view key, http::BodySink& sink,
                                const GetObjectOptions& options = {}) const;
  // HeadObject. Errors: not_found, condition_failed. Idempotent.
  Result<ObjectInfo> head_object(std::string_view bucket, std::string_view key,
                                 const GetObjectOptions& options = {}) const;
  // DeleteObject. Succeeds whether or not the key existed. Idempotent.
  Result<void> delete_object(std::string_view bucket, std::string_view key) const;

  // DeleteObjects for any number of keys: requests of at most 1000 keys, each
  // with Content-MD5 and x-amz-checksum-sha256 as S3 requires, one after
  // another. Keys S3 could not delete come back in DeleteObjectsResult::errors
  // (not as an Error). Keys containing control characters (which S3's XML
  // cannot carry) are deleted one by one with DeleteObject. A request that
  // fails as a whole ends the call with its Error (keys of earlier requests
  // are gone; calling again is safe). Idempotent.
  Result<DeleteObjectsResult> delete_objects(std::string_view bucket,
                                             std::span<const std::string> keys,
                                             const DeleteObjectsOptions& options = {}) const;

  // ListObjectsV2, one page (keys are requested URL-encoded and decoded, so
  // any key survives the XML). Errors: not_found (bucket). Idempotent.
  Result<ListObjectsResult> list_objects(std::string_view bucket,
                                         const ListObjectsOptions& options = {}) const;
  // Pages through ListObjectsV2 from options.continuation_token on, calling
  // `on_page` for each page; stops early when it returns false. Memory holds
  // one page at a time.
  Result<void> for_each_object_page(
      std::string_view bucket, const ListObjectsOptions& options,
      const std::function<bool(const ListObjectsResult& page)>& on_page) const;
  // Every page concatenated (objects and common prefixes; is_truncated false).
  Result<ListObjectsResult> list_all_objects(std::string_view bucket,
                                             const ListObjectsOptions& options = {}) const;

  // CopyObject (server side, at most 5 GiB). An error inside a 200 answer is
  // detected and reported (retried when S3 marks it retryable). Errors:
  // not_found (source), condition_failed (source_if_match). Idempotent.
  Result<CopyObjectResult> copy_object(std::string_view source_bucket, std::string_view source_key,
                                       std::string_view bucket, std::string_view key,
                                       const CopyObjectOptions& options = {}) const;

  // --- Multipart upload ----------------------------------------------------

  // CreateMultipartUpload; returns the upload id. Retried like an idempotent
  // call: a lost answer leaves at most an empty, unused upload behind (a
  // bucket lifecycle rule should abort incomplete uploads).
  Result<std::string> create_multipart_upload(
      std::string_view bucket, std::string_view key,
      const CreateMultipartUploadOptions& options = {}) const;
  // UploadPart from memory / from a stream (part_number 1..10000, at most
  // 5 GiB; all parts but the last at least 5 MiB, which S3 checks at
  // completion). Errors: not_found (NoSuchUpload). Idempotent (a part number
  // is simply overwritten).
  Result<CompletedPart> upload_part(std::string_view bucket, std::string_view key,
                                    std::string_view upload_id, int part_number, std::string body,
                                    const PayloadOptions& options = {}) const;
  Result<CompletedPart> upload_part(std::string_view bucket, std::string_view key,
                                    std::string_view upload_id, int part_number,
                                    std::shared_ptr<http::BodySource> body,
                                    const PayloadOptions& options = {}) const;
  // CompleteMultipartUpload with `parts` in ascending part number order. An
  // error inside a 200 answer is detected. Errors: not_found (NoSuchUpload),
  // validation (InvalidPart, EntityTooSmall), condition_failed
  // (if_none_match). Retried as the AWS SDKs do; when a retry (after a lost
  // earlier answer, which may have completed the upload) finds NoSuchUpload,
  // or with if_none_match gets 412, the not_found / condition_failed error is
  // marked ambiguous: the object may exist and be this upload's.
  Result<CompleteMultipartUploadResult> complete_multipart_upload(
      std::string_view bucket, std::string_view key, std::string_view upload_id,
      std::span<const CompletedPart> parts,
      const CompleteMultipartUploadOptions& options = {}) const;
  // AbortMultipartUpload. Errors: not_found (NoSuchUpload). Idempotent.
  Result<void> abort_multipart_upload(std::string_view bucket, std::string_view key,
                                      std::string_view upload_id) const;
  // ListParts, one page. Errors: not_found (NoSuchUpload). Idempotent.
  Result<ListPartsResult> list_parts(std::string_view bucket, std::string_view key,
                                     std::string_view upload_id,
                                     const ListPartsOptions& options = {}) const;

  // --- Presigned URLs ------------------------------------------------------

  // A URL anyone can GET (or PUT the object body to) until `expires` (1 s to
  // 7 days) from now, signed with the current credentials (temporary
  // credentials end the URL's life early). For presign_put, `signed_headers`
  // (e.g. Content-Type) must then be sent with exactly those values. No
  // network. Errors: invalid_argument, credentials.
  Result<std::string> presign_get(std::string_view bucket, std::string_view key,
                                  std::chrono::seconds expires) const;
  Result<std::string> presign_put(std::string_view bucket, std::string_view key,
                                  std::chrono::seconds expires,
                                  const http::Headers& signed_headers = {}) const;

  // --- Transfers -----------------------------------------------------------

  // Uploads `body` (rewound first, then read once from its first byte; a
  // single PutObject may read it twice, see put_object): one PutObject below
  // options.multipart_threshold, else a multipart upload whose parts (windows
  // of the stream, read in order into at most `concurrency` part buffers) are
  // uploaded in parallel on `concurrency` threads. On failure the multipart
  // upload is aborted and the first error returned (an exception in a worker,
  // e.g. bad_alloc of a part buffer, becomes ErrorCode::internal). With
  // if_none_match, a condition_failed marked ambiguous means a retried
  // CompleteMultipartUpload may have created the object itself (see
  // complete_multipart_upload). Calls: PutObject, or
  // CreateMultipartUpload + UploadPart* + CompleteMultipartUpload (+
  // AbortMultipartUpload on failure). Thread-safe; blocks until done.
  Result<UploadResult> upload(std::string_view bucket, std::string_view key,
                              std::shared_ptr<http::BodySource> body,
                              const UploadOptions& options = {}) const;
  // The same from a file; parts are file windows read straight from disk (no
  // part buffers), each rewindable for retries.
  Result<UploadResult> upload_file(std::string_view bucket, std::string_view key,
                                   const std::string& path,
                                   const UploadOptions& options = {}) const;
  // GetObject streamed into `sink`. Same as get_object(bucket, key, sink).
  Result<ObjectInfo> download(std::string_view bucket, std::string_view key, http::BodySink& sink,
                              const GetObjectOptions& options = {}) const;

  struct Impl;  // private; defined in src/aws/s3_internal.hpp

 private:
  explicit S3Client(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace dynamate::aws
