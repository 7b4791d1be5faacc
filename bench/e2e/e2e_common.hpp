// Shared pieces of the large-attribute end-to-end benchmark (large_e2e):
// command-line options, the models, and the clients on a counting transport.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "counting_transport.hpp"
#include "dynamate/aws/dynamodb.hpp"
#include "dynamate/aws/s3.hpp"
#include "dynamate/large.hpp"
#include "dynamate/model.hpp"

namespace dynamate::bench {

// An item with two large fields (the crawler page: text + image).
struct BenchPage {
  std::string id;
  LargeText html;
  LargeBytes cover;
  std::int64_t version = 0;
};

// One streamed value.
struct BenchBlob {
  std::string id;
  LargeBytes data;
};

}  // namespace dynamate::bench

template <>
inline constexpr auto dynamate::schema_of<dynamate::bench::BenchPage> =
    dynamate::schema<dynamate::bench::BenchPage>(
        "bench_pages", dynamate::hash_key("id", &dynamate::bench::BenchPage::id),
        dynamate::large("html", &dynamate::bench::BenchPage::html),
        dynamate::large("cover", &dynamate::bench::BenchPage::cover),
        dynamate::version("version", &dynamate::bench::BenchPage::version));

template <>
inline constexpr auto dynamate::schema_of<dynamate::bench::BenchBlob> =
    dynamate::schema<dynamate::bench::BenchBlob>(
        "bench_blobs", dynamate::hash_key("id", &dynamate::bench::BenchBlob::id),
        dynamate::large("data", &dynamate::bench::BenchBlob::data));

namespace dynamate::bench {

struct Options {
  std::string mode;  // crud | stream
  std::string ddb_endpoint;
  std::string s3_endpoint;
  std::string s3_key = "S3RVER";  // s3rver accepts only this key; moto any
  std::string s3_secret = "S3RVER";
  std::string label = "run";
  int items = 40;
  int warmup = 8;
  bool gzip_text = false;
  int s3_pid = 0;
  int ddb_pid = 0;
  // What latency proxies in front of the endpoints add per request (ms).
  int s3_delay_ms = 0;
  int ddb_delay_ms = 0;
  // stream mode
  std::uint64_t size = 256ull << 20;
  std::string dir = "/tmp";
};

struct Clients {
  std::shared_ptr<CountingTransport> counter;
  aws::DynamoDbClient ddb;
  aws::S3Client s3;
};
// Both clients on one curl transport wrapped by a CountingTransport.
Clients make_clients(const Options& o);

int run_crud(const Options& o);
int run_stream(const Options& o);

}  // namespace dynamate::bench
