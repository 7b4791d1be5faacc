// S3Client against a FakeTransport: addressing (virtual-hosted and path
// style, awkward keys), the headers each option sends, payload hashing,
// response parsing, error-in-200, bucket calls, presigning and validation
// (which must send nothing).
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include "core/crypto.hpp"
#include "s3_fixture.hpp"

namespace dynamate::aws::s3_test {
namespace {

namespace crypto = dynamate::detail;

// --- Addressing ---------------------------------------------------------------

TEST(S3Addressing, VirtualHostedByDefault) {
  S3Fixture f({.region = "us-west-2"});
  f.transport->push(200);
  ASSERT_TRUE(f.client.put_object("my-bucket", "dir/file.txt", "hello"));
  const auto r = f.last();
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.url, "https://my-bucket.s3.us-west-2.amazonaws.com/dir/file.txt");
  EXPECT_EQ(r.body, "hello");
  EXPECT_NE(header(r, "Authorization").find("/us-west-2/s3/aws4_request"), std::string::npos);
}

TEST(S3Addressing, PathStyleWhenConfigured) {
  S3Fixture f({.endpoint = "https://s3.example.com/", .path_style = true});
  f.transport->push(200);
  ASSERT_TRUE(f.client.get_object("my-bucket", "k"));
  EXPECT_EQ(f.last().url, "https://s3.example.com/my-bucket/k");
}

TEST(S3Addressing, PathStyleForIpAndLocalhostEndpoints) {
  for (const std::string endpoint :
       {"http://127.0.0.1:5000", "http://localhost:4566", "http://[::1]:9000"}) {
    S3Fixture f({.endpoint = endpoint});
    f.transport->push(200);
    ASSERT_TRUE(f.client.get_object("bkt", "k"));
    EXPECT_EQ(f.last().url, endpoint + "/bkt/k");
  }
}

TEST(S3Addressing, CustomHostIsVirtualHosted) {
  S3Fixture f({.endpoint = "http://s3.local:9000"});
  f.transport->push(200);
  ASSERT_TRUE(f.client.get_object("my.bucket", "k"));  // dots are fine without TLS
  EXPECT_EQ(f.last().url, "http://my.bucket.s3.local:9000/k");
}

TEST(S3Addressing, DottedBucketOverHttpsUsesPathStyle) {
  S3Fixture f;
  f.transport->push(200);
  ASSERT_TRUE(f.client.get_object("my.bucket", "k"));
  EXPECT_EQ(f.last().url, "https://s3.us-east-1.amazonaws.com/my.bucket/k");
}

TEST(S3Addressing, KeysAreEncodedOnceAndNeverNormalized) {
  const std::pair<std::string, std::string> cases[] = {
      {"a//b/./c/../d", "/a//b/./c/../d"},
      {"sp ace+plus%pct", "/sp%20ace%2Bplus%25pct"},
      {"\xC3\xBC/\xD0\xBA\xD0\xBB", "/%C3%BC/%D0%BA%D0%BB"},  // ü/кл
      {"/leading", "//leading"},
      {"q?x=1&y#z~_-.", "/q%3Fx%3D1%26y%23z~_-."},
  };
  for (const auto& [key, path] : cases) {
    S3Fixture f;
    f.transport->push(200);
    ASSERT_TRUE(f.client.head_object("bkt", key)) << key;
    EXPECT_EQ(f.last().url, "https://bkt.s3.us-east-1.amazonaws.com" + path);
    S3Fixture p({.endpoint = "http://127.0.0.1:5000"});
    p.transport->push(200);
    ASSERT_TRUE(p.client.head_object("bkt", key)) << key;
    EXPECT_EQ(p.last().url, "http://127.0.0.1:5000/bkt" + path);
  }
}

// --- PutObject ----------------------------------------------------------------

TEST(S3PutObject, SendsEveryOptionAsHeaders) {
  S3Fixture f;
  f.transport->push(200, "", {{"ETag", "\"abc\""}, {"x-amz-version-id", "v1"}});
  const std::string body = "payload bytes";
  auto r = f.client.put_object("bkt", "k", body,
                               {.attributes = {.content_type = "text/plain",
                                               .content_encoding = "gzip",
                                               .content_disposition = "attachment",
                                               .cache_control = "max-age=60",
                                               .metadata = {{"Owner", "me"}, {"sha256", "x"}},
                                               .sse = ServerSideEncryption::kms,
                                               .kms_key_id = "key-1",
                                               .storage_class = "STANDARD_IA"},
                                .payload = {.checksum_sha256 = true, .content_md5 = true},
                                .if_none_match = true});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->etag, "\"abc\"");
  EXPECT_EQ(r->version_id, "v1");
  EXPECT_EQ(r->sha256_hex, crypto::sha256_hex(body));
  const auto req = f.last();
  EXPECT_EQ(header(req, "Content-Type"), "text/plain");
  EXPECT_EQ(header(req, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(req, "Content-Disposition"), "attachment");
  EXPECT_EQ(header(req, "Cache-Control"), "max-age=60");
  EXPECT_EQ(header(req, "x-amz-meta-owner"), "me");
  EXPECT_EQ(header(req, "x-amz-meta-sha256"), "x");
  EXPECT_EQ(header(req, "x-amz-server-side-encryption"), "aws:kms");
  EXPECT_EQ(header(req, "x-amz-server-side-encryption-aws-kms-key-id"), "key-1");
  EXPECT_EQ(header(req, "x-amz-storage-class"), "STANDARD_IA");
  EXPECT_EQ(header(req, "x-amz-checksum-sha256"), crypto::sha256_base64(body));
  EXPECT_EQ(header(req, "x-amz-sdk-checksum-algorithm"), "SHA256");
  EXPECT_EQ(header(req, "Content-MD5"), crypto::md5_base64(body));
  EXPECT_EQ(header(req, "x-amz-content-sha256"), crypto::sha256_hex(body));
  EXPECT_EQ(header(req, "If-None-Match"), "*");
}

TEST(S3PutObject, PlainPutSendsNoOptionalHeaders) {
  S3Fixture f;
  f.transport->push(200);
  ASSERT_TRUE(f.client.put_object(
      "bkt", "k", "x", {.attributes = {.sse = ServerSideEncryption::s3}, .if_match = "\"e1\""}));
  const auto req = f.last();
  EXPECT_EQ(header(req, "x-amz-server-side-encryption"), "AES256");
  EXPECT_EQ(header(req, "If-Match"), "\"e1\"");
  for (const char* h :
       {"x-amz-server-side-encryption-aws-kms-key-id", "Content-Type", "x-amz-checksum-sha256",
        "Content-MD5", "If-None-Match", "x-amz-storage-class"}) {
    EXPECT_EQ(header(req, h), "<absent>") << h;
  }
}

TEST(S3PutObject, PreconditionFailedIsConditionFailedAndNotRetried) {
  S3Fixture f({.max_attempts = 3});
  f.transport->push(412, s3_error("PreconditionFailed"));
  auto r = f.client.put_object("bkt", "k", "x", {.if_none_match = true});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed);
  EXPECT_NE(r.error().message.find("PutObject s3://bkt/k"), std::string::npos);
  EXPECT_EQ(f.transport->request_count(), 1u);
}

