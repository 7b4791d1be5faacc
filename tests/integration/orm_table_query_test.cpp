// Table<T> queries and scans against DynamoDB Local: range-key conditions and
// descending order, pagination over many pages with a total limit and exact
// resumption from last_evaluated_key, filters, global and local index
// queries (KEYS_ONLY and INCLUDE projections decode into partial objects),
// scan segments, parallel_scan and count.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "dynamate/table.hpp"
#include "support/local_aws.hpp"

namespace orm_query_it {

struct Order {
  std::string customer;
  std::int64_t number = 0;
  std::string status;
  std::int64_t total = 0;
  std::string note;
  std::int64_t rank = 0;
};

}  // namespace orm_query_it

template <>
inline constexpr auto dynamate::schema_of<orm_query_it::Order> =
    dynamate::schema<orm_query_it::Order>(
        "orders", dynamate::hash_key("customer", &orm_query_it::Order::customer),
        dynamate::range_key("number", &orm_query_it::Order::number),
        dynamate::attribute("status", &orm_query_it::Order::status),
        dynamate::attribute("total", &orm_query_it::Order::total),
        dynamate::attribute("note", &orm_query_it::Order::note),
        dynamate::attribute("rank", &orm_query_it::Order::rank),
        dynamate::global_index("by-status", &orm_query_it::Order::status,
                               &orm_query_it::Order::total, dynamate::projection::keys_only()),
        dynamate::global_index("by-note", &orm_query_it::Order::note, nullptr,
                               dynamate::projection::include("total")),
        dynamate::local_index("by-rank", &orm_query_it::Order::rank));

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using orm_query_it::Order;

