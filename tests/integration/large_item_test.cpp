// LargeItemTable (large_item.hpp) against DynamoDB Local + moto S3: put, get
// and remove of AttributeMap items with large attributes, file and stream
// values, codecs and key layouts, the typed errors, and that failures leave
// neither objects nor half-written items behind.
#include "dynamate/large_item.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "support/local_aws.hpp"

namespace dynamate::test {
namespace {

std::string text_of(std::size_t n, char seed) {
  std::string s;
  s.reserve(n);
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>('a' + (i * 7 + seed) % 26));
  return s;
}

AttributeMap key_of(const std::string& site, const std::string& path) {
  return {{"site", AttributeValue(site)}, {"path", AttributeValue(path)}};
}

class LargeItemLocal : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = s3_.create_bucket(bucket_);
    ASSERT_TRUE(made) << made.error().to_string();
    aws::CreateTableRequest r;
    r.table_name = table_;
    r.billing_mode = aws::BillingMode::pay_per_request;
    r.key_schema = {{"site", aws::KeyType::hash}, {"path", aws::KeyType::range}};
    r.attribute_definitions = {{"site", aws::ScalarAttributeType::S},
                               {"path", aws::ScalarAttributeType::S}};
    auto created = ddb_.create_table(r);
    ASSERT_TRUE(created) << created.error().to_string();
    dir_ = std::filesystem::temp_directory_path() / unique_name("large-item");
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    static_cast<void>(ddb_.delete_table(table_));
    if (auto all = s3_.list_all_objects(bucket_)) {
      for (const auto& o : all->objects) static_cast<void>(s3_.delete_object(bucket_, o.key));
    }
    static_cast<void>(s3_.delete_bucket(bucket_));
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  LargeItemTable open(std::vector<LargeAttributeSpec> attributes, LargeConfig config = {}) {
    if (!config.s3) config.s3 = s3_;
    auto t = LargeItemTable::open(ddb_, table_, std::move(config), std::move(attributes));
    EXPECT_TRUE(t) << t.error().to_string();
    return std::move(t).value();
  }
  LargeItemTable pages() {
    return open(
        {{.name = "html", .kind = LargeKind::text, .codec = Codec::gzip}, {.name = "cover"}},
        {.bucket = bucket_, .prefix = "blobs/"});
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
  std::string key_in_bucket(const std::string& uri) {
    const std::string head = "s3://" + bucket_ + "/";
    EXPECT_TRUE(uri.starts_with(head)) << uri;
    return uri.substr(head.size());
  }
  std::string write_file(const std::string& name, const std::string& content) {
    const auto path = (dir_ / name).string();
    std::ofstream f(path, std::ios::binary);
    f << content;
    return path;
  }
  static std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  }
  std::optional<AttributeMap> raw(const AttributeMap& key) {
    auto r = ddb_.get_item({.table_name = table_, .key = key, .consistent_read = true});
    EXPECT_TRUE(r) << r.error().to_string();
    return r ? r->item : std::nullopt;
  }

  aws::DynamoDbClient ddb_ = aws::DynamoDbClient::create(dynamodb_config()).value();
  aws::S3Client s3_ = aws::S3Client::create(s3_config()).value();
  std::string bucket_ = unique_name("large-item");
  std::string table_ = unique_name("large-item");
  std::filesystem::path dir_;
};