TEST(S3PutObject, StreamIsHashedInAPrePassByDefault) {
  S3Fixture f;
  f.transport->push(200);
  const std::string data = test_bytes(300000);
  auto source = std::make_shared<CountingSource>(data);
  auto r = f.client.put_object("bkt", "k", source);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(source->bytes_read, 2 * data.size());  // hash pass + the transport's read
  EXPECT_EQ(header(f.last(), "x-amz-content-sha256"), crypto::sha256_hex(data));
  EXPECT_EQ(f.last().body, data);
  EXPECT_EQ(r->sha256_hex, crypto::sha256_hex(data));
}

TEST(S3PutObject, UnsignedPayloadReadsTheStreamOnce) {
  S3Fixture f;
  f.transport->push(200);
  const std::string data = test_bytes(1000);
  auto source = std::make_shared<CountingSource>(data);
  ASSERT_TRUE(f.client.put_object("bkt", "k", source, {.payload = {.unsigned_payload = true}}));
  EXPECT_EQ(source->bytes_read, data.size());
  EXPECT_EQ(header(f.last(), "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(header(f.last(), "x-amz-checksum-sha256"), "<absent>");
}

TEST(S3PutObject, ChecksumOfAStreamNeedsThePrePassOrAGivenHash) {
  const std::string data = test_bytes(1000);
  {
    S3Fixture f;
    f.transport->push(200);
    auto source = std::make_shared<CountingSource>(data);
    ASSERT_TRUE(f.client.put_object(
        "bkt", "k", source, {.payload = {.unsigned_payload = true, .checksum_sha256 = true}}));
    EXPECT_EQ(source->bytes_read, 2 * data.size());
    EXPECT_EQ(header(f.last(), "x-amz-checksum-sha256"), crypto::sha256_base64(data));
  }
  {
    S3Fixture f;
    f.transport->push(200);
    auto source = std::make_shared<CountingSource>(data);
    ASSERT_TRUE(f.client.put_object(
        "bkt", "k", source,
        {.payload = {.sha256_hex = crypto::sha256_hex(data), .checksum_sha256 = true}}));
    EXPECT_EQ(source->bytes_read, data.size());
    EXPECT_EQ(header(f.last(), "x-amz-content-sha256"), crypto::sha256_hex(data));
    EXPECT_EQ(header(f.last(), "x-amz-checksum-sha256"), crypto::sha256_base64(data));
  }
}

TEST(S3PutObject, APartlyReadStreamIsSentFromItsFirstByte) {
  // With no hashing pass (unsigned, or the hash given) nothing else would
  // rewind the source before the transport reads it.
  const std::string data = "the whole body, not just its tail";
  for (const PayloadOptions& payload :
       {PayloadOptions{.unsigned_payload = true},
        PayloadOptions{.sha256_hex = crypto::sha256_hex(data)}, PayloadOptions{}}) {
    S3Fixture f;
    f.transport->push(200);
    auto source = http::string_body_source(data);
    char skipped[9];
    ASSERT_EQ(source->read(skipped).value(), sizeof skipped);
    auto r = f.client.put_object("bkt", "k", source, {.payload = payload});
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_EQ(f.last().body, data);
  }
}

TEST(S3PutObject, StreamShorterThanItsSizeIsRejected) {
  S3Fixture f;
  auto source = std::make_shared<CountingSource>("abc", 10);
  auto r = f.client.put_object("bkt", "k", source);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(f.transport->request_count(), 0u);
}

// --- GetObject / HeadObject / DeleteObject -------------------------------------

const http::Headers kObjectHeaders = {
    {"Content-Length", "10"},
    {"Content-Type", "text/plain"},
    {"Content-Encoding", "gzip"},
    {"Cache-Control", "no-cache"},
    {"ETag", "\"e\""},
    {"Last-Modified", "Wed, 12 Oct 2009 17:50:00 GMT"},
    {"X-Amz-Meta-Owner", "me"},
    {"x-amz-meta-sha256", "abc"},
    {"x-amz-checksum-sha256", "Q0hFQ0s="},
    {"x-amz-version-id", "v7"},
    {"x-amz-storage-class", "STANDARD_IA"},
    {"x-amz-server-side-encryption", "AES256"},
};

void expect_object_info(const ObjectInfo& info) {
  EXPECT_EQ(info.content_length, 10u);
  EXPECT_EQ(info.content_type, "text/plain");
  EXPECT_EQ(info.content_encoding, "gzip");
  EXPECT_EQ(info.cache_control, "no-cache");
  EXPECT_EQ(info.etag, "\"e\"");
  ASSERT_TRUE(info.last_modified);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*info.last_modified), 1255369800);
  EXPECT_EQ(info.metadata,
            (std::map<std::string, std::string>{{"owner", "me"}, {"sha256", "abc"}}));
  EXPECT_EQ(info.checksum_sha256, "Q0hFQ0s=");
  EXPECT_EQ(info.version_id, "v7");
  EXPECT_EQ(info.storage_class, "STANDARD_IA");
  EXPECT_EQ(info.server_side_encryption, "AES256");
}

