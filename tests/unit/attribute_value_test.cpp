// AttributeValue: the ten types, number construction and DynamoDB's number
// rules, and item_size against DynamoDB's documented size rules.
#include "dynamate/attribute_value.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace dynamate {
namespace {

using Type = AttributeValue::Type;

TEST(AttributeValue, AllTenTypes) {
  const AttributeValue s("text");
  const AttributeValue n(Number{"12.5"});
  const AttributeValue b(Bytes("\x00\x01", 2));
  const AttributeValue ss(StringSet{{"a", "b"}});
  const AttributeValue ns(NumberSet{{"1", "2"}});
  const AttributeValue bs(BinarySet{{Bytes("x"), Bytes("y")}});
  const AttributeValue m(AttributeMap{{"k", AttributeValue("v")}});
  const AttributeValue l(AttributeList{AttributeValue(true), AttributeValue()});
  const AttributeValue nul(Null{});
  const AttributeValue boolean(false);

  EXPECT_EQ(s.type(), Type::S);
  EXPECT_EQ(n.type(), Type::N);
  EXPECT_EQ(b.type(), Type::B);
  EXPECT_EQ(ss.type(), Type::SS);
  EXPECT_EQ(ns.type(), Type::NS);
  EXPECT_EQ(bs.type(), Type::BS);
  EXPECT_EQ(m.type(), Type::M);
  EXPECT_EQ(l.type(), Type::L);
  EXPECT_EQ(nul.type(), Type::NUL);
  EXPECT_EQ(boolean.type(), Type::BOOL);

  EXPECT_EQ(s.type_name(), "S");
  EXPECT_EQ(n.type_name(), "N");
  EXPECT_EQ(b.type_name(), "B");
  EXPECT_EQ(ss.type_name(), "SS");
  EXPECT_EQ(ns.type_name(), "NS");
  EXPECT_EQ(bs.type_name(), "BS");
  EXPECT_EQ(m.type_name(), "M");
  EXPECT_EQ(l.type_name(), "L");
  EXPECT_EQ(nul.type_name(), "NULL");
  EXPECT_EQ(boolean.type_name(), "BOOL");

  ASSERT_NE(s.as_string(), nullptr);
  EXPECT_EQ(*s.as_string(), "text");
  EXPECT_EQ(s.as_number(), nullptr);
  EXPECT_EQ(n.as_number()->text, "12.5");
  EXPECT_EQ(b.as_bytes()->size(), 2u);
  EXPECT_EQ(ss.as_string_set()->values.size(), 2u);
  EXPECT_EQ(ns.as_number_set()->values[1], "2");
  EXPECT_EQ(bs.as_binary_set()->values[0], Bytes("x"));
  EXPECT_EQ(*m.as_map()->at("k").as_string(), "v");
  EXPECT_TRUE(l.as_list()->at(1).is_null());
  EXPECT_TRUE(nul.is_null());
  EXPECT_FALSE(*boolean.as_bool());
  EXPECT_TRUE(AttributeValue().is_null());  // default is NULL
}

TEST(AttributeValue, EqualityComparesTypeAndValue) {
  EXPECT_EQ(AttributeValue("1"), AttributeValue(std::string("1")));
  EXPECT_NE(AttributeValue("1"), AttributeValue(Number{"1"}));
  EXPECT_NE(AttributeValue(StringSet{{"a"}}), AttributeValue(StringSet{{"b"}}));
}

TEST(Number, Integers) {
  EXPECT_EQ(AttributeValue::number(std::int64_t{0}).as_number()->text, "0");
  EXPECT_EQ(AttributeValue::number(std::int64_t{-42}).as_number()->text, "-42");
  EXPECT_EQ(AttributeValue::number(std::numeric_limits<std::int64_t>::min()).as_number()->text,
            "-9223372036854775808");
  EXPECT_EQ(AttributeValue::number(std::numeric_limits<std::uint64_t>::max()).as_number()->text,
            "18446744073709551615");
}

TEST(Number, DoublesUseShortestRoundTripText) {
  EXPECT_EQ(AttributeValue::number(0.1).as_number()->text, "0.1");
  EXPECT_EQ(AttributeValue::number(-2.5).as_number()->text, "-2.5");
  EXPECT_EQ(AttributeValue::number(-0.0).as_number()->text, "0");
  EXPECT_EQ(AttributeValue::number(1e20).as_number()->text, "1e+20");
  for (double v :
       {1.0 / 3, 123456.789, 2.2250738585072014e-100, 9.87654321e125, -1e-130, 6.02214076e23}) {
    const std::string text = AttributeValue::number(v).as_number()->text;
    EXPECT_TRUE(is_valid_number(text)) << text;
    double back = 0;
    std::from_chars(text.data(), text.data() + text.size(), back);
    EXPECT_EQ(back, v) << text;
  }
}

TEST(Number, NonFiniteAndOutOfRangeDoublesAreRejected) {
  for (double v :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), 1e126, -1e200, 1e-131,
        std::numeric_limits<double>::denorm_min()}) {
    auto r = AttributeValue::number_checked(v);
    ASSERT_FALSE(r.has_value()) << v;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_THROW(AttributeValue::number(v), Exception);
  }
}

