// Model <-> item through the schema: a model using every type, defaults,
// required attributes, optionals, unknown attributes, nested error paths,
// keys and type mismatch messages.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/detail/codec.hpp"
#include "dynamate/model.hpp"

using namespace std::chrono_literals;  // NOLINT: test brevity

enum class Status { draft, live };
template <>
inline constexpr auto dynamate::enum_names<Status> =
    dynamate::names<Status>({{Status::draft, "DRAFT"}, {Status::live, "LIVE"}});
enum class Priority : std::int16_t { low = -1, high = 10 };

struct Inner {
  std::int32_t a = 0;
  std::string b;
  friend bool operator==(const Inner&, const Inner&) = default;
};
template <>
inline constexpr auto dynamate::schema_of<Inner> = dynamate::schema<Inner>(
    dynamate::attribute("a", &Inner::a, {.required = true}), dynamate::attribute("b", &Inner::b));

struct Outer {
  Inner inner;
  std::vector<Inner> items;
  std::map<std::string, Inner> by_name;
  friend bool operator==(const Outer&, const Outer&) = default;
};
template <>
inline constexpr auto dynamate::schema_of<Outer> = dynamate::schema<Outer>(
    dynamate::attribute("inner", &Outer::inner), dynamate::attribute("items", &Outer::items),
    dynamate::attribute("by_name", &Outer::by_name));

// Every built-in type in one table model.
struct Everything {
  std::string id;
  std::int64_t seq = 0;
  std::int8_t i8 = 0;
  std::uint8_t u8 = 0;
  std::int16_t i16 = 0;
  std::uint16_t u16 = 0;
  std::int32_t i32 = 0;
  std::uint32_t u32 = 0;
  std::uint64_t u64 = 0;
  double d = 0;
  float f = 0;
  dynamate::Decimal dec;
  bool flag = false;
  dynamate::Bytes blob;
  std::vector<std::string> list;
  std::map<std::string, std::int32_t> counts;
  std::set<std::string> tags;
  std::set<std::int64_t> numbers;
  std::set<dynamate::Bytes> blobs;
  std::set<dynamate::Decimal> prices;
  Status status = Status::draft;
  Priority priority = Priority::low;
  std::chrono::system_clock::time_point created{};
  std::chrono::sys_time<std::chrono::milliseconds> seen{};
  std::chrono::sys_seconds expires{};
  std::optional<std::chrono::sys_time<std::chrono::microseconds>> edited;
  dynamate::JsonDocument payload;
  Inner inner;
  std::optional<Inner> maybe_inner;
  std::vector<Inner> inners;
  std::optional<std::string> note;
  dynamate::AttributeValue raw;
  dynamate::AttributeMap raw_map;
  std::int64_t version = 0;
  dynamate::AttributeMap extras;
  friend bool operator==(const Everything&, const Everything&) = default;
};
template <>
inline constexpr auto dynamate::schema_of<Everything> = dynamate::schema<Everything>(
    "everything", dynamate::hash_key("id", &Everything::id),
    dynamate::range_key("seq", &Everything::seq), dynamate::attribute("i8", &Everything::i8),
    dynamate::attribute("u8", &Everything::u8), dynamate::attribute("i16", &Everything::i16),
    dynamate::attribute("u16", &Everything::u16), dynamate::attribute("i32", &Everything::i32),
    dynamate::attribute("u32", &Everything::u32), dynamate::attribute("u64", &Everything::u64),
    dynamate::attribute("d", &Everything::d), dynamate::attribute("f", &Everything::f),
    dynamate::attribute("dec", &Everything::dec), dynamate::attribute("flag", &Everything::flag),
    dynamate::attribute("blob", &Everything::blob), dynamate::attribute("list", &Everything::list),
    dynamate::attribute("counts", &Everything::counts),
    dynamate::attribute("tags", &Everything::tags),
    dynamate::attribute("numbers", &Everything::numbers),
    dynamate::attribute("blobs", &Everything::blobs),
    dynamate::attribute("prices", &Everything::prices),
    dynamate::attribute("status", &Everything::status),
    dynamate::attribute("priority", &Everything::priority),
    dynamate::attribute("created", &Everything::created),
    dynamate::attribute<dynamate::datetime::Iso8601>("seen", &Everything::seen),
    dynamate::ttl("expires", &Everything::expires),
    dynamate::attribute<dynamate::datetime::EpochMillis>("edited", &Everything::edited),
    dynamate::attribute("payload", &Everything::payload),
    dynamate::attribute("inner", &Everything::inner),
    dynamate::attribute("maybe_inner", &Everything::maybe_inner),
    dynamate::attribute("inners", &Everything::inners),
    dynamate::attribute("note", &Everything::note), dynamate::attribute("raw", &Everything::raw),
    dynamate::attribute("raw_map", &Everything::raw_map),
    dynamate::version("version", &Everything::version),
    dynamate::extra_attributes(&Everything::extras));

