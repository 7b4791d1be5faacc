// SigV4 signing throughput: a DynamoDB PutItem with a ~1 KB JSON body (body
// hash included), an S3 PUT whose payload hash is already known (streamed
// upload), an S3 presigned GET, and the PutItem again with the signing-key
// cache defeated, to show what the cache saves. Items/s = signatures/s.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "core/crypto.hpp"
#include "dynamate/aws/sigv4.hpp"

namespace {

using namespace std::chrono;
using dynamate::aws::Credentials;
using dynamate::aws::SigningParams;

Credentials credentials() {
  Credentials c;
  c.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  c.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  return c;
}

SigningParams params(const char* service, bool s3) {
  SigningParams p;
  p.region = "us-east-1";
  p.service = service;
  p.time = sys_days{2025y / January / 2} + 3h + 4min + 5s;
  p.s3_rules = s3;
  return p;
}

// A PutItem body of about 1 KB, shaped like what the mapper writes.
std::string put_item_body() {
  std::string body = R"({"TableName":"pages","Item":{"url":{"S":"https://python.org/"},)"
                     R"("visits":{"N":"42"},"version":{"N":"7"},"html":{"S":")";
  while (body.size() < 980) body += "lorem ipsum dolor sit amet ";
  body += R"json("}},"ConditionExpression":"attribute_not_exists(#k)"})json";
  return body;
}

dynamate::http::Request put_item_request() {
  dynamate::http::Request r;
  r.method = "POST";
  r.url = "https://dynamodb.us-east-1.amazonaws.com/";
  r.headers = {{"Content-Type", "application/x-amz-json-1.0"},
               {"X-Amz-Target", "DynamoDB_20120810.PutItem"},
               {"Host", "dynamodb.us-east-1.amazonaws.com"}};
  r.body = put_item_body();
  return r;
}

void BM_SignDynamoDbPutItem(benchmark::State& state) {
  auto request = put_item_request();
  const auto creds = credentials();
  const auto p = params("dynamodb", false);
  const std::size_t base_headers = request.headers.size();
  for (auto _ : state) {
    request.headers.resize(base_headers);  // a fresh request each time
    auto ok = dynamate::aws::sign_request(request, creds, p);
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(std::to_string(request.body.size()) + " B body");
}
BENCHMARK(BM_SignDynamoDbPutItem);

// Five dates rotating through the per-thread cache of four keys: every call
// derives the signing key again (four extra HMACs).
void BM_SignDynamoDbPutItemUncachedKey(benchmark::State& state) {
  auto request = put_item_request();
  const auto creds = credentials();
  auto p = params("dynamodb", false);
  const auto start = p.time;
  const std::size_t base_headers = request.headers.size();
  int day = 0;
  for (auto _ : state) {
    request.headers.resize(base_headers);
    p.time = start + days(day);
    day = (day + 1) % 5;
    auto ok = dynamate::aws::sign_request(request, creds, p);
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_SignDynamoDbPutItemUncachedKey);

void BM_SignS3PutPrecomputedHash(benchmark::State& state) {
  dynamate::http::Request request;
  request.method = "PUT";
  request.url =
      "https://crawler-blobs.s3.us-east-1.amazonaws.com/pages/python.org/html/"
      "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b";
  request.headers = {{"Content-Type", "text/html"},
                     {"Content-Length", "1048576"},
                     {"x-amz-meta-sha256", "3a7bd3e2360a3d29eea436fcfb7e44c7"}};
  request.body_source = dynamate::http::string_body_source(std::string(16, 'x'));
  const auto creds = credentials();
  auto p = params("s3", true);
  p.payload_hash = dynamate::detail::sha256_hex("the object body, hashed while it streamed");
  const std::size_t base_headers = request.headers.size();
  for (auto _ : state) {
    request.headers.resize(base_headers);
    auto ok = dynamate::aws::sign_request(request, creds, p);
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_SignS3PutPrecomputedHash);

void BM_PresignS3Get(benchmark::State& state) {
  const auto creds = credentials();
  const auto p = params("s3", true);
  const std::string url =
      "https://crawler-blobs.s3.us-east-1.amazonaws.com/pages/python.org/cover%20image.jpg";
  for (auto _ : state) {
    auto signed_url = dynamate::aws::presign_url("GET", url, {}, creds, p, hours(1));
    benchmark::DoNotOptimize(signed_url);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_PresignS3Get);

}  // namespace
