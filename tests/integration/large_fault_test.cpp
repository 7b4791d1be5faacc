// The large-attribute protocol under injected faults (DESIGN §5), against
// DynamoDB Local + moto S3. A FaultTransport under the clients of the table
// being tested fails one step of save (create and update), update(item,
// actions), remove or the GC: upload k of n, the DynamoDB write (a definite
// rejection, a version conflict, or a lost answer after it committed), the
// clean-up DeleteObject, the GC's Scan and DeleteObjects. Clients make one
// attempt per call, so one fault is one failed call. After each: the call's
// result; the item entirely in its old or its new state; no item references a
// missing object; no orphan after a definite failure; and after a GC no
// orphan at all, every referenced object still there.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

#include "dynamate/large_gc.hpp"
#include "dynamate/table.hpp"
#include "support/fault_transport.hpp"
#include "support/large_invariant.hpp"
#include "support/local_aws.hpp"

namespace large_fault {

struct Article {  // versioned, three large fields, per-item keys: UpdateItem writes
  std::string id;
  dynamate::LargeText body;
  dynamate::LargeBytes image;
  dynamate::LargeJson meta;
  std::int64_t views = 0;
  std::int64_t version = 0;
};

struct Loose {  // unversioned, extra attributes: whole-item PutItem writes
  std::string id;
  dynamate::LargeText body;
  dynamate::LargeBytes image;
  dynamate::AttributeMap extra;
};

struct Shared {  // the shared layout: objects only the GC deletes
  std::string id;
  dynamate::LargeText body;
};

}  // namespace large_fault

template <>
inline constexpr auto dynamate::schema_of<large_fault::Article> =
    dynamate::schema<large_fault::Article>(
        "articles", dynamate::hash_key("id", &large_fault::Article::id),
        dynamate::large("body", &large_fault::Article::body, {.codec = dynamate::Codec::gzip}),
        dynamate::large("image", &large_fault::Article::image),
        dynamate::large("meta", &large_fault::Article::meta, {.codec = dynamate::Codec::zstd}),
        dynamate::attribute("views", &large_fault::Article::views),
        dynamate::version("version", &large_fault::Article::version));

template <>
inline constexpr auto dynamate::schema_of<large_fault::Loose> =
    dynamate::schema<large_fault::Loose>("loose", dynamate::hash_key("id", &large_fault::Loose::id),
                                         dynamate::large("body", &large_fault::Loose::body),
                                         dynamate::large("image", &large_fault::Loose::image),
                                         dynamate::extra_attributes(&large_fault::Loose::extra));

template <>
inline constexpr auto dynamate::schema_of<large_fault::Shared> =
    dynamate::schema<large_fault::Shared>("shared",
                                          dynamate::hash_key("id", &large_fault::Shared::id),
                                          dynamate::large("body", &large_fault::Shared::body,
                                                          {.layout = dynamate::KeyLayout::shared}));

namespace dynamate::test {
namespace {

using namespace std::chrono_literals;
using large_fault::Article;
using large_fault::Loose;
using large_fault::Shared;

std::string filler(std::size_t n, char seed) {
  std::string s;
  s.reserve(n);
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + (i * 13 + seed) % 26));
  return s;
}

// What an Article item holds, values fetched (and sha256-checked).
struct State {
  std::string body, image, meta;
  std::int64_t views = 0, version = 0;
  std::string uris;  // the three URIs, joined
  bool operator==(const State&) const = default;
};

// The values of state `tag` ("A", "B", ...) with the first `changed` fields
// taken from `tag` and the others from `base`.
void assign(Article& a, const std::string& tag, int changed = 3, const std::string& base = "A") {
  auto pick = [&](int i) { return i < changed ? tag : base; };
  a.body = pick(0) + "-body " + filler(20000, pick(0)[0]);
  a.image = Bytes(pick(1) + "-image " + filler(6000, pick(1)[0]));
  a.meta = JsonDocument{R"({"state": ")" + pick(2) + R"("})"};
}

class LargeFault : public ::testing::Test {
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