TEST_F(LargeItemLocal, PutGetRemoveRoundTrip) {
  auto t = pages();
  EXPECT_EQ(t.hash_key_name(), "site");
  EXPECT_EQ(t.range_key_name(), "path");
  const std::string html = "<html>" + text_of(300 * 1024, 1) + "</html>";
  const std::string cover = std::string("\x89PNG\0\1", 6) + text_of(200 * 1024, 2);
  AttributeMap item = key_of("python.org", "/a b/é=1");
  item["visits"] = AttributeValue::number(std::int64_t{7});
  auto put = t.put(item, {{"html", LargeValue::from_memory(html)},
                          {"cover", LargeValue::from_file(write_file("cover.png", cover))}});
  ASSERT_TRUE(put) << put.error().to_string();
  EXPECT_FALSE(put->old_item);
  EXPECT_TRUE(put->orphaned.empty());
  EXPECT_EQ(keys("blobs/").size(), 2u);

  // The stored item holds the URIs; the HTML object is gzip.
  auto stored = raw(key_of("python.org", "/a b/é=1"));
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, put->item);
  const std::string html_uri = *stored->at("html").as_string();
  EXPECT_TRUE(html_uri.starts_with("s3://" + bucket_ + "/blobs/python%2Eorg/")) << html_uri;
  auto head = s3_.head_object(bucket_, key_in_bucket(html_uri));
  ASSERT_TRUE(head) << head.error().to_string();
  EXPECT_EQ(head->content_encoding, "gzip");
  EXPECT_EQ(head->content_type, "text/plain; charset=utf-8");
  EXPECT_LT(head->content_length, html.size() / 4);

  auto got = t.get(key_of("python.org", "/a b/é=1"));
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(got->attributes(), *stored);
  EXPECT_EQ(got->key(), key_of("python.org", "/a b/é=1"));
  EXPECT_EQ(got->uri("html").value(), html_uri);
  EXPECT_EQ(got->fetch("html").value(), html);
  http::StringSink sink;
  ASSERT_TRUE(got->stream("cover", sink));
  EXPECT_EQ(sink.data, cover);
  const std::string out = (dir_ / "out.html").string();
  ASSERT_TRUE(got->download_to_file("html", out));
  EXPECT_EQ(read_file(out), html);

  auto removed = t.remove(key_of("python.org", "/a b/é=1"));
  ASSERT_TRUE(removed) << removed.error().to_string();
  ASSERT_TRUE(removed->old_item);
  EXPECT_EQ(*removed->old_item, *stored);
  EXPECT_TRUE(keys().empty());
  EXPECT_EQ(t.get(key_of("python.org", "/a b/é=1")).error().code, ErrorCode::not_found);
  // Removing again is not an error: there was no item.
  auto again = t.remove(key_of("python.org", "/a b/é=1"));
  ASSERT_TRUE(again) << again.error().to_string();
  EXPECT_FALSE(again->old_item);
}

TEST_F(LargeItemLocal, APutReplacesTheItemAndDeletesWhatItNoLongerHolds) {
  auto t = pages();
  const AttributeMap key = key_of("s", "p");
  ASSERT_TRUE(t.put(
      key, {{"html", LargeValue::from_memory("v1")}, {"cover", LargeValue::from_memory("c1")}}));
  const AttributeMap first = *raw(key);

  // The cover kept by its URI (not uploaded again), new HTML.
  AttributeMap keep_cover = key;
  keep_cover["cover"] = first.at("cover");
  auto second = t.put(keep_cover, {{"html", LargeValue::from_memory("v2")}});
  ASSERT_TRUE(second) << second.error().to_string();
  EXPECT_EQ(second->item.at("cover"), first.at("cover"));
  EXPECT_NE(second->item.at("html"), first.at("html"));
  EXPECT_EQ(keys(), (std::set<std::string>{key_in_bucket(*second->item.at("html").as_string()),
                                           key_in_bucket(*first.at("cover").as_string())}));
  EXPECT_EQ(t.get(key).value().fetch("html").value(), "v2");

  // Without the cover, its object goes; so does an object of this item in an
  // attribute this LargeItemTable does not declare.
  auto notes = open({{.name = "notes"}}, {.bucket = bucket_, .prefix = "blobs/"});
  AttributeMap with_notes = *raw(key);
  ASSERT_TRUE(notes.put(with_notes, {{"notes", LargeValue::from_memory("n1")}}));
  EXPECT_EQ(keys().size(), 3u);
  ASSERT_TRUE(t.put(key, {{"html", LargeValue::from_memory("v3")}}));
  EXPECT_EQ(keys().size(), 1u);
  EXPECT_EQ(raw(key)->count("notes"), 0u);
}

