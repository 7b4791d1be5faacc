// dynamate/aws/dynamodb_types.hpp: the vocabulary of DynamoDbClient: wire
// enums, key schemas and indexes, capacity reports, and the requests and
// responses of the table-level calls (CreateTable, DescribeTable, UpdateTable,
// DeleteTable, ListTables, UpdateTimeToLive, DescribeTimeToLive). Item-level
// requests and responses are in dynamodb_item_types.hpp.
//
// Field names follow the DynamoDB API in snake_case (IndexName -> index_name).
// Optional request fields are either std::optional or have the service's own
// default (empty string, false, ...), and are left out of the request JSON then.
// Every request has `idempotent`, overriding whether DynamoDbClient may resend
// it after an ambiguous failure (see dynamodb.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dynamate/attribute_value.hpp"

namespace dynamate::aws {

// ---- Wire enums; to_string gives the DynamoDB spelling ("PAY_PER_REQUEST"). ----

enum class ScalarAttributeType : std::uint8_t { S, N, B };
enum class KeyType : std::uint8_t { hash, range };
enum class ProjectionType : std::uint8_t { all, keys_only, include };
enum class BillingMode : std::uint8_t { provisioned, pay_per_request };
enum class StreamViewType : std::uint8_t { new_image, old_image, new_and_old_images, keys_only };
enum class SseType : std::uint8_t { aes256, kms };
enum class TableClass : std::uint8_t { standard, standard_infrequent_access };
enum class ReturnValues : std::uint8_t { none, all_old, updated_old, all_new, updated_new };
enum class ReturnValuesOnConditionCheckFailure : std::uint8_t { none, all_old };
enum class Select : std::uint8_t {
  all_attributes,
  all_projected_attributes,
  specific_attributes,
  count
};
enum class ReturnConsumedCapacity : std::uint8_t { none, total, indexes };
enum class ReturnItemCollectionMetrics : std::uint8_t { none, size };
// Status enums have `unknown` for values newer than this library.
enum class TableStatus : std::uint8_t {
  creating,
  updating,
  deleting,
  active,
  inaccessible_encryption_credentials,
  archiving,
  archived,
  replication_not_authorized,
  unknown
};
enum class IndexStatus : std::uint8_t { creating, updating, deleting, active, unknown };
enum class TimeToLiveStatus : std::uint8_t { enabling, disabling, enabled, disabled, unknown };
enum class SseStatus : std::uint8_t { enabling, enabled, disabling, disabled, updating, unknown };

std::string_view to_string(ScalarAttributeType v) noexcept;
std::string_view to_string(KeyType v) noexcept;
std::string_view to_string(ProjectionType v) noexcept;
std::string_view to_string(BillingMode v) noexcept;
std::string_view to_string(StreamViewType v) noexcept;
std::string_view to_string(SseType v) noexcept;
std::string_view to_string(TableClass v) noexcept;
std::string_view to_string(ReturnValues v) noexcept;
std::string_view to_string(ReturnValuesOnConditionCheckFailure v) noexcept;
std::string_view to_string(Select v) noexcept;
std::string_view to_string(ReturnConsumedCapacity v) noexcept;
std::string_view to_string(ReturnItemCollectionMetrics v) noexcept;
std::string_view to_string(TableStatus v) noexcept;
std::string_view to_string(IndexStatus v) noexcept;
std::string_view to_string(TimeToLiveStatus v) noexcept;
std::string_view to_string(SseStatus v) noexcept;

// ExpressionAttributeNames: "#n" -> "name".
using ExpressionAttributeNames = std::map<std::string, std::string, std::less<>>;
using TimePoint = std::chrono::system_clock::time_point;

// ---- Schema ----

struct AttributeDefinition {
  std::string attribute_name{};
  ScalarAttributeType attribute_type = ScalarAttributeType::S;
};
struct KeySchemaElement {
  std::string attribute_name{};
  KeyType key_type = KeyType::hash;
};
using KeySchema = std::vector<KeySchemaElement>;

struct Projection {
  ProjectionType projection_type = ProjectionType::all;
  std::vector<std::string> non_key_attributes{};  // INCLUDE only, at most 20 in all
};
struct ProvisionedThroughput {
  std::int64_t read_capacity_units = 0;
  std::int64_t write_capacity_units = 0;
};
struct GlobalSecondaryIndex {
  std::string index_name{};
  KeySchema key_schema{};
  Projection projection{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};  // PROVISIONED tables
};
struct LocalSecondaryIndex {
  std::string index_name{};
  KeySchema key_schema{};  // the table's hash key plus another range key
  Projection projection{};
};
struct StreamSpecification {
  bool stream_enabled = false;
  std::optional<StreamViewType> stream_view_type{};  // required when enabled
};
struct SseSpecification {
  bool enabled = true;
  std::optional<SseType> sse_type{};
  std::string kms_master_key_id{};  // empty = the AWS managed key
};
struct Tag {
  std::string key{};
  std::string value{};
};

// ---- Capacity and metrics in responses ----

struct Capacity {
  double read_capacity_units = 0;
  double write_capacity_units = 0;
  double capacity_units = 0;
};
struct ConsumedCapacity {
  std::string table_name{};
  double capacity_units = 0;
  double read_capacity_units = 0;
  double write_capacity_units = 0;
  std::optional<Capacity> table{};  // ReturnConsumedCapacity::indexes only
  std::map<std::string, Capacity, std::less<>> local_secondary_indexes{};
  std::map<std::string, Capacity, std::less<>> global_secondary_indexes{};
};
struct ItemCollectionMetrics {
  AttributeMap item_collection_key{};
  std::vector<double> size_estimate_range_gb{};  // [lower, upper]
};

// ---- Table descriptions ----

struct ProvisionedThroughputDescription {
  std::int64_t read_capacity_units = 0;
  std::int64_t write_capacity_units = 0;
  std::int64_t number_of_decreases_today = 0;
  std::optional<TimePoint> last_increase_date_time{};
  std::optional<TimePoint> last_decrease_date_time{};
};
struct GlobalSecondaryIndexDescription {
  std::string index_name{};
  KeySchema key_schema{};
  Projection projection{};
  IndexStatus index_status = IndexStatus::unknown;
  bool backfilling = false;
  std::optional<ProvisionedThroughputDescription> provisioned_throughput{};
  std::int64_t index_size_bytes = 0;
  std::int64_t item_count = 0;
  std::string index_arn{};
};
struct LocalSecondaryIndexDescription {
  std::string index_name{};
  KeySchema key_schema{};
  Projection projection{};
  std::int64_t index_size_bytes = 0;
  std::int64_t item_count = 0;
  std::string index_arn{};
};
struct SseDescription {
  SseStatus status = SseStatus::unknown;
  std::optional<SseType> sse_type{};
  std::string kms_master_key_arn{};
};
struct TableDescription {
  std::string table_name{};
  std::string table_arn{};
  std::string table_id{};
  TableStatus table_status = TableStatus::unknown;
  std::vector<AttributeDefinition> attribute_definitions{};
  KeySchema key_schema{};
  std::optional<TimePoint> creation_date_time{};
  std::int64_t item_count = 0;        // refreshed by DynamoDB about every 6 hours
  std::int64_t table_size_bytes = 0;  // likewise
  // From BillingModeSummary; DynamoDB leaves the summary out for tables that
  // were always PROVISIONED, which reads as BillingMode::provisioned here.
  BillingMode billing_mode = BillingMode::provisioned;
  std::optional<ProvisionedThroughputDescription> provisioned_throughput{};
  std::vector<GlobalSecondaryIndexDescription> global_secondary_indexes{};
  std::vector<LocalSecondaryIndexDescription> local_secondary_indexes{};
  std::optional<StreamSpecification> stream_specification{};
  std::string latest_stream_arn{};
  std::string latest_stream_label{};
  std::optional<SseDescription> sse_description{};
  std::optional<TableClass> table_class{};  // from TableClassSummary
  bool deletion_protection_enabled = false;

