// dynamate/detail/table_ops.hpp: the non-template half of Table<T> (defined
// in src/orm/table_*.cpp): request builders and calls that work on
// AttributeMaps, the table name and a runtime description of the schema's
// keys (TableShape). Included by table.hpp (any of the three headers may be
// included first). Not API.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#define DYNAMATE_DETAIL_TABLE_OPS_INCLUDING_TABLE_
#include "dynamate/table.hpp"
#undef DYNAMATE_DETAIL_TABLE_OPS_INCLUDING_TABLE_

namespace dynamate::detail {

// A secondary index as create_table and query need it.
struct IndexShape {
  std::string name;
  bool global = true;
  std::string hash_key;   // attribute names; a local index has the table's hash key
  std::string range_key;  // empty: none
  aws::Projection projection;
  std::int64_t read_capacity = 0;  // PROVISIONED global indexes; 0: the table's
  std::int64_t write_capacity = 0;
};

// The keys, indexes and options of a table model's schema.
struct TableShape {
  std::string hash_key;
  std::string range_key;  // empty: none
  // Every key attribute of the table and its indexes, each once.
  std::vector<aws::AttributeDefinition> attribute_definitions;
  std::vector<IndexShape> indexes;
  std::string version_attribute;  // empty: none
  std::string ttl_attribute;      // empty: none
  TableOptions options;

  const IndexShape* find_index(std::string_view name) const noexcept;
};

// Appends {name, type} unless `defs` already names it.
void add_attribute_definition(std::vector<aws::AttributeDefinition>& defs, std::string_view name,
                              aws::ScalarAttributeType type);

// ---- Errors ----

// "item too large for table pages: key {...} is 512000 bytes, ...".
Error item_too_large(std::string_view table, const AttributeMap& key, std::size_t size);
// ErrorCode::not_found naming the table and key.
Error item_not_found(std::string_view table, const AttributeMap& key);
// Adds "decoding an item of table X" to a decode error.
Error decode_error(std::string_view table, Error e);

// ---- Table lifecycle (table_lifecycle.cpp) ----

aws::CreateTableRequest create_table_request(std::string_view table, const TableShape& shape,
                                             const CreateTableOptions& options);
Result<aws::TableDescription> create_table(const aws::DynamoDbClient& client,
                                           const std::string& table, const TableShape& shape,
                                           const CreateTableOptions& options);
Result<bool> table_exists(const aws::DynamoDbClient& client, const std::string& table);
Result<void> delete_table(const aws::DynamoDbClient& client, const std::string& table,
                          const DeleteTableOptions& options);
Result<void> update_ttl(const aws::DynamoDbClient& client, const std::string& table,
                        std::string_view attribute, bool enabled);

// ---- Single items (table_items.cpp) ----

// GetItem; the projection gets the table's key attributes added. Errors:
// not_found when there is no item.
Result<AttributeMap> get_item(const aws::DynamoDbClient& client, const std::string& table,
                              const TableShape& shape, const AttributeMap& key, bool consistent,
                              const Projection& projection);
Result<aws::WriteItemResponse> put_item(const aws::DynamoDbClient& client, const std::string& table,
                                        AttributeMap item, const Condition& condition,
                                        bool return_old);
// save() of a model without extra_attributes: one UpdateItem that SETs every
// attribute of `item` (except the key) and REMOVEs the model's fields it
// leaves out, so attributes the model does not name stay in the stored item.
Result<aws::WriteItemResponse> put_keeping_unknown(const aws::DynamoDbClient& client,
                                                   const std::string& table, AttributeMap item,
                                                   const std::vector<std::string_view>& key_names,
                                                   const std::vector<std::string_view>& field_names,
                                                   const Condition& condition, bool return_old);
Result<aws::WriteItemResponse> update_item(const aws::DynamoDbClient& client,
                                           const std::string& table, AttributeMap key,
                                           const Update& update, const Condition& condition,
                                           aws::ReturnValues return_values);
Result<aws::WriteItemResponse> delete_item(const aws::DynamoDbClient& client,
                                           const std::string& table, AttributeMap key,
                                           const Condition& condition, bool return_old);

// The projection plus the attributes of `keys` it does not name yet.
Projection with_key_attributes(const Projection& projection, const std::vector<std::string>& keys);

// SET version = :next / SET version = if_not_exists(version, 0) + 1.
UpdateAction set_version_action(const std::string& attribute, std::int64_t next);
UpdateAction increment_version_action(const std::string& attribute);

// Applies an UPDATED_NEW answer to the encoded item: returned top-level
// attributes replace the item's, top-level REMOVEs of `update` are dropped.
// Maps are merged key by key for nested paths. UPDATED_NEW of a list element
// is only that element, so update() asks for ALL_NEW instead when
// updates_list_elements().
void merge_updated(AttributeMap& item, const AttributeMap& returned, const Update& update);
bool updates_list_elements(const Update& update);

// ---- Query and scan (table_query.cpp, table_pager.cpp) ----

Result<aws::QueryRequest> query_request(const std::string& table, const TableShape& shape,
                                        const AttributeValue& hash, const QueryOptions& options,
                                        bool table_consistent);
Result<aws::ScanRequest> scan_request(const std::string& table, const TableShape& shape,
                                      const ScanOptions& options, bool table_consistent);
// Fetchers sending the request with ExclusiveStartKey and Limit filled in;
// a failed request makes a fetcher that answers its error.
PageFetch query_fetch(const aws::DynamoDbClient& client, Result<aws::QueryRequest> request);
PageFetch scan_fetch(const aws::DynamoDbClient& client, Result<aws::ScanRequest> request);
PageFetch failed_fetch(Error error);
// The attributes of a key of the table, or of the index and the table.
std::vector<std::string> key_attributes(const TableShape& shape, std::string_view index_name);
// Sums Count over the pages (Select COUNT), at most `limit`.
Result<std::int64_t> count_pages(const PageFetch& fetch, std::optional<AttributeMap> start,
                                 std::optional<std::int64_t> limit);
// Scans `segments` segments of `request` on up to 64 threads.
Result<std::int64_t> parallel_scan_items(
    const aws::DynamoDbClient& client, const aws::ScanRequest& request, int segments,
    std::optional<std::int64_t> limit,
    const std::function<Result<bool>(const AttributeMap&)>& visit);

// ---- The shape of a model's table, from its constexpr schema ----

// The attribute name and stored scalar type of key member `p` of T.
template <class T, class P>
void add_key_member(P p, std::string& name_out, std::vector<aws::AttributeDefinition>& defs) {
  for_each_field(schema_of<T>, [&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (std::is_same_v<decltype(f.member), P>) {
      if constexpr (has_key_type<typename F::converter>) {
        if (f.member == p) {
          name_out = std::string(f.name);
          add_attribute_definition(defs, f.name, F::converter::key_type);
        }
      }
    }
  });
}

// Whether every key member of every index has a scalar key type.
template <class T, class P>
constexpr bool is_scalar_key_member(P p) {
  bool ok = false;
  for_each_field(schema_of<T>, [&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (std::is_same_v<decltype(f.member), P>) {
      if (f.member == p) ok = has_key_type<typename F::converter>;
    }
  });
  return ok;
}
template <class T>
constexpr bool index_keys_scalar() {
  bool ok = true;
  for_each_index(schema_of<T>, [&](const auto& ix) {
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(ix.hash)>, std::nullptr_t>) {
      ok = ok && is_scalar_key_member<T>(ix.hash);
    }
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(ix.range)>, std::nullptr_t>) {
      ok = ok && is_scalar_key_member<T>(ix.range);
    }
  });
  return ok;
}

