// Rendered expressions against DynamoDB Local: every condition construct is
// sent as a ConditionExpression that holds and one that does not; updates
// (SET with + - if_not_exists list_append, REMOVE of nested map keys and list
// elements, ADD and DELETE on sets) are applied and read back; key conditions
// (= < <= > >= BETWEEN begins_with) run as Query with a filter and a
// projection. Proves that DynamoDB accepts the text, names and values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/expression.hpp"
#include "support/local_aws.hpp"

namespace exprit {

struct Doc {
  std::string pk;
  std::string sk;
  std::string title;
  std::int64_t visits = 0;
  std::vector<std::string> tags;
  std::set<std::string> labels;
  std::set<std::int64_t> codes;
  std::map<std::string, std::string> meta;
  std::optional<std::string> note;
  std::string status;  // reserved words and odd names
  std::string size;
  std::string dotted;
  std::string spaced;
  std::string hashed;
  std::string coloned;
  std::string unicode;
};

}  // namespace exprit

template <>
inline constexpr auto dynamate::schema_of<exprit::Doc> = dynamate::schema<exprit::Doc>(
    "docs", dynamate::hash_key("pk", &exprit::Doc::pk), dynamate::range_key("sk", &exprit::Doc::sk),
    dynamate::attribute("title", &exprit::Doc::title),
    dynamate::attribute("visits", &exprit::Doc::visits),
    dynamate::attribute("tags", &exprit::Doc::tags),
    dynamate::attribute("labels", &exprit::Doc::labels),
    dynamate::attribute("codes", &exprit::Doc::codes),
    dynamate::attribute("meta", &exprit::Doc::meta),
    dynamate::attribute("note", &exprit::Doc::note),
    dynamate::attribute("status", &exprit::Doc::status),
    dynamate::attribute("size", &exprit::Doc::size),
    dynamate::attribute("a.b", &exprit::Doc::dotted),
    dynamate::attribute("with space", &exprit::Doc::spaced),
    dynamate::attribute("#x", &exprit::Doc::hashed),
    dynamate::attribute(":y", &exprit::Doc::coloned),
    dynamate::attribute("ünïcode", &exprit::Doc::unicode));

namespace exprit {
namespace {

using namespace dynamate;
using namespace std::chrono_literals;

Doc sample() {
  Doc d;
  d.pk = "p";
  d.sk = "item#00";
  d.title = "Hello World";
  d.visits = 5;
  d.tags = {"a", "b", "c"};
  d.labels = {"x", "y"};
  d.codes = {1, 2};
  d.meta = {{"lang", "en"}, {"a.b", "dot"}, {"gone", "soon"}};
  d.status = "live";
  d.size = "big";
  d.dotted = "d";
  d.spaced = "s";
  d.hashed = "h";
  d.coloned = "c";
  d.unicode = "u";
  return d;
}

class OrmExpressionLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = test::unique_name("dynamate-expr");
    aws::CreateTableRequest r;
    r.table_name = table_;
    r.attribute_definitions = {{"pk", aws::ScalarAttributeType::S},
                               {"sk", aws::ScalarAttributeType::S}};
    r.key_schema = {{"pk", aws::KeyType::hash}, {"sk", aws::KeyType::range}};
    auto created = client_.create_table(r);
    ASSERT_TRUE(created) << created.error().to_string();
    auto active = client_.wait_until_active(table_, 60s, 100ms);
    ASSERT_TRUE(active) << active.error().to_string();
  }

  void TearDown() override {
    auto deleted = client_.delete_table(table_);
    if (!deleted) {
      EXPECT_EQ(deleted.error().code, ErrorCode::not_found) << deleted.error().to_string();
      return;
    }
    auto gone = client_.wait_until_deleted(table_, 60s, 100ms);
    EXPECT_TRUE(gone) << gone.error().to_string();
  }

  AttributeMap encode(const Doc& d) {
    auto item = detail::encode_item(d);
    EXPECT_TRUE(item) << item.error().to_string();
    return item ? *item : AttributeMap{};
  }

  void put(const AttributeMap& item) {
    auto r = client_.put_item({.table_name = table_, .item = item});
    ASSERT_TRUE(r) << r.error().to_string();
  }

  // Puts `item_` again under condition `c`: succeeds exactly when c holds.
  void expect_condition(const Condition& c, bool holds) {
    ExpressionWriter w;
    auto text = w.condition(c);
    ASSERT_TRUE(text) << text.error().to_string();
    auto r = client_.put_item({.table_name = table_,
                               .item = item_,
                               .condition_expression = *text,
                               .expression_attribute_names = w.take_names(),
                               .expression_attribute_values = w.take_values()});
    if (holds) {
      EXPECT_TRUE(r) << *text << ": " << r.error().to_string();
    } else {
      ASSERT_FALSE(r) << *text << " held";
      EXPECT_EQ(r.error().code, ErrorCode::condition_failed)
          << *text << ": " << r.error().to_string();
    }
  }

