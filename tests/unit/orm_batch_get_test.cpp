// BatchGet against FakeTransport + FakeClock: chunking into BatchGetItem
// requests of 100, results in the order the keys were added with absent keys
// left out, typed keys over two tables, duplicate keys read once, per-table
// ConsistentRead, retries of unprocessed keys with back-off, leftovers, and
// errors that keep every key not read.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "dynamate/decimal.hpp"
#include "orm_batch_fixture.hpp"

namespace orm_batch_get_test {
// Keyed by a number of any spelling.
struct Meter {
  dynamate::Decimal id;
  std::string note;
};
}  // namespace orm_batch_get_test

template <>
inline constexpr auto dynamate::schema_of<orm_batch_get_test::Meter> =
    dynamate::schema<orm_batch_get_test::Meter>(
        "meters", dynamate::hash_key("id", &orm_batch_get_test::Meter::id),
        dynamate::attribute("note", &orm_batch_get_test::Meter::note));

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using namespace batch_test;
using orm_batch_test::Page;
using orm_batch_test::User;
using test::ddb_error;
using test::DynamoDbFixture;
using test::JsonEq;

TEST(BatchGet, Chunks250KeysInto3RequestsAndKeepsTheOrderAdded) {
  DynamoDbFixture f;
  // Odd-numbered pages do not exist.
  answer_gets(
      f, [](const std::string& id) { return (std::stoi(id.substr(1)) % 2) == 0; }, kNone);
  Table<Page> pages(*f);
  BatchGet g(*f);
  std::vector<AttributeMap> keys;
  for (int i = 249; i >= 0; --i)
    keys.push_back(detail::make_key<Page>("p" + std::to_string(i)).value());
  g.add_keys(pages, keys);
  auto report = g.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->requests, 3u);
  EXPECT_EQ(report->read, 250u);
  EXPECT_EQ(report->found, 125u);
  ASSERT_EQ(f.transport->request_count(), 3u);
  EXPECT_EQ(get_keys(f.body(0)).size(), 100u);
  EXPECT_EQ(get_keys(f.body(1)).size(), 100u);
  EXPECT_EQ(get_keys(f.body(2)).size(), 50u);
  EXPECT_EQ(f.target(0), "DynamoDB_20120810.BatchGetItem");

  auto got = g.items(pages);
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_EQ(got->size(), 125u);
  EXPECT_EQ(got->front().url, "p248");  // the order the keys were added
  EXPECT_EQ(got->back().url, "p0");
  EXPECT_EQ(got->front().html, "<p>p248</p>");
  auto found = g.find(pages, detail::make_key<Page>("p10").value());
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->url, "p10");
  auto missing = g.find(pages, detail::make_key<Page>("p11").value());
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST(BatchGet, TypedKeysTwoTablesDuplicatesAndConsistentRead) {
  DynamoDbFixture f;
  answer_gets(
      f, [](const std::string&) { return true; }, kNone);
  Table<Page> pages(*f, {.consistent_read = true});
  Table<User> users(*f);
  BatchGet g(*f);
  g.add(pages, "a").add(pages, "b").add(pages, "a");  // "a" twice: read once
  g.add(users, "u", 1).add(users, "u", 2);
  ASSERT_TRUE(g.execute());
  std::map<std::string, bool> consistent;
  auto keys = get_keys(f.body(0), &consistent);
  EXPECT_EQ(keys.size(), 4u);
  EXPECT_TRUE(consistent["pages"]);
  EXPECT_FALSE(consistent["users"]);
  auto got = g.items(users);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].n, 1);
  EXPECT_EQ((*got)[1].n, 2);
  EXPECT_EQ(g.raw_items("pages").size(), 2u);
  EXPECT_TRUE(g.raw_items("nothing").empty());
}