TEST(S3GetObject, ReturnsBodyAndMetadata) {
  S3Fixture f;
  f.transport->push(200, "0123456789", kObjectHeaders);
  auto r = f.client.get_object("bkt", "k");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->body.view(), "0123456789");
  expect_object_info(r->info);
  EXPECT_EQ(f.last().method, "GET");
}

TEST(S3GetObject, SendsRangeConditionsAndChecksumMode) {
  S3Fixture f;
  f.transport->push(206, "23", {{"Content-Range", "bytes 2-3/10"}});
  auto r = f.client.get_object("bkt", "k",
                               {.range = ByteRange{2, 3},
                                .if_match = "\"e\"",
                                .if_none_match = "\"old\"",
                                .version_id = "v 1",
                                .checksum_mode = true});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->info.content_range, "bytes 2-3/10");
  const auto req = f.last();
  EXPECT_EQ(req.url, "https://bkt.s3.us-east-1.amazonaws.com/k?versionId=v%201");
  EXPECT_EQ(header(req, "Range"), "bytes=2-3");
  EXPECT_EQ(header(req, "If-Match"), "\"e\"");
  EXPECT_EQ(header(req, "If-None-Match"), "\"old\"");
  EXPECT_EQ(header(req, "x-amz-checksum-mode"), "ENABLED");

  f.transport->push(206, "");
  ASSERT_TRUE(f.client.get_object("bkt", "k", {.range = ByteRange{5, std::nullopt}}));
  EXPECT_EQ(header(f.last(), "Range"), "bytes=5-");
}

