// dynamate/aws/dynamodb.hpp: DynamoDbClient, one method per DynamoDB API call
// (table management, items, queries, batches, transactions) plus waiters for
// table creation and deletion.
//
// Every call POSTs JSON (awsJson1_0) to the endpoint with X-Amz-Target
// DynamoDB_20120810.<Operation>, signed with SigV4 and retried in the AWS
// "standard" mode (see retry.hpp). A response's x-amz-crc32 is verified; a
// mismatch is a retryable, ambiguous ErrorCode::protocol error.
//
// Errors shared by every call:
//   invalid_argument  rejected before sending (the message names the problem:
//                     bad table/index name, too many batch entries, Limit < 1...)
//   validation        DynamoDB's ValidationException (bad expression, key...)
//   not_found         ResourceNotFoundException (no such table or index)
//   throttled         ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded
//                     (after the retries were used up)
//   access_denied     bad signature, unknown key, missing permission
//   transport/timeout/service/protocol   network, 5xx, unreadable responses
// Call-specific errors are listed on each method.
//
// Idempotency: a request is resent after an *ambiguous* failure (sent, but no
// answer arrived, or the answer was corrupt) only when it is idempotent. The
// defaults are on each method; every request has `idempotent` to override.
//
// Thread-safety: a DynamoDbClient is cheap to copy (it shares one pipeline) and
// all methods are const and safe to call concurrently from many threads.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>

#include "dynamate/aws/client_config.hpp"
#include "dynamate/aws/dynamodb_item_types.hpp"
#include "dynamate/aws/dynamodb_types.hpp"
#include "dynamate/result.hpp"

namespace dynamate::aws {

namespace detail {
class ServiceClient;
}

class DynamoDbClient {
 public:
  // Validates `config` (region and credentials required; errors:
  // invalid_argument) and fills defaults (curl transport, system clock).
  static Result<DynamoDbClient> create(ClientConfig config);
  // create(config_from_environment("dynamodb", options)).
  static Result<DynamoDbClient> from_environment(const EnvironmentOptions& options = {});

  // ---- Tables ----

  // CreateTable. Returns the new table's description (status CREATING on AWS;
  // use wait_until_active). Errors: already_exists (ResourceInUseException),
  // limit_exceeded. Not idempotent by default: a resent request would fail with
  // already_exists.
  Result<TableDescription> create_table(const CreateTableRequest& request) const;

  // DescribeTable. Errors: not_found. Idempotent.
  Result<TableDescription> describe_table(const DescribeTableRequest& request) const;
  Result<TableDescription> describe_table(std::string_view table_name) const;

  // UpdateTable: billing mode, throughput, GSI create/update/delete, stream,
  // SSE, table class, deletion protection. Errors: not_found, already_exists
  // (ResourceInUseException: the table is already being updated),
  // limit_exceeded. Not idempotent by default.
  Result<TableDescription> update_table(const UpdateTableRequest& request) const;

  // DeleteTable. Returns the description (status DELETING). Errors: not_found,
  // already_exists (ResourceInUseException: the table is being created or
  // updated), validation (deletion protection on). Not idempotent by default.
  Result<TableDescription> delete_table(const DeleteTableRequest& request) const;
  Result<TableDescription> delete_table(std::string_view table_name) const;

  // ListTables, one page. Idempotent.
  Result<ListTablesResponse> list_tables(const ListTablesRequest& request = {}) const;

  // UpdateTimeToLive. Returns the specification applied. Errors: not_found,
  // validation (TTL already in that state or changed within the last hour).
  // Not idempotent by default (a resend fails with validation).
  Result<TimeToLiveSpecification> update_time_to_live(const UpdateTimeToLiveRequest& request) const;

  // DescribeTimeToLive. Errors: not_found. Idempotent.
  Result<TimeToLiveDescription> describe_time_to_live(
      const DescribeTimeToLiveRequest& request) const;
  Result<TimeToLiveDescription> describe_time_to_live(std::string_view table_name) const;

