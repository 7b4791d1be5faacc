// Error messages shared by Table<T>, batches and transactions.
#include <memory>
#include <string>
#include <utility>

#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/table.hpp"

namespace dynamate::detail {

Error item_too_large(std::string_view table, const AttributeMap& key, std::size_t size) {
  return Error(ErrorCode::invalid_argument,
               "item too large for table " + std::string(table) + ": key " + to_dynamodb_json(key) +
                   " is " + std::to_string(size) + " bytes, over DynamoDB's limit of " +
                   std::to_string(kMaxItemBytes) + " bytes");
}

Error item_not_found(std::string_view table, const AttributeMap& key) {
  return Error(ErrorCode::not_found,
               "no item in table " + std::string(table) + " with key " + to_dynamodb_json(key));
}

Error decode_error(std::string_view table, Error e) {
  e.with_context("reading an item of table " + std::string(table));
  return e;
}

Error write_applied_error(std::string_view table, Error e, AttributeMap attributes) {
  Error out(ErrorCode::schema_mismatch,
            "the write was applied, but the attributes DynamoDB returned for table " +
                std::string(table) + " could not be read into the object: " + e.message);
  auto detail = std::make_shared<WriteAppliedDetail>();
  detail->attributes = std::move(attributes);
  out.details = std::move(detail);
  return out;
}

}  // namespace dynamate::detail
