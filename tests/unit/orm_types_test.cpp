// Built-in converters other than numbers and time points (strings, bool,
// Bytes, raw values, optional, lists, maps, sets, enums, JSON documents) and
// user-defined converters, both as a Converter<T> specialization and named
// per field.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/detail/codec.hpp"
#include "dynamate/model.hpp"

// ---- Types used below (schemas and specializations live at namespace scope) ----

enum class Color { red, green, blue };
template <>
inline constexpr auto dynamate::enum_names<Color> =
    dynamate::names<Color>({{Color::red, "red"}, {Color::green, "green"}});

enum class Level : std::uint8_t { low = 1, high = 200 };  // stored as its number

// A user type with its own Converter<Money> specialization: "12.34 EUR".
struct Money {
  std::int64_t cents = 0;
  std::string currency;
  friend bool operator==(const Money&, const Money&) = default;
};
template <>
struct dynamate::Converter<Money> {
  static Result<AttributeValue> encode(const Money& m) {
    if (m.currency.size() != 3) {
      return unexpected(ErrorCode::invalid_argument, "currency must have 3 letters");
    }
    const std::int64_t abs = m.cents < 0 ? -m.cents : m.cents;
    std::string frac = std::to_string(abs % 100);
    if (frac.size() < 2) frac.insert(0, "0");
    return AttributeValue((m.cents < 0 ? "-" : "") + std::to_string(abs / 100) + "." + frac + " " +
                          m.currency);
  }
  static Result<void> decode(const AttributeValue& v, Money& out) {
    const std::string* s = v.as_string();
    if (s == nullptr) return detail::type_mismatch("S", v);
    const auto space = s->find(' ');
    const auto dot = s->find('.');
    if (space == std::string::npos || dot == std::string::npos || dot > space) {
      return unexpected(ErrorCode::schema_mismatch, "not an amount: " + *s);
    }
    auto d = Decimal::parse(s->substr(0, space));
    if (!d) return unexpected(ErrorCode::schema_mismatch, "not an amount: " + *s);
    auto cents = Decimal::parse(d->to_string() + "E2").value().to_integer<std::int64_t>();
    if (!cents) return unexpected(ErrorCode::schema_mismatch, cents.error().message);
    out = Money{*cents, s->substr(space + 1)};
    return {};
  }
};

// The same type stored differently for one field: a number of cents, EUR.
struct MoneyAsCents {
  static constexpr dynamate::aws::ScalarAttributeType key_type =
      dynamate::aws::ScalarAttributeType::N;
  static dynamate::Result<dynamate::AttributeValue> encode(const Money& m) {
    return dynamate::AttributeValue::number(m.cents);
  }
  static dynamate::Result<void> decode(const dynamate::AttributeValue& v, Money& out) {
    std::int64_t cents = 0;
    auto r = dynamate::Converter<std::int64_t>::decode(v, cents);
    if (!r) return r;
    out = Money{cents, "EUR"};
    return {};
  }
};

struct Order {
  std::string id;
  Money price;
  Money discount;
  std::optional<Money> tip;
  std::vector<Money> history;
  Money key_price;
};
template <>
inline constexpr auto dynamate::schema_of<Order> =
    dynamate::schema<Order>("orders", dynamate::hash_key("id", &Order::id),
                            dynamate::range_key<MoneyAsCents>("key_price", &Order::key_price),
                            dynamate::attribute("price", &Order::price),
                            dynamate::attribute<MoneyAsCents>("discount", &Order::discount),
                            dynamate::attribute<MoneyAsCents>("tip", &Order::tip),
                            dynamate::attribute("history", &Order::history));

