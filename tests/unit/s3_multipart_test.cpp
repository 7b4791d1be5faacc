// S3Client multipart calls and the upload()/upload_file() transfers against a
// FakeTransport that plays a small multipart server.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <new>
#include <pugixml.hpp>

#include "core/crypto.hpp"
#include "s3_fixture.hpp"

namespace dynamate::aws::s3_test {
namespace {

namespace crypto = dynamate::detail;

const char* kInitiate =
    "<?xml version=\"1.0\"?><InitiateMultipartUploadResult><Bucket>bkt</Bucket><Key>k</Key>"
    "<UploadId>UP/1</UploadId></InitiateMultipartUploadResult>";
const char* kComplete =
    "<CompleteMultipartUploadResult><Location>http://x/bkt/k</Location><Bucket>bkt</Bucket>"
    "<Key>k</Key><ETag>\"abc-3\"</ETag><ChecksumSHA256>c3VtLTM=-3</ChecksumSHA256>"
    "</CompleteMultipartUploadResult>";

// Plays CreateMultipartUpload / UploadPart / Complete / Abort.
struct FakeMultipart {
  std::map<int, std::string> parts;  // part number -> body
  std::map<int, std::string> part_checksums;
  int fail_part = 0;
  bool aborted = false;
  std::string complete_body;
  std::string create_checksum_algorithm;
  // Answers CompleteMultipartUpload / AbortMultipartUpload instead of the
  // defaults when set (e.g. an error queue for retry scenarios).
  std::function<Result<http::Response>(const http::Request&)> on_complete;
  std::function<Result<http::Response>(const http::Request&)> on_abort;

  Result<http::Response> operator()(const http::Request& r) {
    if (r.method == "POST" && r.url.ends_with("?uploads")) {
      create_checksum_algorithm = header(r, "x-amz-checksum-algorithm");
      return http::Response{200, {}, kInitiate};
    }
    const auto at = r.url.find("partNumber=");
    if (r.method == "PUT" && at != std::string::npos) {
      const int n = std::stoi(r.url.substr(at + 11));
      if (n == fail_part) return http::Response{500, {}, s3_error("InternalError")};
      parts[n] = r.body;
      part_checksums[n] = header(r, "x-amz-checksum-sha256");
      return http::Response{200, {{"ETag", "\"etag-" + std::to_string(n) + "\""}}, ""};
    }
    if (r.method == "POST") {
      complete_body = r.body;
      if (on_complete) return on_complete(r);
      return http::Response{200, {}, kComplete};
    }
    if (r.method == "DELETE") {
      aborted = true;
      if (on_abort) return on_abort(r);
      return http::Response{204, {}, ""};
    }
    return unexpected(ErrorCode::internal, "unexpected request " + r.method + " " + r.url);
  }
};

std::shared_ptr<FakeMultipart> serve(S3Fixture& f) {
  auto server = std::make_shared<FakeMultipart>();
  f.transport->set_handler([server](const http::Request& r) { return (*server)(r); });
  return server;
}

struct XmlPart {
  int number;
  std::string etag;
  std::string checksum;
};
std::vector<XmlPart> parts_in_complete_body(const std::string& body) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(body.data(), body.size())) << body;
  std::vector<XmlPart> out;
  for (pugi::xml_node p : doc.child("CompleteMultipartUpload").children("Part")) {
    out.push_back({p.child("PartNumber").text().as_int(), p.child_value("ETag"),
                   p.child_value("ChecksumSHA256")});
  }
  return out;
}