  // The table through clean clients (set-up, checks) and the same table
  // through the faulty ones (the call under test).
  template <class T>
  std::pair<Table<T>, Table<T>> tables(
      std::uint64_t multipart_threshold = 16 * aws::kMiB,
      std::chrono::seconds shared_period = std::chrono::hours(12),
      std::chrono::seconds write_deadline = std::chrono::minutes(15)) {
    const std::string name = unique_name("large-fault");
    auto config = [&](const aws::S3Client& s3) {
      return TableConfig{.table_name = name,
                         .consistent_read = true,
                         .large = {.s3 = s3,
                                   .bucket = bucket_,
                                   .prefix = "obj/",
                                   .multipart_threshold = multipart_threshold,
                                   .part_size = 5 * aws::kMiB,
                                   .write_deadline = write_deadline,
                                   .shared_period = shared_period}};
    };
    Table<T> clean(ddb_, config(s3_));
    Table<T> faulty(fddb_, config(fs3_));
    auto created = clean.create_table();
    EXPECT_TRUE(created) << created.error().to_string();
    tables_.push_back(name);
    return {std::move(clean), std::move(faulty)};
  }

  std::optional<State> state(const Table<Article>& t, const std::string& id) {
    auto got = t.get(id);
    if (!got && got.error().code == ErrorCode::not_found) return std::nullopt;
    EXPECT_TRUE(got) << got.error().to_string();
    if (!got) return std::nullopt;
    State s;
    EXPECT_TRUE(got->body.load()) << got->body.load().error().to_string();
    EXPECT_TRUE(got->image.load()) << got->image.load().error().to_string();
    EXPECT_TRUE(got->meta.load()) << got->meta.load().error().to_string();
    s.body = got->body.get().value_or("?");
    s.image = std::string(got->image.get().value_or(Bytes()).view());
    s.meta = got->meta.get().value_or(JsonDocument{"?"}).text;
    s.views = got->views;
    s.version = got->version;
    s.uris = got->body.uri() + " " + got->image.uri() + " " + got->meta.uri();
    return s;
  }

  // The invariant now: no dangling reference; returns the orphans.
  template <class T>
  std::vector<std::string> orphans(const Table<T>& t) {
    auto r = check_large_invariant(t);
    EXPECT_TRUE(r) << r.error().to_string();
    if (!r) return {};
    EXPECT_TRUE(r->no_dangling()) << r->describe();
    return r->orphans;
  }

  // GC with no grace period (no writer runs), then: no orphan, nothing
  // referenced is missing.
  template <class T>
  void collect_and_check(const Table<T>& t) {
    auto gc = gc_large_objects(t, {.grace = 0s});
    ASSERT_TRUE(gc) << gc.error().to_string();
    if (gc->recent > 0) {  // moto's LastModified has a 1 s resolution
      std::this_thread::sleep_for(1100ms);
      gc = gc_large_objects(t, {.grace = 0s});
      ASSERT_TRUE(gc) << gc.error().to_string();
    }
    EXPECT_TRUE(gc->failures.empty());
    auto r = check_large_invariant(t);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(r->no_dangling()) << r->describe();
    EXPECT_TRUE(r->orphans.empty()) << r->describe();
  }

  aws::DynamoDbClient ddb_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  aws::S3Client s3_ = aws::S3Client::create(s3_config()).value();
  std::shared_ptr<FaultTransport> fault_ =
      std::make_shared<FaultTransport>(dynamodb_config().transport);
  aws::DynamoDbClient fddb_ =
      aws::DynamoDbClient::create(through(dynamodb_config(), fault_)).value();
  aws::S3Client fs3_ = aws::S3Client::create(through(s3_config(), fault_)).value();
  std::string bucket_ = unique_name("large-fault");
  std::vector<std::string> tables_;
};

// ---- The matrix: save (create, update), update(item, actions), remove ----