namespace {

using dynamate::AttributeList;
using dynamate::AttributeMap;
using dynamate::AttributeValue;
using dynamate::Bytes;
using dynamate::Converter;
using dynamate::ErrorCode;
using dynamate::Number;

AttributeValue num(const std::string& t) { return AttributeValue(Number{t}); }

template <class T>
dynamate::Result<T> decode(const AttributeValue& v) {
  T out{};
  auto r = Converter<T>::decode(v, out);
  if (!r) return dynamate::unexpected(r.error());
  return out;
}

template <class T>
void expect_round_trip(const T& value, const AttributeValue& stored) {
  auto a = Converter<T>::encode(value);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(*a, stored);
  auto back = decode<T>(stored);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(*back == value);
}

// ---- Scalars ----

TEST(OrmScalars, StringBoolBytes) {
  expect_round_trip(std::string("héllo"), AttributeValue("héllo"));
  expect_round_trip(std::string(), AttributeValue(""));
  expect_round_trip(true, AttributeValue(true));
  expect_round_trip(false, AttributeValue(false));
  expect_round_trip(Bytes(std::string("\0\x01\xff", 3)),
                    AttributeValue(Bytes(std::string("\0\x01\xff", 3))));
  EXPECT_EQ(decode<std::string>(num("1")).error().message, "expected S, found N");
  EXPECT_EQ(decode<bool>(AttributeValue("true")).error().message, "expected BOOL, found S");
  EXPECT_EQ(decode<Bytes>(AttributeValue("AAE=")).error().message, "expected B, found S");
  EXPECT_EQ(decode<std::string>(AttributeValue(dynamate::Null{})).error().code,
            ErrorCode::schema_mismatch);
  static_assert(Converter<std::string>::key_type == dynamate::aws::ScalarAttributeType::S);
  static_assert(Converter<Bytes>::key_type == dynamate::aws::ScalarAttributeType::B);
  static_assert(!dynamate::has_key_type<Converter<bool>>);
}

TEST(OrmScalars, RawValuesAreKeptAsTheyAre) {
  const AttributeValue nested(
      AttributeMap{{"a", AttributeValue(AttributeList{num("1"), AttributeValue(true)})},
                   {"b", AttributeValue(dynamate::StringSet{{"x", "y"}})}});
  expect_round_trip(nested, nested);
  expect_round_trip(*nested.as_map(), nested);
  EXPECT_TRUE(dynamate::converter_omits<Converter<AttributeValue>>(AttributeValue()));
  EXPECT_FALSE(dynamate::converter_omits<Converter<AttributeValue>>(AttributeValue(false)));
  EXPECT_EQ(decode<AttributeMap>(AttributeValue("x")).error().message, "expected M, found S");
}

// ---- Optional, lists, maps ----

TEST(OrmContainers, Optional) {
  using Opt = std::optional<std::int32_t>;
  expect_round_trip(Opt(5), num("5"));
  EXPECT_TRUE(dynamate::converter_omits<Converter<Opt>>(Opt()));
  EXPECT_FALSE(dynamate::converter_omits<Converter<Opt>>(Opt(0)));
  Opt o = 3;
  ASSERT_TRUE(Converter<Opt>::decode(AttributeValue(dynamate::Null{}), o));
  EXPECT_FALSE(o.has_value());
  EXPECT_EQ(decode<Opt>(AttributeValue("x")).error().message, "expected N, found S");
}

TEST(OrmContainers, Lists) {
  expect_round_trip(std::vector<std::int32_t>{1, -2, 3},
                    AttributeValue(AttributeList{num("1"), num("-2"), num("3")}));
  expect_round_trip(std::vector<std::string>{}, AttributeValue(AttributeList{}));
  // Empty optionals inside a list keep their place as NULL.
  expect_round_trip(
      std::vector<std::optional<bool>>{true, std::nullopt},
      AttributeValue(AttributeList{AttributeValue(true), AttributeValue(dynamate::Null{})}));
  expect_round_trip(std::vector<std::vector<std::string>>{{"a"}, {}},
                    AttributeValue(AttributeList{AttributeValue(AttributeList{AttributeValue("a")}),
                                                 AttributeValue(AttributeList{})}));
  auto bad = decode<std::vector<std::int32_t>>(
      AttributeValue(AttributeList{num("1"), AttributeValue("2")}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "[1]: expected N, found S");
  EXPECT_EQ(decode<std::vector<int>>(AttributeValue(AttributeMap{})).error().message,
            "expected L, found M");
  auto nan = Converter<std::vector<double>>::encode({1.0, std::nan("")});
  ASSERT_FALSE(nan);
  EXPECT_EQ(nan.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(nan.error().message.rfind("[1]: ", 0), 0u) << nan.error().message;
}

TEST(OrmContainers, Maps) {
  using M = std::map<std::string, std::int64_t>;
  expect_round_trip(M{{"a", 1}, {"b.c", 2}},
                    AttributeValue(AttributeMap{{"a", num("1")}, {"b.c", num("2")}}));
  expect_round_trip(M{}, AttributeValue(AttributeMap{}));
  using O = std::map<std::string, std::optional<std::string>>;
  auto a = Converter<O>::encode(O{{"x", "1"}, {"gone", std::nullopt}});
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, AttributeValue(AttributeMap{{"x", AttributeValue("1")}}));
  auto bad = decode<M>(AttributeValue(AttributeMap{{"k", AttributeValue(true)}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "[\"k\"]: expected N, found BOOL");
  using Nested = std::map<std::string, std::vector<std::int8_t>>;
  auto deep = decode<Nested>(
      AttributeValue(AttributeMap{{"k", AttributeValue(AttributeList{num("1000")})}}));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message, "[\"k\"]: [0]: number 1000 is out of range for int8");
}

// ---- Sets ----

TEST(OrmSets, StringNumberBinarySets) {
  expect_round_trip(std::set<std::string>{"b", "a"},
                    AttributeValue(dynamate::StringSet{{"a", "b"}}));
  expect_round_trip(std::set<std::int64_t>{3, -1},
                    AttributeValue(dynamate::NumberSet{{"-1", "3"}}));
  expect_round_trip(std::set<double>{0.5, 2.0}, AttributeValue(dynamate::NumberSet{{"0.5", "2"}}));
  expect_round_trip(std::set<Bytes>{Bytes(std::string("\x01")), Bytes(std::string("\x02"))},
                    AttributeValue(dynamate::BinarySet{
                        {Bytes(std::string("\x01")), Bytes(std::string("\x02"))}}));
  // Named enums are strings, so their sets are string sets.
  expect_round_trip(std::set<Color>{Color::green, Color::red},
                    AttributeValue(dynamate::StringSet{{"red", "green"}}));
  EXPECT_EQ(decode<std::set<std::string>>(AttributeValue(AttributeList{})).error().message,
            "expected SS, found L");
  EXPECT_EQ(decode<std::set<int>>(AttributeValue(dynamate::StringSet{{"1"}})).error().message,
            "expected NS, found SS");
  EXPECT_EQ(decode<std::set<Bytes>>(AttributeValue(dynamate::NumberSet{{"1"}})).error().message,
            "expected BS, found NS");
  auto bad = decode<std::set<std::uint8_t>>(AttributeValue(dynamate::NumberSet{{"1", "300"}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "set element: number 300 is out of range for uint8");
}

TEST(OrmSets, EmptySetsAreLeftOut) {
  EXPECT_TRUE(dynamate::converter_omits<Converter<std::set<std::string>>>(std::set<std::string>{}));
  EXPECT_FALSE(dynamate::converter_omits<Converter<std::set<int>>>(std::set<int>{1}));
  // Encoding one anyway is an error: DynamoDB has no empty sets.
  auto r = Converter<std::set<int>>::encode({});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

// ---- Enums ----

TEST(OrmEnums, ByNameAndByNumber) {
  expect_round_trip(Color::green, AttributeValue("green"));
  static_assert(Converter<Color>::key_type == dynamate::aws::ScalarAttributeType::S);
  auto unnamed = Converter<Color>::encode(Color::blue);
  ASSERT_FALSE(unnamed);
  EXPECT_EQ(unnamed.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(unnamed.error().message, "enum value 2 has no name in dynamate::enum_names");
  auto unknown = decode<Color>(AttributeValue("purple"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::schema_mismatch);
  EXPECT_EQ(unknown.error().message, "unknown enum name \"purple\"");
  EXPECT_EQ(decode<Color>(num("1")).error().message, "expected S, found N");

  expect_round_trip(Level::high, num("200"));
  static_assert(Converter<Level>::key_type == dynamate::aws::ScalarAttributeType::N);
  EXPECT_EQ(decode<Level>(num("300")).error().message, "number 300 is out of range for uint8");
  EXPECT_EQ(decode<Level>(AttributeValue("high")).error().message, "expected N, found S");
  expect_round_trip(std::set<Level>{Level::low, Level::high},
                    AttributeValue(dynamate::NumberSet{{"1", "200"}}));
}

// ---- JSON documents ----

TEST(OrmJson, TextIsValidatedAndKeptExactly) {
  using dynamate::JsonDocument;
  const JsonDocument doc{R"({ "kind": "click",  "xs": [1, 2.5e3, null, true] })"};
  expect_round_trip(doc, AttributeValue(doc.text));
  expect_round_trip(JsonDocument{"\"just a string\""}, AttributeValue("\"just a string\""));
  expect_round_trip(JsonDocument{"42"}, AttributeValue("42"));
  for (const char* bad : {"{", "{\"a\":}", "[1,]", "nul", "{} {}", "'single'"}) {
    auto e = Converter<JsonDocument>::encode(JsonDocument{bad});
    ASSERT_FALSE(e) << bad;
    EXPECT_EQ(e.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(e.error().message.find("invalid JSON"), std::string::npos);
    auto d = decode<JsonDocument>(AttributeValue(bad));
    ASSERT_FALSE(d) << bad;
    EXPECT_EQ(d.error().code, ErrorCode::schema_mismatch);
  }
  EXPECT_EQ(decode<JsonDocument>(num("1")).error().message, "expected S, found N");
}

TEST(OrmJson, EmptyTextMeansNoDocument) {
  using dynamate::JsonDocument;
  EXPECT_TRUE(dynamate::converter_omits<Converter<JsonDocument>>(JsonDocument{}));
  EXPECT_FALSE(dynamate::converter_omits<Converter<JsonDocument>>(JsonDocument{"{}"}));
  JsonDocument out{"{}"};
  ASSERT_TRUE(Converter<JsonDocument>::decode(AttributeValue(""), out));
  EXPECT_TRUE(out.empty());
}

// ---- User-defined converters ----

TEST(OrmUserConverters, SpecializationAndPerFieldConverter) {
  Order o{.id = "o1",
          .price = {1234, "EUR"},
          .discount = {-50, "EUR"},
          .tip = Money{200, "EUR"},
          .history = {{5, "USD"}},
          .key_price = {999, "EUR"}};
  auto item = dynamate::detail::encode_item(o);
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->at("price"), AttributeValue("12.34 EUR"));
  EXPECT_EQ(item->at("discount"), num("-50"));
  EXPECT_EQ(item->at("tip"), num("200"));  // per-field converter serves the optional too
  EXPECT_EQ(item->at("history"), AttributeValue(AttributeList{AttributeValue("0.05 USD")}));
  EXPECT_EQ(item->at("key_price"), num("999"));
  auto back = dynamate::detail::decode_item<Order>(*item);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->price, o.price);
  EXPECT_EQ(back->discount, o.discount);
  EXPECT_EQ(back->tip, o.tip);
  EXPECT_EQ(back->history, o.history);
  EXPECT_EQ(back->key_price, o.key_price);

  auto key = dynamate::detail::key_of(o);
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, (AttributeMap{{"id", AttributeValue("o1")}, {"key_price", num("999")}}));

  o.tip.reset();
  item = dynamate::detail::encode_item(o);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->count("tip"), 0u);

  o.price.currency = "EURO";
  auto bad = dynamate::detail::encode_item(o);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "attribute \"price\": currency must have 3 letters");

  AttributeMap wrong = *dynamate::detail::encode_item(Order{.id = "x", .price = {1, "EUR"}});
  wrong["price"] = AttributeValue("lots");
  auto dec = dynamate::detail::decode_item<Order>(wrong);
  ASSERT_FALSE(dec);
  EXPECT_EQ(dec.error().message, "attribute \"price\": not an amount: lots");
}

}  // namespace