TEST(S3GetObject, StreamsIntoASink) {
  S3Fixture f;
  f.transport->push(200, "0123456789", kObjectHeaders);
  http::StringSink sink;
  auto r = f.client.download("bkt", "k", sink);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(sink.data, "0123456789");
  expect_object_info(*r);
}

TEST(S3GetObject, MapsMissingAndPreconditionErrors) {
  S3Fixture f;
  f.transport->push(404, s3_error("NoSuchKey", "The specified key does not exist."));
  auto missing = f.client.get_object("bkt", "k");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().aws_code, "NoSuchKey");
  f.transport->push(304);
  auto same = f.client.get_object("bkt", "k", {.if_none_match = "\"e\""});
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().code, ErrorCode::condition_failed);
  f.transport->push(404);  // HEAD: no body
  auto head = f.client.head_object("bkt", "k");
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, ErrorCode::not_found);
  EXPECT_EQ(f.last().method, "HEAD");
}

TEST(S3HeadObject, ParsesHeaders) {
  S3Fixture f;
  f.transport->push(200, "", kObjectHeaders);
  auto r = f.client.head_object("bkt", "k");
  ASSERT_TRUE(r) << r.error().to_string();
  expect_object_info(*r);
}

TEST(S3DeleteObject, SendsDelete) {
  S3Fixture f;
  f.transport->push(204);
  ASSERT_TRUE(f.client.delete_object("bkt", "a b"));
  EXPECT_EQ(f.last().method, "DELETE");
  EXPECT_EQ(f.last().url, "https://bkt.s3.us-east-1.amazonaws.com/a%20b");
}

// --- CopyObject -----------------------------------------------------------------

const char* kCopyResult =
    R"(<?xml version="1.0" encoding="UTF-8"?>)"
    R"(<CopyObjectResult><LastModified>2009-10-12T17:50:30.000Z</LastModified>)"
    R"(<ETag>"9b2cf535f27731c974343645a3985328"</ETag></CopyObjectResult>)";

