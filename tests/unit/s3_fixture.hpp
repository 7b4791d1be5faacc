// Shared helpers for the S3Client unit tests: a client over a FakeTransport and
// FakeClock, header/query accessors, and a body source that counts its reads.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "dynamate/aws/s3.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_transport.hpp"

namespace dynamate::aws::s3_test {

struct ClientSetup {
  std::string region = "us-east-1";
  std::string endpoint{};  // empty = AWS
  bool path_style = false;
  int max_attempts = 1;
};

struct S3Fixture {
  std::shared_ptr<test::FakeTransport> transport = std::make_shared<test::FakeTransport>();
  std::shared_ptr<test::FakeClock> clock = std::make_shared<test::FakeClock>();
  S3Client client;

  explicit S3Fixture(const ClientSetup& setup = {}) : client(make(setup)) {}

  S3Client make(const ClientSetup& setup) {
    ClientConfig c;
    c.region = setup.region;
    c.endpoint = setup.endpoint;
    c.s3_path_style = setup.path_style;
    c.credentials = static_credentials({"AKID", "SECRET", "", {}, "test"});
    c.transport = transport;
    c.clock = clock;
    c.retry.max_attempts = setup.max_attempts;
    return S3Client::create(std::move(c)).value();
  }

  http::Request last() const { return transport->requests().back(); }
  http::Request request(std::size_t i) const { return transport->requests().at(i); }
};

inline std::string header(const http::Request& r, std::string_view name) {
  const std::string* v = http::find_header(r.headers, name);
  return v == nullptr ? "<absent>" : *v;
}

inline std::string s3_error(std::string_view code, std::string_view message = "msg") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + std::string(code) +
         "</Code><Message>" + std::string(message) +
         "</Message><RequestId>REQ1</RequestId></Error>";
}

// Serves `data`, counting bytes read and rewinds (to see hashing passes).
class CountingSource final : public http::BodySource {
 public:
  explicit CountingSource(std::string data, std::uint64_t claimed_size = UINT64_MAX)
      : data_(std::move(data)), size_(claimed_size == UINT64_MAX ? data_.size() : claimed_size) {}
  std::uint64_t size() const override { return size_; }
  Result<std::size_t> read(std::span<char> out) override {
    const std::size_t n = std::min(out.size(), data_.size() - pos_);
    std::memcpy(out.data(), data_.data() + pos_, n);
    pos_ += n;
    bytes_read += n;
    return n;
  }
  Result<void> rewind() override {
    pos_ = 0;
    ++rewinds;
    return {};
  }
  std::uint64_t bytes_read = 0;
  int rewinds = 0;

 private:
  std::string data_{};
  std::uint64_t size_{};
  std::size_t pos_ = 0;
};

// Deterministic, non-repeating-looking test bytes.
inline std::string test_bytes(std::size_t n, unsigned seed = 1) {
  std::string out(n, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xFF);
  }
  return out;
}

}  // namespace dynamate::aws::s3_test
