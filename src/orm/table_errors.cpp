// Error messages shared by Table<T>, batches and transactions.
#include <string>

#include "dynamate/aws/dynamodb_json.hpp"
#include "dynamate/detail/table_impl.hpp"

namespace dynamate::detail {

Error item_too_large(std::string_view table, const AttributeMap& key, std::size_t size) {
  return Error(ErrorCode::invalid_argument,
               "item too large for table " + std::string(table) + ": key " +
                   to_dynamodb_json(key) + " is " + std::to_string(size) +
                   " bytes, over DynamoDB's limit of " + std::to_string(kMaxItemBytes) +
                   " bytes");
}

}  // namespace dynamate::detail