TEST(S3Multipart, CreateUploadPartCompleteAbortList) {
  S3Fixture f;
  f.transport->push(200, kInitiate);
  auto id = f.client.create_multipart_upload(
      "bkt", "a b", {.attributes = {.content_type = "video/mp4"}, .checksum_sha256 = true});
  ASSERT_TRUE(id) << id.error().to_string();
  EXPECT_EQ(*id, "UP/1");
  EXPECT_EQ(f.last().method, "POST");
  EXPECT_EQ(f.last().url, "https://bkt.s3.us-east-1.amazonaws.com/a%20b?uploads");
  EXPECT_EQ(header(f.last(), "Content-Type"), "video/mp4");
  EXPECT_EQ(header(f.last(), "x-amz-checksum-algorithm"), "SHA256");

  f.transport->push(200, "", {{"ETag", "\"p3\""}});
  auto part = f.client.upload_part("bkt", "a b", *id, 3, "part body", {.checksum_sha256 = true});
  ASSERT_TRUE(part) << part.error().to_string();
  EXPECT_EQ(part->part_number, 3);
  EXPECT_EQ(part->etag, "\"p3\"");
  EXPECT_EQ(part->checksum_sha256, crypto::sha256_base64("part body"));
  EXPECT_EQ(f.last().method, "PUT");
  EXPECT_EQ(f.last().url,
            "https://bkt.s3.us-east-1.amazonaws.com/a%20b?partNumber=3&uploadId=UP%2F1");
  EXPECT_EQ(header(f.last(), "x-amz-content-sha256"), crypto::sha256_hex("part body"));

  f.transport->push(200, kComplete, {{"x-amz-version-id", "v9"}});
  const CompletedPart parts[] = {{1, "\"p1\"", "c1"}, {3, "\"p3\"", ""}};
  auto done = f.client.complete_multipart_upload("bkt", "a b", *id, parts, {.if_none_match = true});
  ASSERT_TRUE(done) << done.error().to_string();
  EXPECT_EQ(done->etag, "\"abc-3\"");
  EXPECT_EQ(done->checksum_sha256, "c3VtLTM=-3");
  EXPECT_EQ(done->location, "http://x/bkt/k");
  EXPECT_EQ(done->version_id, "v9");
  EXPECT_EQ(f.last().url, "https://bkt.s3.us-east-1.amazonaws.com/a%20b?uploadId=UP%2F1");
  EXPECT_EQ(header(f.last(), "If-None-Match"), "*");
  const auto xml = parts_in_complete_body(f.last().body);
  ASSERT_EQ(xml.size(), 2u);
  EXPECT_EQ(xml[0].number, 1);
  EXPECT_EQ(xml[0].etag, "\"p1\"");
  EXPECT_EQ(xml[0].checksum, "c1");
  EXPECT_EQ(xml[1].number, 3);
  EXPECT_EQ(xml[1].checksum, "");

  f.transport->push(204);
  ASSERT_TRUE(f.client.abort_multipart_upload("bkt", "a b", *id));
  EXPECT_EQ(f.last().method, "DELETE");
  EXPECT_EQ(f.last().url, "https://bkt.s3.us-east-1.amazonaws.com/a%20b?uploadId=UP%2F1");

  f.transport->push(200,
                    "<ListPartsResult><IsTruncated>true</IsTruncated>"
                    "<NextPartNumberMarker>2</NextPartNumberMarker>"
                    "<Part><PartNumber>2</PartNumber><ETag>\"p2\"</ETag><Size>5242880</Size>"
                    "<LastModified>2009-10-12T17:50:30.000Z</LastModified></Part>"
                    "</ListPartsResult>");
  auto listed = f.client.list_parts("bkt", "a b", *id, {.max_parts = 1, .part_number_marker = 1});
  ASSERT_TRUE(listed) << listed.error().to_string();
  EXPECT_EQ(f.last().url,
            "https://bkt.s3.us-east-1.amazonaws.com/a%20b"
            "?max-parts=1&part-number-marker=1&uploadId=UP%2F1");
  ASSERT_EQ(listed->parts.size(), 1u);
  EXPECT_EQ(listed->parts[0].part_number, 2);
  EXPECT_EQ(listed->parts[0].size, 5242880u);
  EXPECT_EQ(listed->parts[0].etag, "\"p2\"");
  EXPECT_TRUE(listed->is_truncated);
  EXPECT_EQ(listed->next_part_number_marker, 2);
}

TEST(S3Multipart, CompleteDetectsErrorIn200) {
  S3Fixture f;
  f.transport->push(200, "\n  \n" + s3_error("InvalidPart", "One or more parts not found"));
  const CompletedPart parts[] = {{1, "\"p1\"", ""}};
  auto r = f.client.complete_multipart_upload("bkt", "k", "id", parts);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().aws_code, "InvalidPart");
  EXPECT_NE(r.error().message.find("CompleteMultipartUpload s3://bkt/k"), std::string::npos);
}

TEST(S3Multipart, CompleteRetriesAnInternalErrorIn200) {
  S3Fixture f({.max_attempts = 3});
  f.transport->push(200, s3_error("InternalError", "retry me"));
  f.transport->push(200, kComplete);
  const CompletedPart parts[] = {{1, "\"p1\"", ""}};
  ASSERT_TRUE(f.client.complete_multipart_upload("bkt", "k", "id", parts));
  EXPECT_EQ(f.transport->request_count(), 2u);
}

