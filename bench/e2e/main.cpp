// large_e2e's command line and clients (the benchmarks: large_e2e.cpp,
// large_stream.cpp).
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>

#include "e2e_common.hpp"

namespace dynamate::bench {

Clients make_clients(const Options& o) {
  auto counter = std::make_shared<CountingTransport>(http::make_curl_transport(), o.s3_endpoint,
                                                     o.ddb_endpoint);
  auto config = [&](const std::string& endpoint, const std::string& key,
                    const std::string& secret) {
    aws::ClientConfig c;
    c.region = "us-east-1";
    c.endpoint = endpoint;
    c.credentials = aws::static_credentials({key, secret, "", {}, "bench"});
    c.transport = counter;
    c.s3_path_style = true;
    return c;
  };
  auto ddb = aws::DynamoDbClient::create(config(o.ddb_endpoint, "bench", "bench"));
  auto s3 = aws::S3Client::create(config(o.s3_endpoint, o.s3_key, o.s3_secret));
  if (!ddb || !s3) {
    std::fprintf(stderr, "large_e2e: cannot create the clients: %s\n",
                 (!ddb ? ddb.error() : s3.error()).to_string().c_str());
    std::exit(1);
  }
  return {counter, std::move(*ddb), std::move(*s3)};
}

}  // namespace dynamate::bench

namespace {

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: large_e2e crud|stream --ddb URL --s3 URL [--label L] [--items N] "
               "[--warmup N] [--gzip] [--s3-key K] [--s3-secret S] [--s3-pid PID] "
               "[--ddb-pid PID] [--proxy-delays S3MS,DDBMS] [--size BYTES] [--dir DIR]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  using dynamate::bench::Options;
  if (argc < 2) usage();
  Options o;
  o.mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--gzip") {
      o.gzip_text = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    const std::string v = argv[++i];
    const std::map<std::string, std::function<void()>> setters = {
        {"--ddb", [&] { o.ddb_endpoint = v; }},
        {"--s3", [&] { o.s3_endpoint = v; }},
        {"--s3-key", [&] { o.s3_key = v; }},
        {"--s3-secret", [&] { o.s3_secret = v; }},
        {"--label", [&] { o.label = v; }},
        {"--items", [&] { o.items = std::atoi(v.c_str()); }},
        {"--warmup", [&] { o.warmup = std::atoi(v.c_str()); }},
        {"--s3-pid", [&] { o.s3_pid = std::atoi(v.c_str()); }},
        {"--ddb-pid", [&] { o.ddb_pid = std::atoi(v.c_str()); }},
        {"--size", [&] { o.size = std::strtoull(v.c_str(), nullptr, 10); }},
        {"--dir", [&] { o.dir = v; }},
        // "S3,DDB" in ms: what the latency proxies add, for the critical-path column.
        {"--proxy-delays",
         [&] {
           const auto comma = v.find(',');
           if (comma == std::string::npos) usage();
           o.s3_delay_ms = std::atoi(v.substr(0, comma).c_str());
           o.ddb_delay_ms = std::atoi(v.substr(comma + 1).c_str());
         }},
    };
    const auto it = setters.find(a);
    if (it == setters.end()) usage();
    it->second();
  }
  if (o.ddb_endpoint.empty() || o.s3_endpoint.empty() || o.items < 1 || o.warmup < 0) usage();
  if (o.mode == "crud") return dynamate::bench::run_crud(o);
  if (o.mode == "stream") return dynamate::bench::run_stream(o);
  usage();
}