TEST_F(LargeItemLocal, CodecsLayoutsAndStreams) {
  auto t = open(
      {{.name = "doc", .kind = LargeKind::json, .codec = Codec::zstd, .layout = KeyLayout::shared},
       {.name = "html", .layout = KeyLayout::pynamodb_mate}},
      {.bucket = bucket_, .prefix = "shared/"});
  const std::string json = R"({"k":")" + text_of(100000, 3) + R"("})";
  for (const char* path : {"a", "b"}) {
    auto r =
        t.put(key_of("s", path), {{"doc", LargeValue::from_source(http::string_body_source(json))},
                                  {"html", LargeValue::from_memory("<b>Hello Alice</b>")}});
    ASSERT_TRUE(r) << r.error().to_string();
  }
  // One shared object for the two items, zstd; pynamodb_mate keys per item.
  auto shared = keys("shared/");
  std::size_t content_addressed = 0;
  for (const auto& k : shared) {
    if (k.size() == std::string("shared/").size() + 64 + 17) ++content_addressed;  // sha256.period
  }
  EXPECT_EQ(content_addressed, 1u);
  EXPECT_TRUE(shared.contains("shared/pk=s/sk=a/attr=html/md5=e5b18880e7718115f0ca78e83a09aaf1"));
  auto got = t.get(key_of("s", "b")).value();
  EXPECT_EQ(s3_.head_object(bucket_, key_in_bucket(got.uri("doc").value()))->content_encoding,
            "zstd");
  EXPECT_EQ(got.fetch("doc").value(), json);
  EXPECT_EQ(got.fetch("html").value(), "<b>Hello Alice</b>");
  // Removing items never deletes shared or pynamodb_mate objects (the GC does).
  ASSERT_TRUE(t.remove(key_of("s", "a")));
  EXPECT_EQ(keys("shared/"), shared);
  EXPECT_EQ(t.get(key_of("s", "b")).value().fetch("doc").value(), json);
}