TEST(S3Multipart, NoSuchUploadAfterARetryIsAmbiguous) {
  S3Fixture f({.max_attempts = 3});
  Error reset(ErrorCode::transport, "connection reset after the request was sent");
  reset.retryable = true;
  reset.ambiguous = true;
  f.transport->push_error(reset);
  f.transport->push(404, s3_error("NoSuchUpload"));
  const CompletedPart parts[] = {{1, "\"p1\"", ""}};
  auto r = f.client.complete_multipart_upload("bkt", "k", "id", parts);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_TRUE(r.error().ambiguous);
  f.transport->push(404, s3_error("NoSuchUpload"));
  auto once = f.client.complete_multipart_upload("bkt", "k", "id", parts);
  ASSERT_FALSE(once);
  EXPECT_FALSE(once.error().ambiguous);
}

Error lost_answer() {
  Error reset(ErrorCode::transport, "connection reset after the request was sent");
  reset.retryable = true;
  reset.ambiguous = true;
  return reset;
}

TEST(S3Multipart, PreconditionFailedAfterARetryIsAmbiguous) {
  // Attempt 1 completed the upload (If-None-Match: *) but its answer was lost;
  // attempt 2 then finds the object attempt 1 created.
  S3Fixture f({.max_attempts = 3});
  f.transport->push_error(lost_answer());
  f.transport->push(412, s3_error("PreconditionFailed"));
  const CompletedPart parts[] = {{1, "\"p1\"", ""}};
  auto r = f.client.complete_multipart_upload("bkt", "k", "id", parts, {.if_none_match = true});
  ASSERT_FALSE(r);
  EXPECT_EQ(f.transport->request_count(), 2u);
  EXPECT_EQ(r.error().code, ErrorCode::condition_failed);
  EXPECT_TRUE(r.error().ambiguous);
  EXPECT_NE(r.error().message.find("may have completed the upload"), std::string::npos)
      << r.error().message;
  // Without a retry, a 412 is a plain "the object exists".
  f.transport->push(412, s3_error("PreconditionFailed"));
  auto once = f.client.complete_multipart_upload("bkt", "k", "id", parts, {.if_none_match = true});
  ASSERT_FALSE(once);
  EXPECT_EQ(once.error().code, ErrorCode::condition_failed);
  EXPECT_FALSE(once.error().ambiguous);
}

TEST(S3Multipart, CompleteValidatesParts) {
  S3Fixture f;
  const CompletedPart unsorted[] = {{2, "\"a\"", ""}, {1, "\"b\"", ""}};
  const CompletedPart no_etag[] = {{1, "", ""}};
  EXPECT_FALSE(f.client.complete_multipart_upload("bkt", "k", "id", unsorted));
  EXPECT_FALSE(f.client.complete_multipart_upload("bkt", "k", "id", no_etag));
  EXPECT_FALSE(f.client.complete_multipart_upload("bkt", "k", "id", {}));
  EXPECT_EQ(f.transport->request_count(), 0u);
}

TEST(S3Upload, SmallBodiesUseOnePutObject) {
  S3Fixture f;
  f.transport->push(200, "", {{"ETag", "\"one\""}});
  const std::string data = test_bytes(1000);
  auto r = f.client.upload("bkt", "k", std::make_shared<CountingSource>(data),
                           {.attributes = {.content_type = "a/b"}, .if_none_match = true});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->parts, 0);
  EXPECT_EQ(r->etag, "\"one\"");
  ASSERT_EQ(f.transport->request_count(), 1u);
  EXPECT_EQ(f.last().method, "PUT");
  EXPECT_EQ(f.last().body, data);
  EXPECT_EQ(header(f.last(), "If-None-Match"), "*");
  EXPECT_EQ(header(f.last(), "x-amz-content-sha256"), crypto::sha256_hex(data));
}

constexpr std::uint64_t kPart = 5 * kMiB;

