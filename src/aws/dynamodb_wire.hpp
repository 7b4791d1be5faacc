// src/aws/dynamodb_wire.hpp: DynamoDbClient's private wire layer: request
// validation, request bodies (JSON, via JsonWriter) and response parsers (over
// simdjson's DOM). Each request type has validate() and to_json(); each
// response has a parse_*() function. Private.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws::detail {

class ServiceClient;

// ---- The call itself (dynamodb_client.cpp). ----
// POSTs `body` as DynamoDB_20120810.<operation> through the service pipeline
// (x-amz-crc32 checked) and parses the answer with this thread's simdjson
// parser. The element stays valid until the next call on the same thread.
// Errors from the service get `operation` as context.
Result<simdjson::dom::element> call_dynamodb(const ServiceClient& service,
                                             std::string_view operation, std::string body,
                                             bool idempotent);

template <class T>
Result<T> call_dynamodb(const ServiceClient& service, std::string_view operation, std::string body,
                        bool idempotent, Result<T> (*parse)(simdjson::dom::element)) {
  auto root = call_dynamodb(service, operation, std::move(body), idempotent);
  if (!root) return unexpected(std::move(root).error());
  auto out = parse(*root);
  if (!out) out.error().with_context(operation);
  return out;
}

// ---- Enums from their wire spelling; nullopt when unknown. ----
template <class E>
std::optional<E> enum_from_string(std::string_view text) noexcept;

// ---- Validation (ErrorCode::invalid_argument, naming the problem). ----
// Table names: 3-255 characters of [a-zA-Z0-9_.-]; a table ARN ("arn:...", up
// to 1024 characters) is also accepted, as DynamoDB does.
Result<void> validate_table_name(std::string_view operation, std::string_view name);
Result<void> validate(const CreateTableRequest& r);
Result<void> validate(const UpdateTableRequest& r);
Result<void> validate(const ListTablesRequest& r);
Result<void> validate(const UpdateTimeToLiveRequest& r);
Result<void> validate(const GetItemRequest& r);
Result<void> validate(const PutItemRequest& r);
Result<void> validate(const UpdateItemRequest& r);
Result<void> validate(const DeleteItemRequest& r);
Result<void> validate(const QueryRequest& r);
Result<void> validate(const ScanRequest& r);
Result<void> validate(const BatchGetItemRequest& r);
Result<void> validate(const BatchWriteItemRequest& r);
Result<void> validate(const TransactGetItemsRequest& r);
Result<void> validate(const TransactWriteItemsRequest& r);

// ---- Request bodies. ----
std::string to_json(const CreateTableRequest& r);
std::string to_json(const UpdateTableRequest& r);
std::string to_json(const ListTablesRequest& r);
std::string to_json(const UpdateTimeToLiveRequest& r);
std::string table_name_json(std::string_view table_name);  // {"TableName":"..."}
std::string to_json(const GetItemRequest& r);
std::string to_json(const PutItemRequest& r);
std::string to_json(const UpdateItemRequest& r);
std::string to_json(const DeleteItemRequest& r);
std::string to_json(const QueryRequest& r);
std::string to_json(const ScanRequest& r);
std::string to_json(const BatchGetItemRequest& r);
std::string to_json(const BatchWriteItemRequest& r);
std::string to_json(const TransactGetItemsRequest& r);
// Sends `token` as ClientRequestToken (the request's own or a generated one).
std::string to_json(const TransactWriteItemsRequest& r, std::string_view token);

// Writer pieces shared by the item and batch request bodies
// (dynamodb_item_requests.cpp).
class JsonWriter;
void write_if_set(JsonWriter& w, std::string_view key, std::string_view value);  // non-empty
void write_names(JsonWriter& w, const ExpressionAttributeNames& names);          // non-empty
void write_values(JsonWriter& w, const AttributeMap& values);                    // non-empty
void write_return_options(JsonWriter& w, ReturnConsumedCapacity rcc,
                          ReturnItemCollectionMetrics ricm);              // each when not NONE
void write_rvoccf(JsonWriter& w, ReturnValuesOnConditionCheckFailure v);  // when not NONE

// ---- Response parsers; ErrorCode::protocol naming the bad field. ----
using simdjson::dom::element;
// Members of an object response: {"TableDescription": {...}} etc.
Result<TableDescription> parse_table_description_member(element root, std::string_view member);
Result<ListTablesResponse> parse_list_tables(element root);
Result<TimeToLiveSpecification> parse_update_time_to_live(element root);
Result<TimeToLiveDescription> parse_describe_time_to_live(element root);
Result<GetItemResponse> parse_get_item(element root);
Result<WriteItemResponse> parse_write_item(element root);
Result<QueryResponse> parse_query(element root);
Result<BatchGetItemResponse> parse_batch_get_item(element root);
Result<BatchWriteItemResponse> parse_batch_write_item(element root);
Result<TransactGetItemsResponse> parse_transact_get_items(element root);
Result<TransactWriteItemsResponse> parse_transact_write_items(element root);

// Pieces shared by the parsers above (dynamodb_parse_common.cpp).
class ObjectReader {
 public:
  // `path` names the object in error messages, e.g. "Table.KeySchema[0]".
  ObjectReader(element e, std::string path);
  bool ok() const noexcept { return !error_.has_value(); }
  Result<void> status() const;
  const std::string& path() const noexcept { return path_; }
  // The member `key`, nullopt when absent or null.
  std::optional<element> get(std::string_view key);

  void read(std::string_view key, std::string& out);
  void read(std::string_view key, std::int64_t& out);
  void read(std::string_view key, double& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, std::optional<TimePoint>& out);  // epoch seconds
  void read(std::string_view key, AttributeMap& out);
  void read(std::string_view key, std::optional<AttributeMap>& out);
  void read(std::string_view key, std::vector<AttributeMap>& out);
  void read(std::string_view key, std::vector<std::string>& out);
  template <class E>
  void read_enum(std::string_view key, E& out, E fallback);
  template <class E>
  void read_enum(std::string_view key, std::optional<E>& out);

  // Records the first failure; later reads become no-ops.
  void fail(std::string_view key, std::string_view what);
  void take(Error error);

 private:
  std::optional<simdjson::dom::object> obj_;
  std::string path_;
  std::optional<Error> error_;
};

Result<ConsumedCapacity> parse_consumed_capacity(element e, std::string path);
// ConsumedCapacity (single) and ConsumedCapacity[] (batches, transactions).
void read_consumed_capacity(ObjectReader& r, std::optional<ConsumedCapacity>& out);
void read_consumed_capacity(ObjectReader& r, std::vector<ConsumedCapacity>& out);
void read_item_collection_metrics(ObjectReader& r, std::optional<ItemCollectionMetrics>& out);
// ItemCollectionMetrics per table (batch write, transactions).
void read_item_collection_metrics(
    ObjectReader& r, std::map<std::string, std::vector<ItemCollectionMetrics>, std::less<>>& out);

template <class E>
void ObjectReader::read_enum(std::string_view key, E& out, E fallback) {
  std::optional<E> v;
  read_enum(key, v);
  if (ok() && get(key)) out = v.value_or(fallback);
}

template <class E>
void ObjectReader::read_enum(std::string_view key, std::optional<E>& out) {
  std::string text;
  read(key, text);
  if (!text.empty()) out = enum_from_string<E>(text);
}

}  // namespace dynamate::aws::detail
