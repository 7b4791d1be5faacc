// Several writers on the same few items with large attributes, against
// DynamoDB Local + moto S3: the same content, different content, A -> B -> A
// reverts, deletes racing updates and saves; versioned and unversioned
// models, per-item and shared key layouts, UpdateItem and whole-item PutItem
// writes. Conditional failures are expected outcomes; anything else fails.
// Readers check, while the writers run, that an object they miss is not
// still referenced. After: no item references a missing object, and a GC
// leaves no orphan. (ctest label "concurrency": the TSan build runs it too.)
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "dynamate/large_gc.hpp"
#include "dynamate/table.hpp"
#include "support/large_invariant.hpp"
#include "support/local_aws.hpp"

namespace large_conc {

struct Versioned {  // UpdateItem writes, version checks
  std::string id;
  dynamate::LargeText a;
  dynamate::LargeBytes b;
  std::int64_t views = 0;
  std::int64_t version = 0;
};

struct Unversioned {  // UpdateItem writes, no version: last writer wins
  std::string id;
  dynamate::LargeText a;
  dynamate::LargeBytes b;
  std::int64_t views = 0;
};

struct Shared {  // "a" in the shared layout (objects only the GC deletes)
  std::string id;
  dynamate::LargeText a;
  dynamate::LargeBytes b;
  std::int64_t views = 0;
};

struct Whole {  // extra attributes: whole-item PutItem writes (unchanged values reused)
  std::string id;
  dynamate::LargeText a;
  dynamate::LargeBytes b;
  std::int64_t views = 0;
  dynamate::AttributeMap extra;
};

}  // namespace large_conc

template <>
inline constexpr auto dynamate::schema_of<large_conc::Versioned> =
    dynamate::schema<large_conc::Versioned>(
        "versioned", dynamate::hash_key("id", &large_conc::Versioned::id),
        dynamate::large("a", &large_conc::Versioned::a, {.codec = dynamate::Codec::gzip}),
        dynamate::large("b", &large_conc::Versioned::b),
        dynamate::attribute("views", &large_conc::Versioned::views),
        dynamate::version("version", &large_conc::Versioned::version));

template <>
inline constexpr auto dynamate::schema_of<large_conc::Unversioned> =
    dynamate::schema<large_conc::Unversioned>(
        "unversioned", dynamate::hash_key("id", &large_conc::Unversioned::id),
        dynamate::large("a", &large_conc::Unversioned::a),
        dynamate::large("b", &large_conc::Unversioned::b, {.codec = dynamate::Codec::zstd}),
        dynamate::attribute("views", &large_conc::Unversioned::views));

template <>
inline constexpr auto dynamate::schema_of<large_conc::Shared> =
    dynamate::schema<large_conc::Shared>("shared",
                                         dynamate::hash_key("id", &large_conc::Shared::id),
                                         dynamate::large("a", &large_conc::Shared::a,
                                                         {.layout = dynamate::KeyLayout::shared}),
                                         dynamate::large("b", &large_conc::Shared::b),
                                         dynamate::attribute("views", &large_conc::Shared::views));

template <>
inline constexpr auto dynamate::schema_of<large_conc::Whole> = dynamate::schema<large_conc::Whole>(
    "whole", dynamate::hash_key("id", &large_conc::Whole::id),
    dynamate::large("a", &large_conc::Whole::a), dynamate::large("b", &large_conc::Whole::b),
    dynamate::attribute("views", &large_conc::Whole::views),
    dynamate::extra_attributes(&large_conc::Whole::extra));

namespace dynamate::test {
namespace {

using namespace std::chrono_literals;

constexpr int kThreads = 6;
constexpr int kOpsPerThread = 20;
constexpr int kItems = 3;

// Values from a pool of three, so that writers store the same content, and
// an item goes A -> B -> A.
std::string content(char field, int which) {
  std::string s(1, field);
  s += "-" + std::string(1, static_cast<char>('A' + which)) + " ";
  const std::size_t size = 3000 + static_cast<std::size_t>(which) * 4000;
  for (std::size_t i = s.size(); i < size; ++i) {
    s.push_back(static_cast<char>('a' + (i * 11 + static_cast<std::size_t>(which)) % 26));
  }
  return s;
}

enum class Op { save, update, remove, blind_save, read };

struct Mix {
  std::vector<Op> ops;  // picked uniformly
};

struct Outcomes {
  std::atomic<int> ok{0}, conflicts{0}, absent{0}, lazy_misses{0};
};

class LargeConcurrency : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = s3_.create_bucket(bucket_);
    ASSERT_TRUE(made) << made.error().to_string();
  }
  void TearDown() override {
    for (const auto& t : tables_) static_cast<void>(ddb_.delete_table(t));
    auto all = s3_.list_all_objects(bucket_);
    if (all) {
      for (const auto& o : all->objects) static_cast<void>(s3_.delete_object(bucket_, o.key));
    }
    static_cast<void>(s3_.delete_bucket(bucket_));
  }