TEST(S3Upload, LargeStreamsGoMultipartInParallelFromOneRead) {
  S3Fixture f;
  auto server = serve(f);
  const std::string data = test_bytes(2 * kPart + 123);
  auto source = std::make_shared<CountingSource>(data);
  auto r = f.client.upload("bkt", "k", source,
                           {.payload = {.checksum_sha256 = true},
                            .multipart_threshold = 6 * kMiB,
                            .part_size = kPart,
                            .concurrency = 3});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->parts, 3);
  EXPECT_EQ(r->etag, "\"abc-3\"");
  EXPECT_EQ(source->bytes_read, data.size());  // parts are buffered: one read, no pre-pass
  EXPECT_EQ(server->create_checksum_algorithm, "SHA256");
  ASSERT_EQ(server->parts.size(), 3u);
  for (int n = 1; n <= 3; ++n) {
    const std::string expected = data.substr((n - 1) * kPart, kPart);
    EXPECT_TRUE(server->parts[n] == expected) << "part " << n;
    EXPECT_EQ(server->part_checksums[n], crypto::sha256_base64(expected));
  }
  const auto xml = parts_in_complete_body(server->complete_body);
  ASSERT_EQ(xml.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(xml[i].number, i + 1);
    EXPECT_EQ(xml[i].etag, "\"etag-" + std::to_string(i + 1) + "\"");
    EXPECT_EQ(xml[i].checksum, server->part_checksums[i + 1]);
  }
  EXPECT_FALSE(server->aborted);
}

TEST(S3Upload, AFailedPartAbortsTheUpload) {
  S3Fixture f;
  auto server = serve(f);
  server->fail_part = 2;
  auto r = f.client.upload("bkt", "k", std::make_shared<CountingSource>(test_bytes(3 * kPart)),
                           {.multipart_threshold = kPart, .part_size = kPart, .concurrency = 1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().aws_code, "InternalError");
  EXPECT_NE(r.error().message.find("UploadPart s3://bkt/k"), std::string::npos);
  EXPECT_TRUE(server->aborted);
  EXPECT_TRUE(server->complete_body.empty());
  EXPECT_EQ(server->parts.size(), 1u);  // part 3 was never sent after part 2 failed
  EXPECT_EQ(f.last().method, "DELETE");
}

TEST(S3Upload, ASourceThatEndsEarlyAbortsTheUpload) {
  S3Fixture f;
  auto server = serve(f);
  auto source = std::make_shared<CountingSource>(test_bytes(kPart + 10), 3 * kPart);
  auto r = f.client.upload("bkt", "k", source, {.multipart_threshold = kPart, .part_size = kPart});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(r.error().message.find("ended"), std::string::npos) << r.error().message;
  EXPECT_TRUE(server->aborted);
}

TEST(S3Upload, ALostCompleteAnswerThenPreconditionFailedIsAmbiguous) {
  S3Fixture f({.max_attempts = 3});
  auto server = serve(f);
  int completes = 0;
  server->on_complete = [&completes](const http::Request&) -> Result<http::Response> {
    if (++completes == 1) return unexpected(lost_answer());
    return http::Response{412, {}, s3_error("PreconditionFailed")};
  };
  server->on_abort = [](const http::Request&) -> Result<http::Response> {
    return http::Response{404, {}, s3_error("NoSuchUpload")};  // it completed
  };
  auto r =
      f.client.upload("bkt", "k", std::make_shared<CountingSource>(test_bytes(kPart + 1)),
                      {.if_none_match = true, .multipart_threshold = kPart, .part_size = kPart});
  ASSERT_FALSE(r);
  EXPECT_EQ(completes, 2);
  EXPECT_TRUE(server->aborted);
  EXPECT_TRUE(r.error().ambiguous) << r.error().message;
  EXPECT_NE(r.error().message.find("may have completed the upload"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("most likely completed"), std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("failed too"), std::string::npos) << r.error().message;
}

// Serves 'x' bytes until `throw_at`, then throws Exception from read().
template <typename Exception>
class ThrowingSource final : public http::BodySource {
 public:
  ThrowingSource(std::uint64_t size, std::uint64_t throw_at) : size_(size), throw_at_(throw_at) {}
  std::uint64_t size() const override { return size_; }
  Result<std::size_t> read(std::span<char> out) override {
    if (pos_ >= throw_at_) throw Exception();
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), throw_at_ - pos_));
    std::fill_n(out.data(), n, 'x');
    pos_ += n;
    return n;
  }
  Result<void> rewind() override {
    pos_ = 0;
    return {};
  }

 private:
  std::uint64_t size_;
  std::uint64_t throw_at_;
  std::uint64_t pos_ = 0;
};

struct TestException : std::exception {
  const char* what() const noexcept override { return "source exploded"; }
};