// Defaults and required attributes.
struct Page {
  std::string url;
  std::string title = "untitled";
  std::int64_t visits = 7;
  std::optional<std::int32_t> rank;
  std::optional<std::int32_t> score = 5;
  std::set<std::string> tags = {"default"};
  std::string owner;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::attribute("title", &Page::title),
    dynamate::attribute("visits", &Page::visits), dynamate::attribute("rank", &Page::rank),
    dynamate::attribute("score", &Page::score), dynamate::attribute("tags", &Page::tags),
    dynamate::attribute("owner", &Page::owner, {.required = true}));

namespace {

using dynamate::AttributeList;
using dynamate::AttributeMap;
using dynamate::AttributeValue;
using dynamate::Bytes;
using dynamate::Decimal;
using dynamate::ErrorCode;
using dynamate::detail::decode_item;
using dynamate::detail::encode_item;

AttributeValue num(const std::string& t) { return AttributeValue(dynamate::Number{t}); }

Everything full() {
  Everything e;
  e.id = "e1";
  e.seq = -9;
  e.i8 = -128;
  e.u8 = 255;
  e.i16 = -32768;
  e.u16 = 65535;
  e.i32 = 2147483647;
  e.u32 = 4294967295u;
  e.u64 = 18446744073709551615ull;
  e.d = 0.1;
  e.f = 2.5f;
  e.dec = Decimal::parse("12345678901234567890.123456789").value();
  e.flag = true;
  e.blob = Bytes(std::string("\0bin", 4));
  e.list = {"x", "y"};
  e.counts = {{"a", 1}, {"b", -2}};
  e.tags = {"red", "blue"};
  e.numbers = {1, 20};
  e.blobs = {Bytes(std::string("\x01")), Bytes(std::string("\x02"))};
  e.prices = {Decimal::parse("9.99").value(), Decimal(10)};
  e.status = Status::live;
  e.priority = Priority::high;
  e.created = std::chrono::sys_days{std::chrono::year{2024} / 1 / 2} + 3h + 4min + 5s + 123456us;
  e.seen = std::chrono::sys_days{std::chrono::year{1969} / 7 / 20} + 20h + 17min + 250ms;
  e.expires = std::chrono::sys_seconds{1'800'000'000s};
  e.edited = std::chrono::sys_time<std::chrono::microseconds>{1'700'000'000'123'000us};
  e.payload.text = R"({"k": [1, 2]})";
  e.inner = {1, "one"};
  e.maybe_inner = Inner{2, "two"};
  e.inners = {{3, "three"}, {4, ""}};
  e.note = "hello";
  e.raw = AttributeValue(AttributeList{num("1"), AttributeValue("s")});
  e.raw_map = {{"nested", AttributeValue(AttributeMap{{"z", AttributeValue(false)}})}};
  e.version = 3;
  return e;
}

TEST(OrmCodec, EveryTypeRoundTrips) {
  const Everything e = full();
  auto item = encode_item(e);
  ASSERT_TRUE(item) << item.error().message;
  const AttributeMap& m = *item;
  // The stored forms (what pynamodb's attributes of the same kind read).
  EXPECT_EQ(m.at("id"), AttributeValue("e1"));
  EXPECT_EQ(m.at("seq"), num("-9"));
  EXPECT_EQ(m.at("i8"), num("-128"));
  EXPECT_EQ(m.at("u64"), num("18446744073709551615"));
  EXPECT_EQ(m.at("d"), num("0.1"));
  EXPECT_EQ(m.at("f"), num("2.5"));
  EXPECT_EQ(m.at("dec"), num("12345678901234567890.123456789"));
  EXPECT_EQ(m.at("flag"), AttributeValue(true));
  EXPECT_EQ(m.at("blob"), AttributeValue(Bytes(std::string("\0bin", 4))));
  EXPECT_EQ(m.at("list"), AttributeValue(AttributeList{AttributeValue("x"), AttributeValue("y")}));
  EXPECT_EQ(m.at("counts"), AttributeValue(AttributeMap{{"a", num("1")}, {"b", num("-2")}}));
  EXPECT_EQ(m.at("tags"), AttributeValue(dynamate::StringSet{{"blue", "red"}}));
  EXPECT_EQ(m.at("numbers"), AttributeValue(dynamate::NumberSet{{"1", "20"}}));
  EXPECT_EQ(m.at("prices"), AttributeValue(dynamate::NumberSet{{"9.99", "10"}}));
  EXPECT_EQ(m.at("blobs").type(), AttributeValue::Type::BS);
  EXPECT_EQ(m.at("status"), AttributeValue("LIVE"));
  EXPECT_EQ(m.at("priority"), num("10"));
  EXPECT_EQ(m.at("created"), AttributeValue("2024-01-02T03:04:05.123456+0000"));
  EXPECT_EQ(m.at("seen"), AttributeValue("1969-07-20T20:17:00.250Z"));
  EXPECT_EQ(m.at("expires"), num("1800000000"));
  EXPECT_EQ(m.at("edited"), num("1700000000123"));
  EXPECT_EQ(m.at("payload"), AttributeValue(R"({"k": [1, 2]})"));
  EXPECT_EQ(m.at("inner"),
            AttributeValue(AttributeMap{{"a", num("1")}, {"b", AttributeValue("one")}}));
  EXPECT_EQ(m.at("inners").as_list()->size(), 2u);
  EXPECT_EQ(m.at("note"), AttributeValue("hello"));
  EXPECT_EQ(m.at("raw"), e.raw);
  EXPECT_EQ(m.at("raw_map"), AttributeValue(e.raw_map));
  EXPECT_EQ(m.at("version"), num("3"));
  EXPECT_EQ(m.size(), 34u);  // every field, none left out

  auto back = decode_item<Everything>(m);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(*back == e);
}

TEST(OrmCodec, EmptyValuesAreLeftOutAndReadBackEmpty) {
  Everything e;
  e.id = "e2";
  auto item = encode_item(e);
  ASSERT_TRUE(item) << item.error().message;
  for (const char* gone :
       {"tags", "numbers", "blobs", "prices", "edited", "payload", "maybe_inner", "note", "raw"}) {
    EXPECT_EQ(item->count(gone), 0u) << gone;
  }
  EXPECT_EQ(item->at("list"), AttributeValue(AttributeList{}));  // empty lists and maps are fine
  EXPECT_EQ(item->at("counts"), AttributeValue(AttributeMap{}));
  auto back = decode_item<Everything>(*item);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(*back == e);
}

TEST(OrmCodec, MissingAttributesKeepMemberDefaults) {
  auto p = decode_item<Page>({{"url", AttributeValue("u")}, {"owner", AttributeValue("me")}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->title, "untitled");
  EXPECT_EQ(p->visits, 7);
  EXPECT_FALSE(p->rank.has_value());
  EXPECT_EQ(p->score, 5);                                // missing: the default stays
  EXPECT_EQ(p->tags, std::set<std::string>{"default"});  // likewise
  // NULL reads as empty for optionals (also over a default), and as missing
  // for other types.
  p = decode_item<Page>({{"url", AttributeValue("u")},
                         {"owner", AttributeValue("me")},
                         {"score", AttributeValue(dynamate::Null{})},
                         {"rank", AttributeValue(dynamate::Null{})},
                         {"title", AttributeValue(dynamate::Null{})}});
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_FALSE(p->score.has_value());
  EXPECT_FALSE(p->rank.has_value());
  EXPECT_EQ(p->title, "untitled");
}

TEST(OrmCodec, RequiredAttributes) {
  auto missing = decode_item<Page>({{"url", AttributeValue("u")}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::schema_mismatch);
  EXPECT_EQ(missing.error().message, "required attribute \"owner\" is missing");
  auto null = decode_item<Page>(
      {{"url", AttributeValue("u")}, {"owner", AttributeValue(dynamate::Null{})}});
  ASSERT_FALSE(null);
  EXPECT_EQ(null.error().message, "required attribute \"owner\" is missing");
  // Keys are always required.
  auto no_key = decode_item<Page>({{"owner", AttributeValue("me")}});
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().message, "required attribute \"url\" is missing");
}

TEST(OrmCodec, OptionalsAreLeftOutWhenEmpty) {
  Page p{.url = "u", .score = std::nullopt, .owner = "me"};
  auto item = encode_item(p);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->count("rank"), 0u);
  EXPECT_EQ(item->count("score"), 0u);
  p.rank = 0;
  item = encode_item(p);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->at("rank"), num("0"));
}

TEST(OrmCodec, UnknownAttributesAreKeptAndWrittenBack) {
  AttributeMap item = *encode_item(full());
  item["legacy"] = AttributeValue("old");
  item["counter"] = num("5");
  auto e = decode_item<Everything>(item);
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->extras, (AttributeMap{{"counter", num("5")}, {"legacy", AttributeValue("old")}}));
  auto again = encode_item(*e);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, item);
  // A field of the schema in the extras never overrides (or revives) the field.
  e->extras["note"] = AttributeValue("stale");
  e->extras["i8"] = num("99");
  e->note.reset();
  again = encode_item(*e);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->count("note"), 0u);
  EXPECT_EQ(again->at("i8"), num("-128"));
}