  // The global secondary index called `name`, or nullptr.
  const GlobalSecondaryIndexDescription* find_global_index(std::string_view name) const noexcept;
  // ACTIVE, and every global secondary index ACTIVE too.
  bool fully_active() const noexcept;
};

// ---- Table-level requests and responses ----

struct CreateTableRequest {
  std::string table_name{};
  std::vector<AttributeDefinition> attribute_definitions{};  // every key attribute, no others
  KeySchema key_schema{};
  std::vector<GlobalSecondaryIndex> global_secondary_indexes{};
  std::vector<LocalSecondaryIndex> local_secondary_indexes{};
  // Unset: PROVISIONED when provisioned_throughput is set, else PAY_PER_REQUEST.
  std::optional<BillingMode> billing_mode{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::optional<StreamSpecification> stream_specification{};
  std::optional<SseSpecification> sse_specification{};
  std::vector<Tag> tags{};
  std::optional<TableClass> table_class{};
  std::optional<bool> deletion_protection_enabled{};
  std::optional<bool> idempotent{};  // default false
};

struct DescribeTableRequest {
  std::string table_name{};
  std::optional<bool> idempotent{};  // default true
};

struct DeleteTableRequest {
  std::string table_name{};
  std::optional<bool> idempotent{};  // default false
};

// GlobalSecondaryIndexUpdates entries: Create, Update (throughput) or Delete.
struct CreateGlobalSecondaryIndexAction {
  GlobalSecondaryIndex index{};
};
struct UpdateGlobalSecondaryIndexAction {
  std::string index_name{};
  ProvisionedThroughput provisioned_throughput{};
};
struct DeleteGlobalSecondaryIndexAction {
  std::string index_name{};
};
using GlobalSecondaryIndexUpdate =
    std::variant<CreateGlobalSecondaryIndexAction, UpdateGlobalSecondaryIndexAction,
                 DeleteGlobalSecondaryIndexAction>;

struct UpdateTableRequest {
  std::string table_name{};
  std::vector<AttributeDefinition> attribute_definitions{};  // keys of indexes being created
  std::optional<BillingMode> billing_mode{};
  std::optional<ProvisionedThroughput> provisioned_throughput{};
  std::vector<GlobalSecondaryIndexUpdate> global_secondary_index_updates{};
  std::optional<StreamSpecification> stream_specification{};
  std::optional<SseSpecification> sse_specification{};
  std::optional<TableClass> table_class{};
  std::optional<bool> deletion_protection_enabled{};
  std::optional<bool> idempotent{};  // default false
};

struct ListTablesRequest {
  std::string exclusive_start_table_name{};  // empty = from the start
  std::optional<std::int32_t> limit{};       // 1..100
  std::optional<bool> idempotent{};          // default true
};
struct ListTablesResponse {
  std::vector<std::string> table_names{};
  std::string last_evaluated_table_name{};  // empty on the last page
};

struct TimeToLiveSpecification {
  std::string attribute_name{};
  bool enabled = false;
};
struct UpdateTimeToLiveRequest {
  std::string table_name{};
  TimeToLiveSpecification time_to_live_specification{};
  std::optional<bool> idempotent{};  // default false
};
struct DescribeTimeToLiveRequest {
  std::string table_name{};
  std::optional<bool> idempotent{};  // default true
};
struct TimeToLiveDescription {
  TimeToLiveStatus time_to_live_status = TimeToLiveStatus::unknown;
  std::string attribute_name{};  // empty while disabled
};

}  // namespace dynamate::aws
