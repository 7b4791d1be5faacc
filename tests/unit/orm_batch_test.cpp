// BatchWrite against FakeTransport + FakeClock: chunking into BatchWriteItem
// requests of 25 over several tables, retries of unprocessed writes with
// exponential back-off on the fake clock (growing, capped, with and without
// jitter), topping up with unsent writes, leftovers after max_attempts, an
// error in the middle of a batch keeping every write not applied, duplicate
// keys, versioned models and items over 400 KB refused before sending.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "orm_batch_fixture.hpp"

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using namespace batch_test;
using orm_batch_test::Page;
using orm_batch_test::User;
using test::ddb_error;
using test::DynamoDbFixture;
using test::JsonEq;

TEST(BatchWrite, ChunksPutsAndDeletesOverTablesInto25PerRequest) {
  DynamoDbFixture f;
  answer_writes(f, kNone);
  Table<Page> pages(*f);
  Table<User> users(*f, {.name_prefix = "dev-"});
  BatchWrite w(*f, {.ignore_version = true});
  auto many = pages_named("p", 240);
  for (auto& p : many) w.put(pages, p);
  std::vector<User> people;
  for (int i = 0; i < 10; ++i) people.push_back({"u", i, "name", 0});
  for (auto& u : people) w.put(users, u);
  for (int i = 0; i < 10; ++i)
    w.remove(pages, detail::make_key<Page>("gone" + std::to_string(i)).value());
  EXPECT_EQ(w.size(), 260u);

  auto report = w.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->requests, 11u);
  EXPECT_EQ(report->written, 260u);
  EXPECT_TRUE(report->complete());
  EXPECT_EQ(w.size(), 0u);  // consumed
  ASSERT_EQ(f.transport->request_count(), 11u);
  std::size_t total = 0;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < 11; ++i) {
    EXPECT_EQ(f.target(i), "DynamoDB_20120810.BatchWriteItem");
    auto sent = write_entries(f.body(i));
    EXPECT_LE(sent.size(), 25u);
    total += sent.size();
    for (const auto& s : sent) ids.insert(s.table + "/" + s.id);
  }
  EXPECT_EQ(total, 260u);
  EXPECT_EQ(ids.size(), 251u);  // ten users share the hash key "u"
  EXPECT_TRUE(ids.count("dev-users/u"));
  EXPECT_TRUE(f.clock->sleeps().empty());
  for (const auto& u : people) EXPECT_EQ(u.version, 1);  // applied, so updated
}

TEST(BatchWrite, RequestShapeOfPutsAndDeletes) {
  DynamoDbFixture f;
  answer_writes(f, kNone);
  Table<Page> pages(*f);
  const Page p{"https://a", "<b>", 3};
  BatchWrite w(*f);
  w.put(pages, p).remove(pages, Page{"https://b", "", 0});
  ASSERT_TRUE(w.execute());
  EXPECT_TRUE(JsonEq(f.body(0), R"({"RequestItems":{"pages":[
      {"PutRequest":{"Item":{"url":{"S":"https://a"},"html":{"S":"<b>"},"visits":{"N":"3"}}}},
      {"DeleteRequest":{"Key":{"url":{"S":"https://b"}}}}]}})"));
}

TEST(BatchWrite, EmptyBatchSendsNothing) {
  DynamoDbFixture f;
  BatchWrite w(*f);
  auto report = w.execute();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->requests, 0u);
  EXPECT_EQ(f.transport->request_count(), 0u);
}

TEST(BatchWrite, RetriesUnprocessedWithGrowingCappedBackoff) {
  DynamoDbFixture f;
  // The first five answers return everything unprocessed.
  answer_writes(f, [](int call, const std::vector<Sent>& sent) {
    return call < 5 ? sent : std::vector<Sent>{};
  });
  Table<Page> pages(*f);
  BatchWrite w(*f, {.max_attempts = 8, .base_delay = 50ms, .max_delay = 300ms, .jitter = false});
  for (auto& p : pages_named("p", 10)) w.put(pages, p);
  auto report = w.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->requests, 6u);
  EXPECT_EQ(report->written, 10u);
  EXPECT_TRUE(report->complete());
  EXPECT_EQ(sleeps_ms(f),
            (std::vector<std::chrono::milliseconds>{50ms, 100ms, 200ms, 300ms, 300ms}));
  EXPECT_EQ(write_entries(f.body(5)).size(), 10u);
}