TEST(Number, FromText) {
  auto ok = AttributeValue::number(std::string_view("-12.50E3"));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->as_number()->text, "-12.50E3");  // kept exactly as given
  auto bad = AttributeValue::number(std::string_view("12,5"));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(bad.error().message.find("12,5"), std::string::npos);
}

TEST(Number, ValidTexts) {
  for (const char* text : {
           "0",
           "-0",
           "+7",
           "0.0",
           "000",
           "1.",
           ".5",
           "-.5",
           "1e5",
           "1E+5",
           "1e-5",
           "12345678901234567890123456789012345678",         // 38 digits
           "-12345678901234567890123456789012345678",        // 38 digits, negative
           "1234567890123456789012345678901234567800000",    // trailing zeros don't count
           "0.0000012345678901234567890123456789012345678",  // leading zeros don't count
           "9.9999999999999999999999999999999999999E+125",   // largest
           "-9.9999999999999999999999999999999999999E+125",  // most negative
           "1E-130",
           "-1E-130",  // smallest magnitude
           "0.1E-129",
           "10E-131",
           "99999E121",
           "0E999999999999",
           "0.000E-500",
       }) {
    EXPECT_TRUE(is_valid_number(text)) << text;
  }
}

TEST(Number, InvalidTexts) {
  for (const char* text : {
           "",
           "-",
           "+",
           ".",
           "-.",
           "e5",
           "1e",
           "1e+",
           "1.2.3",
           "--1",
           "+-1",
           " 1",
           "1 ",
           "1_000",
           "0x10",
           "NaN",
           "Infinity",
           "-inf",
           "1,5",
           "١",
           "1e5.5",
           "123456789012345678901234567890123456789",   // 39 significant digits
           "1.23456789012345678901234567890123456789",  // 39 significant digits
           "1E126",
           "10E125",
           "99999E122",  // above 9.99..E+125
           "1E-131",
           "0.1E-130",
           "9.9E-131",                   // below 1E-130
           "1e99999999999999999999999",  // exponent overflow saturates
       }) {
    EXPECT_FALSE(is_valid_number(text)) << text;
  }
  EXPECT_FALSE(is_valid_number(std::string_view("1\0", 2)));
}

// Sizes per the DynamoDB developer guide ("Item sizes and formats"): name
// bytes + value; strings UTF-8 bytes; numbers 1 byte per two significant
// digits + 1; binary raw length; null/bool 1; list/map 3 + 1 per element;
// sets the sum of their elements.
TEST(ItemSize, Scalars) {
  EXPECT_EQ(item_size({}), 0u);
  EXPECT_EQ(item_size({{"id", AttributeValue("abc")}}), 2u + 3u);
  EXPECT_EQ(item_size({{"s", AttributeValue("h\xC3\xA9\xF0\x9F\x98\x80")}}), 1u + 7u);
  EXPECT_EQ(item_size({{"\xC3\xA9", AttributeValue(true)}}), 2u + 1u);  // UTF-8 name
  EXPECT_EQ(item_size({{"n", AttributeValue(Null{})}}), 1u + 1u);
  EXPECT_EQ(item_size({{"bin", AttributeValue(Bytes(std::string(10, 'x')))}}), 3u + 10u);
}

