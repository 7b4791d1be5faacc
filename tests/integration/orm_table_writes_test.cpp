// Table<T> writes in the corners against DynamoDB Local: sparse global and
// local indexes keyed on std::optional members (items without the attribute
// are not in the index), updates that UPDATED_NEW cannot describe (a nested
// REMOVE, a DELETE emptying a set) leaving the object equal to a fresh get,
// and set() of an empty optional or set removing the attribute.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamate/table.hpp"
#include "support/local_aws.hpp"

namespace orm_writes_it {

struct Task {
  std::string list;
  std::int64_t n = 0;
  std::optional<std::string> assignee;
  std::optional<std::int64_t> due;
};

struct Bag {
  std::string id;
  std::map<std::string, std::string> meta;
  std::set<std::string> tags;
  std::optional<std::string> note;
  std::int64_t count = 0;
  std::int64_t version = 0;
  friend bool operator==(const Bag&, const Bag&) = default;
};

}  // namespace orm_writes_it

template <>
inline constexpr auto dynamate::schema_of<orm_writes_it::Task> =
    dynamate::schema<orm_writes_it::Task>(
        "tasks", dynamate::hash_key("list", &orm_writes_it::Task::list),
        dynamate::range_key("n", &orm_writes_it::Task::n),
        dynamate::attribute("assignee", &orm_writes_it::Task::assignee),
        dynamate::attribute("due", &orm_writes_it::Task::due),
        dynamate::global_index("by-assignee", &orm_writes_it::Task::assignee),
        dynamate::local_index("by-due", &orm_writes_it::Task::due));

template <>
inline constexpr auto dynamate::schema_of<orm_writes_it::Bag> =
    dynamate::schema<orm_writes_it::Bag>("bags", dynamate::hash_key("id", &orm_writes_it::Bag::id),
                                         dynamate::attribute("meta", &orm_writes_it::Bag::meta),
                                         dynamate::attribute("tags", &orm_writes_it::Bag::tags),
                                         dynamate::attribute("note", &orm_writes_it::Bag::note),
                                         dynamate::attribute("count", &orm_writes_it::Bag::count),
                                         dynamate::version("version",
                                                           &orm_writes_it::Bag::version));

namespace dynamate {
namespace {

using namespace std::chrono_literals;
using orm_writes_it::Bag;
using orm_writes_it::Task;

class OrmWritesLocal : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& name : tasks_) {
      auto r = Table<Task>(client_, {.table_name = name})
                   .delete_table({.timeout = 60s, .ignore_missing = true});
      EXPECT_TRUE(r) << r.error().to_string();
    }
    for (const auto& name : bags_) {
      auto r = Table<Bag>(client_, {.table_name = name})
                   .delete_table({.timeout = 60s, .ignore_missing = true});
      EXPECT_TRUE(r) << r.error().to_string();
    }
  }

  template <class T>
  Table<T> make(std::vector<std::string>& created, const char* prefix) {
    Table<T> t(client_, {.table_name = test::unique_name(prefix)});
    created.push_back(t.name());
    auto d = t.create_table({.timeout = 60s});
    EXPECT_TRUE(d) << d.error().to_string();
    return t;
  }

  // The stored item, raw.
  template <class T>
  AttributeMap raw(const Table<T>& t, const T& item) {
    auto got = client_.get_item(
        {.table_name = t.name(), .key = t.key_of(item).value(), .consistent_read = true});
    EXPECT_TRUE(got) << got.error().to_string();
    return got && got->item ? *got->item : AttributeMap{};
  }

  aws::DynamoDbClient client_ = aws::DynamoDbClient::create(test::dynamodb_config()).value();
  std::vector<std::string> tasks_;
  std::vector<std::string> bags_;
};

std::vector<std::int64_t> numbers(const Result<std::vector<Task>>& tasks) {
  std::vector<std::int64_t> out;
  if (tasks) {
    for (const auto& t : *tasks) out.push_back(t.n);
  }
  return out;
}

