// S3Client::delete_objects (chunking, the XML body and its checksums, quiet
// mode, per-key errors) and ListObjectsV2 (query, parsing, URL-decoded keys,
// paging) against a FakeTransport.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "core/crypto.hpp"
#include "s3_fixture.hpp"

namespace dynamate::aws::s3_test {
namespace {

namespace crypto = dynamate::detail;

std::vector<std::string> keys_in_delete_body(const std::string& body, bool* quiet = nullptr) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(body.data(), body.size())) << body;
  const pugi::xml_node root = doc.child("Delete");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://s3.amazonaws.com/doc/2006-03-01/");
  if (quiet != nullptr) *quiet = root.child("Quiet").text().as_bool();
  std::vector<std::string> keys;
  for (pugi::xml_node o : root.children("Object")) keys.emplace_back(o.child_value("Key"));
  return keys;
}

std::vector<std::string> numbered_keys(int n) {
  std::vector<std::string> keys;
  for (int i = 0; i < n; ++i) keys.push_back("gc/key-" + std::to_string(i));
  return keys;
}

TEST(S3DeleteObjects, SendsChunksOf1000WithChecksums) {
  S3Fixture f;
  f.transport->set_handler([](const http::Request&) -> Result<http::Response> {
    return http::Response{200, {}, "<DeleteResult xmlns=\"x\"></DeleteResult>"};
  });
  const auto keys = numbered_keys(2500);
  auto r = f.client.delete_objects("bkt", keys);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->deleted, keys);  // quiet: every key not reported as failed
  EXPECT_TRUE(r->errors.empty());
  const auto sent = f.transport->requests();
  ASSERT_EQ(sent.size(), 3u);
  std::vector<std::string> all;
  const std::size_t sizes[] = {1000, 1000, 500};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& req = sent[i];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "https://bkt.s3.us-east-1.amazonaws.com/?delete");
    EXPECT_EQ(header(req, "Content-MD5"), crypto::md5_base64(req.body));
    EXPECT_EQ(header(req, "x-amz-checksum-sha256"), crypto::sha256_base64(req.body));
    EXPECT_EQ(header(req, "x-amz-content-sha256"), crypto::sha256_hex(req.body));
    bool quiet = false;
    const auto chunk = keys_in_delete_body(req.body, &quiet);
    EXPECT_TRUE(quiet);
    EXPECT_EQ(chunk.size(), sizes[i]);
    all.insert(all.end(), chunk.begin(), chunk.end());
  }
  EXPECT_EQ(all, keys);
}

TEST(S3DeleteObjects, ReturnsPerKeyErrorsInVerboseMode) {
  S3Fixture f;
  f.transport->push(200,
                    "<?xml version=\"1.0\"?><DeleteResult>"
                    "<Deleted><Key>a</Key></Deleted>"
                    "<Error><Key>b</Key><Code>AccessDenied</Code><Message>Access Denied</Message>"
                    "</Error><Deleted><Key>c &amp; d</Key></Deleted></DeleteResult>");
  const std::vector<std::string> keys = {"a", "b", "c & d"};
  auto r = f.client.delete_objects("bkt", keys, {.quiet = false});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->deleted, (std::vector<std::string>{"a", "c & d"}));
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].key, "b");
  EXPECT_EQ(r->errors[0].code, "AccessDenied");
  EXPECT_EQ(r->errors[0].message, "Access Denied");
  bool quiet = true;
  EXPECT_EQ(keys_in_delete_body(f.last().body, &quiet), keys);
  EXPECT_FALSE(quiet);
}

TEST(S3DeleteObjects, QuietModeDerivesDeletedKeys) {
  S3Fixture f;
  f.transport->push(200,
                    "<DeleteResult><Error><Key>b</Key><Code>InternalError</Code>"
                    "<Message>oops</Message></Error></DeleteResult>");
  const std::vector<std::string> keys = {"a", "b", "c"};
  auto r = f.client.delete_objects("bkt", keys);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->deleted, (std::vector<std::string>{"a", "c"}));
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].code, "InternalError");
}