TEST_F(LargeItemLocal, OpeningRefusesBadDeclarations) {
  auto missing = LargeItemTable::open(ddb_, table_ + "-missing", {.s3 = s3_}, {{.name = "x"}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_NE(missing.error().message.find(table_ + "-missing\" does not exist"), std::string::npos)
      << missing.error().message;

  auto on_key = LargeItemTable::open(ddb_, table_, {.s3 = s3_}, {{.name = "path"}});
  ASSERT_FALSE(on_key);
  EXPECT_EQ(on_key.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(on_key.error().message.find("\"path\" is a key attribute"), std::string::npos);

  auto twice = LargeItemTable::open(ddb_, table_, {.s3 = s3_}, {{.name = "a"}, {.name = "a"}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::invalid_argument);
  auto empty = LargeItemTable::open(ddb_, table_, {.s3 = s3_}, {{.name = ""}});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::invalid_argument);
  auto no_s3 = LargeItemTable::open(ddb_, table_, {.bucket = bucket_}, {{.name = "a"}});
  ASSERT_FALSE(no_s3);
  EXPECT_EQ(no_s3.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(no_s3.error().message.find("S3 client"), std::string::npos);
}

TEST_F(LargeItemLocal, BadInputIsRefusedAndNothingIsWritten) {
  auto t = pages();
  auto expect_refused = [&](Result<LargeWriteResult> r, ErrorCode code, const std::string& says) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, code) << r.error().to_string();
    EXPECT_NE(r.error().message.find(says), std::string::npos) << r.error().message;
  };
  const AttributeMap key = key_of("s", "p");
  expect_refused(t.put({{"site", AttributeValue("s")}}, {}), ErrorCode::invalid_argument,
                 "no key attribute \"path\"");
  expect_refused(t.put(key, {{"other", LargeValue::from_memory("x")}}), ErrorCode::invalid_argument,
                 "\"other\" is not a large attribute");
  AttributeMap both = key;
  both["html"] = AttributeValue("s3://" + bucket_ + "/x");
  expect_refused(t.put(both, {{"html", LargeValue::from_memory("x")}}), ErrorCode::invalid_argument,
                 "given both in the item and as a large value");
  AttributeMap not_uri = key;
  not_uri["html"] = AttributeValue("just text");
  expect_refused(t.put(not_uri, {}), ErrorCode::invalid_argument, "must hold an S3 URI");
  // Upload 2 of 2 fails: the first one is deleted again.
  expect_refused(t.put(key, {{"html", LargeValue::from_memory(text_of(100000, 4))},
                             {"cover", LargeValue::from_file((dir_ / "missing").string())}}),
                 ErrorCode::invalid_argument, "missing");
  expect_refused(t.put(key, {{"html", LargeValue::from_source(nullptr)}}),
                 ErrorCode::invalid_argument, "null");

  auto nowhere = open({{.name = "html"}}, {.bucket = unique_name("no-such-bucket")});
  expect_refused(nowhere.put(key, {{"html", LargeValue::from_memory("x")}}), ErrorCode::not_found,
                 "large attribute \"html\"");

  // An item over 400 KB: the uploads are deleted again.
  AttributeMap big = key;
  big["blob"] = AttributeValue(std::string(401 * 1024, 'x'));
  expect_refused(t.put(big, {{"html", LargeValue::from_memory("x")}}), ErrorCode::invalid_argument,
                 "too large");

  EXPECT_FALSE(raw(key));
  EXPECT_TRUE(keys().empty());

  auto extra = t.get(
      {{"site", AttributeValue("s")}, {"path", AttributeValue("p")}, {"x", AttributeValue("y")}});
  ASSERT_FALSE(extra);
  EXPECT_EQ(extra.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(t.get(key).error().code, ErrorCode::not_found);
  EXPECT_EQ(t.remove({{"site", AttributeValue("s")}}).error().code, ErrorCode::invalid_argument);
}

TEST_F(LargeItemLocal, AFailedWriteKeepsTheStoredItemAndItsObjects) {
  auto t = pages();
  const AttributeMap key = key_of("s", "p");
  ASSERT_TRUE(t.put(key, {{"html", LargeValue::from_memory("stored")}}));
  const auto before = keys();
  const AttributeMap stored = *raw(key);
  // The condition fails: the new uploads are deleted, nothing else changes.
  auto r = t.put(
      key, {{"html", LargeValue::from_memory("new")}, {"cover", LargeValue::from_memory("c")}},
      {.condition = attr("site").not_exists()});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(keys(), before);
  EXPECT_EQ(*raw(key), stored);
  // So does a failed remove.
  auto rm = t.remove(key, {.condition = attr("visits").exists()});
  ASSERT_FALSE(rm);
  EXPECT_EQ(rm.error().code, ErrorCode::condition_failed);
  EXPECT_EQ(keys(), before);
  EXPECT_EQ(t.get(key).value().fetch("html").value(), "stored");
}

TEST_F(LargeItemLocal, ReadErrorsAreTyped) {
  auto t = pages();
  AttributeMap item = key_of("s", "p");
  item["title"] = AttributeValue("not a URI");
  ASSERT_TRUE(t.put(
      item, {{"html", LargeValue::from_memory("x")}, {"cover", LargeValue::from_memory("y")}}));
  auto got = t.get(key_of("s", "p")).value();
  EXPECT_EQ(got.fetch("nothing").error().code, ErrorCode::not_found);
  EXPECT_EQ(got.fetch("title").error().code, ErrorCode::schema_mismatch);
  ASSERT_TRUE(s3_.delete_object(bucket_, key_in_bucket(got.uri("cover").value())));
  EXPECT_EQ(got.fetch("cover").error().code, ErrorCode::dangling_reference);
  const std::string out = (dir_ / "cover.out").string();
  EXPECT_EQ(got.download_to_file("cover", out).error().code, ErrorCode::dangling_reference);
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST_F(LargeItemLocal, WithoutABucketRemoveFindsTheObjectsByTheirKeys) {
  auto t = pages();
  ASSERT_TRUE(t.put(key_of("s", "p/q r"), {{"html", LargeValue::from_memory("x")},
                                           {"cover", LargeValue::from_memory("y")}}));
  // A foreign object the item references is not this item's: it stays.
  ASSERT_TRUE(s3_.put_object(bucket_, "elsewhere/thing", "z"));
  AttributeMap item = *raw(key_of("s", "p/q r"));
  item["other"] = AttributeValue("s3://" + bucket_ + "/elsewhere/thing");
  ASSERT_TRUE(ddb_.put_item({.table_name = table_, .item = item}));

  auto anywhere = open({});  // no bucket, no declared attribute
  auto refused =
      open({{.name = "html"}}).put(key_of("s", "x"), {{"html", LargeValue::from_memory("x")}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(refused.error().message.find("no bucket"), std::string::npos);

  auto removed = anywhere.remove(key_of("s", "p/q r"));
  ASSERT_TRUE(removed) << removed.error().to_string();
  EXPECT_EQ(keys(), (std::set<std::string>{"elsewhere/thing"}));
}

}  // namespace
}  // namespace dynamate::test
