// Object keys of large attributes: the per-item layout (escaped item key,
// attribute, sha256, write id), pynamodb_mate 6's layout, and what a key
// says about its content.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/crypto.hpp"
#include "dynamate/detail/large_ops.hpp"

namespace dynamate::detail {
namespace {

// Key values longer than this (escaped) are replaced by "~" + their sha256,
// so that a per-item key stays within S3's 1024 bytes.
constexpr std::size_t kMaxSegment = 300;

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool is_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The text of a key value: a string as it is, a number as DynamoDB holds it,
// binary as lowercase hex.
Result<std::string> key_value_text(const AttributeMap& key, std::string_view name) {
  auto it = key.find(name);
  if (it == key.end()) {
    return unexpected(ErrorCode::invalid_argument,
                      "the item key has no attribute \"" + std::string(name) + "\"");
  }
  if (const auto* s = it->second.as_string()) return *s;
  if (const auto* n = it->second.as_number()) return n->text;
  if (const auto* b = it->second.as_bytes()) return hex_encode(b->view());
  return unexpected(ErrorCode::invalid_argument, "key attribute \"" + std::string(name) +
                                                     "\" is not a string, number or binary");
}

std::string key_segment(std::string_view raw) {
  std::string escaped = escape_key_segment(raw);
  // An escaped segment never contains '~' (it is escaped), so the hashed
  // form "~<sha256>" cannot be mistaken for one.
  if (escaped.size() <= kMaxSegment) return escaped;
  return "~" + sha256_hex(raw);
}

}  // namespace

std::string escape_key_segment(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<std::string> item_key_segments(const AttributeMap& key, std::string_view hash_name,
                                      std::string_view range_name) {
  auto hash = key_value_text(key, hash_name);
  if (!hash) return hash;
  std::string out = key_segment(*hash);
  if (!range_name.empty()) {
    auto range = key_value_text(key, range_name);
    if (!range) return range;
    out += '/';
    out += key_segment(*range);
  }
  return out;
}

std::string per_item_key_prefix(std::string_view prefix, std::string_view item_segments,
                                std::string_view attribute) {
  std::string out;
  out.reserve(prefix.size() + item_segments.size() + attribute.size() + 2);
  out.append(prefix).append(item_segments).append("/");
  out.append(escape_key_segment(attribute)).append("/");
  return out;
}

std::string per_item_key(std::string_view key_prefix, std::string_view sha256_hex,
                         std::string_view write_id) {
  std::string out(key_prefix);
  out.append(sha256_hex).append(".").append(write_id);
  return out;
}

bool parse_per_item_key(std::string_view key, std::string_view key_prefix,
                        std::string* sha256_hex) {
  if (!key.starts_with(key_prefix)) return false;
  std::string_view rest = key.substr(key_prefix.size());
  if (rest.size() != 64 + 1 + 16 || rest[64] != '.') return false;
  if (!is_hex(rest.substr(0, 64)) || !is_hex(rest.substr(65))) return false;
  if (sha256_hex != nullptr) *sha256_hex = std::string(rest.substr(0, 64));
  return true;
}

Result<std::string> pynamodb_mate_key(std::string_view prefix, const AttributeMap& key,
                                      std::string_view hash_name, std::string_view range_name,
                                      std::string_view attribute, std::string_view md5_hex) {
  auto value_text = [&](std::string_view name) -> Result<std::string> {
    auto it = key.find(name);
    if (it != key.end() && it->second.as_bytes() != nullptr) {
      return unexpected(ErrorCode::invalid_argument,
                        "the pynamodb_mate key layout has no form for a binary key attribute (\"" +
                            std::string(name) + "\"); use the per_item layout");
    }
    return key_value_text(key, name);
  };
  std::string out;
  // pynamodb_mate cuts one leading '/' or else one trailing '/'.
  if (!prefix.empty()) {
    if (prefix.front() == '/') {
      prefix.remove_prefix(1);
    } else if (prefix.back() == '/') {
      prefix.remove_suffix(1);
    }
    out.append(prefix).append("/");
  }
  auto hash = value_text(hash_name);
  if (!hash) return hash;
  out.append("pk=").append(*hash);
  if (!range_name.empty()) {
    auto range = value_text(range_name);
    if (!range) return range;
    out.append("/sk=").append(*range);
  }
  out.append("/attr=").append(attribute).append("/md5=").append(md5_hex);
  return out;
}

std::string new_write_id() {
  std::array<unsigned char, 8> bytes{};
  random_bytes(bytes.data(), bytes.size());
  return hex_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string make_large_uri(std::string_view bucket, std::string_view key) {
  std::string out = "s3://";
  out.append(bucket).append("/").append(key);
  return out;
}

void content_hashes_from_key(std::string_view key, std::string* sha256_hex, std::string* md5_hex) {
  const auto slash = key.rfind('/');
  std::string_view last = slash == std::string_view::npos ? key : key.substr(slash + 1);
  if (last.size() == 64 + 1 + 16 && last[64] == '.' && is_hex(last.substr(0, 64)) &&
      is_hex(last.substr(65))) {
    *sha256_hex = std::string(last.substr(0, 64));
  } else if (last.size() == 64 && is_hex(last)) {
    *sha256_hex = std::string(last);
  } else if (last.size() == 4 + 32 && last.starts_with("md5=") && is_hex(last.substr(4))) {
    *md5_hex = std::string(last.substr(4));
  }
}

}  // namespace dynamate::detail