TEST(S3DeleteObjects, XmlSpecialCharactersSurviveTheBody) {
  S3Fixture f;
  f.transport->push(200, "<DeleteResult/>");
  const std::vector<std::string> keys = {"<tag>&\"quote'", "a//b/./c/../d", "\xC3\xBC ber"};
  ASSERT_TRUE(f.client.delete_objects("bkt", keys));
  EXPECT_EQ(keys_in_delete_body(f.last().body), keys);
}

TEST(S3DeleteObjects, ControlCharacterKeysAreDeletedOneByOne) {
  S3Fixture f;
  f.transport->push(200, "<DeleteResult/>");
  f.transport->push(204);
  f.transport->push(403, s3_error("AccessDenied"));
  const std::vector<std::string> keys = {"plain", "tab\there", std::string("cr\rlf\n")};
  auto r = f.client.delete_objects("bkt", keys);
  ASSERT_TRUE(r) << r.error().to_string();
  const auto sent = f.transport->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(keys_in_delete_body(sent[0].body), std::vector<std::string>{"plain"});
  EXPECT_EQ(sent[1].method, "DELETE");
  EXPECT_EQ(sent[1].url, "https://bkt.s3.us-east-1.amazonaws.com/tab%09here");
  EXPECT_EQ(sent[2].url, "https://bkt.s3.us-east-1.amazonaws.com/cr%0Dlf%0A");
  EXPECT_EQ(r->deleted, (std::vector<std::string>{"plain", "tab\there"}));
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].key, keys[2]);
  EXPECT_EQ(r->errors[0].code, "AccessDenied");
}

TEST(S3DeleteObjects, RequestLevelFailureIsAnError) {
  S3Fixture f;
  f.transport->push(200, "<DeleteResult/>");
  f.transport->push(403, s3_error("AccessDenied"));
  auto r = f.client.delete_objects("bkt", numbered_keys(1500));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::access_denied);
  EXPECT_NE(r.error().message.find("1000 keys of earlier requests"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST(S3DeleteObjects, NothingToDeleteSendsNothing) {
  S3Fixture f;
  auto r = f.client.delete_objects("bkt", {});
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->deleted.empty());
  EXPECT_EQ(f.transport->request_count(), 0u);
}

TEST(S3DeleteObjects, InvalidKeySendsNothing) {
  S3Fixture f;
  const std::vector<std::string> keys = {"ok", ""};
  auto r = f.client.delete_objects("bkt", keys);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("key #1"), std::string::npos);
  EXPECT_EQ(f.transport->request_count(), 0u);
}

// --- ListObjectsV2 -------------------------------------------------------------

const char* kListPage =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>bkt</Name><Prefix>photos%2F</Prefix><KeyCount>4</KeyCount><MaxKeys>3</MaxKeys>
  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
  <Contents><Key>photos/a%20b</Key><LastModified>2009-10-12T17:50:30.000Z</LastModified>
    <ETag>&quot;e1&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>photos/c%2Bd+e</Key><LastModified>2009-10-12T17:50:31.250Z</LastModified>
    <ETag>"e2"</ETag><Size>0</Size><StorageClass>GLACIER</StorageClass></Contents>
  <Contents><Key>photos/%C3%BC%01</Key><Size>5</Size></Contents>
  <CommonPrefixes><Prefix>photos/2024%2F</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";

