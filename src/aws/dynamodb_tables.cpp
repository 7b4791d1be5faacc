// DynamoDbClient's table-level operations (CreateTable, DescribeTable,
// UpdateTable, DeleteTable, ListTables, the TTL calls) and the waiters built on
// DescribeTable.
#include <algorithm>

#include "aws/dynamodb_wire.hpp"
#include "aws/service_client.hpp"
#include "core/try.hpp"
#include "dynamate/aws/dynamodb.hpp"

namespace dynamate::aws {
namespace {

Result<TableDescription> parse_create(simdjson::dom::element root) {
  return detail::parse_table_description_member(root, "TableDescription");
}
Result<TableDescription> parse_describe(simdjson::dom::element root) {
  return detail::parse_table_description_member(root, "Table");
}

Result<void> validate_wait(std::string_view operation, std::string_view table,
                           std::chrono::milliseconds poll_interval) {
  DYNAMATE_TRY(detail::validate_table_name(operation, table));
  if (poll_interval.count() <= 0) {
    return unexpected(ErrorCode::invalid_argument,
                      std::string(operation) + ": poll interval must be positive");
  }
  return {};
}

// Sleeps until the next poll; false when the deadline has passed.
bool sleep_before_next_poll(Clock& clock, TimePoint deadline,
                            std::chrono::milliseconds poll_interval) {
  const auto now = clock.now();
  if (now >= deadline) return false;
  clock.sleep_for(std::min<std::chrono::nanoseconds>(poll_interval, deadline - now));
  return true;
}

Error wait_timeout(std::string_view table, std::string_view what,
                   std::chrono::milliseconds timeout) {
  return Error(ErrorCode::timeout, "table \"" + std::string(table) + "\" was not " +
                                       std::string(what) + " within " +
                                       std::to_string(timeout.count()) + " ms");
}

}  // namespace

Result<TableDescription> DynamoDbClient::create_table(const CreateTableRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "CreateTable", detail::to_json(r),
                               r.idempotent.value_or(false), &parse_create);
}

Result<TableDescription> DynamoDbClient::describe_table(const DescribeTableRequest& r) const {
  DYNAMATE_TRY(detail::validate_table_name("DescribeTable", r.table_name));
  return detail::call_dynamodb(*service_, "DescribeTable", detail::table_name_json(r.table_name),
                               r.idempotent.value_or(true), &parse_describe);
}

Result<TableDescription> DynamoDbClient::describe_table(std::string_view table_name) const {
  return describe_table(DescribeTableRequest{std::string(table_name), std::nullopt});
}

Result<TableDescription> DynamoDbClient::update_table(const UpdateTableRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "UpdateTable", detail::to_json(r),
                               r.idempotent.value_or(false), &parse_create);
}

Result<TableDescription> DynamoDbClient::delete_table(const DeleteTableRequest& r) const {
  DYNAMATE_TRY(detail::validate_table_name("DeleteTable", r.table_name));
  return detail::call_dynamodb(*service_, "DeleteTable", detail::table_name_json(r.table_name),
                               r.idempotent.value_or(false), &parse_create);
}

Result<TableDescription> DynamoDbClient::delete_table(std::string_view table_name) const {
  return delete_table(DeleteTableRequest{std::string(table_name), std::nullopt});
}

Result<ListTablesResponse> DynamoDbClient::list_tables(const ListTablesRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "ListTables", detail::to_json(r),
                               r.idempotent.value_or(true), &detail::parse_list_tables);
}

Result<TimeToLiveSpecification> DynamoDbClient::update_time_to_live(
    const UpdateTimeToLiveRequest& r) const {
  DYNAMATE_TRY(detail::validate(r));
  return detail::call_dynamodb(*service_, "UpdateTimeToLive", detail::to_json(r),
                               r.idempotent.value_or(false), &detail::parse_update_time_to_live);
}

Result<TimeToLiveDescription> DynamoDbClient::describe_time_to_live(
    const DescribeTimeToLiveRequest& r) const {
  DYNAMATE_TRY(detail::validate_table_name("DescribeTimeToLive", r.table_name));
  return detail::call_dynamodb(*service_, "DescribeTimeToLive",
                               detail::table_name_json(r.table_name), r.idempotent.value_or(true),
                               &detail::parse_describe_time_to_live);
}

Result<TimeToLiveDescription> DynamoDbClient::describe_time_to_live(
    std::string_view table_name) const {
  return describe_time_to_live(DescribeTimeToLiveRequest{std::string(table_name), std::nullopt});
}

Result<TableDescription> DynamoDbClient::wait_until_active(
    std::string_view table_name, std::chrono::milliseconds timeout,
    std::chrono::milliseconds poll_interval) const {
  DYNAMATE_TRY(validate_wait("wait_until_active", table_name, poll_interval));
  Clock& clock = *service_->config().clock;
  const TimePoint deadline = clock.now() + timeout;
  for (;;) {
    auto table = describe_table(table_name);
    // Like botocore's TableExists waiter, "not found" means "not yet": right
    // after CreateTable, DescribeTable may not know the table for a moment.
    if (!table && table.error().code != ErrorCode::not_found) return table;
    if (table && table->fully_active()) return table;
    if (table && table->table_status == TableStatus::deleting) {
      return unexpected(ErrorCode::not_found,
                        "table \"" + std::string(table_name) + "\" is being deleted");
    }
    if (!sleep_before_next_poll(clock, deadline, poll_interval)) {
      if (!table) {
        return unexpected(
            std::move(table).error().with_context("wait_until_active: table still missing after " +
                                                  std::to_string(timeout.count()) + " ms"));
      }
      return unexpected(wait_timeout(table_name, "ACTIVE (with all its indexes)", timeout));
    }
  }
}

Result<void> DynamoDbClient::wait_until_deleted(std::string_view table_name,
                                                std::chrono::milliseconds timeout,
                                                std::chrono::milliseconds poll_interval) const {
  DYNAMATE_TRY(validate_wait("wait_until_deleted", table_name, poll_interval));
  Clock& clock = *service_->config().clock;
  const TimePoint deadline = clock.now() + timeout;
  for (;;) {
    auto table = describe_table(table_name);
    if (!table) {
      if (table.error().code == ErrorCode::not_found) return {};
      return unexpected(std::move(table).error());
    }
    if (!sleep_before_next_poll(clock, deadline, poll_interval)) {
      return unexpected(wait_timeout(table_name, "deleted", timeout));
    }
  }
}

}  // namespace dynamate::aws
