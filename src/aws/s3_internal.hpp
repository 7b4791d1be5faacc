// src/aws/s3_internal.hpp: what the S3Client sources share: the client's
// state (S3Client::Impl: pipeline + addressing), input validation, header and
// payload helpers, and the XML request/response codecs (pugixml). Private.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aws/service_client.hpp"
#include "dynamate/aws/s3.hpp"

namespace dynamate::aws {

struct S3Client::Impl {
  std::shared_ptr<detail::ServiceClient> service;
  std::string scheme;     // "https://" or "http://"
  std::string authority;  // host[:port] of the endpoint
  std::string base_path;  // path part of the endpoint ("" or "/prefix")
  bool https = true;
  bool force_path_style = false;  // config, or an IP-address / localhost endpoint

  // Whether `bucket` is addressed in the path rather than the host name.
  bool path_style_for(std::string_view bucket) const noexcept;
  // The wire URL of `key` in `bucket` (empty key: the bucket itself), with
  // `query` (already encoded, without '?') appended.
  std::string url(std::string_view bucket, std::string_view key, std::string_view query = {}) const;
  // service->call(), with "<operation> s3://bucket/key" put in front of any
  // error's message.
  Result<http::Response> call(std::string_view operation, std::string_view bucket,
                              std::string_view key, http::Request request,
                              const detail::CallOptions& options,
                              detail::CallStats* stats = nullptr) const;
};

namespace detail {

// --- validation (s3_validate.cpp) -------------------------------------------
Result<void> check_bucket_and_key(std::string_view bucket, std::string_view key);
Result<void> check_attributes(const ObjectAttributes& attributes);
Result<void> check_part_number(int part_number);
Result<void> check_header_value(std::string_view what, std::string_view value);

// --- headers and payloads (s3_util.cpp) -------------------------------------
// Appends name=value (both SigV4-encoded) to a query string.
void add_query(std::string& query, std::string_view name, std::string_view value);
void add_attribute_headers(http::Headers& headers, const ObjectAttributes& attributes);
ObjectInfo object_info_from(const http::Response& response);
std::string header_or_empty(const http::Response& response, std::string_view name);
// CallOptions::check_success for calls that may answer 200 with an <Error>
// document (CopyObject, CompleteMultipartUpload).
std::optional<Error> error_in_200(const http::Response& response);

// The payload fields of a request, computed with at most one hashing pass.
struct PreparedPayload {
  std::optional<std::string> sha256_hex;  // signs the body when set
  std::string checksum_sha256;            // base64 for x-amz-checksum-sha256
  std::string content_md5;                // base64 for Content-MD5
};
Result<PreparedPayload> prepare_payload(std::string_view body, const PayloadOptions& options);
// Rewinds `body` (it is sent from its first byte), reads it once through
// when a hash is needed, and rewinds it again.
Result<PreparedPayload> prepare_payload(http::BodySource& body, const PayloadOptions& options);
// Adds the payload's headers and CallOptions fields.
void apply_payload(const PreparedPayload& payload, http::Headers& headers, CallOptions& options);

// HTTP dates (Last-Modified): dynamate::detail::parse_http_date in
// core/http_date.hpp.
std::optional<TimePoint> parse_iso8601(std::string_view text);
// Percent-decoding with '+' as space (S3's encoding-type=url).
std::string url_decode(std::string_view text);

// --- XML (s3_xml.cpp) --------------------------------------------------------
std::string create_bucket_xml(std::string_view location_constraint);
std::string delete_objects_xml(std::span<const std::string* const> keys, bool quiet);
// Appends the <Deleted> keys and <Error> entries of a DeleteResult.
Result<void> parse_delete_objects(std::string_view xml, DeleteObjectsResult& out);
Result<ListObjectsResult> parse_list_objects_v2(std::string_view xml);
std::string complete_multipart_xml(std::span<const CompletedPart> parts);
Result<std::string> parse_initiate_multipart(std::string_view xml);
Result<CompleteMultipartUploadResult> parse_complete_multipart(std::string_view xml);
Result<CopyObjectResult> parse_copy_object(std::string_view xml);
Result<ListPartsResult> parse_list_parts(std::string_view xml);

}  // namespace detail
}  // namespace dynamate::aws