TEST(BatchWrite, JitteredBackoffStaysBelowTheGrowingBound) {
  DynamoDbFixture f;
  answer_writes(f, [](int call, const std::vector<Sent>& sent) {
    return call < 7 ? sent : std::vector<Sent>{};
  });
  Table<Page> pages(*f);
  BatchWrite w(*f, {.max_attempts = 10, .base_delay = 40ms, .max_delay = 1s});
  for (auto& p : pages_named("p", 3)) w.put(pages, p);
  ASSERT_TRUE(w.execute());
  const auto sleeps = f.clock->sleeps();
  ASSERT_EQ(sleeps.size(), 7u);
  std::chrono::nanoseconds bound = 40ms;
  std::chrono::nanoseconds total{0};
  for (auto d : sleeps) {
    EXPECT_GE(d.count(), 0);
    EXPECT_LE(d, bound);
    total += d;
    bound = std::min<std::chrono::nanoseconds>(bound * 2, 1s);
  }
  EXPECT_LE(total, 40ms + 80ms + 160ms + 320ms + 640ms + 1s + 1s);
}

TEST(BatchWrite, UnprocessedAreToppedUpWithUnsentWrites) {
  DynamoDbFixture f;
  // p0 comes back unprocessed twice.
  answer_writes(f, [](int call, const std::vector<Sent>& sent) {
    std::vector<Sent> left;
    for (const auto& s : sent) {
      if (s.id == "p0" && call < 2) left.push_back(s);
    }
    return left;
  });
  Table<Page> pages(*f);
  BatchWrite w(*f, {.jitter = false});
  for (auto& p : pages_named("p", 30)) w.put(pages, p);
  auto report = w.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->written, 30u);
  ASSERT_EQ(f.transport->request_count(), 3u);
  auto second = write_entries(f.body(1));
  ASSERT_EQ(second.size(), 6u);  // p0 again, then p25..p29
  EXPECT_EQ(second[0].id, "p0");
  EXPECT_EQ(write_entries(f.body(2)).size(), 1u);
  EXPECT_EQ(sleeps_ms(f), (std::vector<std::chrono::milliseconds>{50ms, 100ms}));
}

TEST(BatchWrite, LeftoversReportedAfterMaxAttempts) {
  DynamoDbFixture f;
  answer_writes(f, [](int, const std::vector<Sent>& sent) {
    std::vector<Sent> left;
    for (const auto& s : sent) {
      if (s.id == "p0" || s.id == "p1") left.push_back(s);
    }
    return left;
  });
  Table<Page> pages(*f);
  BatchWrite w(*f, {.max_attempts = 3, .jitter = false});
  auto many = pages_named("p", 30);
  for (auto& p : many) w.put(pages, p);
  w.remove(pages, detail::make_key<Page>("zz").value());
  auto report = w.execute();
  ASSERT_TRUE(report) << report.error().to_string();  // partial progress: not an error
  EXPECT_FALSE(report->complete());
  EXPECT_EQ(report->written, 29u);
  EXPECT_EQ(report->requests, 3u);
  EXPECT_EQ(report->unprocessed.size(), 2u);
  auto puts = report->unprocessed_puts(pages);
  ASSERT_TRUE(puts);
  ASSERT_EQ(puts->size(), 2u);
  EXPECT_EQ((*puts)[0].url, "p0");
  EXPECT_EQ((*puts)[1].url, "p1");
  EXPECT_EQ((*puts)[1].visits, 1);
  EXPECT_TRUE(report->unprocessed_deletes(pages).empty());
  EXPECT_EQ(report->unprocessed.key_names.at("pages"), std::vector<std::string>{"url"});
  EXPECT_EQ(f.clock->sleeps().size(), 2u);

  // The leftovers go into a new batch as they are.
  DynamoDbFixture g;
  answer_writes(g, kNone);
  BatchWrite again(*g);
  again.add(report->unprocessed);
  EXPECT_EQ(again.size(), 2u);
  auto second = again.execute();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->written, 2u);
}

TEST(BatchWrite, NothingProcessedIsThrottledWithEveryWriteLeftOver) {
  DynamoDbFixture f;
  answer_writes(f, [](int, const std::vector<Sent>& sent) { return sent; });
  Table<Page> pages(*f);
  BatchWrite w(*f, {.max_attempts = 4, .base_delay = 10ms, .max_delay = 25ms, .jitter = false});
  for (auto& p : pages_named("p", 40)) w.put(pages, p);
  auto report = w.execute();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::throttled);
  const auto* d = report.error().detail<BatchWriteErrorDetail>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->report.written, 0u);
  EXPECT_EQ(d->report.requests, 4u);
  EXPECT_EQ(d->report.unprocessed.size(), 40u);  // 25 tried four times, 15 never sent
  EXPECT_EQ(sleeps_ms(f), (std::vector<std::chrono::milliseconds>{10ms, 20ms, 25ms}));
}