enum class Op { create, save, update, remove };
enum class Fault {
  upload_fail,      // PutObject k fails before it is sent
  upload_lost,      // PutObject k is stored, its answer lost
  write_rejected,   // the DynamoDB write answered 400 ValidationException
  write_stale,      // the DynamoDB write's condition fails (another writer won)
  write_lost,       // the DynamoDB write commits, its answer is lost
  cleanup_fail,     // DeleteObject k of the superseded objects fails
  rollback_failed,  // the write is rejected and deleting upload 1 fails
};

struct Scenario {
  const char* name;
  Op op;
  Fault fault;
  int changed = 3;  // large fields the call changes (1..3)
  int k = 1;        // which matching request fails (1-based)
};

void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

class LargeFaultMatrix : public LargeFault, public ::testing::WithParamInterface<Scenario> {};

TEST_P(LargeFaultMatrix, OldOrNewStateAndNoDanglingReference) {
  const Scenario sc = GetParam();
  auto [clean, faulty] = tables<Article>();
  const std::string id = "item/1 é";

  // Before: the item in state A (unless the call creates it).
  std::optional<State> before;
  if (sc.op != Op::create || sc.fault == Fault::write_stale) {
    Article a{.id = id};
    assign(a, "A");
    ASSERT_TRUE(clean.save(a));
    before = state(clean, id);
  }
  Article item{.id = id};
  if (sc.op != Op::create) item = clean.get(id).value();
  if (sc.fault == Fault::write_stale) {
    // Another writer changes the item first: `item` (or a new one) is stale.
    Article other = clean.get(id).value();
    other.body = "other writer " + filler(3000, 'o');
    ASSERT_TRUE(clean.save(other));
    before = state(clean, id);
  }
  if (sc.op != Op::remove) assign(item, "B", sc.changed);
  ASSERT_TRUE(orphans(clean).empty());

  const RequestMatch put_object = s3_op({"PutObject"});
  const RequestMatch write = dynamodb_op({"PutItem", "UpdateItem", "DeleteItem"});
  const RequestMatch delete_object = s3_op({"DeleteObject"});
  switch (sc.fault) {
    case Fault::upload_fail:
      fault_->add(fail_nth(put_object, sc.k));
      break;
    case Fault::upload_lost:
      fault_->add(lose_nth(put_object, sc.k));
      break;
    case Fault::write_rejected:
      fault_->add(respond_nth(write, 1, 400, "ValidationException", "injected rejection"));
      break;
    case Fault::write_stale:
      break;
    case Fault::write_lost:
      fault_->add(lose_nth(write, 1));
      break;
    case Fault::cleanup_fail:
      fault_->add(fail_nth(delete_object, sc.k));
      break;
    case Fault::rollback_failed:
      fault_->add(respond_nth(write, 1, 400, "ValidationException", "injected rejection"));
      fault_->add(fail_nth(delete_object, 1));
      break;
  }

  Result<WriteResult<Article>> r = [&]() -> Result<WriteResult<Article>> {
    switch (sc.op) {
      case Op::create:
      case Op::save:
        return faulty.save(item);
      case Op::update:
        return faulty.update(item, {add(&Article::views, 1)});
      case Op::remove:
        return faulty.remove(item);
    }
    return unexpected(ErrorCode::internal, "unknown op");
  }();
  EXPECT_TRUE(fault_->all_spent()) << "the fault was not injected";

  // The call's result.
  const bool committed = sc.fault == Fault::write_lost || sc.fault == Fault::cleanup_fail;
  switch (sc.fault) {
    case Fault::upload_fail:
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::transport) << r.error().to_string();
      EXPECT_FALSE(r.error().ambiguous);
      break;
    case Fault::upload_lost:  // (no DynamoDB write was sent)
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::transport) << r.error().to_string();
      break;
    case Fault::write_lost:
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::transport) << r.error().to_string();
      EXPECT_TRUE(r.error().ambiguous);
      break;
    case Fault::write_rejected:
    case Fault::rollback_failed:
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::validation) << r.error().to_string();
      break;
    case Fault::write_stale:
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::condition_failed) << r.error().to_string();
      break;
    case Fault::cleanup_fail:
      ASSERT_TRUE(r) << r.error().to_string();
      break;
  }
  if (!committed) {
    // A failed call leaves the object as it was: its new values still pending.
    EXPECT_EQ(item.body.modified(), sc.op != Op::remove);
  }

  // The item: entirely old or entirely new.
  const std::optional<State> after = state(clean, id);
  if (!committed) {
    EXPECT_EQ(after, before);
  } else if (sc.op == Op::remove) {
    EXPECT_FALSE(after.has_value());
  } else {
    ASSERT_TRUE(after.has_value());
    Article expected{.id = id};
    assign(expected, "B", sc.changed);
    EXPECT_EQ(after->body, expected.body.value());
    EXPECT_EQ(after->image, std::string(expected.image.value().view()));
    EXPECT_EQ(after->meta, expected.meta.value().text);
    EXPECT_EQ(after->version, before ? before->version + 1 : 1);
    EXPECT_EQ(after->views, sc.op == Op::update ? 1 : 0);
    if (before) {
      EXPECT_NE(after->uris, before->uris);
    }
  }

  // Orphans before the GC: none after a definite failure.
  const auto left = orphans(clean);
  switch (sc.fault) {
    case Fault::upload_fail:
    case Fault::write_rejected:
    case Fault::write_stale:
      EXPECT_TRUE(left.empty()) << left.front();
      break;
    case Fault::upload_lost:
      // No DynamoDB write was sent: the uploads that succeeded are deleted;
      // the one whose answer was lost may stay.
      EXPECT_LE(left.size(), 1u) << "uploads of a call that never wrote the item were left";
      break;
    case Fault::write_lost:  // what the write superseded; nothing for a create
      EXPECT_EQ(left.size(), sc.op == Op::create   ? 0u
                             : sc.op == Op::remove ? 3u
                                                   : static_cast<std::size_t>(sc.changed));
      break;
    case Fault::cleanup_fail:  // exactly the object whose delete failed, reported
      ASSERT_EQ(left.size(), 1u);
      EXPECT_EQ(r->orphaned, left);
      break;
    case Fault::rollback_failed:  // the upload whose delete failed
      EXPECT_EQ(left.size(), 1u);
      break;
  }
  if (committed && sc.op != Op::remove && r) {
    EXPECT_EQ(item.version, after->version);
    EXPECT_FALSE(item.body.modified());
    EXPECT_EQ(item.body.uri() + " " + item.image.uri() + " " + item.meta.uri(), after->uris);
  }

  fault_->clear_rules();
  collect_and_check(clean);
  EXPECT_EQ(state(clean, id), after);  // the GC took nothing the item holds
}

