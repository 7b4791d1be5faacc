// Large attributes against DynamoDB Local + moto S3: save/get/update/remove
// through Table<T>, the key layouts, lazy and eager reads, integrity and
// dangling references, streaming, and that failed writes leave nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "dynamate/aws/s3.hpp"
#include "dynamate/batch.hpp"
#include "dynamate/compression.hpp"
#include "dynamate/table.hpp"
#include "dynamate/transaction.hpp"
#include "support/local_aws.hpp"

namespace large_it {

struct Page {
  std::string url;
  dynamate::LargeText html;
  dynamate::LargeBytes cover;
  std::int64_t visits = 0;
  std::int64_t version = 0;
};

struct Doc {  // a range key, a JSON field, the shared layout, no version
  std::string owner;
  std::string name;
  dynamate::LargeJson body;
  dynamate::LargeText note;
};

struct Mate {  // pynamodb_mate 6's layout
  std::string pk;
  dynamate::LargeText html;
};

}  // namespace large_it

template <>
inline constexpr auto dynamate::schema_of<large_it::Page> = dynamate::schema<large_it::Page>(
    "pages", dynamate::hash_key("url", &large_it::Page::url),
    dynamate::large("html", &large_it::Page::html, {.codec = dynamate::Codec::gzip}),
    dynamate::large("cover", &large_it::Page::cover),
    dynamate::attribute("visits", &large_it::Page::visits),
    dynamate::version("version", &large_it::Page::version));

template <>
inline constexpr auto dynamate::schema_of<large_it::Doc> = dynamate::schema<large_it::Doc>(
    "docs", dynamate::hash_key("owner", &large_it::Doc::owner),
    dynamate::range_key("name", &large_it::Doc::name),
    dynamate::large("body", &large_it::Doc::body,
                    {.codec = dynamate::Codec::zstd, .layout = dynamate::KeyLayout::shared}),
    dynamate::large("note", &large_it::Doc::note));

template <>
inline constexpr auto dynamate::schema_of<large_it::Mate> = dynamate::schema<large_it::Mate>(
    "mate", dynamate::hash_key("pk", &large_it::Mate::pk),
    dynamate::large("html", &large_it::Mate::html, {.layout = dynamate::KeyLayout::pynamodb_mate}));

namespace dynamate::test {
namespace {

using namespace std::chrono_literals;
using large_it::Doc;
using large_it::Mate;
using large_it::Page;

std::string big_text(std::size_t n, char seed) {
  std::string s;
  s.reserve(n);
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + (i * 7 + seed) % 26));
  return s;
}

class LargeLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = s3_.create_bucket(bucket_);
    ASSERT_TRUE(made) << made.error().to_string();
  }
  void TearDown() override {
    for (const auto& t : tables_) {
      auto r = ddb_.delete_table(t);
      EXPECT_TRUE(r) << r.error().to_string();
    }
    auto all = s3_.list_all_objects(bucket_);
    if (all) {
      for (const auto& o : all->objects) static_cast<void>(s3_.delete_object(bucket_, o.key));
    }
    static_cast<void>(s3_.delete_bucket(bucket_));
  }

  template <class T>
  Table<T> table(LargeConfig large = {}) {
    if (!large.s3) large.s3 = s3_;
    if (large.bucket.empty()) large.bucket = bucket_;
    if (large.prefix.empty()) large.prefix = "blobs/";
    Table<T> t(
        ddb_,
        {.table_name = unique_name("large"), .consistent_read = true, .large = std::move(large)});
    auto created = t.create_table();
    EXPECT_TRUE(created) << created.error().to_string();
    tables_.push_back(t.name());
    return t;
  }

  std::set<std::string> keys(const std::string& prefix = "") {
    std::set<std::string> out;
    auto all = s3_.list_all_objects(bucket_, {.prefix = prefix});
    EXPECT_TRUE(all) << all.error().to_string();
    if (all) {
      for (const auto& o : all->objects) out.insert(o.key);
    }
    return out;
  }
  static std::string key_of_uri(const std::string& uri, const std::string& bucket) {
    const std::string head = "s3://" + bucket + "/";
    EXPECT_TRUE(uri.starts_with(head)) << uri;
    return uri.substr(head.size());
  }

  aws::DynamoDbClient ddb_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  aws::S3Client s3_ = aws::S3Client::create(s3_config()).value();
  std::string bucket_ = unique_name("large-bucket");
  std::vector<std::string> tables_;
};

