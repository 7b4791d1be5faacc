// S3Client: construction, addressing (virtual-hosted vs path style), the
// bucket operations and presigned URLs.
#include "aws/error_parser.hpp"
#include "aws/s3_internal.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace {

// Hosts that cannot take a bucket label in front: IP addresses and localhost.
bool is_ip_or_localhost(std::string_view authority) {
  if (authority.starts_with('[')) return true;  // IPv6 literal
  std::string_view host = authority.substr(0, authority.rfind(':'));
  if (host == "localhost") return true;
  return !host.empty() && host.find_first_not_of("0123456789.") == std::string_view::npos;
}

std::string where(std::string_view operation, std::string_view bucket, std::string_view key) {
  std::string out(operation);
  out += " s3://";
  out += bucket;
  if (!key.empty()) {
    out += '/';
    out += key;
  }
  return out;
}

Result<std::string> presign(const S3Client::Impl& impl, std::string_view method,
                            std::string_view bucket, std::string_view key,
                            std::chrono::seconds expires, const http::Headers& headers) {
  DYNAMATE_TRY(detail::check_bucket_and_key(bucket, key));
  for (const auto& [name, value] : headers) {
    DYNAMATE_TRY(detail::check_header_value("presigned header " + name, value));
  }
  DYNAMATE_ASSIGN_OR_RETURN(const Credentials credentials, impl.service->credentials());
  SigningParams params;
  params.region = impl.service->config().region;
  params.service = "s3";
  params.time = impl.service->config().clock->now();
  params.s3_rules = true;
  params.unsigned_payload = true;  // the body is not known when presigning
  return presign_url(method, impl.url(bucket, key), headers, credentials, params, expires);
}

}  // namespace

bool S3Client::Impl::path_style_for(std::string_view bucket) const noexcept {
  // A dotted bucket name as a host label breaks the *.s3 wildcard certificate.
  return force_path_style || (https && bucket.find('.') != std::string_view::npos);
}

std::string S3Client::Impl::url(std::string_view bucket, std::string_view key,
                                std::string_view query) const {
  std::string out = scheme;
  if (path_style_for(bucket)) {
    out += authority;
    out += base_path;
    out += '/';
    out += bucket;
    if (!key.empty()) {
      out += '/';
      out += uri_encode(key, false);
    }
  } else {
    out += bucket;
    out += '.';
    out += authority;
    out += base_path;
    out += '/';
    out += uri_encode(key, false);
  }
  if (!query.empty()) {
    out += '?';
    out += query;
  }
  return out;
}

Result<http::Response> S3Client::Impl::call(std::string_view operation, std::string_view bucket,
                                            std::string_view key, http::Request request,
                                            const detail::CallOptions& options,
                                            detail::CallStats* stats) const {
  auto response = service->call(std::move(request), options, stats);
  if (!response) {
    Error error = std::move(response).error();
    error.with_context(where(operation, bucket, key));
    return unexpected(std::move(error));
  }
  return response;
}

Result<S3Client> S3Client::create(ClientConfig config) {
  const bool path_style = config.s3_path_style;
  DYNAMATE_ASSIGN_OR_RETURN(auto service, detail::ServiceClient::create(std::move(config), "s3",
                                                                        &detail::parse_s3_error));
  auto impl = std::make_shared<Impl>();
  const std::string& endpoint = service->endpoint();
  impl->https = endpoint.starts_with("https://");
  impl->scheme = impl->https ? "https://" : "http://";
  const std::string_view rest = std::string_view(endpoint).substr(impl->scheme.size());
  const std::size_t slash = rest.find('/');
  impl->authority = std::string(rest.substr(0, slash));
  if (slash != std::string_view::npos) impl->base_path = std::string(rest.substr(slash));
  if (impl->authority.empty()) {
    return unexpected(ErrorCode::invalid_argument, "endpoint \"" + endpoint + "\" has no host");
  }
  impl->force_path_style = path_style || is_ip_or_localhost(impl->authority);
  impl->service = std::move(service);
  return S3Client(std::move(impl));
}

const ClientConfig& S3Client::config() const noexcept { return impl_->service->config(); }

Result<void> S3Client::create_bucket(std::string_view bucket) const {
  DYNAMATE_TRY(validate_bucket_name(bucket));
  http::Request request;
  request.method = "PUT";
  request.url = impl_->url(bucket, {});
  const std::string& region = impl_->service->config().region;
  if (region != "us-east-1") request.body = detail::create_bucket_xml(region);
  detail::CallOptions options;
  options.idempotent = false;
  DYNAMATE_TRY(impl_->call("CreateBucket", bucket, {}, std::move(request), options));
  return {};
}

Result<void> S3Client::head_bucket(std::string_view bucket) const {
  DYNAMATE_TRY(validate_bucket_name(bucket));
  http::Request request;
  request.method = "HEAD";
  request.url = impl_->url(bucket, {});
  DYNAMATE_TRY(impl_->call("HeadBucket", bucket, {}, std::move(request), {}));
  return {};
}

Result<void> S3Client::delete_bucket(std::string_view bucket) const {
  DYNAMATE_TRY(validate_bucket_name(bucket));
  http::Request request;
  request.method = "DELETE";
  request.url = impl_->url(bucket, {});
  DYNAMATE_TRY(impl_->call("DeleteBucket", bucket, {}, std::move(request), {}));
  return {};
}

Result<std::string> S3Client::presign_get(std::string_view bucket, std::string_view key,
                                          std::chrono::seconds expires) const {
  return presign(*impl_, "GET", bucket, key, expires, {});
}

Result<std::string> S3Client::presign_put(std::string_view bucket, std::string_view key,
                                          std::chrono::seconds expires,
                                          const http::Headers& signed_headers) const {
  return presign(*impl_, "PUT", bucket, key, expires, signed_headers);
}

}  // namespace dynamate::aws
