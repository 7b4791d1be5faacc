// Request bodies of BatchGetItem, BatchWriteItem, TransactGetItems and
// TransactWriteItems.
#include "aws/dynamodb_json.hpp"
#include "aws/dynamodb_wire.hpp"
#include "aws/json_writer.hpp"

namespace dynamate::aws::detail {
namespace {

void write_keys_and_attributes(JsonWriter& w, const KeysAndAttributes& ka) {
  w.begin_object().key("Keys").begin_array();
  for (const auto& k : ka.keys) write_item(w, k);
  w.end_array();
  if (ka.consistent_read) w.key("ConsistentRead").boolean(true);
  write_if_set(w, "ProjectionExpression", ka.projection_expression);
  write_names(w, ka.expression_attribute_names);
  w.end_object();
}

void write_write_request(JsonWriter& w, const WriteRequest& wr) {
  w.begin_object();
  if (const auto* p = std::get_if<PutRequest>(&wr)) {
    w.key("PutRequest").begin_object().key("Item");
    write_item(w, p->item);
  } else {
    w.key("DeleteRequest").begin_object().key("Key");
    write_item(w, std::get<DeleteRequest>(wr).key);
  }
  w.end_object().end_object();
}

// The members every transactional write has after its key or item.
template <class T>
void write_transact_common(JsonWriter& w, const T& t) {
  w.member("TableName", t.table_name);
  write_if_set(w, "ConditionExpression", t.condition_expression);
  write_names(w, t.expression_attribute_names);
  write_values(w, t.expression_attribute_values);
  write_rvoccf(w, t.return_values_on_condition_check_failure);
}

void write_transact_write_item(JsonWriter& w, const TransactWriteItem& item) {
  w.begin_object();
  if (const auto* c = std::get_if<ConditionCheck>(&item)) {
    w.key("ConditionCheck").begin_object().key("Key");
    write_item(w, c->key);
    write_transact_common(w, *c);
  } else if (const auto* p = std::get_if<TransactPut>(&item)) {
    w.key("Put").begin_object().key("Item");
    write_item(w, p->item);
    write_transact_common(w, *p);
  } else if (const auto* u = std::get_if<TransactUpdate>(&item)) {
    w.key("Update").begin_object().key("Key");
    write_item(w, u->key);
    w.member("UpdateExpression", u->update_expression);
    write_transact_common(w, *u);
  } else {
    const auto& d = std::get<TransactDelete>(item);
    w.key("Delete").begin_object().key("Key");
    write_item(w, d.key);
    write_transact_common(w, d);
  }
  w.end_object().end_object();
}

}  // namespace

std::string to_json(const BatchGetItemRequest& r) {
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);
  w.begin_object().key("RequestItems").begin_object();
  for (const auto& [table, ka] : r.request_items) {
    w.key(table);
    write_keys_and_attributes(w, ka);
  }
  w.end_object();
  write_return_options(w, r.return_consumed_capacity, ReturnItemCollectionMetrics::none);
  w.end_object();
  return out;
}

std::string to_json(const BatchWriteItemRequest& r) {
  std::string out;
  out.reserve(4096);
  JsonWriter w(out);
  w.begin_object().key("RequestItems").begin_object();
  for (const auto& [table, list] : r.request_items) {
    w.key(table).begin_array();
    for (const auto& wr : list) write_write_request(w, wr);
    w.end_array();
  }
  w.end_object();
  write_return_options(w, r.return_consumed_capacity, r.return_item_collection_metrics);
  w.end_object();
  return out;
}

std::string to_json(const TransactGetItemsRequest& r) {
  std::string out;
  out.reserve(1024);
  JsonWriter w(out);
  w.begin_object().key("TransactItems").begin_array();
  for (const auto& g : r.transact_items) {
    w.begin_object().key("Get").begin_object().key("Key");
    write_item(w, g.key);
    w.member("TableName", g.table_name);
    write_if_set(w, "ProjectionExpression", g.projection_expression);
    write_names(w, g.expression_attribute_names);
    w.end_object().end_object();
  }
  w.end_array();
  write_return_options(w, r.return_consumed_capacity, ReturnItemCollectionMetrics::none);
  w.end_object();
  return out;
}

std::string to_json(const TransactWriteItemsRequest& r, std::string_view token) {
  std::string out;
  out.reserve(2048);
  JsonWriter w(out);
  w.begin_object().key("TransactItems").begin_array();
  for (const auto& item : r.transact_items) write_transact_write_item(w, item);
  w.end_array();
  write_return_options(w, r.return_consumed_capacity, r.return_item_collection_metrics);
  w.member("ClientRequestToken", token);
  w.end_object();
  return out;
}

}  // namespace dynamate::aws::detail