TEST(S3CopyObject, SendsSourceAndDirective) {
  S3Fixture f;
  f.transport->push(200, kCopyResult, {{"x-amz-version-id", "v2"}});
  auto r = f.client.copy_object("src-bkt", "a b/c+d", "dst-bkt", "copy",
                                {.source_if_match = "\"s\"", .source_version_id = "v1"});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->etag, "\"9b2cf535f27731c974343645a3985328\"");
  EXPECT_EQ(r->version_id, "v2");
  ASSERT_TRUE(r->last_modified);
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*r->last_modified), 1255369830);
  const auto req = f.last();
  EXPECT_EQ(req.method, "PUT");
  EXPECT_EQ(req.url, "https://dst-bkt.s3.us-east-1.amazonaws.com/copy");
  EXPECT_EQ(header(req, "x-amz-copy-source"), "src-bkt/a%20b/c%2Bd?versionId=v1");
  EXPECT_EQ(header(req, "x-amz-metadata-directive"), "COPY");
  EXPECT_EQ(header(req, "x-amz-copy-source-if-match"), "\"s\"");
}

TEST(S3CopyObject, ReplaceSendsNewMetadata) {
  S3Fixture f;
  f.transport->push(200, kCopyResult);
  ASSERT_TRUE(f.client.copy_object(
      "bkt", "a", "bkt", "b",
      {.metadata_directive = MetadataDirective::replace,
       .attributes = {.content_type = "image/png", .metadata = {{"k", "v"}}}}));
  EXPECT_EQ(header(f.last(), "x-amz-metadata-directive"), "REPLACE");
  EXPECT_EQ(header(f.last(), "Content-Type"), "image/png");
  EXPECT_EQ(header(f.last(), "x-amz-meta-k"), "v");
}

TEST(S3CopyObject, ErrorInA200IsAnError) {
  S3Fixture f;
  f.transport->push(200, s3_error("AccessDenied", "denied"));
  auto r = f.client.copy_object("bkt", "a", "bkt", "b");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().aws_code, "AccessDenied");
  EXPECT_EQ(r.error().code, ErrorCode::access_denied);
}

TEST(S3CopyObject, RetryableErrorInA200IsRetried) {
  S3Fixture f({.max_attempts = 3});
  f.transport->push(200, s3_error("InternalError", "try again"));
  f.transport->push(200, kCopyResult);
  auto r = f.client.copy_object("bkt", "a", "bkt", "b");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(f.transport->request_count(), 2u);
}

// --- Buckets --------------------------------------------------------------------

TEST(S3Buckets, CreateBucketSendsLocationConstraintOutsideUsEast1) {
  S3Fixture east;
  east.transport->push(200);
  ASSERT_TRUE(east.client.create_bucket("bkt"));
  EXPECT_EQ(east.last().method, "PUT");
  EXPECT_EQ(east.last().url, "https://bkt.s3.us-east-1.amazonaws.com/");
  EXPECT_EQ(east.last().body, "");

  S3Fixture west({.region = "eu-west-1", .endpoint = "http://127.0.0.1:5000"});
  west.transport->push(200);
  ASSERT_TRUE(west.client.create_bucket("bkt"));
  EXPECT_EQ(west.last().url, "http://127.0.0.1:5000/bkt");
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(west.last().body.c_str()));
  EXPECT_STREQ(doc.child("CreateBucketConfiguration").child_value("LocationConstraint"),
               "eu-west-1");
  EXPECT_STREQ(doc.child("CreateBucketConfiguration").attribute("xmlns").value(),
               "http://s3.amazonaws.com/doc/2006-03-01/");
}

TEST(S3Buckets, HeadAndDeleteBucket) {
  S3Fixture f;
  f.transport->push(200);
  f.transport->push(204);
  f.transport->push(409, s3_error("BucketAlreadyOwnedByYou"));
  ASSERT_TRUE(f.client.head_bucket("bkt"));
  EXPECT_EQ(f.last().method, "HEAD");
  ASSERT_TRUE(f.client.delete_bucket("bkt"));
  EXPECT_EQ(f.last().method, "DELETE");
  auto again = f.client.create_bucket("bkt");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::already_exists);
}

// --- Presigning -----------------------------------------------------------------

