// S3Client multipart upload calls: CreateMultipartUpload, UploadPart (memory
// or stream), CompleteMultipartUpload, AbortMultipartUpload, ListParts.
#include "aws/s3_internal.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace {

using detail::CallOptions;

Result<void> check_upload(std::string_view bucket, std::string_view key,
                          std::string_view upload_id) {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  if (upload_id.empty()) return unexpected(ErrorCode::invalid_argument, "upload id is empty");
  return {};
}

Result<http::Request> part_request(const S3Client::Impl& impl, std::string_view bucket,
                                   std::string_view key, std::string_view upload_id,
                                   int part_number, std::uint64_t size) {
  DYNAMATE_TRY(check_upload(bucket, key, upload_id));
  DYNAMATE_TRY(detail::check_part_number(part_number));
  if (size > kS3MaxPartSize) {
    return unexpected(ErrorCode::invalid_argument,
                      "part of " + std::to_string(size) + " bytes is over S3's 5 GiB part limit");
  }
  std::string query;
  detail::add_query(query, "partNumber", std::to_string(part_number));
  detail::add_query(query, "uploadId", upload_id);
  http::Request request;
  request.method = "PUT";
  request.url = impl.url(bucket, key, query);
  return request;
}

CompletedPart part_result(const http::Response& response, int part_number,
                          const detail::PreparedPayload& payload) {
  CompletedPart out;
  out.part_number = part_number;
  out.etag = detail::header_or_empty(response, "ETag");
  out.checksum_sha256 = detail::header_or_empty(response, "x-amz-checksum-sha256");
  if (out.checksum_sha256.empty()) out.checksum_sha256 = payload.checksum_sha256;
  return out;
}

}  // namespace

Result<std::string> S3Client::create_multipart_upload(
    std::string_view bucket, std::string_view key,
    const CreateMultipartUploadOptions& options) const {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  DYNAMATE_TRY(detail::check_attributes(options.attributes));
  http::Request request;
  request.method = "POST";
  request.url = impl_->url(bucket, key, "uploads");
  detail::add_attribute_headers(request.headers, options.attributes);
  if (options.checksum_sha256) request.headers.emplace_back("x-amz-checksum-algorithm", "SHA256");
  DYNAMATE_ASSIGN_OR_RETURN(const auto response, impl_->call("CreateMultipartUpload", bucket, key,
                                                             std::move(request), {}));
  return detail::parse_initiate_multipart(response.body);
}

Result<CompletedPart> S3Client::upload_part(std::string_view bucket, std::string_view key,
                                            std::string_view upload_id, int part_number,
                                            std::string body, const PayloadOptions& options) const {
  DYNAMATE_ASSIGN_OR_RETURN(auto request,
                            part_request(*impl_, bucket, key, upload_id, part_number, body.size()));
  DYNAMATE_ASSIGN_OR_RETURN(const auto payload, detail::prepare_payload(body, options));
  CallOptions call;
  detail::apply_payload(payload, request.headers, call);
  request.body = std::move(body);
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("UploadPart", bucket, key, std::move(request), call));
  return part_result(response, part_number, payload);
}

Result<CompletedPart> S3Client::upload_part(std::string_view bucket, std::string_view key,
                                            std::string_view upload_id, int part_number,
                                            std::shared_ptr<http::BodySource> body,
                                            const PayloadOptions& options) const {
  if (!body) return unexpected(ErrorCode::invalid_argument, "UploadPart body source is null");
  DYNAMATE_ASSIGN_OR_RETURN(
      auto request, part_request(*impl_, bucket, key, upload_id, part_number, body->size()));
  DYNAMATE_ASSIGN_OR_RETURN(const auto payload, detail::prepare_payload(*body, options));
  CallOptions call;
  detail::apply_payload(payload, request.headers, call);
  request.body_source = std::move(body);
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("UploadPart", bucket, key, std::move(request), call));
  return part_result(response, part_number, payload);
}

