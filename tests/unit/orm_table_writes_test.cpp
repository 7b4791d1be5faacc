// Table<T> writes in the corners, against FakeTransport: an index keyed on
// std::optional members (a sparse index) in CreateTable, updates that
// UPDATED_NEW cannot describe (a nested REMOVE, a DELETE) asking for ALL_NEW,
// set() of an empty optional or set sent as REMOVE, versions whose next value
// does not fit their type refused before sending, and writes that DynamoDB
// applied but whose returned attributes do not decode (WriteAppliedDetail).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "dynamate/batch.hpp"
#include "dynamate/transaction.hpp"
#include "orm_table_fixture.hpp"

namespace orm_writes_test {

// A sparse global index (on an optional string) and a sparse local index
// (on an optional number).
struct Task {
  std::string list;
  std::int64_t n = 0;
  std::optional<std::string> assignee;
  std::optional<std::int64_t> due;
};

// Map and set members, and a version.
struct Bag {
  std::string id;
  std::map<std::string, std::string> meta;
  std::set<std::string> tags;
  std::optional<std::string> note;
  std::int64_t version = 0;
};

// Small version types.
struct Tiny {
  std::string id;
  std::string body;
  std::int8_t version = 0;
};
struct TinyOpt {
  std::string id;
  std::optional<std::uint8_t> version;
};
struct Huge {
  std::string id;
  std::uint64_t version = 0;
};

}  // namespace orm_writes_test

template <>
inline constexpr auto dynamate::schema_of<orm_writes_test::Task> =
    dynamate::schema<orm_writes_test::Task>(
        "tasks", dynamate::hash_key("list", &orm_writes_test::Task::list),
        dynamate::range_key("n", &orm_writes_test::Task::n),
        dynamate::attribute("assignee", &orm_writes_test::Task::assignee),
        dynamate::attribute("due", &orm_writes_test::Task::due),
        dynamate::global_index("by-assignee", &orm_writes_test::Task::assignee,
                               &orm_writes_test::Task::due),
        dynamate::local_index("by-due", &orm_writes_test::Task::due,
                              dynamate::projection::keys_only()));

template <>
inline constexpr auto dynamate::schema_of<orm_writes_test::Bag> =
    dynamate::schema<orm_writes_test::Bag>("bags",
                                           dynamate::hash_key("id", &orm_writes_test::Bag::id),
                                           dynamate::attribute("meta", &orm_writes_test::Bag::meta),
                                           dynamate::attribute("tags", &orm_writes_test::Bag::tags),
                                           dynamate::attribute("note", &orm_writes_test::Bag::note),
                                           dynamate::version("v", &orm_writes_test::Bag::version));

template <>
inline constexpr auto dynamate::schema_of<orm_writes_test::Tiny> =
    dynamate::schema<orm_writes_test::Tiny>(
        "tiny", dynamate::hash_key("id", &orm_writes_test::Tiny::id),
        dynamate::attribute("body", &orm_writes_test::Tiny::body),
        dynamate::version("v", &orm_writes_test::Tiny::version));

template <>
inline constexpr auto dynamate::schema_of<orm_writes_test::TinyOpt> =
    dynamate::schema<orm_writes_test::TinyOpt>(
        "tiny-opt", dynamate::hash_key("id", &orm_writes_test::TinyOpt::id),
        dynamate::version("v", &orm_writes_test::TinyOpt::version));

template <>
inline constexpr auto dynamate::schema_of<orm_writes_test::Huge> =
    dynamate::schema<orm_writes_test::Huge>("huge",
                                            dynamate::hash_key("id", &orm_writes_test::Huge::id),
                                            dynamate::version("v",
                                                              &orm_writes_test::Huge::version));