TEST_F(LargeLocal, SaveStoresValuesInS3AndTheItemHoldsUris) {
  auto pages = table<Page>();
  Page p{.url = "https://example.com/a b/é?x=1"};
  const std::string html = "<html>" + big_text(500 * 1024, 1) + "</html>";
  p.html = html;
  p.cover = Bytes(std::string("\x89PNG\x00\x01\x02", 7) + big_text(300 * 1024, 2));
  auto saved = pages.save(p);
  ASSERT_TRUE(saved) << saved.error().to_string();
  EXPECT_EQ(p.version, 1);
  EXPECT_FALSE(p.html.modified());
  EXPECT_TRUE(p.html.uri().starts_with("s3://" + bucket_ + "/blobs/"));
  EXPECT_TRUE(saved->orphaned.empty());
  EXPECT_EQ(keys().size(), 2u);

  // The raw item holds the URIs (S), as pynamodb_mate does.
  auto raw = ddb_.get_item({.table_name = pages.name(),
                            .key = {{"url", AttributeValue(p.url)}},
                            .consistent_read = true});
  ASSERT_TRUE(raw) << raw.error().to_string();
  ASSERT_TRUE(raw->item);
  EXPECT_EQ(*raw->item->at("html").as_string(), p.html.uri());
  EXPECT_EQ(*raw->item->at("cover").as_string(), p.cover.uri());

  // The gzip body carries its Content-Encoding and the value's sha256.
  auto head = s3_.head_object(bucket_, key_of_uri(p.html.uri(), bucket_));
  ASSERT_TRUE(head) << head.error().to_string();
  EXPECT_EQ(head->content_encoding, "gzip");
  EXPECT_EQ(head->content_type, "text/plain; charset=utf-8");
  EXPECT_LT(head->content_length, html.size() / 4);
  EXPECT_EQ(head->metadata.count("dynamate-sha256"), 1u);

  // Lazy read: nothing fetched until the value is used.
  auto got = pages.get(p.url);
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_FALSE(got->html.loaded());
  EXPECT_EQ(got->html.uri(), p.html.uri());
  EXPECT_EQ(got->html.value(), html);
  EXPECT_TRUE(got->html.loaded());
  EXPECT_EQ(got->cover.value(), p.cover.value());
}

TEST_F(LargeLocal, ChangingAValueReplacesItsObjectAndKeepsTheOther) {
  auto pages = table<Page>();
  Page p{.url = "u1"};
  p.html = "first version";
  p.cover = Bytes(std::string("cover"));
  ASSERT_TRUE(pages.save(p));
  const std::string html_uri = p.html.uri(), cover_uri = p.cover.uri();

  Page got = pages.get("u1").value();
  got.html = "second version";
  auto saved = pages.save(got);
  ASSERT_TRUE(saved) << saved.error().to_string();
  EXPECT_NE(got.html.uri(), html_uri);
  EXPECT_EQ(got.cover.uri(), cover_uri);  // unchanged: not uploaded again
  EXPECT_EQ(keys(), (std::set<std::string>{key_of_uri(got.html.uri(), bucket_),
                                           key_of_uri(cover_uri, bucket_)}));
  EXPECT_EQ(pages.get("u1").value().html.value(), "second version");

  // The same content again: no upload, the URI stays.
  Page again = pages.get("u1").value();
  again.html = "second version";
  ASSERT_TRUE(pages.save(again));
  EXPECT_EQ(again.html.uri(), got.html.uri());
  EXPECT_EQ(keys().size(), 2u);
}

TEST_F(LargeLocal, UpdateUploadsChangedFieldsAndDeletesTheOldObject) {
  auto pages = table<Page>();
  Page p{.url = "u2"};
  p.html = "v1";
  ASSERT_TRUE(pages.save(p));
  const std::string old_uri = p.html.uri();
  p.html = "v2 " + big_text(1000, 3);
  auto r = pages.update(p, {add(&Page::visits, 5)});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(p.visits, 5);
  EXPECT_EQ(p.version, 2);
  EXPECT_NE(p.html.uri(), old_uri);
  EXPECT_EQ(p.html.value(), "v2 " + big_text(1000, 3));
  EXPECT_EQ(keys(), (std::set<std::string>{key_of_uri(p.html.uri(), bucket_)}));

  // An update action on a large attribute is refused before anything is sent.
  auto refused = pages.update(p, {set(attr("html"), value(std::string("x")))});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);

  // clear() removes the attribute and its object.
  p.html.clear();
  ASSERT_TRUE(pages.update(p, {add(&Page::visits, 1)}));
  EXPECT_TRUE(keys().empty());
  EXPECT_TRUE(pages.get("u2").value().html.empty());
}