TEST(S3Upload, AnExceptionInAWorkerAbortsTheUpload) {
  for (int concurrency : {1, 3}) {
    S3Fixture f;
    auto server = serve(f);
    auto source = std::make_shared<ThrowingSource<TestException>>(3 * kPart, kPart + 5);
    auto r = f.client.upload(
        "bkt", "k", source,
        {.multipart_threshold = kPart, .part_size = kPart, .concurrency = concurrency});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::internal);
    EXPECT_NE(r.error().message.find("source exploded"), std::string::npos) << r.error().message;
    EXPECT_TRUE(server->aborted);
    EXPECT_TRUE(server->complete_body.empty());
  }
}

TEST(S3Upload, OutOfMemoryInAWorkerAbortsTheUpload) {
  S3Fixture f;
  auto server = serve(f);
  auto source = std::make_shared<ThrowingSource<std::bad_alloc>>(3 * kPart, 0);
  auto r = f.client.upload("bkt", "k", source,
                           {.multipart_threshold = kPart, .part_size = kPart, .concurrency = 2});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::internal);
  EXPECT_NE(r.error().message.find("out of memory"), std::string::npos) << r.error().message;
  EXPECT_TRUE(server->aborted);
}

TEST(S3Upload, APartlyReadStreamIsUploadedFromItsFirstByte) {
  const std::string data = test_bytes(2 * kPart + 3, 5);
  {  // multipart: parts are read straight from the source
    S3Fixture f;
    auto server = serve(f);
    auto source = http::string_body_source(data);
    char skipped[100];
    ASSERT_EQ(source->read(skipped).value(), sizeof skipped);
    auto r =
        f.client.upload("bkt", "k", source, {.multipart_threshold = kPart, .part_size = kPart});
    ASSERT_TRUE(r) << r.error().to_string();
    ASSERT_EQ(server->parts.size(), 3u);
    EXPECT_TRUE(server->parts[1] + server->parts[2] + server->parts[3] == data);
  }
  {  // a single PutObject without a hashing pass
    S3Fixture f;
    f.transport->push(200);
    auto source = http::string_body_source(data);
    char skipped[100];
    ASSERT_EQ(source->read(skipped).value(), sizeof skipped);
    auto r = f.client.upload("bkt", "k", source, {.payload = {.unsigned_payload = true}});
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(f.last().body == data);
  }
}

TEST(S3Upload, FilesGoUpInWindows) {
  S3Fixture f;
  auto server = serve(f);
  const std::string data = test_bytes(2 * kPart + 7, 9);
  const auto path = std::filesystem::temp_directory_path() /
                    ("dynamate-s3-unit-" + std::to_string(::getpid()) + ".bin");
  std::ofstream(path, std::ios::binary)
      .write(data.data(), static_cast<std::streamsize>(data.size()));
  auto r = f.client.upload_file("bkt", "k", path.string(),
                                {.multipart_threshold = kPart, .part_size = kPart});
  std::filesystem::remove(path);
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->parts, 3);
  ASSERT_EQ(server->parts.size(), 3u);
  for (int n = 1; n <= 3; ++n) {
    EXPECT_TRUE(server->parts[n] == data.substr((n - 1) * kPart, kPart)) << "part " << n;
  }
  for (const auto& req : f.transport->requests()) {
    if (req.url.find("partNumber=") == std::string::npos) continue;
    EXPECT_EQ(header(req, "x-amz-content-sha256"), crypto::sha256_hex(req.body));
  }
}

TEST(S3Upload, RejectsBadOptionsBeforeSending) {
  S3Fixture f;
  auto source = std::make_shared<CountingSource>(test_bytes(kPart));
  EXPECT_FALSE(f.client.upload("bkt", "k", source, {.multipart_threshold = 1, .part_size = kMiB}));
  EXPECT_FALSE(f.client.upload("bkt", "k", source, {.multipart_threshold = 1, .concurrency = 0}));
  EXPECT_FALSE(f.client.upload("bkt", "k", nullptr));
  EXPECT_FALSE(
      f.client.upload_file("bkt", "k", "/etc/hostname", {.payload = {.content_md5 = true}}));
  EXPECT_FALSE(f.client.upload_file("bkt", "k", "/nonexistent/file"));
  EXPECT_EQ(f.transport->request_count(), 0u);
}

}  // namespace
}  // namespace dynamate::aws::s3_test
