// dynamate/aws/dynamodb_json.hpp: items as DynamoDB JSON text, the format of the
// AWS CLI and console ({"id":{"S":"a"},"n":{"N":"1"}}). Used by the CLI and for
// logging; the clients use the same codec internally.
#pragma once

#include <string>
#include <string_view>

#include "dynamate/attribute_value.hpp"
#include "dynamate/result.hpp"

namespace dynamate {

std::string to_dynamodb_json(const AttributeMap& item);
std::string to_dynamodb_json(const AttributeValue& value);
// ErrorCode::invalid_argument naming what is wrong (bad JSON, unknown type tag,
// invalid number, bad base64, wrong shape).
Result<AttributeMap> item_from_dynamodb_json(std::string_view json);
Result<AttributeValue> value_from_dynamodb_json(std::string_view json);

}  // namespace dynamate
