// DynamoDbClient's checks before sending: names, counts and ranges DynamoDB
// would reject anyway, reported as ErrorCode::invalid_argument without a round
// trip and with a message naming the operation and the problem.
#include <string>

#include "aws/dynamodb_wire.hpp"
#include "core/try.hpp"

namespace dynamate::aws::detail {
namespace {

constexpr std::size_t kMaxBatchGetKeys = 100;
constexpr std::size_t kMaxBatchWrites = 25;
constexpr std::size_t kMaxTransactItems = 100;
constexpr std::int32_t kMaxTotalSegments = 1000000;
constexpr std::size_t kMaxClientRequestToken = 36;

Unexpected invalid(std::string_view operation, const std::string& problem) {
  std::string m(operation);
  m += ": ";
  m += problem;
  return unexpected(ErrorCode::invalid_argument, std::move(m));
}

bool is_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// Rules shared by table and index names: 3-255 characters of [a-zA-Z0-9_.-].
std::optional<std::string> name_problem(std::string_view what, std::string_view name) {
  const std::string quoted = std::string(what) + " \"" + std::string(name) + "\"";
  if (name.empty()) return std::string(what) + " is empty";
  if (name.size() < 3 || name.size() > 255) {
    return quoted + " must be 3 to 255 characters long (it has " + std::to_string(name.size()) +
           ")";
  }
  for (char c : name) {
    if (!is_name_char(c)) {
      return quoted + " may contain only a-z, A-Z, 0-9, '_', '.' and '-'";
    }
  }
  return std::nullopt;
}

Result<void> validate_index_name(std::string_view operation, std::string_view name) {
  if (auto p = name_problem("index name", name)) return invalid(operation, *p);
  return {};
}

Result<void> validate_key(std::string_view operation, const AttributeMap& key,
                          std::string_view what = "key") {
  if (key.empty()) return invalid(operation, std::string(what) + " is empty");
  return {};
}

Result<void> validate_limit(std::string_view operation, const std::optional<std::int32_t>& limit) {
  if (limit && *limit < 1) {
    return invalid(operation, "Limit must be at least 1 (got " + std::to_string(*limit) + ")");
  }
  return {};
}

Result<void> validate_indexes(std::string_view operation, const CreateTableRequest& r) {
  for (const auto& g : r.global_secondary_indexes) {
    DYNAMATE_TRY(validate_index_name(operation, g.index_name));
    if (g.key_schema.empty()) {
      return invalid(operation,
                     "global secondary index \"" + g.index_name + "\" has no key schema");
    }
  }
  for (const auto& l : r.local_secondary_indexes) {
    DYNAMATE_TRY(validate_index_name(operation, l.index_name));
    if (l.key_schema.empty()) {
      return invalid(operation, "local secondary index \"" + l.index_name + "\" has no key schema");
    }
  }
  return {};
}

std::string count_text(std::size_t n) { return std::to_string(n); }

}  // namespace

Result<void> validate_table_name(std::string_view operation, std::string_view name) {
  // DynamoDB accepts a table ARN wherever a table name goes.
  if (name.starts_with("arn:")) {
    if (name.size() > 1024) return invalid(operation, "table ARN longer than 1024 characters");
    return {};
  }
  if (auto p = name_problem("table name", name)) return invalid(operation, *p);
  return {};
}

Result<void> validate(const CreateTableRequest& r) {
  constexpr std::string_view op = "CreateTable";
  DYNAMATE_TRY(validate_table_name(op, r.table_name));
  if (r.key_schema.empty()) return invalid(op, "key schema is empty");
  if (r.key_schema.size() > 2) return invalid(op, "key schema has more than 2 elements");
  if (r.billing_mode == BillingMode::pay_per_request && r.provisioned_throughput) {
    return invalid(op, "provisioned throughput given with billing mode PAY_PER_REQUEST");
  }
  return validate_indexes(op, r);
}

Result<void> validate(const UpdateTableRequest& r) {
  constexpr std::string_view op = "UpdateTable";
  DYNAMATE_TRY(validate_table_name(op, r.table_name));
  for (const auto& u : r.global_secondary_index_updates) {
    const std::string* name = nullptr;
    if (const auto* c = std::get_if<CreateGlobalSecondaryIndexAction>(&u)) {
      name = &c->index.index_name;
    } else if (const auto* up = std::get_if<UpdateGlobalSecondaryIndexAction>(&u)) {
      name = &up->index_name;
    } else {
      name = &std::get<DeleteGlobalSecondaryIndexAction>(u).index_name;
    }
    DYNAMATE_TRY(validate_index_name(op, *name));
  }
  return {};
}

Result<void> validate(const ListTablesRequest& r) {
  constexpr std::string_view op = "ListTables";
  if (r.limit && (*r.limit < 1 || *r.limit > 100)) {
    return invalid(op, "Limit must be 1 to 100 (got " + std::to_string(*r.limit) + ")");
  }
  if (!r.exclusive_start_table_name.empty()) {
    DYNAMATE_TRY(validate_table_name(op, r.exclusive_start_table_name));
  }
  return {};
}

Result<void> validate(const UpdateTimeToLiveRequest& r) {
  constexpr std::string_view op = "UpdateTimeToLive";
  DYNAMATE_TRY(validate_table_name(op, r.table_name));
  if (r.time_to_live_specification.attribute_name.empty()) {
    return invalid(op, "TTL attribute name is empty");
  }
  return {};
}

Result<void> validate(const GetItemRequest& r) {
  DYNAMATE_TRY(validate_table_name("GetItem", r.table_name));
  return validate_key("GetItem", r.key);
}

Result<void> validate(const PutItemRequest& r) {
  DYNAMATE_TRY(validate_table_name("PutItem", r.table_name));
  return validate_key("PutItem", r.item, "item");
}

Result<void> validate(const UpdateItemRequest& r) {
  DYNAMATE_TRY(validate_table_name("UpdateItem", r.table_name));
  return validate_key("UpdateItem", r.key);
}

Result<void> validate(const DeleteItemRequest& r) {
  DYNAMATE_TRY(validate_table_name("DeleteItem", r.table_name));
  return validate_key("DeleteItem", r.key);
}

Result<void> validate(const QueryRequest& r) {
  constexpr std::string_view op = "Query";
  DYNAMATE_TRY(validate_table_name(op, r.table_name));
  if (!r.index_name.empty()) DYNAMATE_TRY(validate_index_name(op, r.index_name));
  if (r.key_condition_expression.empty()) return invalid(op, "KeyConditionExpression is empty");
  return validate_limit(op, r.limit);
}

Result<void> validate(const ScanRequest& r) {
  constexpr std::string_view op = "Scan";
  DYNAMATE_TRY(validate_table_name(op, r.table_name));
  if (!r.index_name.empty()) DYNAMATE_TRY(validate_index_name(op, r.index_name));
  DYNAMATE_TRY(validate_limit(op, r.limit));
  if (r.segment.has_value() != r.total_segments.has_value()) {
    return invalid(op, "Segment and TotalSegments must be given together");
  }
  if (r.total_segments) {
    if (*r.total_segments < 1 || *r.total_segments > kMaxTotalSegments) {
      return invalid(
          op, "TotalSegments must be 1 to 1000000 (got " + std::to_string(*r.total_segments) + ")");
    }
    if (*r.segment < 0 || *r.segment >= *r.total_segments) {
      return invalid(op, "Segment " + std::to_string(*r.segment) +
                             " is outside 0 .. TotalSegments-1 (TotalSegments " +
                             std::to_string(*r.total_segments) + ")");
    }
  }
  return {};
}

Result<void> validate(const BatchGetItemRequest& r) {
  constexpr std::string_view op = "BatchGetItem";
  if (r.request_items.empty()) return invalid(op, "no tables in RequestItems");
  std::size_t keys = 0;
  for (const auto& [table, ka] : r.request_items) {
    DYNAMATE_TRY(validate_table_name(op, table));
    if (ka.keys.empty()) return invalid(op, "no keys for table \"" + table + "\"");
    for (const auto& k : ka.keys) DYNAMATE_TRY(validate_key(op, k));
    keys += ka.keys.size();
  }
  if (keys > kMaxBatchGetKeys) {
    return invalid(op, count_text(keys) + " keys requested; at most 100 per call");
  }
  return {};
}

Result<void> validate(const BatchWriteItemRequest& r) {
  constexpr std::string_view op = "BatchWriteItem";
  if (r.request_items.empty()) return invalid(op, "no tables in RequestItems");
  std::size_t writes = 0;
  for (const auto& [table, list] : r.request_items) {
    DYNAMATE_TRY(validate_table_name(op, table));
    if (list.empty()) return invalid(op, "no write requests for table \"" + table + "\"");
    for (const auto& w : list) {
      if (const auto* p = std::get_if<PutRequest>(&w)) {
        DYNAMATE_TRY(validate_key(op, p->item, "put item"));
      } else {
        DYNAMATE_TRY(validate_key(op, std::get<DeleteRequest>(w).key, "delete key"));
      }
    }
    writes += list.size();
  }
  if (writes > kMaxBatchWrites) {
    return invalid(op, count_text(writes) + " write requests; at most 25 per call");
  }
  return {};
}

Result<void> validate(const TransactGetItemsRequest& r) {
  constexpr std::string_view op = "TransactGetItems";
  if (r.transact_items.empty()) return invalid(op, "no TransactItems");
  if (r.transact_items.size() > kMaxTransactItems) {
    return invalid(op, count_text(r.transact_items.size()) + " items; at most 100 per call");
  }
  for (const auto& g : r.transact_items) {
    DYNAMATE_TRY(validate_table_name(op, g.table_name));
    DYNAMATE_TRY(validate_key(op, g.key));
  }
  return {};
}

Result<void> validate(const TransactWriteItemsRequest& r) {
  constexpr std::string_view op = "TransactWriteItems";
  if (r.transact_items.empty()) return invalid(op, "no TransactItems");
  if (r.transact_items.size() > kMaxTransactItems) {
    return invalid(op, count_text(r.transact_items.size()) + " items; at most 100 per call");
  }
  if (r.client_request_token.size() > kMaxClientRequestToken) {
    return invalid(op, "ClientRequestToken longer than 36 characters");
  }
  for (const auto& item : r.transact_items) {
    auto check = [&](const auto& x) -> Result<void> {
      using T = std::decay_t<decltype(x)>;
      DYNAMATE_TRY(validate_table_name(op, x.table_name));
      if constexpr (std::is_same_v<T, TransactPut>) {
        return validate_key(op, x.item, "put item");
      } else {
        DYNAMATE_TRY(validate_key(op, x.key));
        if constexpr (std::is_same_v<T, ConditionCheck>) {
          if (x.condition_expression.empty()) {
            return invalid(op, "ConditionCheck without a ConditionExpression");
          }
        }
        if constexpr (std::is_same_v<T, TransactUpdate>) {
          if (x.update_expression.empty()) return invalid(op, "Update without an UpdateExpression");
        }
        return {};
      }
    };
    DYNAMATE_TRY(std::visit(check, item));
  }
  return {};
}

}  // namespace dynamate::aws::detail
