// S3Client object operations: PutObject (memory or stream), GetObject (memory
// or sink), HeadObject, DeleteObject, CopyObject.
#include "aws/s3_internal.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace {

using detail::CallOptions;

Result<void> check_put(std::string_view bucket, std::string_view key,
                       const PutObjectOptions& options, std::uint64_t size) {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  DYNAMATE_TRY(detail::check_attributes(options.attributes));
  DYNAMATE_TRY(detail::check_header_value("if_match", options.if_match));
  if (size > kS3MaxPutSize) {
    return unexpected(ErrorCode::invalid_argument,
                      "body of " + std::to_string(size) +
                          " bytes is over PutObject's 5 GiB limit; use upload() (multipart)");
  }
  return {};
}

http::Request put_request(const S3Client::Impl& impl, std::string_view bucket, std::string_view key,
                          const PutObjectOptions& options) {
  http::Request request;
  request.method = "PUT";
  request.url = impl.url(bucket, key);
  detail::add_attribute_headers(request.headers, options.attributes);
  if (options.if_none_match) request.headers.emplace_back("If-None-Match", "*");
  if (!options.if_match.empty()) request.headers.emplace_back("If-Match", options.if_match);
  return request;
}

PutObjectResult put_result(const http::Response& response, const detail::PreparedPayload& p) {
  PutObjectResult out;
  out.etag = detail::header_or_empty(response, "ETag");
  out.version_id = detail::header_or_empty(response, "x-amz-version-id");
  out.sha256_hex = p.sha256_hex.value_or("");
  out.checksum_sha256 = p.checksum_sha256;
  return out;
}

Result<http::Request> get_request(const S3Client::Impl& impl, std::string_view method,
                                  std::string_view bucket, std::string_view key,
                                  const GetObjectOptions& options) {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  DYNAMATE_TRY(detail::check_header_value("if_match", options.if_match));
  DYNAMATE_TRY(detail::check_header_value("if_none_match", options.if_none_match));
  std::string query;
  if (!options.version_id.empty()) detail::add_query(query, "versionId", options.version_id);
  http::Request request;
  request.method = std::string(method);
  request.url = impl.url(bucket, key, query);
  if (options.range) {
    const ByteRange& r = *options.range;
    if (r.last && *r.last < r.first) {
      return unexpected(ErrorCode::invalid_argument, "range end " + std::to_string(*r.last) +
                                                         " is before its start " +
                                                         std::to_string(r.first));
    }
    request.headers.emplace_back("Range", "bytes=" + std::to_string(r.first) + "-" +
                                              (r.last ? std::to_string(*r.last) : std::string()));
  }
  if (!options.if_match.empty()) request.headers.emplace_back("If-Match", options.if_match);
  if (!options.if_none_match.empty()) {
    request.headers.emplace_back("If-None-Match", options.if_none_match);
  }
  if (options.checksum_mode) request.headers.emplace_back("x-amz-checksum-mode", "ENABLED");
  return request;
}

}  // namespace

Result<PutObjectResult> S3Client::put_object(std::string_view bucket, std::string_view key,
                                             std::string body,
                                             const PutObjectOptions& options) const {
  DYNAMATE_TRY(check_put(bucket, key, options, body.size()));
  DYNAMATE_ASSIGN_OR_RETURN(const auto payload, detail::prepare_payload(body, options.payload));
  http::Request request = put_request(*impl_, bucket, key, options);
  CallOptions call;
  call.idempotent = !options.if_none_match && options.if_match.empty();
  detail::apply_payload(payload, request.headers, call);
  request.body = std::move(body);
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("PutObject", bucket, key, std::move(request), call));
  return put_result(response, payload);
}

Result<PutObjectResult> S3Client::put_object(std::string_view bucket, std::string_view key,
                                             std::shared_ptr<http::BodySource> body,
                                             const PutObjectOptions& options) const {
  if (!body) return unexpected(ErrorCode::invalid_argument, "PutObject body source is null");
  DYNAMATE_TRY(check_put(bucket, key, options, body->size()));
  DYNAMATE_ASSIGN_OR_RETURN(const auto payload, detail::prepare_payload(*body, options.payload));
  http::Request request = put_request(*impl_, bucket, key, options);
  CallOptions call;
  call.idempotent = !options.if_none_match && options.if_match.empty();
  detail::apply_payload(payload, request.headers, call);
  request.body_source = std::move(body);
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("PutObject", bucket, key, std::move(request), call));
  return put_result(response, payload);
}