  // Polls DescribeTable every `poll_interval` until the table is ACTIVE and
  // all its global secondary indexes are ACTIVE; returns that description.
  // Sleeps through the config's Clock. A table DescribeTable does not know
  // (yet) is polled again, as botocore's TableExists waiter does. Errors:
  // timeout when `timeout` passes first, not_found when the table is being
  // deleted or was still unknown at the deadline, plus DescribeTable's errors.
  Result<TableDescription> wait_until_active(
      std::string_view table_name, std::chrono::milliseconds timeout,
      std::chrono::milliseconds poll_interval = std::chrono::seconds(1)) const;

  // Polls DescribeTable until it answers ResourceNotFoundException. Errors:
  // timeout, plus DescribeTable's other errors.
  Result<void> wait_until_deleted(
      std::string_view table_name, std::chrono::milliseconds timeout,
      std::chrono::milliseconds poll_interval = std::chrono::seconds(1)) const;

  // ---- Items ----

  // GetItem. An absent item is a success with `item` nullopt. Idempotent.
  Result<GetItemResponse> get_item(const GetItemRequest& request) const;

  // PutItem. Errors: condition_failed (Error::detail<DynamoDbErrorDetail>()
  // holds the old item when return_values_on_condition_check_failure is
  // ALL_OLD), transaction_conflict, limit_exceeded (item collection size).
  // Idempotent by default only without condition_expression and
  // return_values: a resend after an ambiguous failure could fail its own
  // condition, or return the item the first attempt wrote as the "old" one.
  Result<PutItemResponse> put_item(const PutItemRequest& request) const;

  // UpdateItem. Errors as put_item. Not idempotent by default: ADD, SET a = a + :n
  // and list_append change the item again on every resend. Set `idempotent`
  // for plain SET/REMOVE updates.
  Result<UpdateItemResponse> update_item(const UpdateItemRequest& request) const;

  // DeleteItem. Errors as put_item. Idempotency as put_item.
  Result<DeleteItemResponse> delete_item(const DeleteItemRequest& request) const;

  // Query, one page: follow last_evaluated_key. Idempotent.
  Result<QueryResponse> query(const QueryRequest& request) const;

  // Scan, one page (of one segment for a parallel scan). Idempotent.
  Result<ScanResponse> scan(const ScanRequest& request) const;

  // BatchGetItem: up to 100 keys over any tables. Keys DynamoDB skipped come
  // back in unprocessed_keys (not an error). Idempotent.
  Result<BatchGetItemResponse> batch_get_item(const BatchGetItemRequest& request) const;

  // BatchWriteItem: up to 25 unconditional puts and deletes. Skipped writes
  // come back in unprocessed_items. Errors: limit_exceeded (item collection
  // size), validation (e.g. two writes to one key). Idempotent by default.
  Result<BatchWriteItemResponse> batch_write_item(const BatchWriteItemRequest& request) const;

  // TransactGetItems: up to 100 reads, one consistent snapshot. Errors:
  // transaction_canceled (reasons in DynamoDbErrorDetail), transaction_conflict.
  // Idempotent.
  Result<TransactGetItemsResponse> transact_get_items(const TransactGetItemsRequest& request) const;

  // TransactWriteItems: up to 100 condition checks, puts, updates and deletes,
  // all or nothing. Sends client_request_token, generating one when empty, so
  // a resend within 10 minutes is applied at most once: idempotent by default.
  // Errors: transaction_canceled (per-item reasons in DynamoDbErrorDetail,
  // with old items for ALL_OLD), throttled (TransactionInProgressException: a
  // request with the same token is still running; retried), validation
  // (IdempotentParameterMismatchException: the token was reused with other
  // parameters).
  Result<TransactWriteItemsResponse> transact_write_items(
      const TransactWriteItemsRequest& request) const;

  const ClientConfig& config() const noexcept;

 private:
  explicit DynamoDbClient(std::shared_ptr<const detail::ServiceClient> service)
      : service_(std::move(service)) {}

  std::shared_ptr<const detail::ServiceClient> service_;
};

}  // namespace dynamate::aws
