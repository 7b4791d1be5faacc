// dynamate/detail/table_ops.hpp: the non-template half of Table<T> (defined
// in src/orm/table_*.cpp): request builders and calls that work on
// AttributeMaps, the table name and a runtime description of the schema's
// keys (TableShape); and the templates Table<T> and TransactWrite share to
// build a model's table shape and write it. Included by table.hpp (any of
// the three headers may be included first). Not API.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
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
// schema_mismatch "the write was applied, but ...": what a write returned
// (`attributes`, kept in a WriteAppliedDetail) could not be read (`e`).
Error write_applied_error(std::string_view table, Error e, AttributeMap attributes);

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
// How a model without extra_attributes is written (save(), TransactWrite
// put): its key (the `key_names` attributes, taken out of `item`) and an
// update that SETs every other attribute of `item` and REMOVEs the model's
// fields it leaves out (`field_names` not in `item`), so attributes the
// model does not name stay in the stored item. The update is empty when
// `item` is only its key.
struct KeepingUnknown {
  AttributeMap key;
  Update update;
};
KeepingUnknown keeping_unknown_update(AttributeMap item,
                                      const std::vector<std::string_view>& key_names,
                                      const std::vector<std::string_view>& field_names);
// save() of a model without extra_attributes: one UpdateItem with the update
// of keeping_unknown_update().
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
// Maps are merged key by key for nested paths. UPDATED_NEW cannot describe
// every change (a list element comes back alone; a nested REMOVE, or a
// DELETE that empties a set and so removes the attribute, comes back as
// nothing), so update() asks for ALL_NEW instead when
// updated_new_is_partial().
void merge_updated(AttributeMap& item, const AttributeMap& returned, const Update& update);
bool updated_new_is_partial(const Update& update);

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

// The converter C of an index key member, or, when C converts a
// std::optional (OptionalWith<Inner>, also as a base class), Inner: an index
// may be keyed on an optional member, whose items without the attribute are
// left out of the index (a sparse index). Table keys never look through.
template <class C>
std::type_identity<C> optional_inner_of(const OptionalWith<C>*);
std::type_identity<void> optional_inner_of(const void*);
template <class C>
using optional_inner_t = typename decltype(optional_inner_of(static_cast<const C*>(nullptr)))::type;

template <class C>
constexpr bool is_index_key_converter() {
  if constexpr (has_key_type<C>) {
    return true;
  } else if constexpr (!std::is_void_v<optional_inner_t<C>>) {
    return has_key_type<optional_inner_t<C>>;
  } else {
    return false;
  }
}
// The stored scalar type of an index key (is_index_key_converter<C>()).
template <class C>
constexpr aws::ScalarAttributeType index_key_type() {
  if constexpr (has_key_type<C>) {
    return C::key_type;
  } else {
    return optional_inner_t<C>::key_type;
  }
}

// The attribute name and stored scalar type of index key member `p` of T.
template <class T, class P>
void add_key_member(P p, std::string& name_out, std::vector<aws::AttributeDefinition>& defs) {
  for_each_field(schema_of<T>, [&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (std::is_same_v<decltype(f.member), P>) {
      if constexpr (is_index_key_converter<typename F::converter>()) {
        if (f.member == p) {
          name_out = std::string(f.name);
          add_attribute_definition(defs, f.name, index_key_type<typename F::converter>());
        }
      }
    }
  });
}

// Whether every key member of every index has a scalar key type (directly or
// inside a std::optional).
template <class T, class P>
constexpr bool is_scalar_key_member(P p) {
  bool ok = false;
  for_each_field(schema_of<T>, [&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    if constexpr (std::is_same_v<decltype(f.member), P>) {
      if (f.member == p) ok = is_index_key_converter<typename F::converter>();
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

// ---- Writes of a model ----

// Whether T keeps the attributes it does not name in an extra_attributes
// member (then a whole-item put keeps them too).
template <class T>
inline constexpr bool has_extras = extras_member<T>(schema_of<T>) != nullptr;

// The attribute names of T's table key / of all T's fields.
template <class T>
std::vector<std::string_view> key_attribute_names() {
  std::vector<std::string_view> keys;
  keys.push_back(key_field<T, FieldRole::hash_key>().name);
  if constexpr (has_role<T, FieldRole::range_key>) {
    keys.push_back(key_field<T, FieldRole::range_key>().name);
  }
  return keys;
}
template <class T>
std::vector<std::string_view> field_attribute_names() {
  std::vector<std::string_view> fields;
  fields.reserve(std::remove_cvref_t<decltype(schema_of<T>)>::field_count);
  for_each_field(schema_of<T>, [&](const auto& f) { fields.push_back(f.name); });
  return fields;
}

// PutItem when the model keeps unknown attributes in its extra_attributes
// member (they are in `item`); otherwise an UpdateItem that leaves the
// attributes the model does not name in place.
template <class T>
Result<aws::WriteItemResponse> save_item(const aws::DynamoDbClient& client,
                                         const std::string& table, AttributeMap item,
                                         const Condition& condition, bool return_old) {
  if constexpr (has_extras<T>) {
    return put_item(client, table, std::move(item), condition, return_old);
  } else {
    return put_keeping_unknown(client, table, std::move(item), key_attribute_names<T>(),
                               field_attribute_names<T>(), condition, return_old);
  }
}

// After an unchecked update whose answer does not decode: the version the
// server stored, when the answer has it, so that the object still holds
// the new version.
template <class T>
void read_returned_version(T& item, const AttributeMap& returned) {
  constexpr auto f = key_field<T, FieldRole::version>();
  auto it = returned.find(f.name);
  if (it == returned.end()) return;
  using C = typename std::remove_cvref_t<decltype(f)>::converter;
  auto value = item.*(f.member);
  if (C::decode(it->second, value)) item.*(f.member) = value;
}

// Applies what an update returned to `item` (ALL_NEW, UPDATED_NEW) or
// `out` (ALL_OLD). Errors: the answer does not decode.
template <class T>
Result<void> apply_update_answer(T& item, const AttributeMap& returned, const Update& all,
                                 aws::ReturnValues asked, WriteResult<T>& out) {
  switch (asked) {
    case aws::ReturnValues::all_new: {
      auto decoded = decode_item<T>(returned);
      if (!decoded) return unexpected(std::move(decoded).error());
      item = std::move(*decoded);
      return {};
    }
    case aws::ReturnValues::updated_new: {
      auto merged = encode_item(item);
      if (!merged) return unexpected(std::move(merged).error());
      merge_updated(*merged, returned, all);
      auto decoded = decode_item<T>(*merged);
      if (!decoded) return unexpected(std::move(decoded).error());
      item = std::move(*decoded);
      return {};
    }
    case aws::ReturnValues::all_old: {
      auto old = decode_item<T>(returned);
      if (!old) return unexpected(std::move(old).error());
      out.old_item = std::move(*old);
      return {};
    }
    default:
      return {};
  }
}

}  // namespace dynamate::detail

#include "dynamate/detail/table_impl.hpp"