  // Applies `u` (under `c`) to the sample item and returns the item after.
  AttributeMap apply(const Update& u, const Condition& c = {}) {
    ExpressionWriter w;
    auto text = w.update(u);
    EXPECT_TRUE(text) << text.error().to_string();
    auto cond = w.condition(c);
    EXPECT_TRUE(cond) << cond.error().to_string();
    if (!text || !cond) return {};
    auto r = client_.update_item({.table_name = table_,
                                  .key = key(),
                                  .update_expression = *text,
                                  .condition_expression = *cond,
                                  .expression_attribute_names = w.take_names(),
                                  .expression_attribute_values = w.take_values(),
                                  .return_values = aws::ReturnValues::all_new});
    EXPECT_TRUE(r) << *text << ": " << r.error().to_string();
    if (!r || !r->attributes) return {};
    return *r->attributes;
  }

  AttributeMap key() const {
    return {{"pk", AttributeValue(item_.at("pk"))}, {"sk", AttributeValue(item_.at("sk"))}};
  }

  aws::DynamoDbClient client_ = aws::DynamoDbClient::create(test::dynamodb_config()).value();
  std::string table_;
  AttributeMap item_;
};

TEST_F(OrmExpressionLocal, ComparisonsBetweenInAndFunctions) {
  item_ = encode(sample());
  put(item_);
  const auto visits = field(&Doc::visits);
  for (const auto& [c, holds] : std::vector<std::pair<Condition, bool>>{
           {visits == 5, true},
           {visits == 6, false},
           {visits != 6, true},
           {visits != 5, false},
           {visits < 6, true},
           {visits < 5, false},
           {visits <= 5, true},
           {visits <= 4, false},
           {visits > 4, true},
           {visits > 5, false},
           {visits >= 5, true},
           {visits >= 6, false},
           {visits.between(1, 5), true},
           {visits.between(6, 9), false},
           {field(&Doc::status).in({"dead", "live"}), true},
           {field(&Doc::status).in({"dead"}), false},
           {field(&Doc::title).exists(), true},
           {field(&Doc::note).exists(), false},
           {field(&Doc::note).not_exists(), true},
           {field(&Doc::title).not_exists(), false},
           {field(&Doc::title).begins_with("Hello"), true},
           {field(&Doc::title).begins_with("World"), false},
           {field(&Doc::title).contains("lo W"), true},
           {field(&Doc::title).contains("xyz"), false},
           {field(&Doc::labels).contains("x"), true},
           {field(&Doc::labels).contains("z"), false},
           {field(&Doc::codes).contains(2), true},
           {field(&Doc::codes).contains(3), false},
           {field(&Doc::tags).contains("b"), true},
           {field(&Doc::tags).contains("q"), false},
           {size(field(&Doc::tags)) == 3, true},
           {size(field(&Doc::tags)) > 3, false},
           {between(size(field(&Doc::title)), value(5), value(20)), true},
           {size(field(&Doc::labels)) < size(field(&Doc::tags)), true},
           {visits > size(field(&Doc::tags)), true},
           {Operand(field(&Doc::title)) == field(&Doc::status), false},
       }) {
    expect_condition(c, holds);
  }
}

TEST_F(OrmExpressionLocal, AttributeTypesAndBooleanOperators) {
  item_ = encode(sample());
  item_["bin"] = AttributeValue(Bytes(std::string("\x01\x02")));
  item_["bins"] = AttributeValue(BinarySet{{Bytes(std::string("a")), Bytes(std::string("b"))}});
  item_["nul"] = AttributeValue(Null{});
  item_["flag"] = AttributeValue(true);
  put(item_);
  using T = AttributeValue::Type;
  const std::vector<std::pair<std::string, T>> typed = {
      {"title", T::S}, {"visits", T::N}, {"bin", T::B},  {"labels", T::SS}, {"codes", T::NS},
      {"bins", T::BS}, {"meta", T::M},   {"tags", T::L}, {"nul", T::NUL},   {"flag", T::BOOL}};
  for (const auto& [name, type] : typed) {
    expect_condition(attr(name).type_is(type), true);
    expect_condition(attr(name).type_is(type == T::S ? T::N : T::S), false);
  }

  const Condition yes = field(&Doc::visits) == 5;
  const Condition no = field(&Doc::visits) == 6;
  expect_condition(yes && yes, true);
  expect_condition(yes && no, false);
  expect_condition(no || yes, true);
  expect_condition(no || no, false);
  expect_condition(!no, true);
  expect_condition(!yes, false);
  expect_condition((no || yes) && !no, true);
  expect_condition(no || (yes && no), false);
  expect_condition(!(yes && no) && (field(&Doc::note).not_exists() || no), true);
  expect_condition(yes && Condition{}, true);
}