TEST_F(OrmWritesLocal, SparseIndexesHoldOnlyItemsWithTheAttribute) {
  auto tasks = make<Task>(tasks_, "dynamate-sparse");
  std::vector<Task> all = {{"l", 1, "ann", 10},
                           {"l", 2, std::nullopt, 20},
                           {"l", 3, "ann", std::nullopt},
                           {"l", 4, "bob", 40},
                           {"l", 5, std::nullopt, std::nullopt}};
  for (auto& t : all) {
    auto saved = tasks.save(t);
    ASSERT_TRUE(saved) << saved.error().to_string();
  }
  auto ann = tasks.query(AttributeValue("ann"), {.index_name = "by-assignee"}).all();
  ASSERT_TRUE(ann) << ann.error().to_string();
  std::set<std::int64_t> found;
  for (const auto& t : *ann) found.insert(t.n);
  EXPECT_EQ(found, (std::set<std::int64_t>{1, 3}));
  EXPECT_EQ(tasks.count(ScanOptions{.index_name = "by-assignee"}).value(), 3);
  // The local index has the items with a due date, in due order.
  auto due = tasks.query("l", {.index_name = "by-due", .consistent_read = true}).all();
  ASSERT_TRUE(due) << due.error().to_string();
  EXPECT_EQ(numbers(due), (std::vector<std::int64_t>{1, 2, 4}));

  // Clearing the attribute takes an item out of the index.
  all[0].assignee.reset();
  ASSERT_TRUE(tasks.save(all[0]));
  EXPECT_EQ(tasks.count(ScanOptions{.index_name = "by-assignee"}).value(), 2);
}

TEST_F(OrmWritesLocal, UpdatedNewLeavesTheObjectEqualToAFreshGet) {
  auto bags = make<Bag>(bags_, "dynamate-bags");
  Bag b{"b", {{"a", "1"}, {"k", "2"}}, {"x", "y"}, "note", 1, 0};
  ASSERT_TRUE(bags.save(b));
  const auto fresh = [&] { return bags.get("b", {.consistent_read = true}).value(); };

  // A nested REMOVE.
  auto r = bags.update(b, {remove(field(&Bag::meta)["k"])},
                       {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(b.meta, (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(b, fresh());

  // A DELETE of one element, then of the last ones: the attribute goes.
  r = bags.update(b, {delete_from(&Bag::tags, std::set<std::string>{"x"})},
                  {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(b.tags, (std::set<std::string>{"y"}));
  EXPECT_EQ(b, fresh());
  r = bags.update(b, {delete_from(&Bag::tags, std::set<std::string>{"y"}), add(&Bag::count, 1)},
                  {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(b.tags.empty());
  EXPECT_EQ(b.count, 2);
  EXPECT_EQ(b, fresh());
  EXPECT_FALSE(raw(bags, b).contains("tags"));

  // Top-level SET and REMOVE still merge UPDATED_NEW.
  r = bags.update(b, {remove(&Bag::note), add(&Bag::count, 1)},
                  {.return_values = aws::ReturnValues::updated_new});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(b, fresh());
}

TEST_F(OrmWritesLocal, SetOfAnEmptyOptionalOrSetRemovesTheAttribute) {
  auto bags = make<Bag>(bags_, "dynamate-bags");
  Bag b{"s", {{"a", "1"}}, {"x"}, "note", 0, 0};
  ASSERT_TRUE(bags.save(b));
  auto r = bags.update(b, {set(&Bag::note, std::nullopt), set(field(&Bag::meta)["a"], "2")});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(raw(bags, b).contains("note"));  // not NULL: absent, as save() leaves it
  EXPECT_FALSE(b.note.has_value());
  r = bags.update(b, {set(&Bag::tags, std::set<std::string>{})});  // no empty sets in DynamoDB
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_FALSE(raw(bags, b).contains("tags"));
  EXPECT_TRUE(b.tags.empty());
  EXPECT_EQ(b.meta.at("a"), "2");
  EXPECT_EQ(b, bags.get("s", {.consistent_read = true}).value());
  // A later condition on the attribute sees it absent.
  Bag copy = b;
  copy.count = 5;
  auto saved = bags.save(copy, {.condition = field(&Bag::note).not_exists()});
  ASSERT_TRUE(saved) << saved.error().to_string();
}

}  // namespace
}  // namespace dynamate
