// dynamate/bytes.hpp: Bytes, the owning binary buffer used for DynamoDB binary
// attributes and S3 object bodies, plus base64 and hex helpers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dynamate/result.hpp"

namespace dynamate {

// Binary data. A distinct type (not std::string) so that a model field of type
// Bytes maps to DynamoDB's B type and std::string to S.
class Bytes {
 public:
  Bytes() = default;
  explicit Bytes(std::string data) : data_(std::move(data)) {}
  Bytes(const void* p, std::size_t n) : data_(static_cast<const char*>(p), n) {}
  explicit Bytes(std::span<const std::uint8_t> s)
      : data_(reinterpret_cast<const char*>(s.data()), s.size()) {}

  const std::uint8_t* data() const noexcept {
    return reinterpret_cast<const std::uint8_t*>(data_.data());
  }
  std::size_t size() const noexcept { return data_.size(); }
  bool empty() const noexcept { return data_.empty(); }
  std::string_view view() const noexcept { return data_; }
  const std::string& str() const noexcept { return data_; }
  std::string& str() noexcept { return data_; }
  std::string release() noexcept { return std::move(data_); }

  friend bool operator==(const Bytes&, const Bytes&) = default;
  friend auto operator<=>(const Bytes& a, const Bytes& b) noexcept {
    return a.data_ <=> b.data_;  // byte-wise, as DynamoDB orders binary
  }

 private:
  std::string data_;  // std::string: SSO for small values, cheap moves
};

// RFC 4648 base64 with padding (DynamoDB's binary encoding).
std::string base64_encode(std::string_view data);
// Rejects anything that is not canonical padded base64 (ErrorCode::protocol).
Result<std::string> base64_decode(std::string_view text);

std::string hex_encode(std::string_view data);  // lowercase

}  // namespace dynamate