Result<GetObjectResult> S3Client::get_object(std::string_view bucket, std::string_view key,
                                             const GetObjectOptions& options) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto request, get_request(*impl_, "GET", bucket, key, options));
  DYNAMATE_ASSIGN_OR_RETURN(auto response,
                            impl_->call("GetObject", bucket, key, std::move(request), {}));
  GetObjectResult out;
  out.info = detail::object_info_from(response);
  out.body = Bytes(std::move(response.body));
  return out;
}

Result<ObjectInfo> S3Client::get_object(std::string_view bucket, std::string_view key,
                                        http::BodySink& sink,
                                        const GetObjectOptions& options) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto request, get_request(*impl_, "GET", bucket, key, options));
  CallOptions call;
  call.sink = &sink;
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("GetObject", bucket, key, std::move(request), call));
  return detail::object_info_from(response);
}

Result<ObjectInfo> S3Client::download(std::string_view bucket, std::string_view key,
                                      http::BodySink& sink, const GetObjectOptions& options) const {
  return get_object(bucket, key, sink, options);
}

Result<ObjectInfo> S3Client::head_object(std::string_view bucket, std::string_view key,
                                         const GetObjectOptions& options) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto request, get_request(*impl_, "HEAD", bucket, key, options));
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("HeadObject", bucket, key, std::move(request), {}));
  return detail::object_info_from(response);
}

Result<void> S3Client::delete_object(std::string_view bucket, std::string_view key) const {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  http::Request request;
  request.method = "DELETE";
  request.url = impl_->url(bucket, key);
  DYNAMATE_TRY(impl_->call("DeleteObject", bucket, key, std::move(request), {}));
  return {};
}

Result<CopyObjectResult> S3Client::copy_object(std::string_view source_bucket,
                                               std::string_view source_key, std::string_view bucket,
                                               std::string_view key,
                                               const CopyObjectOptions& options) const {
  DYNAMATE_TRY(detail::check_bucket_and_key(source_bucket, source_key));
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  const ObjectAttributes& a = options.attributes;
  DYNAMATE_TRY(detail::check_attributes(a));
  DYNAMATE_TRY(detail::check_header_value("source_if_match", options.source_if_match));
  const bool replace = options.metadata_directive == MetadataDirective::replace;
  if (!replace && (!a.metadata.empty() || !a.content_type.empty() || !a.content_encoding.empty() ||
                   !a.content_disposition.empty() || !a.cache_control.empty())) {
    return unexpected(ErrorCode::invalid_argument,
                      "CopyObject with MetadataDirective::copy keeps the source's metadata and "
                      "content headers; set metadata_directive = replace to change them");
  }
  http::Request request;
  request.method = "PUT";
  request.url = impl_->url(bucket, key);
  std::string source =
      uri_encode(std::string(source_bucket) + "/" + std::string(source_key), false);
  if (!options.source_version_id.empty()) {
    source += "?versionId=" + uri_encode(options.source_version_id, true);
  }
  request.headers.emplace_back("x-amz-copy-source", std::move(source));
  request.headers.emplace_back("x-amz-metadata-directive", replace ? "REPLACE" : "COPY");
  detail::add_attribute_headers(request.headers, a);
  if (!options.source_if_match.empty()) {
    request.headers.emplace_back("x-amz-copy-source-if-match", options.source_if_match);
  }
  CallOptions call;
  call.check_success = detail::error_in_200;
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("CopyObject", bucket, key, std::move(request), call));
  DYNAMATE_ASSIGN_OR_RETURN(CopyObjectResult out, detail::parse_copy_object(response.body));
  out.version_id = detail::header_or_empty(response, "x-amz-version-id");
  return out;
}

}  // namespace dynamate::aws