TEST_F(LargeLocal, RemoveDeletesTheItemThenItsObjects) {
  auto pages = table<Page>();
  Page p{.url = "u3"};
  p.html = "to be removed";
  p.cover = Bytes(std::string("img"));
  ASSERT_TRUE(pages.save(p));
  EXPECT_EQ(keys().size(), 2u);
  auto r = pages.remove(p);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_TRUE(keys().empty());
  EXPECT_EQ(pages.get("u3").error().code, ErrorCode::not_found);
}

TEST_F(LargeLocal, AFailedWriteLeavesNoObjectBehind) {
  auto pages = table<Page>();
  Page p{.url = "u4"};
  p.html = "stored";
  ASSERT_TRUE(pages.save(p));
  Page stale = p;
  p.html = "newer";
  ASSERT_TRUE(pages.save(p));
  const auto before = keys();
  // The stale copy's version check fails: its upload is deleted again.
  stale.html = "lost update";
  stale.cover = Bytes(std::string("lost cover"));
  auto r = pages.save(stale);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(keys(), before);
  EXPECT_TRUE(stale.html.modified());  // the object is unchanged by a failure
  EXPECT_EQ(pages.get("u4").value().html.value(), "newer");
}

TEST_F(LargeLocal, MissingAndCorruptObjectsAreTypedErrors) {
  auto pages = table<Page>();
  Page p{.url = "u5"};
  p.html = "will be corrupted";
  p.cover = Bytes(std::string("will vanish"));
  ASSERT_TRUE(pages.save(p));
  ASSERT_TRUE(s3_.delete_object(bucket_, key_of_uri(p.cover.uri(), bucket_)));
  ASSERT_TRUE(s3_.put_object(
      bucket_, key_of_uri(p.html.uri(), bucket_), "not gzip at all",
      {.attributes = {.content_encoding = "gzip", .metadata = {{"dynamate-sha256", "00"}}}}));
  Page got = pages.get("u5").value();
  auto cover = got.cover.load();
  ASSERT_FALSE(cover);
  EXPECT_EQ(cover.error().code, ErrorCode::dangling_reference) << cover.error().to_string();
  auto html = got.html.load();
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().code, ErrorCode::integrity) << html.error().to_string();
  EXPECT_THROW(static_cast<void>(got.html.value()), Exception);

  // Eager reads report the failure from get() itself.
  auto eager = table<Page>({.eager = true});
  Page q{.url = "u6"};
  q.html = "fine";
  ASSERT_TRUE(eager.save(q));
  auto ok = eager.get("u6");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_TRUE(ok->html.loaded());
  ASSERT_TRUE(s3_.delete_object(bucket_, key_of_uri(q.html.uri(), bucket_)));
  auto missing = eager.get("u6");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::dangling_reference);
}

TEST_F(LargeLocal, BadConfigurationIsRefusedBeforeAnythingIsWritten) {
  auto pages = table<Page>({.bucket = "no-such-bucket-" + unique_name("x").substr(0, 20)});
  Page p{.url = "u7"};
  p.html = "x";
  auto r = pages.save(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found) << r.error().to_string();
  EXPECT_EQ(pages.get("u7").error().code, ErrorCode::not_found);

  Table<Page> no_s3(ddb_, {.table_name = pages.name()});
  auto r2 = no_s3.save(p);
  ASSERT_FALSE(r2);
  EXPECT_EQ(r2.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r2.error().message.find("S3 client"), std::string::npos) << r2.error().message;
}

TEST_F(LargeLocal, SharedLayoutStoresIdenticalValuesOnce) {
  auto docs = table<Doc>();
  const std::string json = R"({"k": ")" + big_text(100000, 4) + R"("})";
  for (std::string name : {"a", "b", "c"}) {
    Doc d{.owner = "o", .name = name};
    d.body = JsonDocument{json};
    ASSERT_TRUE(docs.save(d));
  }
  auto shared = keys("blobs/");
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_EQ(shared.begin()->size(), std::string("blobs/").size() + 64 + 17);  // sha256.period
  auto head = s3_.head_object(bucket_, *shared.begin());
  ASSERT_TRUE(head);
  EXPECT_EQ(head->content_encoding, "zstd");
  // Removing items never deletes a shared object (only the GC does).
  Doc a = docs.get("o", std::string("a")).value();
  EXPECT_EQ(a.body.value().text, json);
  ASSERT_TRUE(docs.remove(a));
  EXPECT_EQ(keys("blobs/").size(), 1u);
  // Query hands out items whose values read through the table.
  auto all = docs.query("o").all();
  ASSERT_TRUE(all) << all.error().to_string();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].body.value().text, json);
}

