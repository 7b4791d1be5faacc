// dynamate/detail/large_table.hpp: Table<T>'s writes of a model with large
// attributes (large.hpp): uploads first, one conditional DynamoDB write
// returning the old item, then the clean-up. Not API.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dynamate/detail/large_impl.hpp"
#include "dynamate/detail/large_ops.hpp"
#include "dynamate/detail/locking.hpp"
#include "dynamate/detail/table_ops.hpp"

namespace dynamate::detail {

template <class T>
constexpr std::string_view range_key_name() {
  if constexpr (has_role<T, FieldRole::range_key>) {
    return key_field<T, FieldRole::range_key>().name;
  } else {
    return {};
  }
}
template <class T>
constexpr std::string_view hash_key_name() {
  return key_field<T, FieldRole::hash_key>().name;
}

// save() of a model with large fields.
template <class T>
Result<WriteResult<T>> save_with_large(const aws::DynamoDbClient& client, const std::string& table,
                                       const std::shared_ptr<const LargeContext>& context, T& item,
                                       const SaveOptions& options) {
  auto key = key_of(item);
  if (!key) return unexpected(std::move(key).error());
  auto encoded = encode_item<true>(item);
  if (!encoded) return unexpected(std::move(encoded).error());
  Condition condition = options.condition;
  std::int64_t next = 0;
  if constexpr (has_version<T>) {
    auto n = next_version(item);
    if (!n) return unexpected(std::move(n).error());
    next = *n;
    condition = with_version_check(options.condition, item, options.check_version);
    encoded->insert_or_assign(std::string(version_name<T>()), AttributeValue::number(next));
  }

  std::vector<LargeWrite> writes = describe_large_writes(item, *context);
  // A whole-item put writes every attribute, unchanged references too (each
  // conditioned on the item still holding it); an update leaves them alone.
  for (auto& w : writes) {
    w.whole_object = true;
    w.whole_item = has_extras<T>;
  }
  if (auto prepared =
          prepare_large_writes(*context, *key, hash_key_name<T>(), range_key_name<T>(), writes);
      !prepared) {
    return unexpected(std::move(prepared).error());
  }
  LargeWriteReport report;
  apply_large_writes(*encoded, writes);
  if (auto size = item_size(*encoded); size > kMaxItemBytes) {
    abandon_large_writes(*context, writes, Error(ErrorCode::invalid_argument, ""), report);
    return unexpected(item_too_large(table, *key, size));
  }
  if (Condition extra = large_write_condition(writes); !extra.empty()) {
    condition = condition.empty() ? extra : (condition && extra);
  }

  Result<aws::WriteItemResponse> r = [&] {
    if constexpr (has_extras<T>) {
      return put_item(client, table, std::move(*encoded), condition, true);
    } else {
      // Fields kept as they are stay out of both SET and REMOVE.
      std::vector<std::string_view> fields = field_attribute_names<T>();
      for (const auto& w : writes) {
        if (w.action == LargeWrite::Action::keep && w.source != LargeWrite::Source::none) {
          std::erase(fields, std::string_view(w.field->attribute));
        }
      }
      return put_keeping_unknown(client, table, std::move(*encoded), key_attribute_names<T>(),
                                 fields, condition, true);
    }
  }();
  if (!r) {
    abandon_large_writes(*context, writes, r.error(), report);
    return unexpected(std::move(r).error());
  }
  if constexpr (has_version<T>) set_version(item, next);
  delete_superseded(*context, *key, hash_key_name<T>(), range_key_name<T>(),
                    r->attributes ? *r->attributes : AttributeMap{}, writes, report);
  commit_large_writes(item, writes, context);
  WriteResult<T> out;
  out.orphaned = std::move(report.orphaned);
  if (options.return_old && r->attributes) {
    auto old = decode_item<T>(*r->attributes);
    if (!old) {
      return unexpected(
          write_applied_error(table, std::move(old).error(), std::move(*r->attributes)));
    }
    attach_large(*old, context);
    out.old_item = std::move(*old);
    out.attributes = std::move(r->attributes);
  }
  return out;
}

// The item encoded after its new large values were uploaded (for batch and
// transaction puts, which carry no condition on them and return no old item).
template <class T>
Result<AttributeMap> encode_uploading(const std::shared_ptr<const LargeContext>& context,
                                      const T& item) {
  auto key = key_of(item);
  if (!key) return unexpected(std::move(key).error());
  auto encoded = encode_item<true>(item);
  if (!encoded) return encoded;
  std::vector<LargeWrite> writes = describe_large_writes(item, *context);
  for (auto& w : writes) {
    w.whole_object = true;
    w.whole_item = true;
  }
  auto prepared =
      prepare_large_writes(*context, *key, hash_key_name<T>(), range_key_name<T>(), writes);
  if (!prepared) return unexpected(std::move(prepared).error());
  apply_large_writes(*encoded, writes);
  return encoded;
}

// update(item, actions) of a model with large fields: the changed large
// fields of `item` are uploaded and SET (cleared ones REMOVEd) by the same
// UpdateItem, conditioned on the item still holding the objects `item` was
// read with; those are deleted after success.
template <class T>
Result<void> add_large_updates(const std::shared_ptr<const LargeContext>& context,
                               const AttributeMap& key, const T& item, Update& all,
                               Condition& condition, std::vector<LargeWrite>& writes) {
  writes = describe_large_writes(item, *context);
  auto prepared =
      prepare_large_writes(*context, key, hash_key_name<T>(), range_key_name<T>(), writes);
  if (!prepared) return prepared;
  for (const auto& w : writes) {
    const std::string& name = w.field->attribute;
    switch (w.action) {
      case LargeWrite::Action::upload:
      case LargeWrite::Action::reuse:
        all.add(set(attr(name), value(AttributeValue(w.new_location->uri))));
        break;
      case LargeWrite::Action::remove:
        all.add(remove(attr(name)));
        break;
      case LargeWrite::Action::keep:
        continue;
    }
    // Per-item objects are deleted after success: exactly the one `item`
    // was read with is superseded, so the item must still hold it (or,
    // without one, hold nothing). Other layouts delete nothing here.
    if (w.field->layout == KeyLayout::per_item) {
      Condition held =
          w.base ? (attr(name) == AttributeValue(w.base->uri)) : attr(name).not_exists();
      condition = condition.empty() ? held : (condition && held);
    }
  }
  return {};
}

}  // namespace dynamate::detail
