// dynamate/detail/table_impl.hpp: the template bodies of Table<T> and
// ItemPager<T> (included by table.hpp). Not API.
//
// Everything that does not depend on T lives in src/orm/table_*.cpp behind
// the functions declared in table_ops.hpp: the templates here only encode and
// decode models and hand AttributeMaps to them.
#pragma once

#include <string>
#include <utility>

#include "dynamate/table.hpp"
// table.hpp includes this file after table_ops.hpp; these two matter when
// this header is included first.
#include "dynamate/detail/large_table.hpp"
#include "dynamate/detail/locking.hpp"
#include "dynamate/detail/table_ops.hpp"

namespace dynamate {

// ---- ItemPager ----

template <class T>
ItemPager<T>::ItemPager(Fetch fetch, std::optional<AttributeMap> start,
                        std::optional<std::int64_t> limit, std::vector<std::string> key_attributes,
                        std::shared_ptr<const detail::LargeContext> large)
    : cursor_(std::move(fetch), std::move(start), limit, std::move(key_attributes)),
      large_(std::move(large)) {}

template <class T>
Result<bool> ItemPager<T>::next_page() {
  current_.reset();
  if (failed_) return false;
  auto r = cursor_.fetch();
  if (!r) {
    failed_ = true;
    return r;
  }
  cursor_.consume_all();
  return r;
}

template <class T>
void ItemPager<T>::advance() {
  current_.reset();
  if (failed_) return;
  for (;;) {
    if (const AttributeMap* item = cursor_.take()) {
      current_.emplace(detail::decode_item<T>(*item));
      if constexpr (detail::has_large<T>) {
        if (current_->has_value() && large_) {
          detail::attach_large(**current_, large_);
          if (large_->config.eager) {
            if (auto loaded = detail::load_all_large(**current_, large_->config.concurrency);
                !loaded) {
              current_.emplace(unexpected(std::move(loaded).error()));
            }
          }
        }
      }
      if (!current_->has_value()) failed_ = true;
      return;
    }
    auto more = cursor_.fetch();
    if (!more) {
      failed_ = true;
      current_.emplace(unexpected(std::move(more).error()));
      return;
    }
    if (!*more) return;
  }
}

template <class T>
typename ItemPager<T>::iterator ItemPager<T>::begin() {
  // No item held (never iterated, after next_page(), or at the end): go on
  // from the cursor, with what is left of the current page, then the next
  // pages. An item held is the one the last iterator points at.
  if (!current_ && !failed_) advance();
  return iterator(this);
}

template <class T>
Result<std::vector<T>> ItemPager<T>::all() {
  std::vector<T> out;
  for (auto it = begin(); it != end(); ++it) {
    if (!it->has_value()) return unexpected(it->error());
    out.push_back(std::move(**it));
  }
  return out;
}

// ---- Table ----

template <class T>
Table<T>::Table(aws::DynamoDbClient client, TableConfig config)
    : client_(std::move(client)), config_(std::move(config)) {
  static_assert(detail::index_keys_scalar<T>(),
                "dynamate: the key members of an index must be strings, numbers or Bytes, or "
                "std::optional of one (their Converter needs a `key_type`)");
  name_ = config_.name_prefix +
          (config_.table_name.empty() ? std::string(schema_of<T>.table_name) : config_.table_name);
  if constexpr (detail::has_large<T>) {
    large_ = detail::make_large_context(name_, config_.large, detail::large_field_specs<T>());
  }
}

template <class T>
Result<T> Table<T>::decode(const AttributeMap& item) const {
  auto decoded = detail::decode_item<T>(item);
  if constexpr (detail::has_large<T>) {
    if (decoded) detail::attach_large(*decoded, large_);
  }
  return decoded;
}

template <class T>
Result<AttributeMap> Table<T>::encode(const T& item) const {
  auto encoded = detail::encode_item(item);
  if (!encoded) return encoded;
  const std::size_t size = item_size(*encoded);
  if (size > kMaxItemBytes) {
    auto key = detail::key_of(item);
    return unexpected(detail::item_too_large(name_, key ? *key : AttributeMap{}, size));
  }
  return encoded;
}

template <class T>
Result<AttributeMap> Table<T>::encode_uploading(const T& item) const {
  if constexpr (detail::has_large<T>) {
    auto encoded = detail::encode_uploading(large_, item);
    if (!encoded) return encoded;
    if (const std::size_t size = item_size(*encoded); size > kMaxItemBytes) {
      auto key = detail::key_of(item);
      return unexpected(detail::item_too_large(name_, key ? *key : AttributeMap{}, size));
    }
    return encoded;
  } else {
    return encode(item);
  }
}

template <class T>
Result<aws::TableDescription> Table<T>::create_table(const CreateTableOptions& options) const {
  return detail::create_table(client_, name_, detail::table_shape<T>(), options);
}

template <class T>
Result<aws::TableDescription> Table<T>::describe() const {
  return client_.describe_table(name_);
}

template <class T>
Result<bool> Table<T>::exists() const {
  return detail::table_exists(client_, name_);
}

template <class T>
Result<void> Table<T>::delete_table(const DeleteTableOptions& options) const {
  return detail::delete_table(client_, name_, options);
}

template <class T>
Result<void> Table<T>::update_ttl(bool enabled) const {
  constexpr auto f = detail::key_field<T, FieldRole::ttl>();
  return detail::update_ttl(client_, name_, f.name, enabled);
}

// -- get --

template <class T>
Result<T> Table<T>::get(const hash_type& hash, const GetOptions& options) const
    requires(!detail::has_role<T, FieldRole::range_key>) {
  auto key = detail::make_key<T>(hash);
  if (!key) return unexpected(std::move(key).error());
  return get_by_key(*key, options);
}

template <class T>
template <class U>
Result<T> Table<T>::get(
    const hash_type& hash, const detail::range_member_t<U>& range,
    const GetOptions& options) const requires detail::has_role<U, FieldRole::range_key> {
  auto key = detail::make_key<T>(hash, range);
  if (!key) return unexpected(std::move(key).error());
  return get_by_key(*key, options);
}

template <class T>
Result<T> Table<T>::get_by_key(const AttributeMap& key, const GetOptions& options) const {
  auto item = detail::get_item(client_, name_, detail::table_shape<T>(), key,
                               options.consistent_read.value_or(config_.consistent_read),
                               options.projection);
  if (!item) return unexpected(std::move(item).error());
  auto decoded = decode(*item);
  if (!decoded) return unexpected(detail::decode_error(name_, std::move(decoded).error()));
  if constexpr (detail::has_large<T>) {
    if (large_->config.eager) {
      if (auto loaded = detail::load_all_large(*decoded, large_->config.concurrency); !loaded) {
        return unexpected(std::move(loaded).error());
      }
    }
  }
  return decoded;
}

template <class T>
Result<void> Table<T>::refresh(T& item, std::optional<bool> consistent_read) const {
  auto key = key_of(item);
  if (!key) return unexpected(std::move(key).error());
  auto got = get_by_key(*key, {.consistent_read = consistent_read});
  if (!got) return unexpected(std::move(got).error());
  item = std::move(*got);
  return {};
}

// -- save --

template <class T>
Result<WriteResult<T>> Table<T>::save(T& item, const SaveOptions& options) const {
  if constexpr (detail::has_large<T>) {
    return detail::save_with_large(client_, name_, large_, item, options);
  }
  auto encoded = detail::encode_item(item);
  if (!encoded) return unexpected(std::move(encoded).error());
  Condition condition = options.condition;
  std::int64_t next = 0;
  if constexpr (detail::has_version<T>) {
    // The item is stored with version + 1; `item` keeps its version until
    // DynamoDB accepted the write.
    auto n = detail::next_version(item);
    if (!n) return unexpected(std::move(n).error());
    next = *n;
    condition = detail::with_version_check(options.condition, item, options.check_version);
    encoded->insert_or_assign(std::string(detail::version_name<T>()), AttributeValue::number(next));
  }
  if (auto size = item_size(*encoded); size > kMaxItemBytes) {
    auto key = detail::key_of(item);
    return unexpected(detail::item_too_large(name_, key ? *key : AttributeMap{}, size));
  }
  auto r = detail::save_item<T>(client_, name_, std::move(*encoded), condition, options.return_old);
  if (!r) return unexpected(std::move(r).error());
  if constexpr (detail::has_version<T>) detail::set_version(item, next);
  WriteResult<T> out;
  if (r->attributes && options.return_old) {
    auto old = decode(*r->attributes);
    if (!old) {
      return unexpected(
          detail::write_applied_error(name_, std::move(old).error(), std::move(*r->attributes)));
    }
    out.old_item = std::move(*old);
  }
  out.attributes = std::move(r->attributes);
  return out;
}

// -- update --

template <class T>
Result<WriteResult<T>> Table<T>::update(T& item, const Update& actions,
                                        const UpdateOptions& options) const {
  auto key = key_of(item);
  if (!key) return unexpected(std::move(key).error());
  Update all = actions;
  Condition condition = options.condition;
  std::vector<detail::LargeWrite> large_writes;
  std::optional<std::int64_t> next;
  if constexpr (detail::has_version<T>) {
    const std::string version(detail::version_name<T>());
    if (options.check_version) {
      auto n = detail::next_version(item);
      if (!n) return unexpected(std::move(n).error());
      next = *n;
      all.add(detail::set_version_action(version, *next));
      condition = detail::with_version_check(options.condition, item, true);
    } else {
      all.add(detail::increment_version_action(version));
    }
  }
  aws::ReturnValues asked = options.return_values;
  if (asked == aws::ReturnValues::updated_new && detail::updated_new_is_partial(actions)) {
    asked = aws::ReturnValues::all_new;
  }
  // Last before the write: nothing may fail between the uploads and it.
  if constexpr (detail::has_large<T>) {
    if (auto ok = detail::check_no_large_paths(*large_, actions); !ok) {
      return unexpected(std::move(ok).error());
    }
    if (auto ok = detail::add_large_updates(large_, *key, item, all, condition, large_writes);
        !ok) {
      return unexpected(std::move(ok).error());
    }
  }
  auto r = detail::update_item(client_, name_, *key, all, condition, asked);
  detail::LargeWriteReport large_report;
  if constexpr (detail::has_large<T>) {
    if (!r) {
      detail::abandon_large_writes(*large_, large_writes, r.error(), large_report);
    } else {
      // The bases of the changed fields are what the write replaced.
      AttributeMap old;
      for (const auto& w : large_writes) {
        if (w.action != detail::LargeWrite::Action::keep && w.base) {
          old.insert_or_assign(w.field->attribute, AttributeValue(w.base->uri));
        }
      }
      detail::delete_superseded(*large_, *key, detail::hash_key_name<T>(),
                                detail::range_key_name<T>(), old, large_writes, large_report);
      detail::commit_large_writes(item, large_writes, large_);
    }
  }
  if (!r) return unexpected(std::move(r).error());
  // Written: the object holds the new version even if what came back does
  // not decode.
  if constexpr (detail::has_version<T>) {
    if (next) detail::set_version(item, *next);
  }
  WriteResult<T> out;
  out.orphaned = std::move(large_report.orphaned);
  if (r->attributes) {
    auto applied = detail::apply_update_answer(item, *r->attributes, all, asked, out);
    if constexpr (detail::has_large<T>) {
      detail::attach_large(item, large_);
      if (out.old_item) detail::attach_large(*out.old_item, large_);
    }
    if (!applied) {
      if constexpr (detail::has_version<T>) {
        if (!next && asked != aws::ReturnValues::all_old) {
          detail::read_returned_version(item, *r->attributes);
        }
      }
      return unexpected(detail::write_applied_error(name_, std::move(applied).error(),
                                                    std::move(*r->attributes)));
    }
  }
  out.attributes = std::move(r->attributes);
  return out;
}

template <class T>
Result<WriteResult<T>> Table<T>::update_by_key(const AttributeMap& key, const Update& actions,
                                               const UpdateOptions& options) const {
  if constexpr (detail::has_large<T>) {
    if (auto ok = detail::check_no_large_paths(*large_, actions); !ok) {
      return unexpected(std::move(ok).error());
    }
  }
  Update all = actions;
  if constexpr (detail::has_version<T>) {
    all.add(detail::increment_version_action(std::string(detail::version_name<T>())));
  }
  auto r = detail::update_item(client_, name_, key, all, options.condition, options.return_values);
  if (!r) return unexpected(std::move(r).error());
  WriteResult<T> out;
  if (r->attributes && (options.return_values == aws::ReturnValues::all_new ||
                        options.return_values == aws::ReturnValues::all_old)) {
    auto decoded = decode(*r->attributes);
    if (!decoded) {
      return unexpected(detail::write_applied_error(name_, std::move(decoded).error(),
                                                    std::move(*r->attributes)));
    }
    (options.return_values == aws::ReturnValues::all_new ? out.new_item : out.old_item) =
        std::move(*decoded);
  }
  out.attributes = std::move(r->attributes);
  return out;
}

// -- remove --

template <class T>
Result<WriteResult<T>> Table<T>::remove(const T& item, const RemoveOptions& options) const {
  auto key = key_of(item);
  if (!key) return unexpected(std::move(key).error());
  RemoveOptions o = options;
  o.condition = detail::with_version_check(options.condition, item, options.check_version);
  return remove_by_key(*key, o);
}

template <class T>
Result<WriteResult<T>> Table<T>::remove_by_key(const AttributeMap& key,
                                               const RemoveOptions& options) const {
  constexpr bool large = detail::has_large<T>;
  auto r = detail::delete_item(client_, name_, key, options.condition, options.return_old || large);
  if (!r) return unexpected(std::move(r).error());
  WriteResult<T> out;
  if constexpr (large) {
    detail::LargeWriteReport report;
    if (r->attributes) {
      detail::delete_removed(*large_, key, detail::hash_key_name<T>(), detail::range_key_name<T>(),
                             *r->attributes, report);
    }
    out.orphaned = std::move(report.orphaned);
    if (!options.return_old) return out;
  }
  if (r->attributes && options.return_old) {
    auto old = decode(*r->attributes);
    if (!old) {
      return unexpected(
          detail::write_applied_error(name_, std::move(old).error(), std::move(*r->attributes)));
    }
    out.old_item = std::move(*old);
  }
  out.attributes = std::move(r->attributes);
  return out;
}

// -- query and scan --

template <class T>
ItemPager<T> Table<T>::query(const AttributeValue& hash_value, const QueryOptions& options) const {
  const auto& shape = detail::table_shape<T>();
  return ItemPager<T>(
      detail::query_fetch(client_, detail::query_request(name_, shape, hash_value, options,
                                                         config_.consistent_read)),
      options.exclusive_start_key, options.limit, detail::key_attributes(shape, options.index_name),
      large_);
}

template <class T>
ItemPager<T> Table<T>::query(const hash_type& hash, const QueryOptions& options) const {
  auto v = detail::encode_hash<T>(hash);
  if (!v) {
    return ItemPager<T>(detail::failed_fetch(std::move(v).error()), std::nullopt, std::nullopt, {});
  }
  return query(*v, options);
}

template <class T>
ItemPager<T> Table<T>::query(const char* hash, const QueryOptions& options)
    const requires std::is_same_v<hash_type, std::string> {
  return query(hash_type(hash), options);
}

template <class T>
ItemPager<T> Table<T>::scan(const ScanOptions& options) const {
  const auto& shape = detail::table_shape<T>();
  return ItemPager<T>(detail::scan_fetch(client_, detail::scan_request(name_, shape, options,
                                                                       config_.consistent_read)),
                      options.exclusive_start_key, options.limit,
                      detail::key_attributes(shape, options.index_name), large_);
}

template <class T>
Result<std::int64_t> Table<T>::count(const AttributeValue& hash_value,
                                     const QueryOptions& options) const {
  QueryOptions o = options;
  o.projection = {};
  auto request = detail::query_request(name_, detail::table_shape<T>(), hash_value, o,
                                       config_.consistent_read);
  if (!request) return unexpected(std::move(request).error());
  request->select = aws::Select::count;
  return detail::count_pages(detail::query_fetch(client_, std::move(request)),
                             o.exclusive_start_key, o.limit);
}

template <class T>
Result<std::int64_t> Table<T>::count(const hash_type& hash, const QueryOptions& options) const {
  auto v = detail::encode_hash<T>(hash);
  if (!v) return unexpected(std::move(v).error());
  return count(*v, options);
}

template <class T>
Result<std::int64_t> Table<T>::count(const char* hash, const QueryOptions& options)
    const requires std::is_same_v<hash_type, std::string> {
  return count(hash_type(hash), options);
}

template <class T>
Result<std::int64_t> Table<T>::count(const ScanOptions& options) const {
  ScanOptions o = options;
  o.projection = {};
  auto request = detail::scan_request(name_, detail::table_shape<T>(), o, config_.consistent_read);
  if (!request) return unexpected(std::move(request).error());
  request->select = aws::Select::count;
  return detail::count_pages(detail::scan_fetch(client_, std::move(request)), o.exclusive_start_key,
                             o.limit);
}

template <class T>
Result<std::int64_t> Table<T>::parallel_scan(int segments, const std::function<bool(T&&)>& visit,
                                             const ScanOptions& options) const {
  ScanOptions o = options;
  o.segment.reset();
  o.total_segments.reset();
  auto request = detail::scan_request(name_, detail::table_shape<T>(), o, config_.consistent_read);
  if (!request) return unexpected(std::move(request).error());
  return detail::parallel_scan_items(client_, *request, segments, o.limit,
                                     [&](const AttributeMap& raw) -> Result<bool> {
                                       auto item = decode(raw);
                                       if (!item) return unexpected(std::move(item).error());
                                       return visit(std::move(*item));
                                     });
}

}  // namespace dynamate
