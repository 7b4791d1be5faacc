// Response parsers of the table-level calls: TableDescription (with its
// indexes, throughput, stream, SSE and billing summaries), ListTables and the
// TTL calls; TableDescription's helpers.
#include "aws/dynamodb_wire.hpp"
#include "core/try.hpp"

namespace dynamate::aws {
namespace detail {
namespace {

std::string at(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Calls fn(element, path) for each entry of the array member `key`.
template <class Fn>
void for_each_in(ObjectReader& r, std::string_view key, Fn&& fn) {
  auto e = r.get(key);
  if (!e) return;
  simdjson::dom::array arr;
  if (e->get(arr) != simdjson::SUCCESS) return r.fail(key, "is not an array");
  std::size_t i = 0;
  for (auto v : arr) {
    if (!r.ok()) return;
    fn(v, at(r.path(), key) + "[" + std::to_string(i++) + "]");
  }
}

// Runs `parse` on the object member `key` when present; its errors land in r.
template <class Fn>
void with_object(ObjectReader& r, std::string_view key, Fn&& parse) {
  auto e = r.get(key);
  if (!e) return;
  ObjectReader sub(*e, at(r.path(), key));
  parse(sub);
  if (!sub.ok()) r.take(sub.status().error());
}

void read_key_schema(ObjectReader& r, KeySchema& out) {
  for_each_in(r, "KeySchema", [&](element e, std::string path) {
    ObjectReader k(e, std::move(path));
    KeySchemaElement ks;
    k.read("AttributeName", ks.attribute_name);
    k.read_enum("KeyType", ks.key_type, KeyType::hash);
    if (!k.ok()) return r.take(k.status().error());
    out.push_back(std::move(ks));
  });
}

void read_projection(ObjectReader& r, Projection& out) {
  with_object(r, "Projection", [&](ObjectReader& p) {
    p.read_enum("ProjectionType", out.projection_type, ProjectionType::all);
    p.read("NonKeyAttributes", out.non_key_attributes);
  });
}

void read_throughput(ObjectReader& r, std::optional<ProvisionedThroughputDescription>& out) {
  with_object(r, "ProvisionedThroughput", [&](ObjectReader& p) {
    ProvisionedThroughputDescription t;
    p.read("ReadCapacityUnits", t.read_capacity_units);
    p.read("WriteCapacityUnits", t.write_capacity_units);
    p.read("NumberOfDecreasesToday", t.number_of_decreases_today);
    p.read("LastIncreaseDateTime", t.last_increase_date_time);
    p.read("LastDecreaseDateTime", t.last_decrease_date_time);
    out = t;
  });
}

void read_gsis(ObjectReader& r, std::vector<GlobalSecondaryIndexDescription>& out) {
  for_each_in(r, "GlobalSecondaryIndexes", [&](element e, std::string path) {
    ObjectReader g(e, std::move(path));
    GlobalSecondaryIndexDescription d;
    g.read("IndexName", d.index_name);
    read_key_schema(g, d.key_schema);
    read_projection(g, d.projection);
    g.read_enum("IndexStatus", d.index_status, IndexStatus::unknown);
    g.read("Backfilling", d.backfilling);
    read_throughput(g, d.provisioned_throughput);
    g.read("IndexSizeBytes", d.index_size_bytes);
    g.read("ItemCount", d.item_count);
    g.read("IndexArn", d.index_arn);
    if (!g.ok()) return r.take(g.status().error());
    out.push_back(std::move(d));
  });
}

void read_lsis(ObjectReader& r, std::vector<LocalSecondaryIndexDescription>& out) {
  for_each_in(r, "LocalSecondaryIndexes", [&](element e, std::string path) {
    ObjectReader l(e, std::move(path));
    LocalSecondaryIndexDescription d;
    l.read("IndexName", d.index_name);
    read_key_schema(l, d.key_schema);
    read_projection(l, d.projection);
    l.read("IndexSizeBytes", d.index_size_bytes);
    l.read("ItemCount", d.item_count);
    l.read("IndexArn", d.index_arn);
    if (!l.ok()) return r.take(l.status().error());
    out.push_back(std::move(d));
  });
}

void read_summaries(ObjectReader& r, TableDescription& t) {
  with_object(r, "BillingModeSummary", [&](ObjectReader& b) {
    b.read_enum("BillingMode", t.billing_mode, BillingMode::provisioned);
  });
  with_object(r, "StreamSpecification", [&](ObjectReader& s) {
    StreamSpecification spec;
    s.read("StreamEnabled", spec.stream_enabled);
    s.read_enum("StreamViewType", spec.stream_view_type);
    t.stream_specification = spec;
  });
  with_object(r, "SSEDescription", [&](ObjectReader& s) {
    SseDescription d;
    s.read_enum("Status", d.status, SseStatus::unknown);
    s.read_enum("SSEType", d.sse_type);
    s.read("KMSMasterKeyArn", d.kms_master_key_arn);
    t.sse_description = d;
  });
  with_object(r, "TableClassSummary",
              [&](ObjectReader& c) { c.read_enum("TableClass", t.table_class); });
}

Result<TableDescription> parse_table_description(element e, std::string path) {
  ObjectReader r(e, std::move(path));
  TableDescription t;
  r.read("TableName", t.table_name);
  r.read("TableArn", t.table_arn);
  r.read("TableId", t.table_id);
  r.read_enum("TableStatus", t.table_status, TableStatus::unknown);
  for_each_in(r, "AttributeDefinitions", [&](element d, std::string p) {
    ObjectReader a(d, std::move(p));
    AttributeDefinition def;
    a.read("AttributeName", def.attribute_name);
    a.read_enum("AttributeType", def.attribute_type, ScalarAttributeType::S);
    if (!a.ok()) return r.take(a.status().error());
    t.attribute_definitions.push_back(std::move(def));
  });
  read_key_schema(r, t.key_schema);
  r.read("CreationDateTime", t.creation_date_time);
  r.read("ItemCount", t.item_count);
  r.read("TableSizeBytes", t.table_size_bytes);
  read_throughput(r, t.provisioned_throughput);
  read_gsis(r, t.global_secondary_indexes);
  read_lsis(r, t.local_secondary_indexes);
  r.read("LatestStreamArn", t.latest_stream_arn);
  r.read("LatestStreamLabel", t.latest_stream_label);
  read_summaries(r, t);
  r.read("DeletionProtectionEnabled", t.deletion_protection_enabled);
  DYNAMATE_TRY(r.status());
  return t;
}

}  // namespace

Result<TableDescription> parse_table_description_member(element root, std::string_view member) {
  ObjectReader r(root, "");
  auto e = r.get(member);
  DYNAMATE_TRY(r.status());
  if (!e) {
    return unexpected(ErrorCode::protocol,
                      "DynamoDB response: no " + std::string(member) + " in the answer");
  }
  return parse_table_description(*e, std::string(member));
}

Result<ListTablesResponse> parse_list_tables(element root) {
  ObjectReader r(root, "");
  ListTablesResponse out;
  r.read("TableNames", out.table_names);
  r.read("LastEvaluatedTableName", out.last_evaluated_table_name);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<TimeToLiveSpecification> parse_update_time_to_live(element root) {
  ObjectReader r(root, "");
  TimeToLiveSpecification out;
  with_object(r, "TimeToLiveSpecification", [&](ObjectReader& s) {
    s.read("AttributeName", out.attribute_name);
    s.read("Enabled", out.enabled);
  });
  DYNAMATE_TRY(r.status());
  return out;
}

Result<TimeToLiveDescription> parse_describe_time_to_live(element root) {
  ObjectReader r(root, "");
  TimeToLiveDescription out;
  with_object(r, "TimeToLiveDescription", [&](ObjectReader& d) {
    d.read_enum("TimeToLiveStatus", out.time_to_live_status, TimeToLiveStatus::unknown);
    d.read("AttributeName", out.attribute_name);
  });
  DYNAMATE_TRY(r.status());
  return out;
}

}  // namespace detail

const GlobalSecondaryIndexDescription* TableDescription::find_global_index(
    std::string_view name) const noexcept {
  for (const auto& g : global_secondary_indexes) {
    if (g.index_name == name) return &g;
  }
  return nullptr;
}

bool TableDescription::fully_active() const noexcept {
  if (table_status != TableStatus::active) return false;
  for (const auto& g : global_secondary_indexes) {
    if (g.index_status != IndexStatus::active) return false;
  }
  return true;
}

}  // namespace dynamate::aws
