// The DynamoDB JSON codec on malformed input: every kind of mistake gives an
// error naming the attribute path, never a crash (run under ASan/UBSan too).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "aws/dynamodb_json.hpp"
#include "dynamate/aws/dynamodb_json.hpp"

namespace dynamate {
namespace {

// The message of the error for an item document, or "" if it parsed.
std::string item_error(std::string_view json) {
  auto r = item_from_dynamodb_json(json);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  return r.error().message;
}

std::string value_error(std::string_view json) {
  auto r = value_from_dynamodb_json(json);
  if (r) return "";
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  return r.error().message;
}

TEST(DynamoDbJsonMalformed, NamesTheAttributePath) {
  EXPECT_EQ(item_error(R"({"tags":{"NS":["1","2","1x"]}})"),
            R"(DynamoDB JSON: attribute "tags"[2]: NS element "1x" is not a number)");
  EXPECT_EQ(item_error(R"({"a":{"M":{"b":{"L":[{"S":"x"},{"N":"-"}]}}}})"),
            R"(DynamoDB JSON: attribute "a"."b"[1]: N value "-" is not a number)");
  EXPECT_EQ(value_error(R"({"L":[{"S":"x"},{"BOOL":1}]})"),
            "DynamoDB JSON: value[1]: BOOL value must be a boolean, got a number");
  EXPECT_EQ(value_error(R"({"Q":"x"})"), R"(DynamoDB JSON: value: unknown type "Q")");
  // Control characters in names stay readable (JSON-escaped).
  EXPECT_EQ(item_error("{\"a\\nb\":{\"N\":\"x\"}}"),
            R"(DynamoDB JSON: attribute "a\nb": N value "x" is not a number)");
}

TEST(DynamoDbJsonMalformed, WrongJsonTypes) {
  for (const char* json : {
           R"({"S":1})",
           R"({"S":null})",
           R"({"N":1})",
           R"({"N":["1"]})",
           R"({"B":true})",
           R"({"SS":"a"})",
           R"({"SS":[1]})",
           R"({"NS":[1]})",
           R"({"BS":[null]})",
           R"({"M":[]})",
           R"({"M":"x"})",
           R"({"L":{}})",
           R"({"BOOL":"true"})",
           R"({"BOOL":null})",
           R"({"NULL":false})",
           R"({"NULL":"true"})",
           R"({"NULL":null})",
           R"("S")",
           R"(["S","x"])",
           "1",
           "null",
           R"({"L":[1]})",
           R"({"M":{"a":"x"}})",
       }) {
    EXPECT_NE(value_error(json), "") << json;
  }
  EXPECT_EQ(item_error(R"([{"a":{"S":"x"}}])"),
            "DynamoDB JSON: item: expected an object, got an array");
  EXPECT_EQ(item_error(R"({"a":"x"})"),
            R"(DynamoDB JSON: attribute "a": expected an object with one type key, got a string)");
}

TEST(DynamoDbJsonMalformed, ExactlyOneTypeKey) {
  EXPECT_EQ(value_error(R"({"S":"a","N":"1"})"),
            R"(DynamoDB JSON: value: 2 type keys ("S", "N"), expected exactly one)");
  EXPECT_EQ(value_error(R"({})"), "DynamoDB JSON: value: empty object, expected one type key");
  EXPECT_EQ(value_error(R"({"S":"a","N":"1","B":"","M":{},"L":[],"BOOL":true})"),
            R"(DynamoDB JSON: value: 6 type keys ("S", "N", "B", "M", ...), expected exactly one)");
  EXPECT_NE(value_error(R"({"S":"a","S":"b"})"), "");  // duplicate key counts twice
  EXPECT_NE(value_error(R"({"s":"a"})"), "");          // tags are case-sensitive
  EXPECT_NE(value_error(R"({"NULL ":true})"), "");
}

TEST(DynamoDbJsonMalformed, DuplicateAttributeNames) {
  EXPECT_EQ(item_error(R"({"a":{"S":"x"},"a":{"S":"y"}})"),
            R"(DynamoDB JSON: attribute "a": duplicate attribute name)");
  EXPECT_NE(value_error(R"({"M":{"k":{"N":"1"},"k":{"N":"1"}}})"), "");
}

TEST(DynamoDbJsonMalformed, BadBase64) {
  for (const char* b64 : {"A", "AB", "ABC", "A===", "====", "AB=C",
                          "QR==", "QUI=QUI=", "A B=", "YW\\nJjZ", "YWJj-_==", "\xC3\xA9\xC3\xA9"}) {
    SCOPED_TRACE(b64);
    EXPECT_EQ(value_error(std::string(R"({"B":")") + b64 + "\"}"),
              "DynamoDB JSON: value: B value is not valid base64");
    EXPECT_EQ(value_error(std::string(R"({"BS":["YQ==",")") + b64 + "\"]}"),
              "DynamoDB JSON: value[1]: BS element is not valid base64");
  }
}

TEST(DynamoDbJsonMalformed, BadNumbers) {
  for (const char* n : {"", "1x", "0x1", "NaN", "1E126", "1E-131", " 1",
                        "123456789012345678901234567890123456789"}) {
    SCOPED_TRACE(n);
    EXPECT_NE(value_error(std::string(R"({"N":")") + n + "\"}"), "");
    EXPECT_NE(value_error(std::string(R"({"NS":[")") + n + "\"]}"), "");
  }
}

TEST(DynamoDbJsonMalformed, EveryTruncationFails) {
  const std::string json =
      R"({"id":{"S":"a\"b"},"n":{"N":"1.5"},"b":{"B":"AAEC"},"m":{"M":{"l":{"L":[)"
      R"({"BOOL":true},{"NULL":true},{"SS":["x","y"]}]}}},"ns":{"NS":["1","2"]}})";
  ASSERT_EQ(item_error(json), "");
  for (std::size_t n = 0; n < json.size(); ++n) {
    EXPECT_NE(item_error(json.substr(0, n)), "") << n;
  }
}

TEST(DynamoDbJsonMalformed, InvalidJsonAndUtf8) {
  EXPECT_NE(item_error(""), "");
  EXPECT_NE(item_error("{"), "");
  EXPECT_NE(item_error(R"({"a":{"S":"x"}} trailing)"), "");
  EXPECT_NE(item_error("{\"a\":{\"S\":\"\xFF\"}}"), "");  // invalid UTF-8
  EXPECT_NE(item_error("{\"a\":{\"S\":\"\x01\"}}"), "");  // raw control character
  EXPECT_NE(item_error(R"({"a":{"S":"\ud800"}})"), "");   // lone surrogate
  EXPECT_NE(item_error(std::string("{\"a\":{\"S\":\"x\0\"}}", 16)), "");
}

std::string nested_lists(int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += R"({"L":[)";
  s += R"({"S":"x"})";
  for (int i = 0; i < levels; ++i) s += "]}";
  return s;
}

std::string nested_maps(int levels) {
  std::string s;
  for (int i = 0; i < levels; ++i) s += R"({"M":{"k":)";
  s += R"({"S":"x"})";
  for (int i = 0; i < levels; ++i) s += "}}";
  return s;
}

TEST(DynamoDbJsonMalformed, DeepNestingIsAnErrorNotACrash) {
  EXPECT_EQ(value_error(nested_lists(40)), "");  // beyond DynamoDB's 32, within our 64
  EXPECT_EQ(value_error(nested_maps(40)), "");
  for (int levels : {100, 1000, 100000}) {
    SCOPED_TRACE(levels);
    EXPECT_NE(value_error(nested_lists(levels)), "");
    EXPECT_NE(value_error(nested_maps(levels)), "");
    EXPECT_NE(value_error(std::string(static_cast<std::size_t>(levels), '[') +
                          std::string(static_cast<std::size_t>(levels), ']')),
              "");
  }
}

TEST(DynamoDbJsonMalformed, DepthLimitAppliesToTheInternalApiToo) {
  // A caller's parser may allow deeper JSON than ours; recursion stays bounded.
  simdjson::dom::parser parser(1u << 20);
  ASSERT_EQ(parser.allocate(1u << 20, 100000), simdjson::SUCCESS);
  const std::string json = nested_lists(1000);
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS);
  auto r = aws::detail::parse_value(doc);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::protocol);
  EXPECT_NE(r.error().message.find("nested more than 64 levels deep"), std::string::npos);
}

TEST(DynamoDbJsonMalformed, InternalErrorsAreProtocolErrors) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(std::string(R"({"Item":{"x":{"B":"!"}}})")).get(doc), simdjson::SUCCESS);
  auto r = aws::detail::parse_item(doc["Item"]);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::protocol);
  EXPECT_EQ(r.error().message, R"(attribute "x": B value is not valid base64)");
}

}  // namespace
}  // namespace dynamate