  template <class T>
  Table<T> table() {
    Table<T> t(ddb_, {.table_name = unique_name("large-conc"),
                      .consistent_read = true,
                      .large = {.s3 = s3_, .bucket = bucket_, .prefix = "c/"}});
    auto created = t.create_table();
    EXPECT_TRUE(created) << created.error().to_string();
    tables_.push_back(t.name());
    return t;
  }

  // A write's outcome: success or a condition failure; anything else fails.
  template <class R>
  void expect_write(const R& r, const char* what, Outcomes& out) {
    if (r) {
      ++out.ok;
    } else if (r.error().code == ErrorCode::condition_failed) {
      ++out.conflicts;
    } else {
      ADD_FAILURE() << what << ": " << r.error().to_string();
    }
  }

  // A lazy read that misses its object is a race with the writer that
  // replaced it, unless the item still holds the URI after the miss (an
  // object never comes back: per-item keys are unique, and no GC runs).
  template <class T, class V>
  void check_miss(const Table<T>& t, const std::string& id, const Large<V>& l, Outcomes& out) {
    auto loaded = l.load();
    if (loaded) return;
    ASSERT_EQ(loaded.error().code, ErrorCode::dangling_reference) << loaded.error().to_string();
    ++out.lazy_misses;
    auto again = t.get(id);
    if (!again) {
      EXPECT_EQ(again.error().code, ErrorCode::not_found) << again.error().to_string();
      return;
    }
    for (const std::string* uri : {&again->a.uri(), &again->b.uri()}) {
      EXPECT_NE(*uri, l.uri()) << "item " << id << " references a missing object";
    }
  }

  template <class T>
  void change(T& item, std::mt19937& rng) {
    const int which = static_cast<int>(rng() % 3);
    switch (rng() % 4) {
      case 0:
        item.a = content('a', which);
        break;
      case 1:
        item.b = Bytes(content('b', which));
        break;
      case 2:
        item.a = content('a', which);
        item.b = Bytes(content('b', (which + 1) % 3));
        break;
      default:
        item.b.clear();
        item.a = content('a', which);
        break;
    }
  }

  template <class T>
  void writer(const Table<T>& t, const Mix& mix, unsigned seed, Outcomes& out) {
    std::mt19937 rng(seed);
    for (int n = 0; n < kOpsPerThread; ++n) {
      const std::string id = "item-" + std::to_string(rng() % kItems);
      const Op op = mix.ops[rng() % mix.ops.size()];
      if (op == Op::blind_save) {  // a new object, no base: overwrites (or, versioned, creates)
        T item{.id = id};
        change(item, rng);
        expect_write(t.save(item), "blind save", out);
        continue;
      }
      auto got = t.get(id);
      if (!got) {
        if (got.error().code != ErrorCode::not_found) {
          ADD_FAILURE() << "get: " << got.error().to_string();
        } else if (op != Op::read) {  // create it
          ++out.absent;
          T item{.id = id};
          change(item, rng);
          expect_write(t.save(item), "create", out);
        }
        continue;
      }
      switch (op) {
        case Op::save:
          change(*got, rng);
          expect_write(t.save(*got), "save", out);
          break;
        case Op::update:
          change(*got, rng);
          expect_write(t.update(*got, {add(&T::views, 1)}), "update", out);
          break;
        case Op::remove:
          expect_write(t.remove(*got), "remove", out);
          break;
        case Op::read:
        case Op::blind_save:
          check_miss(t, id, got->a, out);
          check_miss(t, id, got->b, out);
          break;
      }
    }
  }

