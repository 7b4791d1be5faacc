// dynamate/detail/table_impl.hpp: the template bodies of Table<T> and
// ItemPager<T> (included by table.hpp). Not API.
#pragma once

#include <string>
#include <utility>

#include "dynamate/detail/locking.hpp"
#include "dynamate/table.hpp"

namespace dynamate {
namespace detail {
// "table pages, key {url: S \"x\"}, 512000 bytes": the over-400-KB message.
Error item_too_large(std::string_view table, const AttributeMap& key, std::size_t size);
}  // namespace detail

template <class T>
Table<T>::Table(aws::DynamoDbClient client, TableConfig config)
    : client_(std::move(client)), config_(std::move(config)) {
  name_ = config_.name_prefix +
          (config_.table_name.empty() ? std::string(schema_of<T>.table_name) : config_.table_name);
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

}  // namespace dynamate
