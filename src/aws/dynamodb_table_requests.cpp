// Request bodies of the table-level calls: CreateTable, UpdateTable,
// DescribeTable/DeleteTable/DescribeTimeToLive ({"TableName":...}), ListTables
// and UpdateTimeToLive.
#include "aws/dynamodb_wire.hpp"
#include "aws/json_writer.hpp"

namespace dynamate::aws::detail {
namespace {

void write_attribute_definitions(JsonWriter& w, const std::vector<AttributeDefinition>& defs) {
  w.key("AttributeDefinitions").begin_array();
  for (const auto& d : defs) {
    w.begin_object()
        .member("AttributeName", d.attribute_name)
        .member("AttributeType", to_string(d.attribute_type))
        .end_object();
  }
  w.end_array();
}

void write_key_schema(JsonWriter& w, const KeySchema& schema) {
  w.key("KeySchema").begin_array();
  for (const auto& k : schema) {
    w.begin_object()
        .member("AttributeName", k.attribute_name)
        .member("KeyType", to_string(k.key_type))
        .end_object();
  }
  w.end_array();
}

void write_projection(JsonWriter& w, const Projection& p) {
  w.key("Projection").begin_object().member("ProjectionType", to_string(p.projection_type));
  if (!p.non_key_attributes.empty()) {
    w.key("NonKeyAttributes").begin_array();
    for (const auto& a : p.non_key_attributes) w.string(a);
    w.end_array();
  }
  w.end_object();
}

void write_throughput(JsonWriter& w, const ProvisionedThroughput& t) {
  w.key("ProvisionedThroughput")
      .begin_object()
      .key("ReadCapacityUnits")
      .number(t.read_capacity_units)
      .key("WriteCapacityUnits")
      .number(t.write_capacity_units)
      .end_object();
}

void write_gsi(JsonWriter& w, const GlobalSecondaryIndex& g) {
  w.begin_object().member("IndexName", g.index_name);
  write_key_schema(w, g.key_schema);
  write_projection(w, g.projection);
  if (g.provisioned_throughput) write_throughput(w, *g.provisioned_throughput);
  w.end_object();
}

void write_stream(JsonWriter& w, const StreamSpecification& s) {
  w.key("StreamSpecification").begin_object().key("StreamEnabled").boolean(s.stream_enabled);
  if (s.stream_view_type) w.member("StreamViewType", to_string(*s.stream_view_type));
  w.end_object();
}

void write_sse(JsonWriter& w, const SseSpecification& s) {
  w.key("SSESpecification").begin_object().key("Enabled").boolean(s.enabled);
  if (s.sse_type) w.member("SSEType", to_string(*s.sse_type));
  if (!s.kms_master_key_id.empty()) w.member("KMSMasterKeyId", s.kms_master_key_id);
  w.end_object();
}

// Options CreateTable and UpdateTable share, written when set.
template <class R>
void write_table_options(JsonWriter& w, const R& r) {
  if (r.stream_specification) write_stream(w, *r.stream_specification);
  if (r.sse_specification) write_sse(w, *r.sse_specification);
  if (r.table_class) w.member("TableClass", to_string(*r.table_class));
  if (r.deletion_protection_enabled) {
    w.key("DeletionProtectionEnabled").boolean(*r.deletion_protection_enabled);
  }
}

void write_create_table_indexes(JsonWriter& w, const CreateTableRequest& r) {
  if (!r.global_secondary_indexes.empty()) {
    w.key("GlobalSecondaryIndexes").begin_array();
    for (const auto& g : r.global_secondary_indexes) write_gsi(w, g);
    w.end_array();
  }
  if (!r.local_secondary_indexes.empty()) {
    w.key("LocalSecondaryIndexes").begin_array();
    for (const auto& l : r.local_secondary_indexes) {
      w.begin_object().member("IndexName", l.index_name);
      write_key_schema(w, l.key_schema);
      write_projection(w, l.projection);
      w.end_object();
    }
    w.end_array();
  }
}

void write_gsi_update(JsonWriter& w, const GlobalSecondaryIndexUpdate& u) {
  w.begin_object();
  if (const auto* c = std::get_if<CreateGlobalSecondaryIndexAction>(&u)) {
    w.key("Create");
    write_gsi(w, c->index);
  } else if (const auto* up = std::get_if<UpdateGlobalSecondaryIndexAction>(&u)) {
    w.key("Update").begin_object().member("IndexName", up->index_name);
    write_throughput(w, up->provisioned_throughput);
    w.end_object();
  } else {
    w.key("Delete")
        .begin_object()
        .member("IndexName", std::get<DeleteGlobalSecondaryIndexAction>(u).index_name)
        .end_object();
  }
  w.end_object();
}

}  // namespace

std::string to_json(const CreateTableRequest& r) {
  std::string out;
  out.reserve(512);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name);
  write_attribute_definitions(w, r.attribute_definitions);
  write_key_schema(w, r.key_schema);
  write_create_table_indexes(w, r);
  const BillingMode billing = r.billing_mode.value_or(
      r.provisioned_throughput ? BillingMode::provisioned : BillingMode::pay_per_request);
  w.member("BillingMode", to_string(billing));
  if (r.provisioned_throughput) write_throughput(w, *r.provisioned_throughput);
  write_table_options(w, r);
  if (!r.tags.empty()) {
    w.key("Tags").begin_array();
    for (const auto& t : r.tags) {
      w.begin_object().member("Key", t.key).member("Value", t.value).end_object();
    }
    w.end_array();
  }
  w.end_object();
  return out;
}

std::string to_json(const UpdateTableRequest& r) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name);
  if (!r.attribute_definitions.empty()) write_attribute_definitions(w, r.attribute_definitions);
  if (r.billing_mode) w.member("BillingMode", to_string(*r.billing_mode));
  if (r.provisioned_throughput) write_throughput(w, *r.provisioned_throughput);
  if (!r.global_secondary_index_updates.empty()) {
    w.key("GlobalSecondaryIndexUpdates").begin_array();
    for (const auto& u : r.global_secondary_index_updates) write_gsi_update(w, u);
    w.end_array();
  }
  write_table_options(w, r);
  w.end_object();
  return out;
}

std::string to_json(const ListTablesRequest& r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  if (!r.exclusive_start_table_name.empty()) {
    w.member("ExclusiveStartTableName", r.exclusive_start_table_name);
  }
  if (r.limit) w.key("Limit").number(*r.limit);
  w.end_object();
  return out;
}

std::string to_json(const UpdateTimeToLiveRequest& r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .member("TableName", r.table_name)
      .key("TimeToLiveSpecification")
      .begin_object()
      .key("Enabled")
      .boolean(r.time_to_live_specification.enabled)
      .member("AttributeName", r.time_to_live_specification.attribute_name)
      .end_object()
      .end_object();
  return out;
}

std::string table_name_json(std::string_view table_name) {
  std::string out;
  out.reserve(table_name.size() + 16);
  JsonWriter w(out);
  w.begin_object().member("TableName", table_name).end_object();
  return out;
}

}  // namespace dynamate::aws::detail
