// BatchWrite and BatchGet end to end against DynamoDB Local: puts and
// deletes of two models over two tables, more than 100 items each way (so
// several BatchWriteItem and BatchGetItem calls), absent keys, unconditional
// writes of a versioned model with ignore_version, and a request DynamoDB
// itself rejects keeping every write. Every test deletes the tables it created.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dynamate/batch.hpp"
#include "support/local_aws.hpp"

namespace orm_batch_it {

struct Page {
  std::string url;
  std::string html;
  std::set<std::string> tags;
  std::int64_t visits = 0;
};

struct Event {
  std::string stream;
  std::int64_t seq = 0;
  std::string payload;
  std::int64_t version = 0;
};

}  // namespace orm_batch_it

template <>
inline constexpr auto dynamate::schema_of<orm_batch_it::Page> =
    dynamate::schema<orm_batch_it::Page>("pages",
                                         dynamate::hash_key("url", &orm_batch_it::Page::url),
                                         dynamate::attribute("html", &orm_batch_it::Page::html),
                                         dynamate::attribute("tags", &orm_batch_it::Page::tags),
                                         dynamate::attribute("visits",
                                                             &orm_batch_it::Page::visits));

template <>
inline constexpr auto dynamate::schema_of<orm_batch_it::Event> =
    dynamate::schema<orm_batch_it::Event>(
        "events", dynamate::hash_key("stream", &orm_batch_it::Event::stream),
        dynamate::range_key("seq", &orm_batch_it::Event::seq),
        dynamate::attribute("payload", &orm_batch_it::Event::payload),
        dynamate::version("version", &orm_batch_it::Event::version));

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using orm_batch_it::Event;
using orm_batch_it::Page;

class OrmBatchLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pages_.create_table({.timeout = 60s}));
    ASSERT_TRUE(events_.create_table({.timeout = 60s}));
  }
  void TearDown() override {
    auto a = pages_.delete_table({.timeout = 60s, .ignore_missing = true});
    EXPECT_TRUE(a) << a.error().to_string();
    auto b = events_.delete_table({.timeout = 60s, .ignore_missing = true});
    EXPECT_TRUE(b) << b.error().to_string();
  }

  aws::DynamoDbClient client_ = aws::DynamoDbClient::create(test::dynamodb_config()).value();
  Table<Page> pages_{client_, {.table_name = test::unique_name("dynamate-batch-pages")}};
  Table<Event> events_{client_, {.table_name = test::unique_name("dynamate-batch-events")}};
};

Page page(int i) {
  return {"https://example.com/" + std::to_string(i),
          std::string(200, static_cast<char>('a' + (i % 26))),
          {"t" + std::to_string(i % 3)},
          i};
}