template <class T>
TableShape make_table_shape() {
  constexpr auto& s = schema_of<T>;
  TableShape out;
  for_each_field(s, [&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (F::role == FieldRole::hash_key || F::role == FieldRole::range_key) {
      (F::role == FieldRole::hash_key ? out.hash_key : out.range_key) = std::string(f.name);
      add_attribute_definition(out.attribute_definitions, f.name, F::converter::key_type);
    } else if constexpr (F::role == FieldRole::version) {
      out.version_attribute = std::string(f.name);
    } else if constexpr (F::role == FieldRole::ttl) {
      out.ttl_attribute = std::string(f.name);
    }
  });
  for_each_index(s, [&](const auto& ix) {
    using Ix = std::remove_cvref_t<decltype(ix)>;
    IndexShape shape;
    shape.name = std::string(ix.name);
    shape.global = Ix::global;
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(ix.hash)>, std::nullptr_t>) {
      add_key_member<T>(ix.hash, shape.hash_key, out.attribute_definitions);
    } else {
      shape.hash_key = out.hash_key;
    }
    if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(ix.range)>, std::nullptr_t>) {
      add_key_member<T>(ix.range, shape.range_key, out.attribute_definitions);
    }
    shape.projection.projection_type = ix.projection.type;
    for (std::string_view a : ix.projection.include) {
      shape.projection.non_key_attributes.emplace_back(a);
    }
    shape.read_capacity = ix.read_capacity;
    shape.write_capacity = ix.write_capacity;
    out.indexes.push_back(std::move(shape));
  });
  out.options = table_options_of(s);
  return out;
}

// The shape of T's table, built once.
template <class T>
const TableShape& table_shape() {
  static const TableShape shape = make_table_shape<T>();
  return shape;
}

// The hash key value of T, encoded by the hash field's converter.
template <class T>
Result<AttributeValue> encode_hash(const hash_member_t<T>& hash) {
  constexpr auto h = key_field<T, FieldRole::hash_key>();
  using C = typename decltype(h)::converter;
  auto v = C::encode(hash);
  if (!v) return unexpected(attribute_error(std::move(v).error(), h.name));
  return v;
}

}  // namespace dynamate::detail

#include "dynamate/detail/table_impl.hpp"