TEST(BatchWrite, ErrorMidwayKeepsEveryWriteNotApplied) {
  DynamoDbFixture f;
  Table<Page> pages(*f);
  f.transport->push(200, "{}");
  f.transport->push(400, ddb_error("ValidationException", "Item size has exceeded the limit"));
  BatchWrite w(*f);
  for (auto& p : pages_named("p", 60)) w.put(pages, p);
  auto report = w.execute();
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::validation);
  EXPECT_NE(report.error().message.find("BatchWriteItem #2"), std::string::npos)
      << report.error().message;
  EXPECT_NE(report.error().detail<DynamoDbErrorDetail>(), nullptr);  // still one
  const auto* d = report.error().detail<BatchWriteErrorDetail>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->report.written, 25u);
  EXPECT_EQ(d->report.requests, 2u);
  EXPECT_EQ(d->report.unprocessed.size(), 35u);  // the failed 25 and the 10 unsent
  auto left = d->report.unprocessed_puts(pages);
  ASSERT_TRUE(left);
  EXPECT_EQ(left->front().url, "p25");
  EXPECT_EQ(left->back().url, "p59");
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST(BatchWrite, DuplicateKeysAreRefusedBeforeSending) {
  DynamoDbFixture f;
  Table<Page> pages(*f);
  BatchWrite w(*f);
  w.put(pages, Page{"a", "", 0}).put(pages, Page{"b", "", 0});
  w.remove(pages, detail::make_key<Page>("a").value());
  auto r = w.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("two writes to key"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("#3"), std::string::npos) << r.error().message;
  EXPECT_EQ(f.transport->request_count(), 0u);
  // The same key in two tables is fine.
  answer_writes(f, kNone);
  Table<Page> other(*f, {.table_name = "other"});
  w.put(pages, Page{"a", "", 0}).put(other, Page{"a", "", 0});
  EXPECT_TRUE(w.execute());
}

TEST(BatchWrite, VersionedModelsNeedIgnoreVersion) {
  DynamoDbFixture f;
  Table<User> users(*f);
  User u{"u", 1, "ann", 4};
  BatchWrite refused(*f);
  refused.put(users, u);
  auto r = refused.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("ignore_version"), std::string::npos) << r.error().message;
  BatchWrite refused_remove(*f);
  refused_remove.remove(users, u);
  EXPECT_FALSE(refused_remove.execute());
  EXPECT_EQ(f.transport->request_count(), 0u);

  // Opted in: an unconditional write of version + 1; a key is always fine.
  answer_writes(f, [](int, const std::vector<Sent>& sent) {
    std::vector<Sent> left;
    for (const auto& s : sent) {
      if (s.json.find("bob") != std::string::npos) left.push_back(s);
    }
    return left;
  });
  User lost{"u", 2, "bob", 7};
  const User fixed{"u", 3, "cy", 1};
  BatchWrite w(*f, {.max_attempts = 1, .ignore_version = true});
  w.put(users, u).put(users, lost).put(users, fixed);
  w.remove(users, detail::make_key<User>("v", 9).value());
  auto report = w.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->written, 3u);
  EXPECT_EQ(u.version, 5);     // applied: the object follows
  EXPECT_EQ(lost.version, 7);  // left over: unchanged
  EXPECT_NE(f.body(0).find(R"("version":{"N":"5"})"), std::string::npos) << f.body(0);
  EXPECT_NE(f.body(0).find(R"("version":{"N":"2"})"), std::string::npos) << f.body(0);
  EXPECT_EQ(f.body(0).find("ConditionExpression"), std::string::npos);
}

TEST(BatchWrite, ItemsOver400KBAreRefusedBeforeSending) {
  DynamoDbFixture f;
  Table<Page> pages(*f);
  BatchWrite w(*f);
  w.put(pages, Page{"small", "x", 0});
  w.put(pages, Page{"big", std::string(kMaxItemBytes, 'x'), 0});
  auto r = w.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("#2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("big"), std::string::npos) << r.error().message;
  EXPECT_EQ(f.transport->request_count(), 0u);
}

TEST(BatchWrite, BadOptionsAreRefused) {
  DynamoDbFixture f;
  Table<Page> pages(*f);
  BatchWrite w(*f, {.max_attempts = 0});
  w.put(pages, Page{"a", "", 0});
  auto r = w.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  BatchGet g(*f, {.base_delay = -1ms});
  g.add(pages, "a");
  EXPECT_FALSE(g.execute());
  EXPECT_EQ(f.transport->request_count(), 0u);
}

}  // namespace
}  // namespace dynamate
