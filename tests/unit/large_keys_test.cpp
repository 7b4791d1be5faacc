// Large attributes without the network: object keys (escaping, per-item keys,
// pynamodb_mate 6's layout with its own vectors), URIs, what a key says about
// its content, and the states of a Large<V>.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dynamate/large.hpp"

namespace dynamate::detail {
namespace {

TEST(LargeKeys, EscapingIsInjectiveAndKeepsSlashesOut) {
  EXPECT_EQ(escape_key_segment("abc-XYZ_09"), "abc-XYZ_09");
  EXPECT_EQ(escape_key_segment("a/b=c d"), "a%2Fb%3Dc%20d");
  EXPECT_EQ(escape_key_segment("."), "%2E");
  EXPECT_EQ(escape_key_segment("~x"), "%7Ex");
  EXPECT_EQ(escape_key_segment("\xc3\xa9"), "%C3%A9");
  // Distinct inputs that naive schemes confuse stay distinct.
  std::set<std::string> seen;
  for (std::string raw : {"a/b", "a%2Fb", "a b", "a+b", "a=b", "a.b", "a..b", "%", "%25", "",
                          "\xc3\xa9", "e\xcc\x81"}) {
    EXPECT_TRUE(seen.insert(escape_key_segment(raw)).second) << raw;
  }
}

TEST(LargeKeys, PerItemKeysNameItemAttributeHashAndWrite) {
  const AttributeMap key{{"site", AttributeValue("ex.com/a b")}, {"n", AttributeValue::number(42)}};
  auto segments = item_key_segments(key, "site", "n");
  ASSERT_TRUE(segments) << segments.error().to_string();
  EXPECT_EQ(*segments, "ex%2Ecom%2Fa%20b/42");
  const std::string prefix = per_item_key_prefix("blobs/", *segments, "html");
  EXPECT_EQ(prefix, "blobs/ex%2Ecom%2Fa%20b/42/html/");
  const std::string sha(64, 'a');
  const std::string id = new_write_id();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_NE(id, new_write_id());
  const std::string k = per_item_key(prefix, sha, id);
  std::string parsed;
  EXPECT_TRUE(parse_per_item_key(k, prefix, &parsed));
  EXPECT_EQ(parsed, sha);
  // Another item's or attribute's keys are not this one's.
  EXPECT_FALSE(parse_per_item_key(k, per_item_key_prefix("blobs/", *segments, "cover")));
  EXPECT_FALSE(parse_per_item_key(k, per_item_key_prefix("blobs/", "ex%2Ecom", "html")));
  EXPECT_FALSE(parse_per_item_key(prefix + sha, prefix));  // the shared form
  EXPECT_FALSE(parse_per_item_key(prefix + sha + ".xyz", prefix));

  // Binary keys as hex; long keys hashed (and kept apart from short ones).
  auto binary =
      item_key_segments({{"b", AttributeValue(Bytes(std::string("\x01\xff", 2)))}}, "b", "");
  ASSERT_TRUE(binary);
  EXPECT_EQ(*binary, "01ff");
  auto long_key = item_key_segments({{"h", AttributeValue(std::string(2000, 'x'))}}, "h", "");
  ASSERT_TRUE(long_key);
  EXPECT_EQ(long_key->size(), 65u);
  EXPECT_EQ(long_key->front(), '~');
  auto missing = item_key_segments({{"h", AttributeValue("x")}}, "h", "r");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_argument);
}

// The vectors of /docs (pynamodb_mate 6's own docs notebook for the first).
TEST(LargeKeys, PynamodbMateLayoutMatchesItsKeys) {
  auto k = pynamodb_mate_key("projects/pynamodb_mate/examples/large_attribute/",
                             {{"pk", AttributeValue("id-1")}}, "pk", "", "html",
                             "e5b18880e7718115f0ca78e83a09aaf1");
  ASSERT_TRUE(k);
  EXPECT_EQ(*k,
            "projects/pynamodb_mate/examples/large_attribute/pk=id-1/attr=html/"
            "md5=e5b18880e7718115f0ca78e83a09aaf1");
  const AttributeMap both{{"pk", AttributeValue("user-1")}, {"sk", AttributeValue("doc-1")}};
  EXPECT_EQ(
      pynamodb_mate_key("myprefix", both, "pk", "sk", "body", "5eb63bbbe01eeed093cb22bb8f5acdc3")
          .value(),
      "myprefix/pk=user-1/sk=doc-1/attr=body/md5=5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(pynamodb_mate_key("", {{"pk", AttributeValue::number(123)}}, "pk", "", "body",
                              "5eb63bbbe01eeed093cb22bb8f5acdc3")
                .value(),
            "pk=123/attr=body/md5=5eb63bbbe01eeed093cb22bb8f5acdc3");
  // Its prefix quirk: one slash cut, leading first.
  EXPECT_EQ(pynamodb_mate_key("/a/b/", {{"pk", AttributeValue("user-1")}}, "pk", "", "body",
                              "5eb63bbbe01eeed093cb22bb8f5acdc3")
                .value(),
            "a/b//pk=user-1/attr=body/md5=5eb63bbbe01eeed093cb22bb8f5acdc3");
  // No escaping, as pynamodb_mate does.
  EXPECT_EQ(
      pynamodb_mate_key("p", {{"pk", AttributeValue("a/b c")}, {"sk", AttributeValue::number(7)}},
                        "pk", "sk", "body", "5eb63bbbe01eeed093cb22bb8f5acdc3")
          .value(),
      "p/pk=a/b c/sk=7/attr=body/md5=5eb63bbbe01eeed093cb22bb8f5acdc3");
  auto binary = pynamodb_mate_key("p", {{"pk", AttributeValue(Bytes(std::string("x")))}}, "pk", "",
                                  "body", "00");
  ASSERT_FALSE(binary);
  EXPECT_EQ(binary.error().code, ErrorCode::invalid_argument);
}