  template <class T>
  void hammer(const Mix& mix) {
    auto t = table<T>();
    Outcomes out;
    std::vector<std::thread> threads;
    std::random_device seeds;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, seed = seeds()] { writer(t, mix, seed, out); });
    }
    for (auto& th : threads) th.join();
    std::printf("ok %d, conditional failures %d, created %d, lazy misses %d\n", out.ok.load(),
                out.conflicts.load(), out.absent.load(), out.lazy_misses.load());
    EXPECT_GT(out.ok.load(), 0);

    auto before = check_large_invariant(t);
    ASSERT_TRUE(before) << before.error().to_string();
    EXPECT_TRUE(before->no_dangling()) << before->describe();
    std::printf("orphans before the GC: %zu\n", before->orphans.size());
    if constexpr (std::is_same_v<T, large_conc::Versioned>) {
      // Version checks order every write: each one deletes exactly what it
      // replaced, so no per-item object is left over. (Without versions an
      // update() may replace a value it never saw and leave its object to
      // the GC: see AnUpdateReplacingAValueItDidNotSee... below.)
      EXPECT_TRUE(before->orphans.empty()) << before->describe();
    }

    std::this_thread::sleep_for(1100ms);  // moto's LastModified: 1 s resolution
    auto gc = gc_large_objects(t, {.grace = 0s});
    ASSERT_TRUE(gc) << gc.error().to_string();
    EXPECT_TRUE(gc->failures.empty());
    auto after = check_large_invariant(t);
    ASSERT_TRUE(after) << after.error().to_string();
    EXPECT_TRUE(after->no_dangling()) << after->describe();
    EXPECT_TRUE(after->orphans.empty()) << after->describe();
    // Every value reads back, sha256 checked.
    auto all = t.scan().all();
    ASSERT_TRUE(all) << all.error().to_string();
    for (const auto& item : *all) {
      auto a = item.a.load();
      EXPECT_TRUE(a) << a.error().to_string();
      auto b = item.b.load();
      EXPECT_TRUE(b) << b.error().to_string();
    }
  }

  aws::DynamoDbClient ddb_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  aws::S3Client s3_ = aws::S3Client::create(s3_config()).value();
  std::string bucket_ = unique_name("large-conc");
  std::vector<std::string> tables_;
};

const Mix kEverything{{Op::save, Op::update, Op::remove, Op::blind_save, Op::read}};
const Mix kDeleteRacingWrites{{Op::remove, Op::update, Op::save, Op::remove, Op::update}};

TEST_F(LargeConcurrency, VersionedWriters) { hammer<large_conc::Versioned>(kEverything); }
TEST_F(LargeConcurrency, UnversionedWriters) { hammer<large_conc::Unversioned>(kEverything); }
TEST_F(LargeConcurrency, SharedLayoutWriters) { hammer<large_conc::Shared>(kEverything); }
TEST_F(LargeConcurrency, WholeItemPutWriters) { hammer<large_conc::Whole>(kEverything); }
TEST_F(LargeConcurrency, DeletesRacingUpdatesVersioned) {
  hammer<large_conc::Versioned>(kDeleteRacingWrites);
}
TEST_F(LargeConcurrency, DeletesRacingUpdatesUnversioned) {
  hammer<large_conc::Unversioned>(kDeleteRacingWrites);
}

// Two writers read an item that has no "b"; the first sets "b" (object X),
// then the second sets "b" too by update(), which has no base to condition
// on or to delete. Either outcome is fine, a conflict or success, but no
// object may be left unreferenced without a failure: X is an orphan if the
// second write replaces it without deleting it.
TEST_F(LargeConcurrency, AnUpdateReplacingAValueItDidNotSeeLeavesNoOrphan) {
  using large_conc::Unversioned;
  auto t = table<Unversioned>();
  Unversioned u{.id = "u"};
  u.a = content('a', 0);
  ASSERT_TRUE(t.save(u));
  Unversioned first = t.get("u").value();
  Unversioned second = t.get("u").value();
  first.b = Bytes(content('b', 0));
  ASSERT_TRUE(t.update(first, {add(&Unversioned::views, 1)}));
  second.b = Bytes(content('b', 1));
  auto r = t.update(second, {add(&Unversioned::views, 1)});
  if (!r) {
    EXPECT_EQ(r.error().code, ErrorCode::condition_failed) << r.error().to_string();
  }
  auto now = check_large_invariant(t);
  ASSERT_TRUE(now) << now.error().to_string();
  EXPECT_TRUE(now->no_dangling()) << now->describe();
  EXPECT_TRUE(now->orphans.empty()) << now->describe();
}

}  // namespace
}  // namespace dynamate::test