const Scenario kScenarios[] = {
    {"CreateUpload1of3Fails", Op::create, Fault::upload_fail, 3, 1},
    {"CreateUpload2of3Fails", Op::create, Fault::upload_fail, 3, 2},
    {"CreateUpload3of3Fails", Op::create, Fault::upload_fail, 3, 3},
    {"CreateUpload2of3Lost", Op::create, Fault::upload_lost, 3, 2},
    {"CreateWriteRejected", Op::create, Fault::write_rejected},
    {"CreateOverAnExistingItem", Op::create, Fault::write_stale},
    {"CreateWriteLost", Op::create, Fault::write_lost},
    {"CreateRollbackFails", Op::create, Fault::rollback_failed},
    {"SaveUpload1of2Fails", Op::save, Fault::upload_fail, 2, 1},
    {"SaveUpload2of2Fails", Op::save, Fault::upload_fail, 2, 2},
    {"SaveUpload3of3Fails", Op::save, Fault::upload_fail, 3, 3},
    {"SaveUpload1of3Lost", Op::save, Fault::upload_lost, 3, 1},
    {"SaveWriteRejected", Op::save, Fault::write_rejected, 3},
    {"SaveStaleVersion", Op::save, Fault::write_stale, 2},
    {"SaveWriteLost2", Op::save, Fault::write_lost, 2},
    {"SaveWriteLost3", Op::save, Fault::write_lost, 3},
    {"SaveCleanup2of2Fails", Op::save, Fault::cleanup_fail, 2, 2},
    {"SaveCleanup1of3Fails", Op::save, Fault::cleanup_fail, 3, 1},
    {"SaveRollbackFails", Op::save, Fault::rollback_failed, 3},
    {"UpdateUpload1of2Fails", Op::update, Fault::upload_fail, 2, 1},
    {"UpdateUpload2of2Fails", Op::update, Fault::upload_fail, 2, 2},
    {"UpdateUpload2of3Fails", Op::update, Fault::upload_fail, 3, 2},
    {"UpdateUpload3of3Lost", Op::update, Fault::upload_lost, 3, 3},
    {"UpdateWriteRejected", Op::update, Fault::write_rejected, 2},
    {"UpdateStaleVersion", Op::update, Fault::write_stale, 2},
    {"UpdateWriteLost2", Op::update, Fault::write_lost, 2},
    {"UpdateWriteLost3", Op::update, Fault::write_lost, 3},
    {"UpdateCleanup1of2Fails", Op::update, Fault::cleanup_fail, 2, 1},
    {"UpdateCleanup3of3Fails", Op::update, Fault::cleanup_fail, 3, 3},
    {"UpdateRollbackFails", Op::update, Fault::rollback_failed, 2},
    {"RemoveRejected", Op::remove, Fault::write_rejected},
    {"RemoveStaleVersion", Op::remove, Fault::write_stale},
    {"RemoveLost", Op::remove, Fault::write_lost},
    {"RemoveCleanup1of3Fails", Op::remove, Fault::cleanup_fail, 3, 1},
    {"RemoveCleanup3of3Fails", Op::remove, Fault::cleanup_fail, 3, 3},
};