TEST(ItemSize, Numbers) {
  auto size_of = [](const char* n) { return item_size({{"n", AttributeValue(Number{n})}}) - 1; };
  EXPECT_EQ(size_of("0"), 1u);                                        // no significant digits
  EXPECT_EQ(size_of("7"), 2u);                                        // 1 digit
  EXPECT_EQ(size_of("12"), 2u);                                       // 2 digits
  EXPECT_EQ(size_of("123"), 3u);                                      // 3 digits
  EXPECT_EQ(size_of("1000000"), 2u);                                  // trailing zeros trimmed
  EXPECT_EQ(size_of("0.00012"), 2u);                                  // leading zeros trimmed
  EXPECT_EQ(size_of("-12.345"), 4u);                                  // 5 digits
  EXPECT_EQ(size_of("12345678901234567890123456789012345678"), 20u);  // 38 digits
}

TEST(ItemSize, Documents) {
  const AttributeValue empty_list(AttributeList{});
  const AttributeValue empty_map(AttributeMap{});
  EXPECT_EQ(item_size({{"l", empty_list}}), 1u + 3u);
  EXPECT_EQ(item_size({{"m", empty_map}}), 1u + 3u);
  // ["a", "bc"]: 3 + (1 + 1) + (1 + 2)
  EXPECT_EQ(
      item_size({{"l", AttributeValue(AttributeList{AttributeValue("a"), AttributeValue("bc")})}}),
      1u + 8u);
  // {"x": 1, "yy": {"z": true}}: 3 + (1 + 1 + 2) + (1 + 2 + (3 + 1 + 1 + 1))
  AttributeMap inner{{"z", AttributeValue(true)}};
  AttributeMap outer{{"x", AttributeValue(Number{"1"})}, {"yy", AttributeValue(inner)}};
  EXPECT_EQ(item_size({{"m", AttributeValue(outer)}}), 1u + 3u + 4u + 9u);
}

TEST(ItemSize, Sets) {
  EXPECT_EQ(item_size({{"ss", AttributeValue(StringSet{{"a", "bb", "ccc"}})}}), 2u + 6u);
  EXPECT_EQ(item_size({{"ns", AttributeValue(NumberSet{{"1", "123", "0"}})}}), 2u + 2u + 3u + 1u);
  EXPECT_EQ(item_size({{"bs", AttributeValue(BinarySet{{Bytes("ab"), Bytes("")}})}}), 2u + 2u);
}

TEST(ItemSize, ItemLimitExample) {
  // A 400 KB item is the DynamoDB maximum: 409600 bytes including names.
  const std::string big(409600 - 4 - 4, 'x');
  AttributeMap item{{"id", AttributeValue("k1")}, {"body", AttributeValue(big)}};
  EXPECT_EQ(item_size(item), 409600u);
}

}  // namespace
}  // namespace dynamate

namespace dynamate {
namespace {
TEST(AttributeValueNumber, EveryIntegerTypeIsExact) {
  EXPECT_EQ(AttributeValue::number(5).as_number()->text, "5");
  EXPECT_EQ(AttributeValue::number(short{-7}).as_number()->text, "-7");
  EXPECT_EQ(AttributeValue::number(4000000000u).as_number()->text, "4000000000");
  EXPECT_EQ(AttributeValue::number(-9223372036854775807LL - 1).as_number()->text,
            "-9223372036854775808");
  EXPECT_EQ(AttributeValue::number(18446744073709551615ULL).as_number()->text,
            "18446744073709551615");
}
}  // namespace
}  // namespace dynamate