TEST(LargeKeys, KeysTellTheirContentHashes) {
  const std::string sha(64, 'b');
  std::string s, m;
  content_hashes_from_key("p/x/html/" + sha + ".0123456789abcdef", &s, &m);
  EXPECT_EQ(s, sha);
  s.clear();
  content_hashes_from_key("pynamodb-mate/s3backed/" + sha, &s, &m);  // pynamodb_mate 5
  EXPECT_EQ(s, sha);
  s.clear();
  content_hashes_from_key("p/pk=1/attr=a/md5=5eb63bbbe01eeed093cb22bb8f5acdc3", &s, &m);
  EXPECT_EQ(s, "");
  EXPECT_EQ(m, "5eb63bbbe01eeed093cb22bb8f5acdc3");
  m.clear();
  content_hashes_from_key("p/whatever.txt", &s, &m);
  EXPECT_EQ(s + m, "");
}

TEST(LargeKeys, UrisParseOrFailWithSchemaMismatch) {
  auto l = parse_large_uri("s3://bucket/a/b c/" + std::string(64, 'c'));
  ASSERT_TRUE(l);
  EXPECT_EQ(l->bucket, "bucket");
  EXPECT_EQ(l->key, "a/b c/" + std::string(64, 'c'));
  EXPECT_EQ(l->sha256_hex, std::string(64, 'c'));
  EXPECT_EQ(make_large_uri("bucket", "k/1"), "s3://bucket/k/1");
  for (std::string bad : {"", "http://b/k", "s3://", "s3://bucket", "s3://bucket/", "s3:///k"}) {
    auto r = parse_large_uri(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  }
  auto not_string = decode_large_reference(AttributeValue::number(1));
  ASSERT_FALSE(not_string);
  EXPECT_EQ(not_string.error().code, ErrorCode::schema_mismatch);
}

TEST(LargeValue, StatesOfALarge) {
  LargeText t;
  EXPECT_TRUE(t.empty());
  EXPECT_FALSE(t.modified());
  EXPECT_EQ(t.value(), "");
  t = "hello";
  EXPECT_FALSE(t.empty());
  EXPECT_TRUE(t.modified());
  EXPECT_TRUE(t.loaded());
  EXPECT_EQ(t.value(), "hello");
  EXPECT_EQ(t.uri(), "");
  t = "";  // an empty value is no value
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t.modified());

  // A stored reference, as decoded from an item.
  LargeBytes b;
  ASSERT_TRUE(
      Converter<LargeBytes>::decode(AttributeValue("s3://bkt/k/" + std::string(64, 'd')), b));
  EXPECT_FALSE(b.empty());
  EXPECT_FALSE(b.modified());
  EXPECT_FALSE(b.loaded());
  EXPECT_EQ(b.uri(), "s3://bkt/k/" + std::string(64, 'd'));
  auto encoded = Converter<LargeBytes>::encode(b);
  ASSERT_TRUE(encoded);
  EXPECT_EQ(*encoded->as_string(), b.uri());
  // No table, no client: loading says so instead of crashing.
  auto loaded = b.load();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::invalid_argument);
  EXPECT_THROW(static_cast<void>(b.value()), Exception);

  // A new value cannot be encoded outside save()/update().
  b = Bytes(std::string("x"));
  auto refused = Converter<LargeBytes>::encode(b);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  b.clear();
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(Converter<LargeBytes>::omit(b));

  // Values from files are read at write time, not by value().
  auto f = LargeJson::from_file("/nonexistent");
  EXPECT_TRUE(f.modified());
  EXPECT_THROW(static_cast<void>(f.value()), Exception);
  EXPECT_FALSE(f.get());
}

}  // namespace
}  // namespace dynamate::detail
