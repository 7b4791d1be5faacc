// src/aws/dynamodb_json.hpp: AttributeValue <-> DynamoDB's wire JSON
// ({"S":"x"}, {"N":"1"}, {"B":"<base64>"}, {"M":{...}}, ...). Private.
#pragma once

#include <string>
#include <string_view>

#include <simdjson.h>

#include "aws/json_writer.hpp"
#include "dynamate/attribute_value.hpp"

namespace dynamate::aws::detail {

void write_value(JsonWriter& w, const AttributeValue& value);
void write_item(JsonWriter& w, const AttributeMap& item);  // {"name":{...},...}

// Parsers over simdjson's DOM. ErrorCode::protocol, naming the offending
// attribute path, on anything that is not a well-formed AttributeValue.
Result<AttributeValue> parse_value(simdjson::dom::element element);
Result<AttributeMap> parse_item(simdjson::dom::element element);

}  // namespace dynamate::aws::detail
