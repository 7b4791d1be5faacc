// The DynamoDB JSON codec: exact output for every type, round trips (public
// and internal API), JSON string escaping checked against simdjson for every
// byte value and many generated strings.
// Malformed input is covered in dynamodb_json_malformed_test.cpp.
#include "dynamate/aws/dynamodb_json.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "aws/dynamodb_json.hpp"
#include "aws/json_writer.hpp"

namespace dynamate {
namespace {

using aws::detail::JsonWriter;

AttributeMap sample_item() {
  AttributeMap nested{{"inner", AttributeValue(AttributeList{AttributeValue(Number{"1"}),
                                                             AttributeValue(AttributeMap{})})}};
  return {
      {"s", AttributeValue("hello")},
      {"n", AttributeValue(Number{"-12.5E3"})},
      {"b", AttributeValue(Bytes("\x00\xff\x10", 3))},
      {"ss", AttributeValue(StringSet{{"a", "b"}})},
      {"ns", AttributeValue(NumberSet{{"1", "2.5"}})},
      {"bs", AttributeValue(BinarySet{{Bytes("x"), Bytes("")}})},
      {"m", AttributeValue(nested)},
      {"l", AttributeValue(
                AttributeList{AttributeValue(true), AttributeValue(Null{}), AttributeValue("x")})},
      {"nul", AttributeValue(Null{})},
      {"t", AttributeValue(true)},
      {"f", AttributeValue(false)},
  };
}

TEST(DynamoDbJson, ExactTextForEveryType) {
  EXPECT_EQ(to_dynamodb_json(AttributeValue("a")), R"({"S":"a"})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(Number{"1.5"})), R"({"N":"1.5"})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(Bytes("hi!"))), R"({"B":"aGkh"})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(Bytes())), R"({"B":""})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(StringSet{{"a", "b"}})), R"({"SS":["a","b"]})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(NumberSet{{"1", "-2"}})), R"({"NS":["1","-2"]})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(BinarySet{{Bytes("a"), Bytes("bc")}})),
            R"({"BS":["YQ==","YmM="]})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(AttributeMap{})), R"({"M":{}})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(AttributeList{})), R"({"L":[]})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(Null{})), R"({"NULL":true})");
  EXPECT_EQ(to_dynamodb_json(AttributeValue(false)), R"({"BOOL":false})");
  EXPECT_EQ(to_dynamodb_json(AttributeMap{}), "{}");
  EXPECT_EQ(to_dynamodb_json(
                AttributeMap{{"a", AttributeValue(AttributeList{
                                       AttributeValue(AttributeMap{{"x", AttributeValue(true)}}),
                                       AttributeValue("y")})},
                             {"b", AttributeValue(Number{"2"})}}),
            R"({"a":{"L":[{"M":{"x":{"BOOL":true}}},{"S":"y"}]},"b":{"N":"2"}})");
}

TEST(DynamoDbJson, ItemRoundTrip) {
  const AttributeMap item = sample_item();
  const std::string json = to_dynamodb_json(item);
  auto back = item_from_dynamodb_json(json);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(*back, item);
  EXPECT_EQ(to_dynamodb_json(*back), json);
}

TEST(DynamoDbJson, ValueRoundTripForEachType) {
  for (const auto& [name, value] : sample_item()) {
    SCOPED_TRACE(name);
    auto back = value_from_dynamodb_json(to_dynamodb_json(value));
    ASSERT_TRUE(back.has_value()) << back.error().to_string();
    EXPECT_EQ(*back, value);
  }
}

TEST(DynamoDbJson, DeepNestingRoundTrips) {
  // DynamoDB allows 32 levels; alternate maps and lists.
  AttributeValue v("leaf");
  for (int i = 0; i < 32; ++i) {
    v = i % 2 ? AttributeValue(AttributeMap{{"k", v}})
              : AttributeValue(AttributeList{v, AttributeValue::number(std::int64_t{i})});
  }
  auto back = value_from_dynamodb_json(to_dynamodb_json(v));
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(*back, v);
}

TEST(DynamoDbJson, BinaryOfEveryByteAndLargeBinaryRoundTrip) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  std::mt19937 rng(7);
  std::string big(300 * 1024 + 1, '\0');
  for (auto& c : big) c = static_cast<char>(rng());
  for (std::size_t len = 0; len < 8; ++len) {  // every padding case
    const AttributeValue v(Bytes(all.substr(0, len)));
    EXPECT_EQ(*value_from_dynamodb_json(to_dynamodb_json(v)), v);
  }
  for (const std::string* data : {&all, &big}) {
    const AttributeMap item{{"b", AttributeValue(Bytes(*data))},
                            {"bs", AttributeValue(BinarySet{{Bytes(*data), Bytes("z")}})}};
    auto back = item_from_dynamodb_json(to_dynamodb_json(item));
    ASSERT_TRUE(back.has_value()) << back.error().to_string();
    EXPECT_EQ(*back, item);
  }
}