TEST(S3Presign, BuildsSignedUrlsWithoutSending) {
  S3Fixture f;
  auto get = f.client.presign_get("bkt", "a b", std::chrono::seconds(300));
  ASSERT_TRUE(get) << get.error().to_string();
  EXPECT_TRUE(get->starts_with("https://bkt.s3.us-east-1.amazonaws.com/a%20b?")) << *get;
  for (const char* part : {"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Expires=300",
                           "X-Amz-Credential=AKID%2F20250102%2Fus-east-1%2Fs3%2Faws4_request",
                           "X-Amz-Date=20250102T030405Z", "X-Amz-Signature="}) {
    EXPECT_NE(get->find(part), std::string::npos) << part << " in " << *get;
  }
  S3Fixture p({.endpoint = "http://127.0.0.1:5000"});
  auto put =
      p.client.presign_put("bkt", "k", std::chrono::seconds(60), {{"Content-Type", "text/plain"}});
  ASSERT_TRUE(put) << put.error().to_string();
  EXPECT_TRUE(put->starts_with("http://127.0.0.1:5000/bkt/k?")) << *put;
  EXPECT_NE(put->find("content-type"), std::string::npos) << *put;  // a signed header
  EXPECT_EQ(f.transport->request_count() + p.transport->request_count(), 0u);

  auto too_long = f.client.presign_get("bkt", "k", std::chrono::hours(24 * 8));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::invalid_argument);
}

// Expected URLs from botocore's S3SigV4QueryAuth (credentials AKID/SECRET,
// time 2025-01-02T03:04:05Z, the FakeClock's start):
//   req = AWSRequest(method, url, headers)
//   S3SigV4QueryAuth(Credentials("AKID", "SECRET"), "s3", "us-east-1", expires).add_auth(req)
// (moto with IAM auth cannot check query signatures, so these vectors are
// what proves the presigned signatures right.)
TEST(S3Presign, MatchesBotocoreByteForByte) {
  S3Fixture f;
  auto get = f.client.presign_get("bkt", "a b/\xC3\xBC+%/a//b/./c/../d", std::chrono::seconds(300));
  ASSERT_TRUE(get) << get.error().to_string();
  EXPECT_EQ(*get,
            "https://bkt.s3.us-east-1.amazonaws.com/a%20b/%C3%BC%2B%25/a//b/./c/../d"
            "?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKID%2F20250102%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20250102T030405Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=38880f4cf48e0398772f2202ff8ec17d8891ceca6c0bfafd3a1a4af31b9932ff");
  S3Fixture p({.endpoint = "http://127.0.0.1:5000"});
  auto put =
      p.client.presign_put("bkt", "k", std::chrono::seconds(60), {{"Content-Type", "text/plain"}});
  ASSERT_TRUE(put) << put.error().to_string();
  EXPECT_EQ(*put,
            "http://127.0.0.1:5000/bkt/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKID%2F20250102%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20250102T030405Z&X-Amz-Expires=60"
            "&X-Amz-SignedHeaders=content-type%3Bhost"
            "&X-Amz-Signature=60799fa9be4caa189b713305d29c1a94571d3c34f503df45964f995cfe500df8");
}

// --- Validation -----------------------------------------------------------------

void expect_invalid(const S3Fixture& f, const Result<void>& r, std::string_view mentions) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument) << r.error().to_string();
  EXPECT_NE(r.error().message.find(mentions), std::string::npos) << r.error().message;
  EXPECT_EQ(f.transport->request_count(), 0u);
}

template <class T>
Result<void> status(const Result<T>& r) {
  if (r) return {};
  return r.error();
}

TEST(S3Validation, BucketNames) {
  for (const char* good : {"abc", "my.bucket-1", "1-2-3", "a.b.c"}) {
    EXPECT_TRUE(validate_bucket_name(good)) << good;
  }
  S3Fixture f;
  const std::pair<std::string, const char*> bad[] = {
      {"ab", "3 to 63"},         {std::string(64, 'a'), "3 to 63"}, {"My-Bucket", "lowercase"},
      {"a_b_c", "lowercase"},    {"-abc", "start and end"},         {"abc.", "start and end"},
      {"a..b", "adjacent dots"}, {"192.168.5.4", "IP address"},     {"xn--abc", "xn--"},
      {"sthree-abc", "sthree-"}, {"abc-s3alias", "-s3alias"},       {"abc--ol-s3", "--ol-s3"},
  };
  for (const auto& [name, why] : bad) {
    expect_invalid(f, status(f.client.put_object(name, "k", "x")), why);
    expect_invalid(f, f.client.create_bucket(name), why);
  }
}