std::vector<std::int64_t> numbers(const std::vector<Order>& orders) {
  std::vector<std::int64_t> out;
  for (const auto& o : orders) out.push_back(o.number);
  return out;
}
std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {  // [from, to]
  std::vector<std::int64_t> out;
  for (std::int64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

class OrmQueryLocal : public ::testing::Test {
 protected:
  // 250 orders of "ada" (numbers 1..250) and 25 of "bob" (1..25): status
  // "shipped" for multiples of 5, total = 10 * number, note "n<number % 3>",
  // rank = 1000 - number.
  static void SetUpTestSuite() {
    client_ = new aws::DynamoDbClient(aws::DynamoDbClient::create(test::dynamodb_config()).value());
    table_ = new Table<Order>(*client_, {.table_name = test::unique_name("dynamate-orders")});
    auto created = table_->create_table({.timeout = 60s});
    ASSERT_TRUE(created) << created.error().to_string();
    for (const auto& [customer, count] : {std::pair<std::string, int>{"ada", 250}, {"bob", 25}}) {
      for (std::int64_t n = 1; n <= count; ++n) {
        Order o{customer, n, n % 5 == 0 ? "shipped" : "open", n * 10, "n" + std::to_string(n % 3),
                1000 - n};
        auto saved = table_->save(o);
        ASSERT_TRUE(saved) << saved.error().to_string();
      }
    }
  }
  static void TearDownTestSuite() {
    if (table_ != nullptr) {
      auto r = table_->delete_table({.timeout = 60s, .ignore_missing = true});
      EXPECT_TRUE(r) << r.error().to_string();
    }
    delete table_;
    delete client_;
    table_ = nullptr;
    client_ = nullptr;
  }

  const Table<Order>& t() const { return *table_; }

  static aws::DynamoDbClient* client_;
  static Table<Order>* table_;
};
aws::DynamoDbClient* OrmQueryLocal::client_ = nullptr;
Table<Order>* OrmQueryLocal::table_ = nullptr;

TEST_F(OrmQueryLocal, RangeConditionsAndOrder) {
  auto between =
      t().query("bob", {.range_key_condition = field(&Order::number).between(5, 9)}).all();
  ASSERT_TRUE(between) << between.error().to_string();
  EXPECT_EQ(numbers(*between), range(5, 9));

  auto desc =
      t().query("bob", {.range_key_condition = field(&Order::number) > 20, .scan_forward = false})
          .all();
  ASSERT_TRUE(desc) << desc.error().to_string();
  EXPECT_EQ(numbers(*desc), (std::vector<std::int64_t>{25, 24, 23, 22, 21}));

  auto le = t().query("bob", {.range_key_condition = field(&Order::number) <= 3}).all();
  ASSERT_TRUE(le);
  EXPECT_EQ(numbers(*le), range(1, 3));
  EXPECT_EQ((*le)[2].total, 30);
  EXPECT_EQ((*le)[2].note, "n0");

  auto none = t().query("nobody").all();
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(OrmQueryLocal, PagesWithTotalLimitAndExactResume) {
  // Everything, 7 per request.
  auto pager = t().query("ada", {.page_size = 7});
  auto all = pager.all();
  ASSERT_TRUE(all) << all.error().to_string();
  EXPECT_EQ(numbers(*all), range(1, 250));
  EXPECT_EQ(pager.scanned_count(), 250);
  EXPECT_FALSE(pager.last_evaluated_key());

  // A limit across pages (100 = 14 pages of 7 + 2), then the exact remainder.
  auto first = t().query("ada", {.limit = 100, .page_size = 7});
  auto head = first.all();
  ASSERT_TRUE(head) << head.error().to_string();
  EXPECT_EQ(numbers(*head), range(1, 100));
  auto resume = first.last_evaluated_key();
  ASSERT_TRUE(resume);
  auto rest = t().query("ada", {.page_size = 7, .exclusive_start_key = resume}).all();
  ASSERT_TRUE(rest) << rest.error().to_string();
  EXPECT_EQ(numbers(*rest), range(101, 250));

  // Stopping the iteration inside a page: the key is that of the last item
  // handed out.
  auto partial = t().query("ada", {.page_size = 7});
  std::vector<std::int64_t> seen;
  for (auto& r : partial) {
    ASSERT_TRUE(r) << r.error().to_string();
    seen.push_back(r->number);
    if (seen.size() == 17) break;
  }
  auto after =
      t().query("ada", {.limit = 5, .exclusive_start_key = partial.last_evaluated_key()}).all();
  ASSERT_TRUE(after) << after.error().to_string();
  EXPECT_EQ(numbers(*after), range(18, 22));

  // Walking in chunks of 30 with resumes covers everything exactly once.
  std::vector<std::int64_t> chunks;
  std::optional<AttributeMap> start;
  int runs = 0;
  do {
    auto p = t().query("ada", {.limit = 30, .page_size = 7, .exclusive_start_key = start});
    auto part = p.all();
    ASSERT_TRUE(part) << part.error().to_string();
    for (const auto& o : *part) chunks.push_back(o.number);
    start = p.last_evaluated_key();
    ++runs;
  } while (start && runs < 20);
  EXPECT_EQ(chunks, range(1, 250));

  // Page by page.
  auto pages = t().query("bob", {.page_size = 10});
  std::vector<std::size_t> sizes;
  for (;;) {
    auto more = pages.next_page();
    ASSERT_TRUE(more) << more.error().to_string();
    if (!*more) break;
    sizes.push_back(pages.page_items().size());
  }
  ASSERT_GE(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], 10u);
  EXPECT_EQ(sizes[1], 10u);
  EXPECT_EQ(sizes[2], 5u);
}

TEST_F(OrmQueryLocal, FilterAndCount) {
  auto shipped =
      t().query("ada", {.filter = field(&Order::status) == "shipped", .page_size = 9}).all();
  ASSERT_TRUE(shipped) << shipped.error().to_string();
  ASSERT_EQ(shipped->size(), 50u);
  for (const auto& o : *shipped) EXPECT_EQ(o.number % 5, 0);

  // A limit with a filter counts the items returned, not evaluated.
  auto limited =
      t().query("ada", {.filter = field(&Order::status) == "shipped", .limit = 12, .page_size = 9});
  auto twelve = limited.all();
  ASSERT_TRUE(twelve) << twelve.error().to_string();
  EXPECT_EQ(numbers(*twelve).back(), 60);
  ASSERT_EQ(twelve->size(), 12u);
  auto rest = t().query("ada", {.filter = field(&Order::status) == "shipped",
                                .exclusive_start_key = limited.last_evaluated_key()})
                  .all();
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->size(), 38u);
  EXPECT_EQ(rest->front().number, 65);

  auto n = t().count("ada");
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 250);
  n = t().count("ada", {.filter = field(&Order::total) > 2000, .page_size = 13});
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 50);  // 201..250
  n = t().count("ada", {.range_key_condition = field(&Order::number) < 11, .limit = 4});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 4);
  n = t().count(ScanOptions{});
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 275);
  n = t().count(ScanOptions{.filter = field(&Order::customer) == "bob", .page_size = 50});
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 25);
}