INSTANTIATE_TEST_SUITE_P(Faults, LargeFaultMatrix, ::testing::ValuesIn(kScenarios),
                         [](const auto& p) { return std::string(p.param.name); });

// ---- Retries on: a lost answer to a conditional write is never resent ----

TEST_F(LargeFault, ALostWriteIsNotResentAndAFailedUploadIsRetried) {
  auto retrying = std::make_shared<FaultTransport>(dynamodb_config().transport);
  aws::DynamoDbClient ddb =
      aws::DynamoDbClient::create(through(dynamodb_config(), retrying, 3)).value();
  aws::S3Client s3 = aws::S3Client::create(through(s3_config(), retrying, 3)).value();
  auto [clean, unused] = tables<Article>();
  Table<Article> t(ddb, {.table_name = clean.name(),
                         .consistent_read = true,
                         .large = {.s3 = s3, .bucket = bucket_, .prefix = "obj/"}});
  Article a{.id = "r"};
  assign(a, "A");
  retrying->add(fail_nth(s3_op({"PutObject"}), 2));  // retried: the save succeeds
  auto saved = t.save(a);
  ASSERT_TRUE(saved) << saved.error().to_string();
  EXPECT_EQ(retrying->count(s3_op({"PutObject"})), 4);
  EXPECT_TRUE(orphans(clean).empty());

  assign(a, "B");
  retrying->add(lose_nth(dynamodb_op({"UpdateItem"}), 1));
  auto lost = t.save(a);
  ASSERT_FALSE(lost);
  EXPECT_TRUE(lost.error().ambiguous) << lost.error().to_string();
  EXPECT_EQ(retrying->count(dynamodb_op({"UpdateItem"})), 2);  // one per save: no resend
  EXPECT_EQ(state(clean, "r")->meta, R"({"state": "B"})");
  EXPECT_EQ(orphans(clean).size(), 3u);
  collect_and_check(clean);
}

// ---- Whole-item PutItem writes (a model with extra attributes) ----