TEST(OrmCodec, NestedErrorsNameThePath) {
  AttributeMap inner{{"a", num("1")}, {"b", num("2")}};
  auto r = decode_item<Outer>({{"inner", AttributeValue(inner)}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  EXPECT_EQ(r.error().message, "attribute \"inner\": attribute \"b\": expected S, found N");

  r = decode_item<Outer>(
      {{"items",
        AttributeValue(AttributeList{AttributeValue(AttributeMap{{"a", num("1")}}),
                                     AttributeValue(AttributeMap{{"b", AttributeValue("x")}})})}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "attribute \"items\": [1]: required attribute \"a\" is missing");

  r = decode_item<Outer>(
      {{"by_name",
        AttributeValue(AttributeMap{{"k", AttributeValue(AttributeMap{{"a", num("1.5")}})}})}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "attribute \"by_name\": [\"k\"]: attribute \"a\": number 1.5 is not a valid int32 (not "
            "an integer)");

  r = decode_item<Outer>({{"inner", AttributeValue("flat")}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "attribute \"inner\": expected M, found S");
}

TEST(OrmCodec, TypeMismatchMessages) {
  AttributeMap item = *encode_item(full());
  struct Case {
    const char* name;
    AttributeValue value;
    const char* message;
  };
  const Case cases[] = {
      {"i32", AttributeValue("12"), "attribute \"i32\": expected N, found S"},
      {"i8", num("300"), "attribute \"i8\": number 300 is out of range for int8"},
      {"u8", num("-1"), "attribute \"u8\": number -1 is out of range for uint8"},
      {"flag", num("1"), "attribute \"flag\": expected BOOL, found N"},
      {"tags", AttributeValue(AttributeList{}), "attribute \"tags\": expected SS, found L"},
      {"status", AttributeValue("GONE"), "attribute \"status\": unknown enum name \"GONE\""},
      {"list", AttributeValue("x"), "attribute \"list\": expected L, found S"},
      {"d", num("0.30000000000000001"),
       "attribute \"d\": number 0.30000000000000001 would be rounded by double (use "
       "dynamate::Decimal for exact values)"},
  };
  for (const auto& c : cases) {
    AttributeMap bad = item;
    bad[c.name] = c.value;
    auto r = decode_item<Everything>(bad);
    ASSERT_FALSE(r) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(OrmCodec, EncodeErrorsNameTheAttribute) {
  Everything e = full();
  e.d = std::nan("");
  auto r = encode_item(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(r.error().message.rfind("attribute \"d\": ", 0), 0u) << r.error().message;
  e = full();
  e.inners[1].b = "ok";
  e.payload.text = "{oops";
  r = encode_item(e);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.rfind("attribute \"payload\": invalid JSON", 0), 0u)
      << r.error().message;
}

TEST(OrmCodec, Keys) {
  const Everything e = full();
  auto key = dynamate::detail::key_of(e);
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, (AttributeMap{{"id", AttributeValue("e1")}, {"seq", num("-9")}}));
  auto made = dynamate::detail::make_key<Everything>("e1", -9);
  ASSERT_TRUE(made);
  EXPECT_EQ(*made, *key);

  Page p{.url = "https://python.org"};
  auto page_key = dynamate::detail::key_of(p);
  ASSERT_TRUE(page_key);
  EXPECT_EQ(*page_key, (AttributeMap{{"url", AttributeValue("https://python.org")}}));
  EXPECT_EQ(dynamate::detail::make_key<Page>("https://python.org").value(), *page_key);
  static_assert(std::is_same_v<dynamate::detail::hash_member_t<Everything>, std::string>);
  static_assert(std::is_same_v<dynamate::detail::range_member_t<Everything>, std::int64_t>);
}

}  // namespace