TEST_F(OrmExpressionLocal, ReservedWordsOddNamesAndNestedPaths) {
  item_ = encode(sample());
  put(item_);
  for (const auto& [c, holds] : std::vector<std::pair<Condition, bool>>{
           {field(&Doc::status) == "live", true},
           {field(&Doc::size) == "big", true},
           {field(&Doc::dotted) == "d", true},
           {field(&Doc::spaced) == "s", true},
           {field(&Doc::hashed) == "h", true},
           {field(&Doc::coloned) == "c", true},
           {field(&Doc::unicode) == "u", true},
           {field(&Doc::unicode) == "x", false},
           {field(&Doc::meta)["lang"] == "en", true},
           {field(&Doc::meta)["a.b"] == "dot", true},
           {field(&Doc::meta)["lang"] == "de", false},
           {field(&Doc::tags)[1] == "b", true},
           {field(&Doc::tags)[0] == "b", false},
           {attr("a.b").exists() && attr("a").not_exists(), true},
       }) {
    expect_condition(c, holds);
  }
}

TEST_F(OrmExpressionLocal, Updates) {
  item_ = encode(sample());
  put(item_);
  // One request: SET (value, +, -, if_not_exists on a missing and an
  // existing attribute), REMOVE of a map key and of a list element, ADD to a
  // number and a set, DELETE from a set; its condition shares the writer.
  AttributeMap after =
      apply(Update{set(&Doc::title, std::string("New")), set(&Doc::size, field(&Doc::status)),
                   set(&Doc::note, if_not_exists(field(&Doc::note), std::string("first"))),
                   set(&Doc::status, if_not_exists(field(&Doc::status), std::string("never"))),
                   remove(field(&Doc::meta)["gone"]), remove(field(&Doc::tags)[0]),
                   add(&Doc::visits, 10), add(&Doc::labels, std::set<std::string>{"z"}),
                   delete_from(&Doc::codes, std::set<std::int64_t>{1})},
            field(&Doc::visits) == 5 && field(&Doc::meta)["gone"].exists());
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(after.at("title"), AttributeValue("New"));
  EXPECT_EQ(after.at("size"), AttributeValue("live"));
  EXPECT_EQ(after.at("note"), AttributeValue("first"));
  EXPECT_EQ(after.at("status"), AttributeValue("live"));
  EXPECT_EQ(after.at("visits"), AttributeValue::number(15));
  EXPECT_EQ(after.at("tags"), AttributeValue(AttributeList{"b", "c"}));
  const AttributeMap* meta = after.at("meta").as_map();
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->count("gone"), 0u);
  EXPECT_EQ(meta->count("lang"), 1u);
  const StringSet* labels = after.at("labels").as_string_set();
  ASSERT_NE(labels, nullptr);
  EXPECT_EQ(std::set<std::string>(labels->values.begin(), labels->values.end()),
            (std::set<std::string>{"x", "y", "z"}));
  EXPECT_EQ(after.at("codes"), AttributeValue(NumberSet{{"2"}}));

  // + and -, list append and prepend, list_append over if_not_exists.
  after = apply(
      Update{set(&Doc::visits, field(&Doc::visits) - 3),
             set(&Doc::tags, append(field(&Doc::tags), std::vector<std::string>{"z"})),
             set(attr("fresh"), list_append(if_not_exists(attr("fresh"), value(AttributeList{})),
                                            value(AttributeList{"n"}))),
             set(field(&Doc::meta)["lang"], "fr")});
  EXPECT_EQ(after.at("visits"), AttributeValue::number(12));
  EXPECT_EQ(after.at("tags"), AttributeValue(AttributeList{"b", "c", "z"}));
  EXPECT_EQ(after.at("fresh"), AttributeValue(AttributeList{"n"}));
  EXPECT_EQ(after.at("meta").as_map()->at("lang"), AttributeValue("fr"));
  after = apply(Update{set(&Doc::tags, prepend(field(&Doc::tags), std::vector<std::string>{"0"})),
                       set(&Doc::visits, field(&Doc::visits) + 1)});
  EXPECT_EQ(after.at("tags"), AttributeValue(AttributeList{"0", "b", "c", "z"}));
  EXPECT_EQ(after.at("visits"), AttributeValue::number(13));

  // A failing condition leaves the item alone.
  ExpressionWriter w;
  auto text = w.update(Update{add(&Doc::visits, 1)});
  auto cond = w.condition(field(&Doc::visits) > 100);
  ASSERT_TRUE(text && cond);
  auto refused = client_.update_item({.table_name = table_,
                                      .key = key(),
                                      .update_expression = *text,
                                      .condition_expression = *cond,
                                      .expression_attribute_names = w.take_names(),
                                      .expression_attribute_values = w.take_values()});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::condition_failed);
}