TEST(S3ListObjects, SendsQueryAndParsesPage) {
  S3Fixture f;
  f.transport->push(200, kListPage);
  auto r = f.client.list_objects("bkt", {.prefix = "photos/",
                                         .delimiter = "/",
                                         .max_keys = 3,
                                         .continuation_token = "tok/en=",
                                         .start_after = "photos/0"});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(f.last().method, "GET");
  EXPECT_EQ(f.last().url,
            "https://bkt.s3.us-east-1.amazonaws.com/?list-type=2&encoding-type=url"
            "&prefix=photos%2F&delimiter=%2F&continuation-token=tok%2Fen%3D"
            "&start-after=photos%2F0&max-keys=3");
  ASSERT_EQ(r->objects.size(), 3u);
  EXPECT_EQ(r->objects[0].key, "photos/a b");
  EXPECT_EQ(r->objects[0].size, 434234u);
  EXPECT_EQ(r->objects[0].etag, "\"e1\"");
  EXPECT_EQ(r->objects[0].storage_class, "STANDARD");
  ASSERT_TRUE(r->objects[0].last_modified);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*r->objects[0].last_modified), 1255369830);
  EXPECT_EQ(r->objects[1].key, "photos/c+d e");
  EXPECT_EQ(r->objects[1].storage_class, "GLACIER");
  EXPECT_EQ(*r->objects[1].last_modified - *r->objects[0].last_modified,
            std::chrono::milliseconds(1250));
  EXPECT_EQ(r->objects[2].key, "photos/\xC3\xBC\x01");
  EXPECT_FALSE(r->objects[2].last_modified);
  EXPECT_EQ(r->common_prefixes, std::vector<std::string>{"photos/2024/"});
  EXPECT_TRUE(r->is_truncated);
  EXPECT_EQ(r->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

std::string page(const std::vector<std::string>& keys, const std::string& next_token) {
  std::string xml = "<ListBucketResult>";
  for (const auto& k : keys) xml += "<Contents><Key>" + k + "</Key><Size>1</Size></Contents>";
  xml += next_token.empty() ? "<IsTruncated>false</IsTruncated>"
                            : "<IsTruncated>true</IsTruncated><NextContinuationToken>" +
                                  next_token + "</NextContinuationToken>";
  return xml + "</ListBucketResult>";
}

TEST(S3ListObjects, ListAllFollowsContinuationTokens) {
  S3Fixture f({.endpoint = "http://127.0.0.1:5000"});
  f.transport->push(200, page({"a", "b"}, "t1"));
  f.transport->push(200, page({"c", "d"}, "t 2"));
  f.transport->push(200, page({"e"}, ""));
  auto r = f.client.list_all_objects("bkt", {.max_keys = 2});
  ASSERT_TRUE(r) << r.error().to_string();
  std::vector<std::string> keys;
  for (const auto& o : r->objects) keys.push_back(o.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_FALSE(r->is_truncated);
  const auto sent = f.transport->requests();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].url, "http://127.0.0.1:5000/bkt?list-type=2&encoding-type=url&max-keys=2");
  EXPECT_NE(sent[1].url.find("continuation-token=t1&"), std::string::npos) << sent[1].url;
  EXPECT_NE(sent[2].url.find("continuation-token=t%202&"), std::string::npos) << sent[2].url;
}

TEST(S3ListObjects, PagingStopsWhenTheCallbackSaysSo) {
  S3Fixture f;
  f.transport->push(200, page({"a"}, "t1"));
  int pages = 0;
  ASSERT_TRUE(f.client.for_each_object_page("bkt", {}, [&](const ListObjectsResult& p) {
    ++pages;
    EXPECT_EQ(p.objects.at(0).key, "a");
    return false;
  }));
  EXPECT_EQ(pages, 1);
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(S3ListObjects, MalformedResponsesAreProtocolErrors) {
  S3Fixture f;
  f.transport->push(200, "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>");
  f.transport->push(200, "<ListBucketResult><Contents>");
  f.transport->push(200, s3_error("InternalError"));
  for (int i = 0; i < 3; ++i) {
    auto r = f.client.list_objects("bkt");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::protocol) << r.error().to_string();
  }
}

TEST(S3ListObjects, MissingBucketIsNotFound) {
  S3Fixture f;
  f.transport->push(404, s3_error("NoSuchBucket"));
  auto r = f.client.list_objects("bkt");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

}  // namespace
}  // namespace dynamate::aws::s3_test
