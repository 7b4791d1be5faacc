// Request bodies of the single-item calls and of Query and Scan, plus the
// writer pieces the batch and transaction bodies share.
#include "aws/dynamodb_json.hpp"
#include "aws/dynamodb_wire.hpp"
#include "aws/json_writer.hpp"

namespace dynamate::aws::detail {

void write_if_set(JsonWriter& w, std::string_view key, std::string_view value) {
  if (!value.empty()) w.member(key, value);
}

void write_names(JsonWriter& w, const ExpressionAttributeNames& names) {
  if (names.empty()) return;
  w.key("ExpressionAttributeNames").begin_object();
  for (const auto& [placeholder, name] : names) w.member(placeholder, name);
  w.end_object();
}

void write_values(JsonWriter& w, const AttributeMap& values) {
  if (values.empty()) return;
  w.key("ExpressionAttributeValues");
  write_item(w, values);
}

void write_return_options(JsonWriter& w, ReturnConsumedCapacity rcc,
                          ReturnItemCollectionMetrics ricm) {
  if (rcc != ReturnConsumedCapacity::none) w.member("ReturnConsumedCapacity", to_string(rcc));
  if (ricm != ReturnItemCollectionMetrics::none) {
    w.member("ReturnItemCollectionMetrics", to_string(ricm));
  }
}

void write_rvoccf(JsonWriter& w, ReturnValuesOnConditionCheckFailure v) {
  if (v != ReturnValuesOnConditionCheckFailure::none) {
    w.member("ReturnValuesOnConditionCheckFailure", to_string(v));
  }
}

namespace {

// The tail PutItem, UpdateItem and DeleteItem share.
template <class R>
void write_write_options(JsonWriter& w, const R& r) {
  write_if_set(w, "ConditionExpression", r.condition_expression);
  write_names(w, r.expression_attribute_names);
  write_values(w, r.expression_attribute_values);
  if (r.return_values != ReturnValues::none) {
    w.member("ReturnValues", to_string(r.return_values));
  }
  write_rvoccf(w, r.return_values_on_condition_check_failure);
  write_return_options(w, r.return_consumed_capacity, r.return_item_collection_metrics);
}

// What Query and Scan share.
template <class R>
void write_read_options(JsonWriter& w, const R& r) {
  write_if_set(w, "IndexName", r.index_name);
  write_if_set(w, "FilterExpression", r.filter_expression);
  write_if_set(w, "ProjectionExpression", r.projection_expression);
  write_names(w, r.expression_attribute_names);
  write_values(w, r.expression_attribute_values);
  if (r.select) w.member("Select", to_string(*r.select));
  if (r.limit) w.key("Limit").number(*r.limit);
  if (r.consistent_read) w.key("ConsistentRead").boolean(true);
  if (r.exclusive_start_key) {
    w.key("ExclusiveStartKey");
    write_item(w, *r.exclusive_start_key);
  }
  write_return_options(w, r.return_consumed_capacity, ReturnItemCollectionMetrics::none);
}

}  // namespace

std::string to_json(const GetItemRequest& r) {
  std::string out;
  out.reserve(128);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name).key("Key");
  write_item(w, r.key);
  if (r.consistent_read) w.key("ConsistentRead").boolean(true);
  write_if_set(w, "ProjectionExpression", r.projection_expression);
  write_names(w, r.expression_attribute_names);
  write_return_options(w, r.return_consumed_capacity, ReturnItemCollectionMetrics::none);
  w.end_object();
  return out;
}

std::string to_json(const PutItemRequest& r) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name).key("Item");
  write_item(w, r.item);
  write_write_options(w, r);
  w.end_object();
  return out;
}

std::string to_json(const UpdateItemRequest& r) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name).key("Key");
  write_item(w, r.key);
  write_if_set(w, "UpdateExpression", r.update_expression);
  write_write_options(w, r);
  w.end_object();
  return out;
}

std::string to_json(const DeleteItemRequest& r) {
  std::string out;
  out.reserve(128);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name).key("Key");
  write_item(w, r.key);
  write_write_options(w, r);
  w.end_object();
  return out;
}

std::string to_json(const QueryRequest& r) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name);
  w.member("KeyConditionExpression", r.key_condition_expression);
  write_read_options(w, r);
  if (!r.scan_index_forward) w.key("ScanIndexForward").boolean(false);
  w.end_object();
  return out;
}

std::string to_json(const ScanRequest& r) {
  std::string out;
  out.reserve(256);
  JsonWriter w(out);
  w.begin_object().member("TableName", r.table_name);
  write_read_options(w, r);
  if (r.segment) w.key("Segment").number(*r.segment);
  if (r.total_segments) w.key("TotalSegments").number(*r.total_segments);
  w.end_object();
  return out;
}

}  // namespace dynamate::aws::detail
