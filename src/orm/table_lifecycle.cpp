// Table<T>'s table-level calls: CreateTable from the schema's shape, waiting,
// TTL, DescribeTable and DeleteTable.
#include <algorithm>
#include <string>

#include "dynamate/table.hpp"

namespace dynamate::detail {

const IndexShape* TableShape::find_index(std::string_view name) const noexcept {
  for (const auto& ix : indexes) {
    if (ix.name == name) return &ix;
  }
  return nullptr;
}

void add_attribute_definition(std::vector<aws::AttributeDefinition>& defs, std::string_view name,
                              aws::ScalarAttributeType type) {
  const bool present = std::any_of(defs.begin(), defs.end(),
                                   [&](const auto& d) { return d.attribute_name == name; });
  if (!present) defs.push_back({std::string(name), type});
}

namespace {

aws::KeySchema key_schema(const std::string& hash, const std::string& range) {
  aws::KeySchema out{{hash, aws::KeyType::hash}};
  if (!range.empty()) out.push_back({range, aws::KeyType::range});
  return out;
}

}  // namespace

aws::CreateTableRequest create_table_request(std::string_view table, const TableShape& shape,
                                             const CreateTableOptions& options) {
  aws::CreateTableRequest r;
  r.table_name = std::string(table);
  r.attribute_definitions = shape.attribute_definitions;
  r.key_schema = key_schema(shape.hash_key, shape.range_key);
  const aws::BillingMode billing = options.billing_mode.value_or(shape.options.billing_mode);
  const bool provisioned = billing == aws::BillingMode::provisioned;
  const aws::ProvisionedThroughput table_capacity{
      options.read_capacity.value_or(shape.options.read_capacity),
      options.write_capacity.value_or(shape.options.write_capacity)};
  r.billing_mode = billing;
  if (provisioned) r.provisioned_throughput = table_capacity;
  for (const auto& ix : shape.indexes) {
    if (ix.global) {
      aws::GlobalSecondaryIndex g;
      g.index_name = ix.name;
      g.key_schema = key_schema(ix.hash_key, ix.range_key);
      g.projection = ix.projection;
      if (provisioned) {
        g.provisioned_throughput = aws::ProvisionedThroughput{
            ix.read_capacity > 0 ? ix.read_capacity : table_capacity.read_capacity_units,
            ix.write_capacity > 0 ? ix.write_capacity : table_capacity.write_capacity_units};
      }
      r.global_secondary_indexes.push_back(std::move(g));
    } else {
      r.local_secondary_indexes.push_back(
          {ix.name, key_schema(ix.hash_key, ix.range_key), ix.projection});
    }
  }
  if (auto stream = options.stream ? options.stream : shape.options.stream) {
    r.stream_specification = aws::StreamSpecification{true, *stream};
  }
  r.tags = options.tags;
  return r;
}

namespace {

// Enables TTL on `attribute` unless it is already on.
Result<void> ensure_ttl(const aws::DynamoDbClient& client, const std::string& table,
                        const std::string& attribute) {
  auto current = client.describe_time_to_live(table);
  if (!current) return unexpected(std::move(current).error());
  if ((current->time_to_live_status == aws::TimeToLiveStatus::enabled ||
       current->time_to_live_status == aws::TimeToLiveStatus::enabling) &&
      current->attribute_name == attribute) {
    return {};
  }
  return update_ttl(client, table, attribute, true);
}

}  // namespace

Result<aws::TableDescription> create_table(const aws::DynamoDbClient& client,
                                           const std::string& table, const TableShape& shape,
                                           const CreateTableOptions& options) {
  auto created = client.create_table(create_table_request(table, shape, options));
  bool existed = false;
  if (!created) {
    if (!options.ignore_existing || created.error().code != ErrorCode::already_exists) {
      return unexpected(std::move(created).error().with_context("creating table " + table));
    }
    existed = true;
    created = client.describe_table(table);
    if (!created) return created;
  }
  if (!options.wait) return created;
  auto active = client.wait_until_active(table, options.timeout);
  if (!active) return active;
  if (options.enable_ttl && !shape.ttl_attribute.empty()) {
    auto ttl = existed ? ensure_ttl(client, table, shape.ttl_attribute)
                       : update_ttl(client, table, shape.ttl_attribute, true);
    if (!ttl) return unexpected(std::move(ttl).error());
  }
  return active;
}

Result<bool> table_exists(const aws::DynamoDbClient& client, const std::string& table) {
  auto d = client.describe_table(table);
  if (d) return true;
  if (d.error().code == ErrorCode::not_found) return false;
  return unexpected(std::move(d).error());
}

Result<void> delete_table(const aws::DynamoDbClient& client, const std::string& table,
                          const DeleteTableOptions& options) {
  auto deleted = client.delete_table(table);
  if (!deleted) {
    if (options.ignore_missing && deleted.error().code == ErrorCode::not_found) return {};
    return unexpected(std::move(deleted).error());
  }
  if (!options.wait) return {};
  return client.wait_until_deleted(table, options.timeout);
}

Result<void> update_ttl(const aws::DynamoDbClient& client, const std::string& table,
                        std::string_view attribute, bool enabled) {
  auto r = client.update_time_to_live(
      {.table_name = table,
       .time_to_live_specification = {.attribute_name = std::string(attribute),
                                      .enabled = enabled}});
  if (!r) return unexpected(std::move(r).error());
  return {};
}

}  // namespace dynamate::detail