namespace dynamate {
namespace {

using orm_table_test::Doc;
using orm_writes_test::Bag;
using orm_writes_test::Huge;
using orm_writes_test::Task;
using orm_writes_test::Tiny;
using orm_writes_test::TinyOpt;
using test::a_doc;
using test::JsonEq;
using test::OrmTable;

// ---- Sparse indexes ----

TEST_F(OrmTable, IndexesKeyedOnOptionalMembersAreDeclaredWithTheInnerType) {
  Table<Task> tasks(*f.client);
  f.transport->push(200, R"({"TableDescription":{"TableName":"tasks","TableStatus":"CREATING"}})");
  auto d = tasks.create_table({.wait = false});
  ASSERT_TRUE(d) << d.error().to_string();
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"tasks",
    "AttributeDefinitions":[{"AttributeName":"list","AttributeType":"S"},
      {"AttributeName":"n","AttributeType":"N"},{"AttributeName":"assignee","AttributeType":"S"},
      {"AttributeName":"due","AttributeType":"N"}],
    "KeySchema":[{"AttributeName":"list","KeyType":"HASH"},{"AttributeName":"n","KeyType":"RANGE"}],
    "GlobalSecondaryIndexes":[
      {"IndexName":"by-assignee","KeySchema":[{"AttributeName":"assignee","KeyType":"HASH"},
        {"AttributeName":"due","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}],
    "LocalSecondaryIndexes":[
      {"IndexName":"by-due","KeySchema":[{"AttributeName":"list","KeyType":"HASH"},
        {"AttributeName":"due","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],
    "BillingMode":"PAY_PER_REQUEST"})j"));
  // The index is queried by its hash key, decoded into the optional member.
  f.transport->push(200, R"({"Items":[{"list":{"S":"l"},"n":{"N":"1"},"assignee":{"S":"ann"},)"
                         R"("due":{"N":"5"}}],"Count":1,"ScannedCount":1})");
  auto got = tasks.query(AttributeValue("ann"), {.index_name = "by-assignee"}).all();
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ(got->front().assignee, "ann");
  EXPECT_EQ(got->front().due, 5);
  EXPECT_TRUE(JsonEq(f.body(1), R"j({"TableName":"tasks","IndexName":"by-assignee",
    "KeyConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"assignee"},
    "ExpressionAttributeValues":{":v0":{"S":"ann"}}})j"));
}

// ---- UPDATED_NEW that cannot describe the change ----

TEST_F(OrmTable, UpdatedNewWithANestedRemoveAsksForAllNew) {
  Table<Bag> bags(*f.client);
  Bag b{"b", {{"a", "1"}, {"k", "2"}}, {"x"}, std::nullopt, 1};
  // UPDATED_NEW would return nothing for the removed key: the stale "k"
  // would survive a merge. ALL_NEW is the whole item.
  f.transport->push(200, R"({"Attributes":{"id":{"S":"b"},"meta":{"M":{"a":{"S":"1"}}},)"
                         R"("tags":{"SS":["x"]},"v":{"N":"2"}}})");
  auto r = bags.update(b, {remove(field(&Bag::meta)["k"])},
                       {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_NE(f.body(0).find(R"("ReturnValues":"ALL_NEW")"), std::string::npos) << f.body(0);
  EXPECT_EQ(b.meta, (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(b.version, 2);
}

TEST_F(OrmTable, UpdatedNewWithADeleteAsksForAllNew) {
  Table<Bag> bags(*f.client);
  Bag b{"b", {}, {"x"}, std::nullopt, 1};
  // Deleting the last element removes the attribute: ALL_NEW has no tags.
  f.transport->push(200, R"({"Attributes":{"id":{"S":"b"},"v":{"N":"2"}}})");
  auto r = bags.update(b, {delete_from(&Bag::tags, std::set<std::string>{"x"})},
                       {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_NE(f.body(0).find(R"("ReturnValues":"ALL_NEW")"), std::string::npos) << f.body(0);
  EXPECT_TRUE(b.tags.empty());
  // A top-level SET and REMOVE keep UPDATED_NEW.
  b.note = "n";
  f.transport->push(200, R"({"Attributes":{"meta":{"M":{"a":{"S":"1"}}},"v":{"N":"3"}}})");
  r = bags.update(
      b,
      {remove(&Bag::note), set(field(&Bag::meta), std::map<std::string, std::string>{{"a", "1"}})},
      {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_NE(f.body(1).find(R"("ReturnValues":"UPDATED_NEW")"), std::string::npos) << f.body(1);
  EXPECT_FALSE(b.note.has_value());
  EXPECT_EQ(b.version, 3);
}

// ---- set() of a value save() leaves out ----

TEST_F(OrmTable, SetOfAnEmptyOptionalOrSetIsARemove) {
  Table<Bag> bags(*f.client);
  Bag b{"b", {}, {"x"}, "n", 1};
  f.transport->push(200, R"({"Attributes":{"id":{"S":"b"},"v":{"N":"2"}}})");
  auto r =
      bags.update(b, {set(&Bag::note, std::nullopt), set(&Bag::tags, std::set<std::string>{})});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(JsonEq(f.body(0), R"j({"TableName":"bags","Key":{"id":{"S":"b"}},
    "UpdateExpression":"SET #n0 = :v0 REMOVE #n1, #n2",
    "ConditionExpression":"#n0 = :v1",
    "ExpressionAttributeNames":{"#n0":"v","#n1":"note","#n2":"tags"},
    "ExpressionAttributeValues":{":v0":{"N":"2"},":v1":{"N":"1"}},
    "ReturnValues":"ALL_NEW"})j"));
  EXPECT_FALSE(b.note.has_value());
  EXPECT_TRUE(b.tags.empty());
}

// ---- Versions that would not fit ----

TEST_F(OrmTable, VersionThatWouldOverflowItsTypeIsRefusedBeforeSending) {
  Table<Tiny> tiny(*f.client);
  Tiny t{"t", "b", 127};
  auto saved = tiny.save(t);
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(saved.error().message.find("int8"), std::string::npos) << saved.error().message;
  auto updated = tiny.update(t, {set(&Tiny::body, std::string("c"))});
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error().code, ErrorCode::invalid_argument);
  TransactWrite tx(*f.client);
  tx.put(tiny, t);
  auto executed = tx.execute();
  ASSERT_FALSE(executed);
  EXPECT_EQ(executed.error().code, ErrorCode::invalid_argument);
  BatchWrite batch(*f.client, {.ignore_version = true});
  batch.put(tiny, t);
  auto written = batch.execute();
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(f.transport->request_count(), 0u);
  EXPECT_EQ(t.version, 127);

  // One below the limit is fine, and the object holds the limit afterwards.
  t.version = 126;
  f.transport->push(200, "{}");
  ASSERT_TRUE(tiny.save(t));
  EXPECT_EQ(t.version, 127);
  EXPECT_NE(f.body(0).find(R"({"N":"127"})"), std::string::npos) << f.body(0);

  Table<TinyOpt> tiny_opt(*f.client);
  TinyOpt o{"o", std::uint8_t{255}};
  auto refused = tiny_opt.save(o);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(o.version, std::uint8_t{255});

  // A uint64 version beyond int64 cannot be incremented either.
  Table<Huge> huge(*f.client);
  Huge h{"h", static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())};
  auto big = huge.save(h);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(f.transport->request_count(), 1u);
}

// ---- Writes applied whose answer does not decode ----

void expect_write_applied(const Result<WriteResult<Doc>>& r, const std::string& bad_value) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  EXPECT_EQ(r.error().message.rfind("the write was applied, but ", 0), 0u) << r.error().message;
  EXPECT_NE(r.error().message.find("docs"), std::string::npos) << r.error().message;
  const auto* d = r.error().detail<WriteAppliedDetail>();
  ASSERT_NE(d, nullptr);
  ASSERT_TRUE(d->attributes.count("score"));
  EXPECT_EQ(d->attributes.at("score"), AttributeValue(bad_value));
}

TEST_F(OrmTable, UpdateAppliedButAnswerNotDecodedIsUnambiguous) {
  Doc d = a_doc(2);
  f.transport->push(200, R"({"Attributes":{"id":{"S":"a"},"n":{"N":"1"},"owner":{"S":"ann"},)"
                         R"("title":{"S":"t"},"score":{"S":"seven"},"v":{"N":"3"}}})");
  auto r = docs.update(d, {add(&Doc::score, 1)});
  expect_write_applied(r, "seven");
  EXPECT_EQ(d.version, 3);  // the write happened: the object holds the new version
  EXPECT_EQ(d.score, 7);

  // UPDATED_NEW merged into the object, unchecked: the version comes from
  // the answer.
  f.transport->push(200, R"({"Attributes":{"score":{"S":"seven"},"v":{"N":"9"}}})");
  r = docs.update(d, {add(&Doc::score, 1)},
                  {.return_values = aws::ReturnValues::updated_new, .check_version = false});
  expect_write_applied(r, "seven");
  EXPECT_EQ(d.version, 9);

  // update_by_key ALL_NEW.
  f.transport->push(200, R"({"Attributes":{"id":{"S":"a"},"n":{"N":"1"},"score":{"S":"seven"}}})");
  r = docs.update_by_key(docs.key_of(d).value(), {add(&Doc::score, 1)});
  expect_write_applied(r, "seven");
}

TEST_F(OrmTable, SaveAndRemoveAppliedButOldItemNotDecodedIsUnambiguous) {
  Doc d = a_doc(4);
  f.transport->push(200, R"({"Attributes":{"id":{"S":"a"},"n":{"N":"1"},"score":{"S":"x"}}})");
  auto saved = docs.save(d, {.return_old = true});
  expect_write_applied(saved, "x");
  EXPECT_EQ(d.version, 5);

  f.transport->push(200, R"({"Attributes":{"id":{"S":"a"},"n":{"N":"1"},"score":{"S":"y"}}})");
  auto removed = docs.remove(d, {.return_old = true});
  expect_write_applied(removed, "y");
}

}  // namespace
}  // namespace dynamate