TEST(DynamoDbJson, EscapesQuotesBackslashesAndControlCharacters) {
  const std::string s = std::string("q\"b\\s/\b\f\n\r\t") + '\0' + "\x01\x1f\x7f";
  EXPECT_EQ(to_dynamodb_json(AttributeValue(s)), R"({"S":"q\"b\\s/\b\f\n\r\t\u0000\u0001\u001f)"
                                                 "\x7f"
                                                 R"("})");
  // Names are escaped the same way.
  EXPECT_EQ(to_dynamodb_json(AttributeMap{{"a\"\n", AttributeValue(true)}}),
            R"({"a\"\n":{"BOOL":true}})");
  const AttributeMap item{{s, AttributeValue(s)}};
  EXPECT_EQ(*item_from_dynamodb_json(to_dynamodb_json(item)), item);
}

TEST(DynamoDbJson, UnicodePassesThroughUnchanged) {
  // 2-, 3- and 4-byte sequences, including U+FFFF, U+10000 and U+10FFFF.
  const std::string s =
      "\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xEF\xBF\xBF \xF0\x90\x80\x80 \xF0\x9F\x98\x80 "
      "\xF4\x8F\xBF\xBF";
  EXPECT_EQ(to_dynamodb_json(AttributeValue(s)), "{\"S\":\"" + s + "\"}");
  const AttributeMap item{{s, AttributeValue(StringSet{{s, "x"}})}};
  EXPECT_EQ(*item_from_dynamodb_json(to_dynamodb_json(item)), item);
  // Escaped input (as botocore writes it) decodes to the same UTF-8,
  // including a surrogate pair.
  auto v = value_from_dynamodb_json(R"({"S":"\u00e9\ud83d\ude00"})");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v->as_string(), "\xC3\xA9\xF0\x9F\x98\x80");
}

// Writes `s` with JsonWriter and reads it back with simdjson.
std::string writer_round_trip(const std::string& s) {
  std::string out;
  JsonWriter w(out);
  w.begin_array().string(s).end_array();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(out).get(doc) != simdjson::SUCCESS) return "<parse error: " + out + ">";
  std::string_view back;
  if (doc.at(0).get_string().get(back) != simdjson::SUCCESS) return "<not a string>";
  return std::string(back);
}

// Byte `b` in a position where it is valid UTF-8. 0xC0, 0xC1 and 0xF5..0xFF
// never occur in valid UTF-8, so they have no such position.
std::optional<std::string> in_valid_position(int b) {
  const char c = static_cast<char>(b);
  if (b < 0x80) return std::string(1, c);
  if (b < 0xC0) return std::string("\xC2") + c;  // continuation byte
  if (b < 0xC2) return std::nullopt;
  if (b < 0xE0) return std::string(1, c) + "\x80";
  if (b == 0xE0) return std::string("\xE0\xA0\x80");
  if (b < 0xF0) return std::string(1, c) + "\x80\x80";
  if (b == 0xF0) return std::string("\xF0\x90\x80\x80");
  if (b < 0xF5) return std::string(1, c) + "\x80\x80\x80";
  return std::nullopt;
}

TEST(JsonWriter, EveryByteValueRoundTripsThroughSimdjson) {
  std::string all;
  int covered = 0;
  for (int b = 0; b < 256; ++b) {
    const auto s = in_valid_position(b);
    if (!s) continue;
    ++covered;
    all += *s;
    EXPECT_EQ(writer_round_trip(*s), *s) << "byte " << b;
    EXPECT_EQ(writer_round_trip("x" + *s + "y"), "x" + *s + "y") << "byte " << b;
  }
  EXPECT_EQ(covered, 256 - 13);
  EXPECT_EQ(writer_round_trip(all), all);
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

TEST(JsonWriter, GeneratedStringsRoundTripThroughSimdjson) {
  std::mt19937 rng(12345);
  // Bias towards the interesting ranges: controls, quote/backslash, ASCII,
  // 2/3/4-byte sequences around their boundaries.
  const std::vector<std::pair<char32_t, char32_t>> ranges = {
      {0x00, 0x20},    {'"', '"'},       {'\\', '\\'},        {0x20, 0x7F}, {0x80, 0x7FF},
      {0x800, 0xD7FF}, {0xE000, 0xFFFF}, {0x10000, 0x10FFFF}, {0x7F, 0x81}};
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    const auto len = rng() % 40;
    for (unsigned k = 0; k < len; ++k) {
      const auto& [lo, hi] = ranges[rng() % ranges.size()];
      append_utf8(s, lo + static_cast<char32_t>(rng() % (hi - lo + 1)));
    }
    ASSERT_EQ(writer_round_trip(s), s) << "iteration " << i;
    const AttributeMap item{{s, AttributeValue(s)}};
    auto back = item_from_dynamodb_json(to_dynamodb_json(item));
    ASSERT_TRUE(back.has_value()) << back.error().to_string();
    ASSERT_EQ(*back, item);
  }
}

TEST(DynamoDbJsonInternal, ParsesInsideALargerResponse) {
  // The clients parse a whole response once and hand parse_item the member.
  const AttributeMap item = sample_item();
  std::string body;
  JsonWriter w(body);
  w.begin_object().key("Item");
  aws::detail::write_item(w, item);
  w.key("ConsumedCapacity").begin_object().key("CapacityUnits").number(1).end_object();
  w.end_object();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(body).get(doc), simdjson::SUCCESS);
  auto parsed = aws::detail::parse_item(doc["Item"]);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().to_string();
  EXPECT_EQ(*parsed, item);
  auto value = aws::detail::parse_value(doc["Item"]["m"]);
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, item.at("m"));
}

}  // namespace
}  // namespace dynamate
