// dynamate/aws/dynamodb_item_types.hpp: requests and responses of
// DynamoDbClient's item-level calls: GetItem, PutItem, UpdateItem, DeleteItem,
// Query, Scan, BatchGetItem, BatchWriteItem, TransactGetItems and
// TransactWriteItems.
//
// Expressions are DynamoDB expression text with placeholders ("#n = :v"); the
// placeholders are bound by expression_attribute_names / _values. Empty
// strings, empty maps, `none` enums and `false` flags are left out of the
// request (the service's defaults).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dynamate/attribute_value.hpp"
#include "dynamate/aws/dynamodb_types.hpp"

namespace dynamate::aws {

// ---- Single-item calls ----

struct GetItemRequest {
  std::string table_name{};
  AttributeMap key{};
  bool consistent_read = false;
  std::string projection_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  std::optional<bool> idempotent{};  // default true
};
struct GetItemResponse {
  std::optional<AttributeMap> item{};  // nullopt when no item has the key
  std::optional<ConsumedCapacity> consumed_capacity{};
};

struct PutItemRequest {
  std::string table_name{};
  AttributeMap item{};
  std::string condition_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValues return_values = ReturnValues::none;  // NONE or ALL_OLD
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  ReturnItemCollectionMetrics return_item_collection_metrics = ReturnItemCollectionMetrics::none;
  // Default: true unless there is a condition_expression or return_values.
  std::optional<bool> idempotent{};
};

struct UpdateItemRequest {
  std::string table_name{};
  AttributeMap key{};
  std::string update_expression{};
  std::string condition_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValues return_values = ReturnValues::none;
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  ReturnItemCollectionMetrics return_item_collection_metrics = ReturnItemCollectionMetrics::none;
  std::optional<bool> idempotent{};  // default false (ADD, list_append, counters)
};

struct DeleteItemRequest {
  std::string table_name{};
  AttributeMap key{};
  std::string condition_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValues return_values = ReturnValues::none;  // NONE or ALL_OLD
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  ReturnItemCollectionMetrics return_item_collection_metrics = ReturnItemCollectionMetrics::none;
  // Default: true unless there is a condition_expression or return_values.
  std::optional<bool> idempotent{};
};

// The answer of PutItem, UpdateItem and DeleteItem.
struct WriteItemResponse {
  std::optional<AttributeMap> attributes{};  // as asked by return_values
  std::optional<ConsumedCapacity> consumed_capacity{};
  std::optional<ItemCollectionMetrics> item_collection_metrics{};
};
using PutItemResponse = WriteItemResponse;
using UpdateItemResponse = WriteItemResponse;
using DeleteItemResponse = WriteItemResponse;

// ---- Query and Scan ----

struct QueryRequest {
  std::string table_name{};
  std::string index_name{};
  std::string key_condition_expression{};  // required by DynamoDB
  std::string filter_expression{};
  std::string projection_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  std::optional<Select> select{};
  std::optional<std::int32_t> limit{};  // items evaluated per page, >= 1
  bool consistent_read = false;
  bool scan_index_forward = true;                     // false: descending range key order
  std::optional<AttributeMap> exclusive_start_key{};  // a previous last_evaluated_key
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  std::optional<bool> idempotent{};  // default true
};

struct ScanRequest {
  std::string table_name{};
  std::string index_name{};
  std::string filter_expression{};
  std::string projection_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  std::optional<Select> select{};
  std::optional<std::int32_t> limit{};  // items evaluated per page, >= 1
  bool consistent_read = false;
  std::optional<AttributeMap> exclusive_start_key{};
  // Parallel scan: both or neither; 0 <= segment < total_segments <= 1000000.
  std::optional<std::int32_t> segment{};
  std::optional<std::int32_t> total_segments{};
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  std::optional<bool> idempotent{};  // default true
};

// One page of Query or Scan.
struct QueryResponse {
  std::vector<AttributeMap> items{};  // empty for Select::count
  std::int64_t count = 0;             // items after the filter
  std::int64_t scanned_count = 0;     // items evaluated before the filter
  // Set when there may be more: pass as exclusive_start_key for the next page.
  std::optional<AttributeMap> last_evaluated_key{};
  std::optional<ConsumedCapacity> consumed_capacity{};
};
using ScanResponse = QueryResponse;

// ---- Batches ----

struct KeysAndAttributes {
  std::vector<AttributeMap> keys{};
  bool consistent_read = false;
  std::string projection_expression{};
  ExpressionAttributeNames expression_attribute_names{};
};

struct BatchGetItemRequest {
  std::map<std::string, KeysAndAttributes, std::less<>> request_items{};  // table -> keys; <= 100
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  std::optional<bool> idempotent{};  // default true
};
struct BatchGetItemResponse {
  std::map<std::string, std::vector<AttributeMap>, std::less<>> responses{};
  // Keys DynamoDB did not read this time (throughput, 16 MB); send them again
  // as request_items, after a back-off.
  std::map<std::string, KeysAndAttributes, std::less<>> unprocessed_keys{};
  std::vector<ConsumedCapacity> consumed_capacity{};
};

struct PutRequest {
  AttributeMap item{};
};
struct DeleteRequest {
  AttributeMap key{};
};
using WriteRequest = std::variant<PutRequest, DeleteRequest>;
using WriteRequestMap = std::map<std::string, std::vector<WriteRequest>, std::less<>>;

struct BatchWriteItemRequest {
  WriteRequestMap request_items{};  // table -> writes; <= 25 in all
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  ReturnItemCollectionMetrics return_item_collection_metrics = ReturnItemCollectionMetrics::none;
  std::optional<bool> idempotent{};  // default true (puts and deletes are unconditional)
};
struct BatchWriteItemResponse {
  WriteRequestMap unprocessed_items{};  // send again, after a back-off
  std::map<std::string, std::vector<ItemCollectionMetrics>, std::less<>> item_collection_metrics{};
  std::vector<ConsumedCapacity> consumed_capacity{};
};

// ---- Transactions ----

struct TransactGetItem {
  std::string table_name{};
  AttributeMap key{};
  std::string projection_expression{};
  ExpressionAttributeNames expression_attribute_names{};
};
struct TransactGetItemsRequest {
  std::vector<TransactGetItem> transact_items{};  // 1..100
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  std::optional<bool> idempotent{};  // default true
};
struct TransactGetItemsResponse {
  // One entry per transact_items entry, in order; nullopt for a missing item.
  std::vector<std::optional<AttributeMap>> responses{};
  std::vector<ConsumedCapacity> consumed_capacity{};
};

struct ConditionCheck {
  std::string table_name{};
  AttributeMap key{};
  std::string condition_expression{};  // required
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
};
struct TransactPut {
  std::string table_name{};
  AttributeMap item{};
  std::string condition_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
};
struct TransactUpdate {
  std::string table_name{};
  AttributeMap key{};
  std::string update_expression{};  // required
  std::string condition_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
};
struct TransactDelete {
  std::string table_name{};
  AttributeMap key{};
  std::string condition_expression{};
  ExpressionAttributeNames expression_attribute_names{};
  AttributeMap expression_attribute_values{};
  ReturnValuesOnConditionCheckFailure return_values_on_condition_check_failure =
      ReturnValuesOnConditionCheckFailure::none;
};
using TransactWriteItem = std::variant<ConditionCheck, TransactPut, TransactUpdate, TransactDelete>;

struct TransactWriteItemsRequest {
  std::vector<TransactWriteItem> transact_items{};  // 1..100
  ReturnConsumedCapacity return_consumed_capacity = ReturnConsumedCapacity::none;
  ReturnItemCollectionMetrics return_item_collection_metrics = ReturnItemCollectionMetrics::none;
  // Makes the call idempotent for 10 minutes: DynamoDB applies a token once.
  // Empty: the client generates a random UUID. At most 36 characters.
  std::string client_request_token{};
  std::optional<bool> idempotent{};  // default true (thanks to the token)
};
struct TransactWriteItemsResponse {
  std::vector<ConsumedCapacity> consumed_capacity{};
  std::map<std::string, std::vector<ItemCollectionMetrics>, std::less<>> item_collection_metrics{};
  std::string client_request_token{};  // the token sent (given or generated)
};

}  // namespace dynamate::aws