TEST_F(LargeFault, PutItemWritesRejectedLostAndCleanupFailed) {
  auto [clean, faulty] = tables<Loose>();
  Loose l{.id = "p"};
  l.body = "body A";
  l.image = Bytes(std::string("image A"));
  ASSERT_TRUE(clean.save(l));
  const std::string body_a = l.body.uri(), image_a = l.image.uri();

  // Rejected: nothing changes, nothing is left.
  Loose x = clean.get("p").value();
  x.body = "body B";
  fault_->add(respond_nth(dynamodb_op({"PutItem"}), 1, 400, "ValidationException", "no"));
  auto rejected = faulty.save(x);
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error().code, ErrorCode::validation);
  EXPECT_EQ(clean.get("p").value().body.uri(), body_a);
  EXPECT_TRUE(orphans(clean).empty());

  // Lost after committing: the new item, the old body orphaned.
  fault_->add(lose_nth(dynamodb_op({"PutItem"}), 1));
  auto lost = faulty.save(x);
  ASSERT_FALSE(lost);
  EXPECT_TRUE(lost.error().ambiguous);
  Loose now = clean.get("p").value();
  EXPECT_EQ(now.body.value(), "body B");
  EXPECT_EQ(now.image.uri(), image_a);  // unchanged: written again, same object
  EXPECT_EQ(orphans(clean), std::vector<std::string>{body_a});

  // The clean-up fails: success, and the orphan is reported.
  now.body = "body C";
  fault_->add(fail_nth(s3_op({"DeleteObject"}), 1));
  auto cleaned = faulty.save(now);
  ASSERT_TRUE(cleaned) << cleaned.error().to_string();
  EXPECT_EQ(cleaned->orphaned.size(), 1u);
  EXPECT_EQ(orphans(clean).size(), 2u);
  EXPECT_TRUE(fault_->all_spent());
  collect_and_check(clean);
  EXPECT_EQ(clean.get("p").value().body.value(), "body C");
}

// An unchanged value written again (PutItem) is conditioned on the item still
// holding it: after another writer replaced it (and deleted the old object),
// the stale write fails instead of committing a reference to a deleted object.
TEST_F(LargeFault, AStaleReuseOfAnUnchangedValueFails) {
  auto [clean, faulty] = tables<Loose>();
  Loose l{.id = "q"};
  l.body = "body A";
  l.image = Bytes(std::string("image A"));
  ASSERT_TRUE(clean.save(l));
  Loose stale = clean.get("q").value();
  Loose other = clean.get("q").value();
  other.image = Bytes(std::string("image B"));
  ASSERT_TRUE(clean.save(other));  // deletes image A's object
  stale.body = "body B";           // image: the old, deleted object
  auto r = faulty.save(stale);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed) << r.error().to_string();
  EXPECT_TRUE(orphans(clean).empty());
  Loose now = clean.get("q").value();
  EXPECT_EQ(now.image.value().view(), "image B");
  EXPECT_EQ(now.body.value(), "body A");
  collect_and_check(clean);
}

// ---- Multipart uploads (a value from a file, above the threshold) ----

TEST_F(LargeFault, MultipartPartFailsOrItsCompletionIsLost) {
  auto [clean, faulty] = tables<Article>(5 * aws::kMiB);
  const auto dir = std::filesystem::temp_directory_path() / unique_name("large-fault");
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "image.bin").string();
  const std::string big = filler(11 * 1024 * 1024 + 17, 'm');  // 3 parts
  std::ofstream(path, std::ios::binary) << big;

  Article a{.id = "m"};
  assign(a, "A");
  ASSERT_TRUE(clean.save(a));
  const auto before = state(clean, "m");

  // Part 2 of 3 fails: the upload is aborted, nothing changes.
  a.image = LargeBytes::from_file(path);
  fault_->add(fail_nth(s3_op({"UploadPart"}), 2));
  auto failed = faulty.save(a);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::transport) << failed.error().to_string();
  EXPECT_EQ(fault_->count(s3_op({"AbortMultipartUpload"})), 1);
  EXPECT_EQ(state(clean, "m"), before);
  EXPECT_TRUE(orphans(clean).empty());

  // CompleteMultipartUpload's answer is lost: the object exists, the item
  // is unchanged; at most that object is left for the GC.
  fault_->add(lose_nth(s3_op({"CompleteMultipartUpload"}), 1));
  auto lost = faulty.save(a);
  ASSERT_FALSE(lost);
  EXPECT_TRUE(fault_->all_spent());
  EXPECT_EQ(state(clean, "m"), before);
  EXPECT_LE(orphans(clean).size(), 1u);

  // Without faults the value goes in; the GC leaves exactly what is held.
  auto saved = faulty.save(a);
  ASSERT_TRUE(saved) << saved.error().to_string();
  collect_and_check(clean);
  auto after = state(clean, "m");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->image, big);
  std::filesystem::remove_all(dir);
}