TEST(S3Validation, Keys) {
  S3Fixture f;
  expect_invalid(f, status(f.client.get_object("bkt", "")), "empty");
  expect_invalid(f, status(f.client.put_object("bkt", std::string(1025, 'k'), "x")), "1024");
  expect_invalid(f, status(f.client.head_object("bkt", "bad\xFFutf8")), "UTF-8");
  expect_invalid(f, status(f.client.head_object("bkt", "\xC0\xAF")), "UTF-8");  // overlong '/'
  expect_invalid(f, status(f.client.copy_object("bkt", "", "bkt", "b")), "empty");
  EXPECT_TRUE(validate_object_key(std::string(1024, 'k')));
  EXPECT_TRUE(validate_object_key("\xF0\x9F\x98\x80"));  // 4-byte UTF-8
}

TEST(S3Validation, MetadataAndHeaders) {
  S3Fixture f;
  const auto put = [&](std::map<std::string, std::string> metadata) {
    return status(f.client.put_object("bkt", "k", "x", {.attributes = {.metadata = metadata}}));
  };
  expect_invalid(f, put({{"bad name", "v"}}), "header token");
  expect_invalid(f, put({{"a:b", "v"}}), "header token");
  expect_invalid(f, put({{"", "v"}}), "empty");
  expect_invalid(f, put({{"k", "line\r\nX-Injected: 1"}}), "printable ASCII");
  expect_invalid(f, put({{"k", "caf\xC3\xA9"}}), "printable ASCII");
  expect_invalid(f, put({{"Name", "1"}, {"name", "2"}}), "differ only in case");
  expect_invalid(f, put({{"k", std::string(2048, 'v')}}), "2048");
  expect_invalid(
      f, status(f.client.put_object("bkt", "k", "x", {.attributes = {.content_type = "a\nb"}})),
      "content_type");
  expect_invalid(f,
                 status(f.client.put_object("bkt", "k", "x", {.attributes = {.kms_key_id = "k"}})),
                 "kms_key_id");
}

TEST(S3Validation, SizesRangesAndPartNumbers) {
  S3Fixture f;
  auto huge = std::make_shared<CountingSource>("", kS3MaxPutSize + 1);
  expect_invalid(f, status(f.client.put_object("bkt", "k", huge)), "5 GiB");
  EXPECT_EQ(huge->bytes_read, 0u);
  auto enormous = std::make_shared<CountingSource>("", kS3MaxObjectSize + 1);
  expect_invalid(f, status(f.client.upload("bkt", "k", enormous)), "5 TiB");
  expect_invalid(f, status(f.client.get_object("bkt", "k", {.range = ByteRange{5, 4}})), "range");
  expect_invalid(f, status(f.client.upload_part("bkt", "k", "id", 0, "x")), "part number 0");
  expect_invalid(f, status(f.client.upload_part("bkt", "k", "id", 10001, "x")), "10001");
  expect_invalid(f, status(f.client.upload_part("bkt", "k", "", 1, "x")), "upload id");
  auto stream = std::make_shared<CountingSource>("x");
  expect_invalid(
      f, status(f.client.put_object("bkt", "k", stream, {.payload = {.content_md5 = true}})),
      "content_md5");
  expect_invalid(f, status(f.client.put_object("bkt", "k", "x", {.payload = {.sha256_hex = "zz"}})),
                 "sha256_hex");
  expect_invalid(f, status(f.client.put_object("bkt", "k", std::shared_ptr<http::BodySource>())),
                 "null");
}

}  // namespace
}  // namespace dynamate::aws::s3_test
