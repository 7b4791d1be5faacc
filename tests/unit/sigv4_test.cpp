// Unit tests for the SigV4 signer's edge cases: URI encoding, payload hashing
// (empty, in-memory, streamed, unsigned), session tokens, re-signing retries,
// Host derivation with ports, header canonicalization, query canonicalization,
// input validation, presign expiry bounds, the signing-key cache and threads.
// The AWS suite and botocore vectors are in tests/conformance.
#include "dynamate/aws/sigv4.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "dynamate/bytes.hpp"

namespace dynamate::aws {
namespace {

using namespace std::chrono;

constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Credentials creds(std::string token = {}) {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  c.session_token = std::move(token);
  return c;
}

SigningParams params(std::string service = "dynamodb", bool s3 = false) {
  SigningParams p;
  p.region = "us-east-1";
  p.service = std::move(service);
  p.time = sys_days{2025y / January / 2} + 3h + 4min + 5s;
  p.s3_rules = s3;
  return p;
}

http::Request request(std::string url, std::string method = "GET") {
  http::Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (std::size_t nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    out.push_back(text.substr(pos, nl - pos));
  }
  out.push_back(text.substr(pos));
  return out;
}

// Signs and returns the trace; fails the test on error.
SigningTrace sign(http::Request& r, const SigningParams& p, const Credentials& c = creds()) {
  SigningTrace trace;
  const auto result = sign_request(r, c, p, &trace);
  EXPECT_TRUE(result.has_value()) << result.error().to_string();
  return trace;
}

std::string canonical_uri(const std::string& url, bool s3) {
  auto r = request(url);
  return lines(sign(r, params(s3 ? "s3" : "service", s3)).canonical_request)[1];
}

std::string canonical_query(const std::string& url) {
  auto r = request(url);
  return lines(sign(r, params()).canonical_request)[2];
}

// The canonical header block: lines 3 .. (first empty line).
std::vector<std::string> canonical_headers(const SigningTrace& t) {
  const auto all = lines(t.canonical_request);
  const auto end = std::find(all.begin() + 3, all.end(), "");
  return {all.begin() + 3, end};
}

std::size_t count_header(const http::Headers& h, std::string_view name) {
  return static_cast<std::size_t>(std::count_if(h.begin(), h.end(), [&](const auto& kv) {
    return kv.first.size() == name.size() &&
           std::equal(kv.first.begin(), kv.first.end(), name.begin(),
                      [](char a, char b) { return std::tolower(a) == std::tolower(b); });
  }));
}

TEST(UriEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(uri_encode("", true), "");
  EXPECT_EQ(uri_encode("AZaz09-_.~", true), "AZaz09-_.~");
  EXPECT_EQ(uri_encode("a b+c=d&e%f", true), "a%20b%2Bc%3Dd%26e%25f");
  EXPECT_EQ(uri_encode("/a/b c/", false), "/a/b%20c/");
  EXPECT_EQ(uri_encode("/a/b c/", true), "%2Fa%2Fb%20c%2F");
  EXPECT_EQ(uri_encode("\xE1\x88\xB4", true), "%E1%88%B4");  // uppercase hex
  EXPECT_EQ(uri_encode(std::string_view("\0\xff", 2), true), "%00%FF");
  for (int c = 0; c < 256; ++c) {
    const std::string in(1, static_cast<char>(c));
    const bool keep = std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
    EXPECT_EQ(uri_encode(in, true).size(), keep ? 1u : 3u) << c;
  }
}

TEST(SignRequest, EmptyBodyUsesTheEmptyHash) {
  auto r = request("https://dynamodb.us-east-1.amazonaws.com/", "POST");
  EXPECT_EQ(lines(sign(r, params()).canonical_request).back(), kEmptyHash);
}

TEST(SignRequest, HashesTheBodyOnce) {
  auto r = request("https://dynamodb.us-east-1.amazonaws.com/", "POST");
  r.body = R"({"TableName":"t"})";
  EXPECT_EQ(lines(sign(r, params()).canonical_request).back(), detail::sha256_hex(r.body));
  EXPECT_EQ(count_header(r.headers, "x-amz-content-sha256"), 0u);  // S3 only
}

TEST(SignRequest, StreamedBodyUsesTheGivenPayloadHash) {
  auto r = request("https://service.us-east-1.amazonaws.com/upload", "PUT");
  r.body_source = http::string_body_source("streamed");
  auto p = params("service");
  p.payload_hash = detail::sha256_hex("streamed");
  EXPECT_EQ(lines(sign(r, p).canonical_request).back(), *p.payload_hash);
}

TEST(SignRequest, StreamedBodyWithoutHashIsRejectedOutsideS3AndLeavesRequestAlone) {
  auto r = request("https://service.us-east-1.amazonaws.com/upload", "PUT");
  r.body_source = http::string_body_source("streamed");
  r.headers = {{"Content-Type", "text/plain"}};
  const auto before = r.headers;
  const auto result = sign_request(r, creds(), params("service"));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(result.error().message.find("payload_hash"), std::string::npos);
  EXPECT_EQ(r.headers, before);
}

TEST(SignRequest, S3StreamedBodyWithoutHashIsUnsignedPayload) {
  auto r = request("https://bucket.s3.amazonaws.com/key", "PUT");
  r.body_source = http::string_body_source("streamed");
  const auto t = sign(r, params("s3", true));
  EXPECT_EQ(lines(t.canonical_request).back(), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(*http::find_header(r.headers, "X-Amz-Content-SHA256"), "UNSIGNED-PAYLOAD");
}

TEST(SignRequest, S3AddsContentSha256AndUnsignedPayloadWinsOverAHash) {
  auto r = request("https://bucket.s3.amazonaws.com/key", "PUT");
  r.body = "hello";
  sign(r, params("s3", true));
  EXPECT_EQ(*http::find_header(r.headers, "X-Amz-Content-SHA256"), detail::sha256_hex("hello"));

  auto u = request("https://bucket.s3.amazonaws.com/key", "PUT");
  auto p = params("s3", true);
  p.unsigned_payload = true;
  p.payload_hash = detail::sha256_hex("hello");
  sign(u, p);
  EXPECT_EQ(*http::find_header(u.headers, "X-Amz-Content-SHA256"), "UNSIGNED-PAYLOAD");
}

TEST(SignRequest, SessionTokenIsAddedAndSigned) {
  auto r = request("https://dynamodb.us-east-1.amazonaws.com/", "POST");
  const auto t = sign(r, params(), creds("token/with+specials=="));
  EXPECT_EQ(*http::find_header(r.headers, "X-Amz-Security-Token"), "token/with+specials==");
  EXPECT_EQ(lines(t.canonical_request)[lines(t.canonical_request).size() - 2],
            "host;x-amz-date;x-amz-security-token");
}

TEST(SignRequest, ResigningARetryReplacesDateAndAuthorization) {
  auto fresh = request("https://dynamodb.us-east-1.amazonaws.com/", "POST");
  fresh.headers = {{"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  auto retried = fresh;
  sign(retried, params(), creds("tok"));
  auto later = params();
  later.time += 90s;
  const auto t1 = sign(retried, later, creds("tok"));
  const auto t2 = sign(fresh, later, creds("tok"));
  EXPECT_EQ(retried.headers, fresh.headers);
  EXPECT_EQ(t1.signature, t2.signature);
  EXPECT_EQ(count_header(retried.headers, "authorization"), 1u);
  EXPECT_EQ(count_header(retried.headers, "x-amz-date"), 1u);
  EXPECT_EQ(count_header(retried.headers, "x-amz-security-token"), 1u);
  EXPECT_EQ(*http::find_header(retried.headers, "X-Amz-Date"), "20250102T030535Z");
}

TEST(SignRequest, RejectsUnusableUrls) {
  for (const char* url : {"", "example.com/", "ftp://example.com/", "https:///path",
                          "https://host:abc/", "https://host:70000/", "https://host:/",
                          "https://user@host/", "https://[::1/", "https://ho st/"}) {
    auto r = request(url);
    const auto result = sign_request(r, creds(), params());
    ASSERT_FALSE(result.has_value()) << url;
    EXPECT_EQ(result.error().code, ErrorCode::invalid_argument) << url;
    EXPECT_NE(result.error().message.find("URL"), std::string::npos) << result.error().message;
    EXPECT_TRUE(r.headers.empty()) << url;
  }
}

TEST(SignRequest, RejectsMissingInputs) {
  auto r = request("https://example.com/");
  Credentials no_secret = creds();
  no_secret.secret_access_key.clear();
  EXPECT_EQ(sign_request(r, no_secret, params()).error().code, ErrorCode::invalid_argument);
  auto no_region = params();
  no_region.region.clear();
  EXPECT_EQ(sign_request(r, creds(), no_region).error().code, ErrorCode::invalid_argument);
  auto no_method = request("https://example.com/", "");
  EXPECT_EQ(sign_request(no_method, creds(), params()).error().code, ErrorCode::invalid_argument);
}

TEST(SignRequest, FormatsTheDateInUtcAndDropsFractions) {
  auto r = request("https://example.com/");
  auto p = params();
  p.time = sys_days{1999y / December / 31} + 23h + 59min + 59s + 999ms;
  const auto t = sign(r, p);
  EXPECT_EQ(*http::find_header(r.headers, "X-Amz-Date"), "19991231T235959Z");
  EXPECT_EQ(lines(t.string_to_sign)[2], "19991231/us-east-1/dynamodb/aws4_request");
}

TEST(SignRequest, HostComesFromTheUrlWithNonDefaultPortsOnly) {
  auto host_of = [](const std::string& url) {
    auto r = request(url);
    return canonical_headers(sign(r, params()))[0];
  };
  EXPECT_EQ(host_of("http://localhost:8000/"), "host:localhost:8000");
  EXPECT_EQ(host_of("https://Example.COM:443/"), "host:example.com");
  EXPECT_EQ(host_of("http://example.com:80"), "host:example.com");
  EXPECT_EQ(host_of("https://example.com:80/"), "host:example.com:80");
  EXPECT_EQ(host_of("http://example.com:443/"), "host:example.com:443");
  EXPECT_EQ(host_of("http://[::1]:8000/"), "host:[::1]:8000");
  EXPECT_EQ(host_of("http://example.com?x=1"), "host:example.com");

  auto given = request("http://127.0.0.1:4566/");
  given.headers = {{"Host", "bucket.localhost:4566"}};
  EXPECT_EQ(canonical_headers(sign(given, params()))[0], "host:bucket.localhost:4566");
  EXPECT_EQ(count_header(given.headers, "host"), 1u);  // not added when derived either
}

TEST(SignRequest, CanonicalizesHeaderNamesAndValues) {
  auto r = request("https://example.com/");
  r.headers = {{"My-Header", "  a   b\t\tc  "},
               {" X-Spaced-Name ", "v"},
               {"Empty", ""},
               {"my-header", "second"},
               {"User-Agent", "ua/1.0"},
               {"Connection", "keep-alive"},
               {"X-Amzn-Trace-Id", "Root=1"},
               {"Transfer-Encoding", "chunked"},
               {"Expect", "100-continue"}};
  const auto t = sign(r, params());
  EXPECT_EQ(canonical_headers(t),
            (std::vector<std::string>{"empty:", "host:example.com", "my-header:a b c,second",
                                      "x-amz-date:20250102T030405Z", "x-spaced-name:v"}));
  EXPECT_EQ(lines(t.canonical_request)[lines(t.canonical_request).size() - 2],
            "empty;host;my-header;x-amz-date;x-spaced-name");
}

TEST(SignRequest, CanonicalQuery) {
  EXPECT_EQ(canonical_query("https://example.com/?b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
  EXPECT_EQ(canonical_query("https://example.com/?%e1%88%b4=x"), "%E1%88%B4=x");
  EXPECT_EQ(canonical_query("https://example.com/?k=a+b&p=100%&q=%zz"), "k=a%2Bb&p=100%25&q=%25zz");
  EXPECT_EQ(canonical_query("https://example.com/?&&a=1&"), "a=1");
  EXPECT_EQ(canonical_query("https://example.com/?a=b=c"), "a=b%3Dc");
  EXPECT_EQ(canonical_query("https://example.com/?x=1#frag"), "x=1");
  EXPECT_EQ(canonical_query("https://example.com/?"), "");
  EXPECT_EQ(canonical_query("https://example.com/?B=1&a=1"), "B=1&a=1");  // byte order
}

TEST(SignRequest, PathsAreNormalizedExceptForS3) {
  EXPECT_EQ(canonical_uri("https://example.com", false), "/");
  EXPECT_EQ(canonical_uri("https://example.com", true), "/");
  EXPECT_EQ(canonical_uri("https://example.com/a/./b/../c//d", false), "/a/c/d");
  EXPECT_EQ(canonical_uri("https://example.com/a/./b/../c//d", true), "/a/./b/../c//d");
  EXPECT_EQ(canonical_uri("https://example.com/../..", false), "/");
  EXPECT_EQ(canonical_uri("https://example.com/a/b/..", false), "/a");
  EXPECT_EQ(canonical_uri("https://example.com/a/b/", false), "/a/b/");
  EXPECT_EQ(canonical_uri("https://example.com/a%20b", false), "/a%2520b");  // double
  EXPECT_EQ(canonical_uri("https://example.com/a%20b", true), "/a%20b");     // verbatim
}

TEST(SignRequest, SigningKeyCacheKeepsEveryCombinationCorrect) {
  // More combinations than the per-thread cache holds, visited twice, so both
  // hits and evictions are exercised; each key is checked against a direct
  // derivation.
  auto derive = [](const std::string& secret, const std::string& region,
                   const std::string& service) {
    auto view = [](const detail::Sha256Digest& d) {
      return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
    };
    auto k = detail::hmac_sha256("AWS4" + secret, "20250102");
    k = detail::hmac_sha256(view(k), region);
    k = detail::hmac_sha256(view(k), service);
    return hex_encode(view(detail::hmac_sha256(view(k), "aws4_request")));
  };
  for (int round = 0; round < 2; ++round) {
    for (const std::string secret : {"secret-one", "secret-two"}) {
      for (const std::string region : {"us-east-1", "eu-west-1", "ap-south-1"}) {
        auto c = creds();
        c.secret_access_key = secret;
        auto p = params("dynamodb");
        p.region = region;
        auto r = request("https://example.com/");
        EXPECT_EQ(sign(r, p, c).signing_key_hex, derive(secret, region, "dynamodb"));
      }
    }
  }
}

TEST(SignRequest, ConcurrentSigningIsConsistent) {
  auto reference = request("https://dynamodb.us-east-1.amazonaws.com/", "POST");
  reference.body = R"({"TableName":"t"})";
  const std::string expected = sign(reference, params()).signature;
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        auto r = request("https://dynamodb.us-east-1.amazonaws.com/", "POST");
        r.body = R"({"TableName":"t"})";
        SigningTrace trace;
        auto p = params(i % 2 == 0 ? "dynamodb" : "other");
        if (!sign_request(r, creds(), p, &trace) ||
            ((i % 2 == 0) != (trace.signature == expected))) {
          ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(PresignUrl, ExpiryMustBeOneSecondToSevenDays) {
  auto presign = [](seconds expires) {
    return presign_url("GET", "https://bucket.s3.amazonaws.com/key", {}, creds(),
                       params("s3", true), expires);
  };
  for (seconds bad : {seconds(0), seconds(-1), seconds(604801)}) {
    const auto r = presign(bad);
    ASSERT_FALSE(r.has_value()) << bad.count();
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(r.error().message.find("expiry"), std::string::npos);
  }
  EXPECT_TRUE(presign(seconds(1)).has_value());
  ASSERT_TRUE(presign(seconds(604800)).has_value());
  EXPECT_NE(presign(seconds(604800))->find("&X-Amz-Expires=604800&"), std::string::npos);
}

TEST(PresignUrl, KeepsTheUrlsQueryDropsTheFragmentAndSignsHeaders) {
  const auto url = presign_url("GET", "https://bucket.s3.amazonaws.com/k?versionId=3#frag",
                               {{"Range", "bytes=0-9"}}, creds(), params("s3", true), seconds(60));
  ASSERT_TRUE(url.has_value());
  EXPECT_TRUE(url->starts_with("https://bucket.s3.amazonaws.com/k?versionId=3&X-Amz-Algorithm="));
  EXPECT_EQ(url->find('#'), std::string::npos);
  EXPECT_NE(url->find("&X-Amz-SignedHeaders=host%3Brange&"), std::string::npos);

  const auto bare = presign_url("GET", "https://bucket.s3.amazonaws.com/k?", {}, creds(),
                                params("s3", true), seconds(60));
  ASSERT_TRUE(bare.has_value());
  EXPECT_TRUE(bare->starts_with("https://bucket.s3.amazonaws.com/k?X-Amz-Algorithm="));
}

TEST(PresignUrl, RejectsBadUrls) {
  const auto r = presign_url("GET", "bucket/key", {}, creds(), params("s3", true), seconds(60));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dynamate::aws
