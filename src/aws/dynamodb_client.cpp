// DynamoDbClient: construction, the shared call path (awsJson1_0 POST, CRC32
// check, one simdjson parser per thread) and the item-level operations with
// their idempotency defaults.
#include "dynamate/aws/dynamodb.hpp"

#include "aws/dynamodb_wire.hpp"
#include "aws/error_parser.hpp"
#include "aws/service_client.hpp"
#include "core/crypto.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace detail {
namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";

// A corrupted answer: the request was applied but the response cannot be
// trusted. Retryable, and ambiguous so only idempotent requests are resent.
std::optional<Error> check_crc32(const http::Response& response) {
  if (dynamodb_crc32_matches(response)) return std::nullopt;
  Error e(ErrorCode::protocol, "DynamoDB response failed its x-amz-crc32 check");
  e.http_status = response.status;
  if (const auto* id = response.header("x-amzn-RequestId")) e.request_id = *id;
  e.retryable = true;
  e.ambiguous = true;
  return e;
}

}  // namespace

Result<simdjson::dom::element> call_dynamodb(const ServiceClient& service,
                                             std::string_view operation, std::string body,
                                             bool idempotent) {
  http::Request request;
  request.method = "POST";
  request.url = service.endpoint() + "/";
  std::string target;
  target.reserve(kTargetPrefix.size() + operation.size());
  target.append(kTargetPrefix).append(operation);
  request.headers.reserve(2);
  request.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
  request.headers.emplace_back("X-Amz-Target", std::move(target));
  request.body = std::move(body);

  CallOptions options;
  options.idempotent = idempotent;
  options.check_success = &check_crc32;
  auto response = service.call(std::move(request), options);
  if (!response) return unexpected(std::move(response.error()).with_context(operation));

  // One parser per thread: its buffers grow to the largest answer and stay.
  thread_local simdjson::dom::parser parser;
  if (response->body.empty()) response->body = "{}";
  simdjson::dom::element root;
  if (auto err = parser.parse(response->body).get(root); err != simdjson::SUCCESS) {
    Error e(ErrorCode::protocol, std::string(operation) +
                                     ": DynamoDB response is not valid JSON (" +
                                     simdjson::error_message(err) + ")");
    e.http_status = response->status;
    if (const auto* id = response->header("x-amzn-RequestId")) e.request_id = *id;
    return unexpected(std::move(e));
  }
  return root;
}

}  // namespace detail

Result<DynamoDbClient> DynamoDbClient::create(ClientConfig config) {
  DYNAMATE_ASSIGN_OR_RETURN(
      auto service,
      detail::ServiceClient::create(std::move(config), "dynamodb", &detail::parse_dynamodb_error));
  return DynamoDbClient(std::move(service));
}

Result<DynamoDbClient> DynamoDbClient::from_environment(const EnvironmentOptions& options) {
  DYNAMATE_ASSIGN_OR_RETURN(auto config, config_from_environment("dynamodb", options));
  return create(std::move(config));
}

const ClientConfig& DynamoDbClient::config() const noexcept { return service_->config(); }

Result<GetItemResponse> DynamoDbClient::get_item(const GetItemRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "GetItem", detail::to_json(r),
                               r.idempotent.value_or(true), &detail::parse_get_item);
}

// A resend of a conditional write can fail its own condition (the first
// attempt already changed the item), and one with ReturnValues would report
// the first attempt's item as the "old" one; neither is safe to retry blindly.
Result<PutItemResponse> DynamoDbClient::put_item(const PutItemRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  const bool idempotent = r.idempotent.value_or(r.condition_expression.empty() &&
                                                r.return_values == ReturnValues::none);
  return detail::call_dynamodb(*service_, "PutItem", detail::to_json(r), idempotent,
                               &detail::parse_write_item);
}

Result<UpdateItemResponse> DynamoDbClient::update_item(const UpdateItemRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "UpdateItem", detail::to_json(r),
                               r.idempotent.value_or(false), &detail::parse_write_item);
}

Result<DeleteItemResponse> DynamoDbClient::delete_item(const DeleteItemRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  const bool idempotent = r.idempotent.value_or(r.condition_expression.empty() &&
                                                r.return_values == ReturnValues::none);
  return detail::call_dynamodb(*service_, "DeleteItem", detail::to_json(r), idempotent,
                               &detail::parse_write_item);
}

Result<QueryResponse> DynamoDbClient::query(const QueryRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "Query", detail::to_json(r), r.idempotent.value_or(true),
                               &detail::parse_query);
}

Result<ScanResponse> DynamoDbClient::scan(const ScanRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "Scan", detail::to_json(r), r.idempotent.value_or(true),
                               &detail::parse_query);
}

Result<BatchGetItemResponse> DynamoDbClient::batch_get_item(const BatchGetItemRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "BatchGetItem", detail::to_json(r),
                               r.idempotent.value_or(true), &detail::parse_batch_get_item);
}

Result<BatchWriteItemResponse> DynamoDbClient::batch_write_item(
    const BatchWriteItemRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "BatchWriteItem", detail::to_json(r),
                               r.idempotent.value_or(true), &detail::parse_batch_write_item);
}

Result<TransactGetItemsResponse> DynamoDbClient::transact_get_items(
    const TransactGetItemsRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "TransactGetItems", detail::to_json(r),
                               r.idempotent.value_or(true), &detail::parse_transact_get_items);
}

// The token makes DynamoDB apply the transaction at most once within 10
// minutes, so a resend after an ambiguous failure is safe.
Result<TransactWriteItemsResponse> DynamoDbClient::transact_write_items(
    const TransactWriteItemsRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  std::string token =
      r.client_request_token.empty() ? dynamate::detail::random_uuid() : r.client_request_token;
  auto out =
      detail::call_dynamodb(*service_, "TransactWriteItems", detail::to_json(r, token),
                            r.idempotent.value_or(true), &detail::parse_transact_write_items);
  if (out) out->client_request_token = std::move(token);
  return out;
}

}  // namespace dynamate::aws
