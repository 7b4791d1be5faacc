// S3Client operations over many keys: DeleteObjects (chunked, per-key errors)
// and ListObjectsV2 (one page, or paging through all).
#include <set>
#include <vector>

#include "aws/s3_internal.hpp"
#include "core/crypto.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace {

// S3's XML bodies cannot carry C0 control characters (XML 1.0), and CR would
// be normalized away by the parser: such keys are deleted one by one.
bool xml_safe(const std::string& key) noexcept {
  for (char c : key) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

DeleteObjectError to_delete_error(const std::string& key, const Error& e) {
  return {key, e.aws_code.empty() ? std::string(to_string(e.code)) : e.aws_code, e.message};
}

}  // namespace

Result<DeleteObjectsResult> S3Client::delete_objects(std::string_view bucket,
                                                     std::span<const std::string> keys,
                                                     const DeleteObjectsOptions& options) const {
  DYNAMATE_TRY(validate_bucket_name(bucket));
  std::vector<const std::string*> batchable;
  std::vector<const std::string*> one_by_one;
  batchable.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (auto r = validate_object_key(keys[i]); !r) {
      return unexpected(r.error().with_context("key #" + std::to_string(i)));
    }
    (xml_safe(keys[i]) ? batchable : one_by_one).push_back(&keys[i]);
  }
  DeleteObjectsResult out;
  for (std::size_t start = 0; start < batchable.size(); start += kS3MaxDeleteBatch) {
    const auto chunk =
        std::span(batchable).subspan(start, std::min(kS3MaxDeleteBatch, batchable.size() - start));
    http::Request request;
    request.method = "POST";
    request.url = impl_->url(bucket, {}, "delete");
    request.body = detail::delete_objects_xml(chunk, options.quiet);
    const auto digest = dynamate::detail::sha256(request.body);
    const std::string_view raw(reinterpret_cast<const char*>(digest.data()), digest.size());
    request.headers.emplace_back("Content-MD5", dynamate::detail::md5_base64(request.body));
    request.headers.emplace_back("x-amz-sdk-checksum-algorithm", "SHA256");
    request.headers.emplace_back("x-amz-checksum-sha256", base64_encode(raw));
    request.headers.emplace_back("Content-Type", "application/xml");
    detail::CallOptions call;
    call.payload_hash = hex_encode(raw);
    auto response = impl_->call("DeleteObjects", bucket, {}, std::move(request), call);
    if (!response) {
      Error e = std::move(response).error();
      if (start > 0) {
        e.message += " (the " + std::to_string(start) + " keys of earlier requests were handled)";
      }
      return unexpected(std::move(e));
    }
    DeleteObjectsResult page;
    DYNAMATE_TRY(detail::parse_delete_objects(response->body, page));
    if (options.quiet) {  // S3 lists failures only: every other key was deleted
      std::set<std::string_view> failed;
      for (const auto& e : page.errors) failed.insert(e.key);
      for (const std::string* key : chunk) {
        if (!failed.contains(*key)) out.deleted.push_back(*key);
      }
    } else {
      for (auto& k : page.deleted) out.deleted.push_back(std::move(k));
    }
    for (auto& e : page.errors) out.errors.push_back(std::move(e));
  }
  for (const std::string* key : one_by_one) {
    if (auto r = delete_object(bucket, *key); r) {
      out.deleted.push_back(*key);
    } else {
      out.errors.push_back(to_delete_error(*key, r.error()));
    }
  }
  return out;
}

Result<ListObjectsResult> S3Client::list_objects(std::string_view bucket,
                                                 const ListObjectsOptions& options) const {
  DYNAMATE_TRY(validate_bucket_name(bucket));
  if (options.max_keys < 0) {
    return unexpected(ErrorCode::invalid_argument,
                      "max_keys " + std::to_string(options.max_keys) + " is negative");
  }
  std::string query;
  detail::add_query(query, "list-type", "2");
  // Keys come back URL-encoded: XML 1.0 cannot carry every byte a key may hold.
  detail::add_query(query, "encoding-type", "url");
  const std::pair<const char*, const std::string*> params[] = {
      {"prefix", &options.prefix},
      {"delimiter", &options.delimiter},
      {"continuation-token", &options.continuation_token},
      {"start-after", &options.start_after}};
  for (const auto& [name, value] : params) {
    if (!value->empty()) detail::add_query(query, name, *value);
  }
  if (options.max_keys > 0) detail::add_query(query, "max-keys", std::to_string(options.max_keys));
  http::Request request;
  request.method = "GET";
  request.url = impl_->url(bucket, {}, query);
  DYNAMATE_ASSIGN_OR_RETURN(const auto response,
                            impl_->call("ListObjectsV2", bucket, {}, std::move(request), {}));
  return detail::parse_list_objects_v2(response.body);
}

Result<void> S3Client::for_each_object_page(
    std::string_view bucket, const ListObjectsOptions& options,
    const std::function<bool(const ListObjectsResult& page)>& on_page) const {
  ListObjectsOptions page_options = options;
  for (;;) {
    DYNAMATE_ASSIGN_OR_RETURN(const auto page, list_objects(bucket, page_options));
    if (!on_page(page) || !page.is_truncated) return {};
    page_options.continuation_token = page.next_continuation_token;
  }
}

Result<ListObjectsResult> S3Client::list_all_objects(std::string_view bucket,
                                                     const ListObjectsOptions& options) const {
  ListObjectsResult all;
  DYNAMATE_TRY(for_each_object_page(bucket, options, [&](const ListObjectsResult& page) {
    all.objects.insert(all.objects.end(), page.objects.begin(), page.objects.end());
    all.common_prefixes.insert(all.common_prefixes.end(), page.common_prefixes.begin(),
                               page.common_prefixes.end());
    return true;
  }));
  return all;
}

}  // namespace dynamate::aws