// ---- The GC ----

class LargeGcFault : public LargeFault {
 protected:
  // An item and three orphans (a save whose clean-up failed entirely).
  void prepare(const Table<Article>& clean, const Table<Article>& faulty) {
    Article a{.id = "g"};
    assign(a, "A");
    ASSERT_TRUE(clean.save(a));
    assign(a, "B");
    FaultRule all = fail_nth(s3_op({"DeleteObject"}), 1);
    all.times = -1;
    fault_->add(all);
    auto r = faulty.save(a);
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_EQ(r->orphaned.size(), 3u);
    fault_->clear_rules();
    fault_->clear_log();
    expected_ = state(clean, "g");
    ASSERT_EQ(orphans(clean).size(), 3u);
    std::this_thread::sleep_for(1100ms);  // older than a 0 s grace at moto's 1 s resolution
  }
  // After a failed GC: nothing referenced is gone, the orphans remain
  // (`gone` of them deleted anyway), and a second GC collects them.
  void after_failure(const Table<Article>& clean, std::size_t gone) {
    EXPECT_EQ(orphans(clean).size(), 3u - gone);
    EXPECT_EQ(state(clean, "g"), expected_);
    collect_and_check(clean);
    EXPECT_EQ(state(clean, "g"), expected_);
  }
  std::optional<State> expected_;
};

TEST_F(LargeGcFault, DeleteObjectsFailsBeforeSending) {
  auto [clean, faulty] = tables<Article>();
  prepare(clean, faulty);
  fault_->add(fail_nth(s3_op({"DeleteObjects"}), 1));
  auto gc = gc_large_objects(faulty, {.grace = 0s});
  ASSERT_FALSE(gc);
  EXPECT_EQ(gc.error().code, ErrorCode::transport) << gc.error().to_string();
  after_failure(clean, 0);
}

TEST_F(LargeGcFault, DeleteObjectsAnswers500) {
  auto [clean, faulty] = tables<Article>();
  prepare(clean, faulty);
  fault_->add(respond_nth(s3_op({"DeleteObjects"}), 1, 500, "InternalError", "injected"));
  auto gc = gc_large_objects(faulty, {.grace = 0s});
  ASSERT_FALSE(gc);
  EXPECT_EQ(gc.error().code, ErrorCode::service) << gc.error().to_string();
  after_failure(clean, 0);
}

TEST_F(LargeGcFault, DeleteObjectsAnswerLostAfterDeleting) {
  auto [clean, faulty] = tables<Article>();
  prepare(clean, faulty);
  fault_->add(lose_nth(s3_op({"DeleteObjects"}), 1));
  auto gc = gc_large_objects(faulty, {.grace = 0s});
  ASSERT_FALSE(gc);
  EXPECT_TRUE(gc.error().ambiguous) << gc.error().to_string();
  after_failure(clean, 3);
}

TEST_F(LargeGcFault, DeleteObjectsReportsPerKeyFailures) {
  auto [clean, faulty] = tables<Article>();
  prepare(clean, faulty);
  FaultRule per_key = fail_nth(s3_op({"DeleteObjects"}), 1);
  per_key.kind = FaultRule::Kind::respond;
  per_key.respond_with = [](const http::Request& request) {
    // Every key of the request refused, as S3 does for AccessDenied per key.
    http::Response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", "application/xml");
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>";
    for (std::size_t at = request.body.find("<Key>"); at != std::string::npos;
         at = request.body.find("<Key>", at + 1)) {
      const auto end = request.body.find("</Key>", at);
      r.body += "<Error>" + request.body.substr(at, end + 6 - at) +
                "<Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
    }
    r.body += "</DeleteResult>";
    return r;
  };
  fault_->add(per_key);
  auto gc = gc_large_objects(faulty, {.grace = 0s});
  ASSERT_TRUE(gc) << gc.error().to_string();
  EXPECT_TRUE(gc->deleted.empty());
  ASSERT_EQ(gc->failures.size(), 3u);
  EXPECT_EQ(gc->failures[0].code, "AccessDenied");
  after_failure(clean, 0);
}

