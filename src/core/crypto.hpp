// src/core/crypto.hpp: hashing and MACs over OpenSSL 3 EVP. Private; the only
// place (with its .cpp) that includes OpenSSL headers besides the TLS layer.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dynamate::detail {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
std::string sha256_hex(std::string_view data);     // lowercase hex
std::string sha256_base64(std::string_view data);  // x-amz-checksum-sha256
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);
std::string md5_base64(std::string_view data);  // Content-MD5
std::string md5_hex(std::string_view data);     // lowercase hex

// Incremental SHA-256 for streamed bodies.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  Sha256Digest finish();  // the object may not be updated afterwards

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Incremental MD5 (pynamodb_mate's key layout names objects by it).
class Md5 {
 public:
  Md5();
  ~Md5();
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void update(std::string_view data);
  std::array<std::uint8_t, 16> finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Cryptographically secure random bytes (RAND_bytes).
void random_bytes(void* out, std::size_t n);
std::string random_uuid();  // RFC 4122 version 4, lowercase

}  // namespace dynamate::detail
