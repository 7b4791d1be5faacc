// Table<T>'s single-item calls on encoded items: GetItem, PutItem,
// UpdateItem and DeleteItem requests with their rendered expressions.
#include <algorithm>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "dynamate/table.hpp"

namespace dynamate::detail {

Projection with_key_attributes(const Projection& projection, const std::vector<std::string>& keys) {
  std::vector<Path> paths = projection.paths();
  for (const auto& k : keys) {
    Path p(k);
    if (std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(std::move(p));
  }
  return Projection(std::move(paths));
}

Result<AttributeMap> get_item(const aws::DynamoDbClient& client, const std::string& table,
                              const TableShape& shape, const AttributeMap& key, bool consistent,
                              const Projection& projection) {
  aws::GetItemRequest r;
  r.table_name = table;
  r.key = key;
  r.consistent_read = consistent;
  if (!projection.empty()) {
    ExpressionWriter w;
    auto text = w.projection(with_key_attributes(projection, key_attributes(shape, {})));
    if (!text) return unexpected(std::move(text).error());
    r.projection_expression = std::move(*text);
    r.expression_attribute_names = w.take_names();
  }
  auto got = client.get_item(r);
  if (!got) return unexpected(std::move(got).error());
  if (!got->item) return unexpected(item_not_found(table, key));
  return std::move(*got->item);
}

Result<aws::WriteItemResponse> put_item(const aws::DynamoDbClient& client, const std::string& table,
                                        AttributeMap item, const Condition& condition,
                                        bool return_old) {
  aws::PutItemRequest r;
  r.table_name = table;
  r.item = std::move(item);
  if (!condition.empty()) {
    ExpressionWriter w;
    auto text = w.condition(condition);
    if (!text) return unexpected(std::move(text).error());
    r.condition_expression = std::move(*text);
    r.expression_attribute_names = w.take_names();
    r.expression_attribute_values = w.take_values();
  }
  if (return_old) r.return_values = aws::ReturnValues::all_old;
  return client.put_item(r);
}

KeepingUnknown keeping_unknown_update(AttributeMap item,
                                      const std::vector<std::string_view>& key_names,
                                      const std::vector<std::string_view>& field_names) {
  KeepingUnknown out;
  for (std::string_view k : key_names) {
    auto it = item.find(k);
    if (it != item.end()) out.key.insert(item.extract(it));
  }
  for (auto& [name, value] : item) {
    out.update.add(set(attr(name), detail::value_operand(std::move(value))));
  }
  // Fields the model leaves out (empty optionals and sets) are removed, so
  // the stored item has exactly the model's values plus what it does not name.
  for (std::string_view f : field_names) {
    if (!item.contains(f) && !out.key.contains(f)) {
      out.update.add(remove(attr(std::string(f))));
    }
  }
  return out;
}

Result<aws::WriteItemResponse> put_keeping_unknown(const aws::DynamoDbClient& client,
                                                   const std::string& table, AttributeMap item,
                                                   const std::vector<std::string_view>& key_names,
                                                   const std::vector<std::string_view>& field_names,
                                                   const Condition& condition, bool return_old) {
  aws::UpdateItemRequest r;
  r.table_name = table;
  auto [key, update] = keeping_unknown_update(std::move(item), key_names, field_names);
  r.key = std::move(key);
  ExpressionWriter w;
  if (!update.empty()) {
    auto text = w.update(update);
    if (!text) return unexpected(std::move(text).error());
    r.update_expression = std::move(*text);
  }
  if (!condition.empty()) {
    auto c = w.condition(condition);
    if (!c) return unexpected(std::move(c).error());
    r.condition_expression = std::move(*c);
  }
  r.expression_attribute_names = w.take_names();
  r.expression_attribute_values = w.take_values();
  if (return_old) r.return_values = aws::ReturnValues::all_old;
  // Plain SETs and REMOVEs: resending writes the same item, as PutItem would.
  r.idempotent = condition.empty() && !return_old;
  return client.update_item(r);
}

Result<aws::WriteItemResponse> update_item(const aws::DynamoDbClient& client,
                                           const std::string& table, AttributeMap key,
                                           const Update& update, const Condition& condition,
                                           aws::ReturnValues return_values) {
  aws::UpdateItemRequest r;
  r.table_name = table;
  r.key = std::move(key);
  ExpressionWriter w;
  auto text = w.update(update);
  if (!text) return unexpected(std::move(text).error());
  r.update_expression = std::move(*text);
  if (!condition.empty()) {
    auto c = w.condition(condition);
    if (!c) return unexpected(std::move(c).error());
    r.condition_expression = std::move(*c);
  }
  r.expression_attribute_names = w.take_names();
  r.expression_attribute_values = w.take_values();
  r.return_values = return_values;
  return client.update_item(r);
}

Result<aws::WriteItemResponse> delete_item(const aws::DynamoDbClient& client,
                                           const std::string& table, AttributeMap key,
                                           const Condition& condition, bool return_old) {
  aws::DeleteItemRequest r;
  r.table_name = table;
  r.key = std::move(key);
  if (!condition.empty()) {
    ExpressionWriter w;
    auto text = w.condition(condition);
    if (!text) return unexpected(std::move(text).error());
    r.condition_expression = std::move(*text);
    r.expression_attribute_names = w.take_names();
    r.expression_attribute_values = w.take_values();
  }
  if (return_old) r.return_values = aws::ReturnValues::all_old;
  return client.delete_item(r);
}

UpdateAction set_version_action(const std::string& attribute, std::int64_t next) {
  return dynamate::set(attr(attribute), dynamate::value(AttributeValue::number(next)));
}

UpdateAction increment_version_action(const std::string& attribute) {
  return dynamate::set(
      attr(attribute),
      dynamate::if_not_exists(attr(attribute), dynamate::value(AttributeValue::number(0))) +
          dynamate::value(AttributeValue::number(1)));
}

namespace {

// Merges the maps DynamoDB returns for nested paths (only the updated parts)
// into the item's maps; other values replace the old ones.
void merge_value(AttributeValue& into, const AttributeValue& from) {
  AttributeMap* target = into.as_map();
  const AttributeMap* source = from.as_map();
  if (target == nullptr || source == nullptr) {
    into = from;
    return;
  }
  for (const auto& [k, v] : *source) {
    auto it = target->find(k);
    if (it == target->end()) {
      target->emplace(k, v);
    } else {
      merge_value(it->second, v);
    }
  }
}

}  // namespace

bool updated_new_is_partial(const Update& update) {
  for (const auto& action : update.actions()) {
    // DELETE may empty the set, which removes the attribute: nothing returned.
    if (action.kind() == UpdateAction::Kind::del) return true;
    const auto& segments = action.path().segments();
    // A nested REMOVE returns nothing for the removed part.
    if (action.kind() == UpdateAction::Kind::remove && segments.size() > 1) return true;
    for (const auto& segment : segments) {
      if (std::holds_alternative<std::size_t>(segment)) return true;
    }
  }
  return false;
}

void merge_updated(AttributeMap& item, const AttributeMap& returned, const Update& update) {
  // Attributes that an action sets or removes as a whole.
  std::vector<std::string> whole;
  for (const auto& action : update.actions()) {
    const auto& segments = action.path().segments();
    if (segments.size() != 1) continue;
    const auto* name = std::get_if<std::string>(&segments.front());
    if (name == nullptr) continue;
    whole.push_back(*name);
    if (action.kind() == UpdateAction::Kind::remove) item.erase(*name);
  }
  for (const auto& [name, v] : returned) {
    auto it = item.find(name);
    const bool replace =
        it == item.end() || std::find(whole.begin(), whole.end(), name) != whole.end();
    if (replace) {
      item.insert_or_assign(name, v);
    } else {
      merge_value(it->second, v);
    }
  }
}

}  // namespace dynamate::detail