TEST_F(OrmBatchLocal, WriteAndGetManyItemsOfTwoModelsOverTwoTables) {
  BatchWrite w(client_, {.ignore_version = true});
  std::vector<Page> written_pages;
  for (int i = 0; i < 130; ++i) written_pages.push_back(page(i));
  std::vector<Event> written_events;
  for (int i = 0; i < 110; ++i) {
    written_events.push_back({"s" + std::to_string(i % 4), i, "payload " + std::to_string(i), 0});
  }
  for (const auto& p : written_pages) w.put(pages_, p);
  for (auto& e : written_events) w.put(events_, e);
  auto report = w.execute();
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_TRUE(report->complete());
  EXPECT_EQ(report->written, 240u);
  EXPECT_GE(report->requests, 10u);  // 240 / 25, more if DynamoDB left some unprocessed
  for (const auto& e : written_events) EXPECT_EQ(e.version, 1);

  BatchGet g(client_, {.consistent_read = true});
  for (int i = 129; i >= 0; --i) g.add(pages_, "https://example.com/" + std::to_string(i));
  g.add(pages_, "https://example.com/absent");
  for (const auto& e : written_events) g.add(events_, e.stream, e.seq);
  g.add(events_, "s0", 9999);
  auto got = g.execute();
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_TRUE(got->complete());
  EXPECT_EQ(got->read, 242u);
  EXPECT_EQ(got->found, 240u);
  EXPECT_GE(got->requests, 3u);

  auto read_pages = g.items(pages_);
  ASSERT_TRUE(read_pages) << read_pages.error().to_string();
  ASSERT_EQ(read_pages->size(), 130u);
  for (int i = 0; i < 130; ++i) {
    const Page& p = (*read_pages)[static_cast<std::size_t>(129 - i)];  // the order added
    EXPECT_EQ(p.url, written_pages[static_cast<std::size_t>(i)].url);
    EXPECT_EQ(p.html, written_pages[static_cast<std::size_t>(i)].html);
    EXPECT_EQ(p.tags, written_pages[static_cast<std::size_t>(i)].tags);
    EXPECT_EQ(p.visits, i);
  }
  auto read_events = g.items(events_);
  ASSERT_TRUE(read_events);
  ASSERT_EQ(read_events->size(), 110u);
  for (std::size_t i = 0; i < 110; ++i) {
    EXPECT_EQ((*read_events)[i].payload, written_events[i].payload);
    EXPECT_EQ((*read_events)[i].version, 1);
  }
  auto absent = g.find(pages_, detail::make_key<Page>("https://example.com/absent").value());
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->has_value());

  // Delete 100 pages by key and all events by object (ignore_version).
  BatchWrite d(client_, {.ignore_version = true});
  for (int i = 0; i < 100; ++i) {
    d.remove(pages_, detail::make_key<Page>("https://example.com/" + std::to_string(i)).value());
  }
  for (const auto& e : written_events) d.remove(events_, e);
  auto removed = d.execute();
  ASSERT_TRUE(removed) << removed.error().to_string();
  EXPECT_EQ(removed->written, 210u);
  auto left = pages_.count(ScanOptions{.consistent_read = true});
  ASSERT_TRUE(left) << left.error().to_string();
  EXPECT_EQ(*left, 30);
  auto no_events = events_.count(ScanOptions{.consistent_read = true});
  ASSERT_TRUE(no_events);
  EXPECT_EQ(*no_events, 0);
}

TEST_F(OrmBatchLocal, VersionedPutsAreUnconditionalOnlyWhenAskedFor) {
  Event e{"s", 1, "first", 0};
  BatchWrite refused(client_);
  refused.put(events_, e);
  auto r = refused.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);

  BatchWrite w(client_, {.ignore_version = true});
  w.put(events_, e);
  ASSERT_TRUE(w.execute());
  EXPECT_EQ(e.version, 1);
  auto stored = events_.get("s", 1, {.consistent_read = true});
  ASSERT_TRUE(stored) << stored.error().to_string();
  EXPECT_EQ(stored->version, 1);
  // A stale copy written by a batch wins (no check), and moves the version on.
  Event stale{"s", 1, "stale", 0};
  BatchWrite again(client_, {.ignore_version = true});
  again.put(events_, stale);
  ASSERT_TRUE(again.execute());
  stored = events_.get("s", 1, {.consistent_read = true});
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->payload, "stale");
  EXPECT_EQ(stored->version, 1);
}

TEST_F(OrmBatchLocal, ARejectedRequestKeepsEveryWrite) {
  // The second table does not exist: DynamoDB rejects the whole request.
  Table<Page> missing(client_, {.table_name = test::unique_name("dynamate-batch-missing")});
  BatchWrite w(client_);
  for (int i = 0; i < 30; ++i) w.put(pages_, page(i));
  w.put(missing, page(0));
  auto r = w.execute();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found) << r.error().to_string();
  const auto* d = r.error().detail<BatchWriteErrorDetail>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->report.written + d->report.unprocessed.size(), 31u);
  auto left_pages = d->report.unprocessed_puts(pages_);
  ASSERT_TRUE(left_pages);
  auto left_missing = d->report.unprocessed_puts(missing);
  ASSERT_TRUE(left_missing);
  EXPECT_EQ(left_missing->size(), 1u);

  // Resubmit what is left without the missing table.
  BatchWrite retry(client_);
  for (const auto& p : *left_pages) retry.put(pages_, p);
  auto done = retry.execute();
  ASSERT_TRUE(done) << done.error().to_string();
  auto count = pages_.count(ScanOptions{.consistent_read = true});
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 30);
}

}  // namespace
}  // namespace dynamate