TEST_F(OrmExpressionLocal, DynamoDbRefusesOverlappingPathsLikeTheWriter) {
  item_ = encode(sample());
  put(item_);
  // The text the writer refuses to produce, written by hand: DynamoDB
  // rejects it too, so the client-side check only saves a round trip.
  auto r = client_.update_item({.table_name = table_,
                                .key = key(),
                                .update_expression = "SET #m.#k = :v REMOVE #m",
                                .expression_attribute_names = {{"#m", "meta"}, {"#k", "lang"}},
                                .expression_attribute_values = {{":v", AttributeValue("x")}}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::validation) << r.error().to_string();
  ExpressionWriter w;
  EXPECT_FALSE(w.update(Update{set(field(&Doc::meta)["lang"], "x"), remove(&Doc::meta)}));
}

TEST_F(OrmExpressionLocal, KeyConditionsFilterAndProjection) {
  Doc d = sample();
  d.pk = "q";
  for (int i = 1; i <= 10; ++i) {
    d.sk = std::string("item#") + (i < 10 ? "0" : "") + std::to_string(i);
    d.visits = i;
    put(encode(d));
  }
  d.sk = "other#1";
  put(encode(d));
  d.pk = "elsewhere";
  d.sk = "item#01";
  put(encode(d));

  auto query = [&](const Condition& range, const Condition& filter = {},
                   const Projection& projection = {}) -> std::vector<std::string> {
    ExpressionWriter w;
    auto k = w.key_condition(field(&Doc::pk) == "q" && range);
    EXPECT_TRUE(k) << k.error().to_string();
    auto f = w.condition(filter);
    EXPECT_TRUE(f) << f.error().to_string();
    auto p = w.projection(projection);
    EXPECT_TRUE(p) << p.error().to_string();
    if (!k || !f || !p) return {};
    auto r = client_.query({.table_name = table_,
                            .key_condition_expression = *k,
                            .filter_expression = *f,
                            .projection_expression = *p,
                            .expression_attribute_names = w.take_names(),
                            .expression_attribute_values = w.take_values()});
    EXPECT_TRUE(r) << *k << ": " << r.error().to_string();
    std::vector<std::string> sks;
    if (!r) return sks;
    for (const auto& item : r->items) sks.push_back(*item.at("sk").as_string());
    return sks;
  };
  using V = std::vector<std::string>;
  const auto sk = field(&Doc::sk);
  EXPECT_EQ(query({}).size(), 11u);
  EXPECT_EQ(query(sk == "item#03"), (V{"item#03"}));
  EXPECT_EQ(query(sk < "item#03"), (V{"item#01", "item#02"}));
  EXPECT_EQ(query(sk <= "item#02"), (V{"item#01", "item#02"}));
  EXPECT_EQ(query(sk > "item#09"), (V{"item#10", "other#1"}));
  EXPECT_EQ(query(sk >= "item#10"), (V{"item#10", "other#1"}));
  EXPECT_EQ(query(sk.between("item#04", "item#06")), (V{"item#04", "item#05", "item#06"}));
  EXPECT_EQ(query(sk.begins_with("item#")).size(), 10u);
  EXPECT_EQ(query(sk.begins_with("other")), (V{"other#1"}));
  // A filter and a projection in the same request, sharing placeholders.
  EXPECT_EQ(query(sk.begins_with("item#"), field(&Doc::visits) > 8 && field(&Doc::status) == "live",
                  project(&Doc::sk, &Doc::status, field(&Doc::meta)["lang"])),
            (V{"item#09", "item#10"}));

  ExpressionWriter w;
  auto k = w.key_condition(field(&Doc::pk) == "q");
  auto p = w.projection(project(&Doc::sk, field(&Doc::meta)["lang"], &Doc::size));
  ASSERT_TRUE(k && p);
  auto r = client_.query({.table_name = table_,
                          .key_condition_expression = *k,
                          .projection_expression = *p,
                          .expression_attribute_names = w.take_names(),
                          .expression_attribute_values = w.take_values(),
                          .limit = 1});
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->items.size(), 1u);
  const AttributeMap& got = r->items[0];
  EXPECT_EQ(got.size(), 3u);
  EXPECT_EQ(got.at("size"), AttributeValue("big"));
  EXPECT_EQ(got.at("meta"), AttributeValue(AttributeMap{{"lang", AttributeValue("en")}}));
}

}  // namespace
}  // namespace exprit
