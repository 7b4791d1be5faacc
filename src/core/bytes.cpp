// base64 (RFC 4648, padded; the table-driven codec in base64_fast) and hex.
#include "dynamate/bytes.hpp"

#include "core/base64_fast.hpp"

namespace dynamate {
std::string base64_encode(std::string_view data) {
  std::string out;
  detail::base64_append(out, data);
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::string out;
  if (!detail::base64_decode_into(text, out)) {
    return unexpected(ErrorCode::protocol, "base64: \"" + std::string(text.substr(0, 32)) +
                                               (text.size() > 32 ? "..." : "") +
                                               "\" is not canonical padded base64 (RFC 4648)");
  }
  return out;
}

std::string hex_encode(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(data.size() * 2, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    out[2 * i] = kHex[c >> 4];
    out[2 * i + 1] = kHex[c & 15];
  }
  return out;
}

}  // namespace dynamate
