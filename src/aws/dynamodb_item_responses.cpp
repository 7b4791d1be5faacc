// Response parsers of the item-level calls: GetItem, Put/Update/DeleteItem,
// Query/Scan, the batches (including UnprocessedKeys / UnprocessedItems, fed
// back as requests) and the transactions.
#include "aws/dynamodb_json.hpp"
#include "aws/dynamodb_wire.hpp"
#include "core/try.hpp"

namespace dynamate::aws::detail {
namespace {

// Calls fn(key, value, path) for each member of the object member `key`.
template <class Fn>
void for_each_member(ObjectReader& r, std::string_view key, Fn&& fn) {
  auto e = r.get(key);
  if (!e) return;
  simdjson::dom::object obj;
  if (e->get(obj) != simdjson::SUCCESS) return r.fail(key, "is not an object");
  for (auto field : obj) {
    if (!r.ok()) return;
    fn(field.key, field.value, std::string(key) + "." + std::string(field.key));
  }
}

void read_names(ObjectReader& r, ExpressionAttributeNames& out) {
  for_each_member(r, "ExpressionAttributeNames",
                  [&](std::string_view placeholder, element v, const std::string& path) {
                    std::string_view name;
                    if (v.get(name) != simdjson::SUCCESS) {
                      return r.take(Error(ErrorCode::protocol,
                                          "DynamoDB response: " + path + " is not a string"));
                    }
                    out.emplace(placeholder, name);
                  });
}

Result<KeysAndAttributes> parse_keys_and_attributes(element e, std::string path) {
  ObjectReader r(e, std::move(path));
  KeysAndAttributes ka;
  r.read("Keys", ka.keys);
  r.read("ConsistentRead", ka.consistent_read);
  r.read("ProjectionExpression", ka.projection_expression);
  read_names(r, ka.expression_attribute_names);
  DYNAMATE_TRY(r.status());
  return ka;
}

Result<WriteRequest> parse_write_request(element e, std::string path) {
  ObjectReader r(e, path);
  if (auto put = r.get("PutRequest")) {
    ObjectReader p(*put, path + ".PutRequest");
    PutRequest out;
    p.read("Item", out.item);
    DYNAMATE_TRY(p.status());
    return WriteRequest(std::move(out));
  }
  if (auto del = r.get("DeleteRequest")) {
    ObjectReader d(*del, path + ".DeleteRequest");
    DeleteRequest out;
    d.read("Key", out.key);
    DYNAMATE_TRY(d.status());
    return WriteRequest(std::move(out));
  }
  DYNAMATE_TRY(r.status());
  return unexpected(ErrorCode::protocol,
                    "DynamoDB response: " + path + " has neither PutRequest nor DeleteRequest");
}

// Calls fn(element, path) for each entry of an array value.
template <class Fn>
void for_each_entry(ObjectReader& r, element v, const std::string& path, Fn&& fn) {
  simdjson::dom::array arr;
  if (v.get(arr) != simdjson::SUCCESS) {
    return r.take(Error(ErrorCode::protocol, "DynamoDB response: " + path + " is not an array"));
  }
  std::size_t i = 0;
  for (auto x : arr) {
    if (!r.ok()) return;
    fn(x, path + "[" + std::to_string(i++) + "]");
  }
}

}  // namespace

Result<GetItemResponse> parse_get_item(element root) {
  ObjectReader r(root, "");
  GetItemResponse out;
  r.read("Item", out.item);
  read_consumed_capacity(r, out.consumed_capacity);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<WriteItemResponse> parse_write_item(element root) {
  ObjectReader r(root, "");
  WriteItemResponse out;
  r.read("Attributes", out.attributes);
  read_consumed_capacity(r, out.consumed_capacity);
  read_item_collection_metrics(r, out.item_collection_metrics);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<QueryResponse> parse_query(element root) {
  ObjectReader r(root, "");
  QueryResponse out;
  r.read("Items", out.items);
  r.read("Count", out.count);
  r.read("ScannedCount", out.scanned_count);
  r.read("LastEvaluatedKey", out.last_evaluated_key);
  read_consumed_capacity(r, out.consumed_capacity);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<BatchGetItemResponse> parse_batch_get_item(element root) {
  ObjectReader r(root, "");
  BatchGetItemResponse out;
  for_each_member(r, "Responses", [&](std::string_view table, element v, std::string path) {
    auto& items = out.responses[std::string(table)];
    for_each_entry(r, v, path, [&](element x, const std::string& p) {
      auto item = parse_item(x);
      if (!item) return r.take(std::move(item.error()).with_context("DynamoDB response: " + p));
      items.push_back(std::move(*item));
    });
  });
  for_each_member(r, "UnprocessedKeys", [&](std::string_view table, element v, std::string path) {
    auto ka = parse_keys_and_attributes(v, std::move(path));
    if (!ka) return r.take(std::move(ka).error());
    out.unprocessed_keys.emplace(std::string(table), std::move(*ka));
  });
  read_consumed_capacity(r, out.consumed_capacity);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<BatchWriteItemResponse> parse_batch_write_item(element root) {
  ObjectReader r(root, "");
  BatchWriteItemResponse out;
  for_each_member(r, "UnprocessedItems", [&](std::string_view table, element v, std::string path) {
    auto& list = out.unprocessed_items[std::string(table)];
    for_each_entry(r, v, path, [&](element x, std::string p) {
      auto wr = parse_write_request(x, std::move(p));
      if (!wr) return r.take(std::move(wr).error());
      list.push_back(std::move(*wr));
    });
  });
  read_item_collection_metrics(r, out.item_collection_metrics);
  read_consumed_capacity(r, out.consumed_capacity);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<TransactGetItemsResponse> parse_transact_get_items(element root) {
  ObjectReader r(root, "");
  TransactGetItemsResponse out;
  if (auto responses = r.get("Responses")) {
    for_each_entry(r, *responses, "Responses", [&](element x, std::string p) {
      ObjectReader entry(x, std::move(p));
      std::optional<AttributeMap> item;
      entry.read("Item", item);
      if (!entry.ok()) return r.take(entry.status().error());
      out.responses.push_back(std::move(item));
    });
  }
  read_consumed_capacity(r, out.consumed_capacity);
  DYNAMATE_TRY(r.status());
  return out;
}

Result<TransactWriteItemsResponse> parse_transact_write_items(element root) {
  ObjectReader r(root, "");
  TransactWriteItemsResponse out;
  read_consumed_capacity(r, out.consumed_capacity);
  read_item_collection_metrics(r, out.item_collection_metrics);
  DYNAMATE_TRY(r.status());
  return out;
}

}  // namespace dynamate::aws::detail