TEST(BatchGet, RetriesUnprocessedKeysThenReportsLeftovers) {
  DynamoDbFixture f;
  // "k1" is never processed; "k2" only on the third call.
  answer_gets(
      f, [](const std::string&) { return true; },
      [](int call, const std::vector<Sent>& keys) {
        std::vector<Sent> left;
        for (const auto& k : keys) {
          if (k.id == "k1" || (k.id == "k2" && call < 2)) left.push_back(k);
        }
        return left;
      });
  Table<Page> pages(*f);
  BatchGet g(*f, {.max_attempts = 4, .base_delay = 20ms, .jitter = false});
  g.add(pages, "k0").add(pages, "k1").add(pages, "k2");
  auto report = g.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->requests, 4u);
  EXPECT_EQ(report->read, 2u);
  EXPECT_EQ(report->found, 2u);
  auto left = report->unprocessed_keys(pages);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], detail::make_key<Page>("k1").value());
  EXPECT_EQ(sleeps_ms(f), (std::vector<std::chrono::milliseconds>{20ms, 40ms, 80ms}));
  auto got = g.items(pages);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].url, "k0");
  EXPECT_EQ((*got)[1].url, "k2");
}

TEST(BatchGet, NothingReadIsThrottledAndAnErrorKeepsTheKeys) {
  DynamoDbFixture f;
  answer_gets(
      f, [](const std::string&) { return true; },
      [](int, const std::vector<Sent>& keys) { return keys; });
  Table<Page> pages(*f);
  BatchGet g(*f, {.max_attempts = 2});
  g.add(pages, "a");
  auto r = g.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::throttled);
  ASSERT_NE(r.error().detail<BatchGetErrorDetail>(), nullptr);
  EXPECT_EQ(r.error().detail<BatchGetErrorDetail>()->report.unprocessed.size(), 1u);

  DynamoDbFixture e;
  e.transport->push(400, ddb_error("ResourceNotFoundException", "no table"));
  BatchGet h(*e);
  for (int i = 0; i < 150; ++i) h.add(pages, "p" + std::to_string(i));
  auto failed = h.execute();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::not_found);
  const auto* d = failed.error().detail<BatchGetErrorDetail>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->report.unprocessed.size(), 150u);
  EXPECT_EQ(d->report.unprocessed.keys.at("pages").keys.front(),
            detail::make_key<Page>("p0").value());
  BatchGet again(*e);
  again.add(d->report.unprocessed);
  EXPECT_EQ(again.size(), 150u);
}

TEST(BatchGet, NumberKeysMatchTheNormalizedNumbersDynamoDbReturns) {
  DynamoDbFixture f;
  using orm_batch_get_test::Meter;
  const auto key = [](const char* text) {
    return AttributeMap{{"id", AttributeValue(Number{text})}};
  };
  // DynamoDB answers every number in its own normal form; "2.50" is left
  // unprocessed once.
  f.transport->push(200, R"({"Responses":{"meters":[
      {"id":{"N":"10000000000000000000000"},"note":{"S":"a"}},
      {"id":{"N":"15000000000000000000000000000000000000000"},"note":{"S":"b"}},
      {"id":{"N":"7"},"note":{"S":"c"}},
      {"id":{"N":"1"},"note":{"S":"d"}}]},
    "UnprocessedKeys":{"meters":{"Keys":[{"id":{"N":"2.5"}}]}}})");
  f.transport->push(200, R"({"Responses":{"meters":[{"id":{"N":"2.5"},"note":{"S":"e"}}]}})");
  Table<Meter> meters(*f);
  BatchGet g(*f, {.jitter = false});
  g.add(meters, key("1e+22")).add(meters, key("1.5E+40")).add(meters, key("007"));
  g.add(meters, key("1.0")).add(meters, key("1")).add(meters, key("2.50"));  // "1": the same key
  EXPECT_EQ(g.size(), 5u);
  auto report = g.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->requests, 2u);
  EXPECT_EQ(report->read, 5u);
  EXPECT_EQ(report->found, 5u);
  EXPECT_TRUE(report->complete());
  // The retry sent only the unprocessed key, as it was added.
  EXPECT_TRUE(JsonEq(f.body(1), R"({"RequestItems":{"meters":{"Keys":[{"id":{"N":"2.50"}}]}}})"));
  auto got = g.items(meters);
  ASSERT_TRUE(got) << got.error().to_string();
  std::vector<std::string> notes;
  for (const auto& m : *got) notes.push_back(m.note);
  EXPECT_EQ(notes, (std::vector<std::string>{"a", "b", "c", "d", "e"}));  // the order added
  const AttributeMap* found = g.raw_find("meters", key("1.50E+40"));
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->at("note"), AttributeValue("b"));
  EXPECT_EQ(g.raw_items("meters").size(), 5u);
}

}  // namespace
}  // namespace dynamate