TEST_F(LargeLocal, PynamodbMateLayoutAndReadingItsItems) {
  auto mates = table<Mate>({.prefix = "projects/pynamodb_mate/examples/large_attribute/"});
  Mate m{.pk = "id-1"};
  m.html = "<b>Hello Alice</b>";
  ASSERT_TRUE(mates.save(m));
  // The key pynamodb_mate 6 itself computes for this value (its docs).
  EXPECT_EQ(m.html.uri(), "s3://" + bucket_ +
                              "/projects/pynamodb_mate/examples/large_attribute/pk=id-1/"
                              "attr=html/md5=e5b18880e7718115f0ca78e83a09aaf1");
  auto head = s3_.head_object(bucket_, key_of_uri(m.html.uri(), bucket_));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->content_encoding, "");
  EXPECT_EQ(head->metadata.at("pk"), "id-1");
  EXPECT_EQ(head->metadata.at("attr"), "html");

  // An item as pynamodb_mate 6 writes it: raw bytes, no metadata of ours.
  const std::string key = "elsewhere/pk=id-2/attr=html/md5=5eb63bbbe01eeed093cb22bb8f5acdc3";
  ASSERT_TRUE(s3_.put_object(bucket_, key, "hello world"));
  ASSERT_TRUE(ddb_.put_item({.table_name = mates.name(),
                             .item = {{"pk", AttributeValue("id-2")},
                                      {"html", AttributeValue("s3://" + bucket_ + "/" + key)}}}));
  EXPECT_EQ(mates.get("id-2").value().html.value(), "hello world");
  // Its md5 is checked.
  ASSERT_TRUE(s3_.put_object(bucket_, key, "tampered"));
  EXPECT_EQ(mates.get("id-2").value().html.load().error().code, ErrorCode::integrity);
}

TEST_F(LargeLocal, StreamsFromAndToFiles) {
  auto pages = table<Page>({.multipart_threshold = 5 * aws::kMiB, .part_size = 5 * aws::kMiB});
  const auto dir = std::filesystem::temp_directory_path() / unique_name("large-files");
  std::filesystem::create_directories(dir);
  const std::string in = (dir / "in.bin").string(), out = (dir / "out.bin").string();
  std::string content = big_text(12 * 1024 * 1024 + 123, 5);  // multipart: 3 parts
  {
    std::ofstream f(in, std::ios::binary);
    f << content;
  }
  Page p{.url = "u8"};
  p.cover = LargeBytes::from_file(in);
  p.html.set_file(in);  // gzip-compressed through a temporary file
  auto saved = pages.save(p);
  ASSERT_TRUE(saved) << saved.error().to_string();
  Page got = pages.get("u8").value();
  ASSERT_TRUE(got.cover.download_to_file(out));
  std::ifstream f(out, std::ios::binary);
  std::string back((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, content);
  http::StringSink sink;
  ASSERT_TRUE(got.html.download_to(sink));
  EXPECT_EQ(sink.data, content);
  std::filesystem::remove_all(dir);
}

TEST_F(LargeLocal, BatchesAndTransactionsUploadFirstAndReadThroughTheTable) {
  auto docs = table<Doc>({.fields = {{"note", {.layout = KeyLayout::per_item}}}});
  BatchWrite w(ddb_);
  for (int i = 0; i < 30; ++i) {  // two BatchWriteItem requests
    Doc d{.owner = "batch", .name = "n" + std::to_string(i)};
    d.note = "note " + std::to_string(i) + big_text(2000, static_cast<char>(i));
    w.put(docs, d);
  }
  auto written = w.execute();
  ASSERT_TRUE(written) << written.error().to_string();
  EXPECT_EQ(keys().size(), 30u);

  BatchGet g(ddb_);
  g.add(docs, std::string("batch"), std::string("n7"));
  ASSERT_TRUE(g.execute());
  auto got = g.items(docs);
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].note.value(), "note 7" + big_text(2000, 7));

  TransactWrite t(ddb_);
  Doc d{.owner = "tx", .name = "one"};
  d.note = "in a transaction";
  t.put(docs, d);
  ASSERT_TRUE(t.execute());
  TransactGet r(ddb_);
  auto h = r.get(docs, std::string("tx"), std::string("one"));
  ASSERT_TRUE(r.execute());
  auto one = r.result(h);
  ASSERT_TRUE(one) << one.error().to_string();
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->note.value(), "in a transaction");

  // Table::encode refuses a new value (it would have to upload it).
  Doc fresh{.owner = "x", .name = "y"};
  fresh.note = "new";
  auto encoded = docs.encode(fresh);
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.error().code, ErrorCode::invalid_argument);
}