Result<CompleteMultipartUploadResult> S3Client::complete_multipart_upload(
    std::string_view bucket, std::string_view key, std::string_view upload_id,
    std::span<const CompletedPart> parts, const CompleteMultipartUploadOptions& options) const {
  DYNAMATE_TRY(check_upload(bucket, key, upload_id));
  if (parts.empty()) {
    return unexpected(ErrorCode::invalid_argument, "CompleteMultipartUpload needs parts");
  }
  int previous = 0;
  for (const CompletedPart& p : parts) {
    DYNAMATE_TRY(detail::check_part_number(p.part_number));
    if (p.part_number <= previous) {
      return unexpected(ErrorCode::invalid_argument,
                        "parts must be in ascending part number order (" +
                            std::to_string(p.part_number) + " after " + std::to_string(previous) +
                            ")");
    }
    if (p.etag.empty()) {
      return unexpected(ErrorCode::invalid_argument,
                        "part " + std::to_string(p.part_number) + " has no ETag");
    }
    previous = p.part_number;
  }
  std::string query;
  detail::add_query(query, "uploadId", upload_id);
  http::Request request;
  request.method = "POST";
  request.url = impl_->url(bucket, key, query);
  request.body = detail::complete_multipart_xml(parts);
  request.headers.emplace_back("Content-Type", "application/xml");
  if (options.if_none_match) request.headers.emplace_back("If-None-Match", "*");
  // Retried like the AWS SDKs do (S3 asks clients to retry an InternalError,
  // often sent inside a 200). If an attempt whose answer was lost did
  // complete the upload, the retry finds NoSuchUpload, or with If-None-Match
  // a 412 for the object that attempt created: both are reported as
  // ambiguous, since the object may well exist and be this upload's.
  CallOptions call;
  call.check_success = detail::error_in_200;
  detail::CallStats stats;
  auto response =
      impl_->call("CompleteMultipartUpload", bucket, key, std::move(request), call, &stats);
  if (!response) {
    Error error = std::move(response).error();
    const bool own_object_may_exist =
        error.code == ErrorCode::not_found ||
        (options.if_none_match && error.code == ErrorCode::condition_failed);
    if (stats.attempts > 1 && own_object_may_exist) {
      error.ambiguous = true;
      error.message += " (after " + std::to_string(stats.attempts) +
                       " attempts: an earlier one may have completed the upload";
      error.message += error.code == ErrorCode::condition_failed
                           ? ", so the existing object may be this upload's)"
                           : ")";
    }
    return unexpected(std::move(error));
  }
  DYNAMATE_ASSIGN_OR_RETURN(auto out, detail::parse_complete_multipart(response->body));
  out.version_id = detail::header_or_empty(*response, "x-amz-version-id");
  return out;
}

Result<void> S3Client::abort_multipart_upload(std::string_view bucket, std::string_view key,
                                              std::string_view upload_id) const {
  DYNAMATE_TRY(check_upload(bucket, key, upload_id));
  std::string query;
  detail::add_query(query, "uploadId", upload_id);
  http::Request request;
  request.method = "DELETE";
  request.url = impl_->url(bucket, key, query);
  DYNAMATE_TRY(impl_->call("AbortMultipartUpload", bucket, key, std::move(request), {}));
  return {};
}

Result<ListPartsResult> S3Client::list_parts(std::string_view bucket, std::string_view key,
                                             std::string_view upload_id,
                                             const ListPartsOptions& options) const {
  DYNAMATE_TRY(check_upload(bucket, key, upload_id));
  if (options.max_parts < 0 || options.part_number_marker < 0) {
    return unexpected(ErrorCode::invalid_argument,
                      "max_parts and part_number_marker must not be negative");
  }
  std::string query;
  if (options.max_parts > 0) {
    detail::add_query(query, "max-parts", std::to_string(options.max_parts));
  }
  if (options.part_number_marker > 0) {
    detail::add_query(query, "part-number-marker", std::to_string(options.part_number_marker));
  }
  detail::add_query(query, "uploadId", upload_id);
  http::Request request;
  request.method = "GET";
  request.url = impl_->url(bucket, key, query);
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("ListParts", bucket, key, std::move(request), {}));
  return detail::parse_list_parts(response.body);
}

}  // namespace dynamate::aws