TEST_F(LargeGcFault, AFailedScanDeletesNothing) {
  auto [clean, faulty] = tables<Article>();
  prepare(clean, faulty);
  fault_->add(respond_nth(dynamodb_op({"Scan"}), 1, 400, "ValidationException", "injected"));
  auto gc = gc_large_objects(faulty, {.grace = 0s, .scan_segments = 1});
  ASSERT_FALSE(gc);
  EXPECT_EQ(fault_->count(s3_op({"DeleteObjects", "DeleteObject"})), 0);
  after_failure(clean, 0);
}

// A writer that stores the value of an old, unreferenced shared object while
// the GC runs, between the GC's HeadObject and its DeleteObjects. The GC,
// with a grace period of at least shared_period + write_deadline (here 1 s +
// 1 s), must not leave the item referencing a deleted object: the writer,
// in a later period, stores the value under a new key instead of reviving
// the one the GC is deleting.
TEST_F(LargeFault, GcRacingAReuseOfASharedObjectKeepsIt) {
  auto [clean, faulty] = tables<Shared>(16 * aws::kMiB, 1s, 1s);
  Shared s{.id = "1"};
  s.body = "shared value " + filler(5000, 's');
  ASSERT_TRUE(clean.save(s));
  ASSERT_TRUE(clean.remove(s));  // the shared object stays: an orphan
  ASSERT_EQ(orphans(clean).size(), 1u);
  std::this_thread::sleep_for(3100ms);  // older than the grace period (2 s)

  FaultRule race;
  race.match = s3_op({"DeleteObjects", "DeleteObject"});
  race.kind = FaultRule::Kind::hook;
  race.hook = [&](const http::Request&) {
    // After the GC's check, before its delete: a writer stores the same value.
    Shared again{.id = "2"};
    again.body = "shared value " + filler(5000, 's');
    auto saved = clean.save(again);
    EXPECT_TRUE(saved) << saved.error().to_string();
  };
  fault_->add(race);
  auto gc = gc_large_objects(faulty, {.grace = 2s});
  ASSERT_TRUE(gc) << gc.error().to_string();
  EXPECT_EQ(fault_->fired(0), 1) << "the GC did not try to delete the old orphan";
  auto r = check_large_invariant(clean);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(r->no_dangling()) << r->describe();
  auto got = clean.get("2");
  ASSERT_TRUE(got) << got.error().to_string();
  auto loaded = got->body.load();
  EXPECT_TRUE(loaded) << loaded.error().to_string();
}

}  // namespace
}  // namespace dynamate::test

namespace dynamate::test {
namespace {

// A stored value assigned from another item: with the shared layout one
// object serves both items, so the assignment must write that object's URI
// into the item it is assigned to (an existing item, and a new one).
TEST_F(LargeFault, ASharedValueAssignedFromAnotherItemIsWritten) {
  auto [clean, faulty] = tables<Shared>();
  Shared x{.id = "x"};
  x.body = "value of x";
  ASSERT_TRUE(clean.save(x));
  Shared y{.id = "y"};
  y.body = "value of y";
  ASSERT_TRUE(clean.save(y));

  const Shared from = clean.get("x").value();
  Shared to = clean.get("y").value();
  to.body = from.body;
  ASSERT_TRUE(clean.save(to));
  EXPECT_EQ(clean.get("y").value().body.uri(), from.body.uri());

  Shared fresh{.id = "z"};
  fresh.body = from.body;
  ASSERT_TRUE(clean.save(fresh));
  auto z = clean.get("z");
  ASSERT_TRUE(z) << z.error().to_string();
  EXPECT_EQ(z->body.uri(), from.body.uri());
  collect_and_check(clean);
}

}  // namespace
}  // namespace dynamate::test