TEST_F(LargeLocal, CopyingAValueToAnotherItemCopiesTheObject) {
  auto pages = table<Page>();
  Page a{.url = "a"};
  a.html = "shared text";
  ASSERT_TRUE(pages.save(a));
  Page b{.url = "b"};
  b.html = pages.get("a").value().html;  // a reference to a's object
  ASSERT_TRUE(pages.save(b));
  EXPECT_NE(b.html.uri(), a.html.uri());  // b got its own object
  ASSERT_TRUE(pages.remove(a));           // deletes a's object only
  EXPECT_EQ(pages.get("b").value().html.value(), "shared text");
  EXPECT_EQ(keys().size(), 1u);
}

// A stream claiming more bytes than S3 can hold in one object.
class HugeSource final : public http::BodySource {
 public:
  std::uint64_t size() const override { return aws::kS3MaxObjectSize + 1; }
  Result<std::size_t> read(std::span<char> out) override {
    ++reads;
    std::fill(out.begin(), out.end(), 'x');
    return out.size();
  }
  Result<void> rewind() override { return {}; }
  int reads = 0;
};

TEST_F(LargeLocal, ValuesOverTheS3LimitAndDeniedAccessAreRefusedCleanly) {
  auto pages = table<Page>();
  auto huge = std::make_shared<HugeSource>();
  Page p{.url = "big"};
  p.html = "small";
  p.cover = LargeBytes::from_source(huge);
  auto r = pages.save(p);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument) << r.error().to_string();
  EXPECT_NE(r.error().message.find("5 TiB"), std::string::npos) << r.error().message;
  EXPECT_EQ(huge->reads, 0);    // refused before reading
  EXPECT_TRUE(keys().empty());  // the other field's upload was deleted again
  EXPECT_EQ(pages.get("big").error().code, ErrorCode::not_found);

  // S3 refusing the credentials (the signature-checking server, wrong key).
  auto denied_config = auth_config();
  denied_config.credentials = aws::static_credentials(
      {.access_key_id = "AKIAWRONGWRONGWRONG1", .secret_access_key = "nope"});
  auto denied_s3 = aws::S3Client::create(denied_config).value();
  Table<Page> denied(ddb_, {.table_name = pages.name(),
                            .large = {.s3 = denied_s3, .bucket = bucket_, .prefix = "blobs/"}});
  Page q{.url = "denied"};
  q.html = "x";
  auto d = denied.save(q);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::access_denied) << d.error().to_string();
  EXPECT_EQ(pages.get("denied").error().code, ErrorCode::not_found);
}

TEST_F(LargeLocal, ReadsPynamodbMate5S3BackedItems) {
  auto pages = table<Page>();
  // pynamodb_mate 5: key pynamodb-mate/s3backed/<sha256 of the value>, a
  // gzip body without Content-Encoding or metadata.
  const std::string value = "hello world";
  const std::string key =
      "pynamodb-mate/s3backed/b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
  ASSERT_TRUE(s3_.put_object(bucket_, key, compress(Codec::gzip, value, 9).value()));
  ASSERT_TRUE(ddb_.put_item({.table_name = pages.name(),
                             .item = {{"url", AttributeValue("v5")},
                                      {"cover", AttributeValue("s3://" + bucket_ + "/" + key)}}}));
  Page got = pages.get("v5").value();
  EXPECT_EQ(got.cover.value().view(), value);
  http::StringSink sink;
  ASSERT_TRUE(got.cover.download_to(sink));
  EXPECT_EQ(sink.data, value);
  // The sha256 in its key is checked.
  ASSERT_TRUE(s3_.put_object(bucket_, key, compress(Codec::gzip, "other", 9).value()));
  EXPECT_EQ(pages.get("v5").value().cover.load().error().code, ErrorCode::integrity);
}

}  // namespace
}  // namespace dynamate::test