TEST_F(OrmQueryLocal, GlobalIndexQueriesDecodePartialItems) {
  // KEYS_ONLY: the table and index keys; the rest keep their defaults.
  auto shipped = t().query(AttributeValue("shipped"),
                           {.range_key_condition = attr("total") >= AttributeValue::number(2400),
                            .index_name = "by-status"})
                     .all();
  ASSERT_TRUE(shipped) << shipped.error().to_string();
  ASSERT_EQ(shipped->size(), 3u);  // ada 240, 245, 250
  for (const auto& o : *shipped) {
    EXPECT_EQ(o.customer, "ada");
    EXPECT_EQ(o.status, "shipped");
    EXPECT_EQ(o.total, o.number * 10);
    EXPECT_EQ(o.note, "");
    EXPECT_EQ(o.rank, 0);
  }

  // INCLUDE total: keys plus total; resumable inside a page with the index
  // keys in the resume key.
  auto pager = t().query(AttributeValue("n1"), {.index_name = "by-note", .page_size = 6});
  std::set<std::pair<std::string, std::int64_t>> seen;
  int taken = 0;
  for (auto& r : pager) {
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(r->note, "n1");
    EXPECT_EQ(r->total, r->number * 10);
    EXPECT_EQ(r->status, "");
    seen.insert({r->customer, r->number});
    if (++taken == 10) break;
  }
  auto key = pager.last_evaluated_key();
  ASSERT_TRUE(key);
  EXPECT_EQ(key->count("note"), 1u);
  EXPECT_EQ(key->count("customer"), 1u);
  EXPECT_EQ(key->count("number"), 1u);
  auto rest =
      t().query(AttributeValue("n1"), {.index_name = "by-note", .exclusive_start_key = key}).all();
  ASSERT_TRUE(rest) << rest.error().to_string();
  for (const auto& o : *rest) EXPECT_TRUE(seen.insert({o.customer, o.number}).second);
  // n % 3 == 1: 84 of ada (1..250), 9 of bob (1..25).
  EXPECT_EQ(seen.size(), 93u);
  auto counted = t().count(AttributeValue("n1"), {.index_name = "by-note"});
  ASSERT_TRUE(counted);
  EXPECT_EQ(*counted, 93);
}

TEST_F(OrmQueryLocal, LocalIndexQuery) {
  // rank = 1000 - number: ascending rank is descending number.
  auto r = t().query("bob", {.range_key_condition = field(&Order::rank) <= 980,
                             .index_name = "by-rank",
                             .consistent_read = true})
               .all();
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(numbers(*r), (std::vector<std::int64_t>{25, 24, 23, 22, 21, 20}));
  EXPECT_EQ((*r)[0].status, "shipped");  // projection ALL
}

TEST_F(OrmQueryLocal, UnknownIndexIsInvalidArgument) {
  auto r = t().query("ada", {.index_name = "by-nothing"}).all();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

TEST_F(OrmQueryLocal, ScanSegmentsCoverTheTableOnce) {
  std::multiset<std::string> keys;
  for (int s = 0; s < 4; ++s) {
    auto part = t().scan({.page_size = 25, .segment = s, .total_segments = 4}).all();
    ASSERT_TRUE(part) << part.error().to_string();
    for (const auto& o : *part) keys.insert(o.customer + "/" + std::to_string(o.number));
  }
  EXPECT_EQ(keys.size(), 275u);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()).size(), 275u);

  auto filtered =
      t().scan({.filter = field(&Order::customer) == "bob" && field(&Order::number) > 20}).all();
  ASSERT_TRUE(filtered) << filtered.error().to_string();
  EXPECT_EQ(filtered->size(), 5u);

  // A scan limited to 40, resumed: 235 more, no duplicates.
  auto first = t().scan({.limit = 40, .page_size = 15});
  auto head = first.all();
  ASSERT_TRUE(head);
  ASSERT_EQ(head->size(), 40u);
  auto rest = t().scan({.exclusive_start_key = first.last_evaluated_key()}).all();
  ASSERT_TRUE(rest);
  std::set<std::string> all;
  for (const auto& o : *head) all.insert(o.customer + "/" + std::to_string(o.number));
  for (const auto& o : *rest) all.insert(o.customer + "/" + std::to_string(o.number));
  EXPECT_EQ(head->size() + rest->size(), 275u);
  EXPECT_EQ(all.size(), 275u);
}

TEST_F(OrmQueryLocal, ParallelScan) {
  std::mutex mu;
  std::set<std::string> keys;
  std::atomic<std::int64_t> total{0};
  auto n = t().parallel_scan(
      4,
      [&](Order&& o) {
        total += o.total;
        std::lock_guard lock(mu);
        EXPECT_TRUE(keys.insert(o.customer + "/" + std::to_string(o.number)).second);
        return true;
      },
      {.page_size = 20});
  ASSERT_TRUE(n) << n.error().to_string();
  EXPECT_EQ(*n, 275);
  EXPECT_EQ(keys.size(), 275u);
  // 10 * (1 + ... + 250) + 10 * (1 + ... + 25)
  EXPECT_EQ(total.load(), 10 * (250 * 251 / 2) + 10 * (25 * 26 / 2));

  // Stopping early.
  std::atomic<int> calls{0};
  auto stopped = t().parallel_scan(3, [&](Order&&) { return ++calls < 10; });
  ASSERT_TRUE(stopped);
  EXPECT_GE(*stopped, 10);
  EXPECT_LT(*stopped, 275);

  // With a filter.
  auto bobs = t().parallel_scan(2, [](Order&& o) { return o.customer == "bob"; },
                                {.filter = field(&Order::customer) == "bob"});
  ASSERT_TRUE(bobs);
  EXPECT_EQ(*bobs, 25);
}

}  // namespace
}  // namespace dynamate
