// S3 input validation: bucket names, keys, metadata and header values, part
// numbers. Everything here runs before a request is built, so a bad argument
// costs no round trip and names exactly what is wrong.
#include <cctype>
#include <map>
#include <string>

#include "aws/s3_internal.hpp"

namespace dynamate::aws {
namespace {

Unexpected invalid(std::string message) {
  return unexpected(ErrorCode::invalid_argument, std::move(message));
}

bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// "192.168.5.4": four dot-separated groups of 1-3 digits.
bool looks_like_ipv4(std::string_view s) noexcept {
  int groups = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    const std::string_view group =
        s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (group.empty() || group.size() > 3) return false;
    for (char c : group) {
      if (c < '0' || c > '9') return false;
    }
    ++groups;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return groups == 4;
}

// Length of the UTF-8 sequence starting at s[i], or 0 if it is invalid
// (overlong forms, surrogates and code points above U+10FFFF included).
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned int cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1Fu;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0Fu;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07u;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3Fu);
  }
  static constexpr unsigned int kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// RFC 9110 token characters.
bool is_token_char(char c) noexcept {
  if (std::isalnum(static_cast<unsigned char>(c)) != 0) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

Result<void> validate_bucket_name(std::string_view bucket) {
  const std::string quoted = "bucket name \"" + std::string(bucket) + "\"";
  if (bucket.size() < 3 || bucket.size() > 63) {
    return invalid(quoted + " must be 3 to 63 characters long");
  }
  for (char c : bucket) {
    if (!is_lower_alnum(c) && c != '.' && c != '-') {
      return invalid(quoted + " may contain only lowercase letters, digits, '.' and '-'");
    }
  }
  if (!is_lower_alnum(bucket.front()) || !is_lower_alnum(bucket.back())) {
    return invalid(quoted + " must start and end with a lowercase letter or digit");
  }
  if (bucket.find("..") != std::string_view::npos) {
    return invalid(quoted + " must not contain two adjacent dots");
  }
  if (looks_like_ipv4(bucket)) return invalid(quoted + " must not look like an IP address");
  for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (bucket.starts_with(prefix)) {
      return invalid(quoted + " must not start with \"" + std::string(prefix) +
                     "\" (reserved by S3)");
    }
  }
  for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (bucket.ends_with(suffix)) {
      return invalid(quoted + " must not end with \"" + std::string(suffix) +
                     "\" (reserved by S3)");
    }
  }
  return {};
}

Result<void> validate_object_key(std::string_view key) {
  if (key.empty()) return invalid("object key must not be empty");
  if (key.size() > kS3MaxKeyBytes) {
    return invalid("object key is " + std::to_string(key.size()) +
                   " bytes long; S3 allows at most 1024 bytes (UTF-8)");
  }
  for (std::size_t i = 0; i < key.size();) {
    const std::size_t n = utf8_sequence(key, i);
    if (n == 0) {
      return invalid("object key is not valid UTF-8 (byte " + std::to_string(i) + ")");
    }
    i += n;
  }
  return {};
}

namespace detail {

Result<void> check_bucket_and_key(std::string_view bucket, std::string_view key) {
  if (auto r = validate_bucket_name(bucket); !r) return r;
  return validate_object_key(key);
}

Result<void> check_header_value(std::string_view what, std::string_view value) {
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c >= 0x7F) {
      return invalid(std::string(what) + " \"" + std::string(value) +
                     "\" must be printable ASCII (encode other text, e.g. percent-encoding)");
    }
  }
  return {};
}

Result<void> check_attributes(const ObjectAttributes& a) {
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"content_type", &a.content_type},
      {"content_encoding", &a.content_encoding},
      {"content_disposition", &a.content_disposition},
      {"cache_control", &a.cache_control},
      {"kms_key_id", &a.kms_key_id},
      {"storage_class", &a.storage_class}};
  for (const auto& [name, value] : fields) {
    if (auto r = check_header_value(name, *value); !r) return r;
  }
  if (!a.kms_key_id.empty() && a.sse != ServerSideEncryption::kms) {
    return invalid("kms_key_id is set but sse is not ServerSideEncryption::kms");
  }
  std::size_t total = 0;
  std::map<std::string, const std::string*> lowered;  // lowercased name -> name
  for (const auto& [name, value] : a.metadata) {
    if (name.empty()) return invalid("metadata name must not be empty");
    for (char c : name) {
      if (!is_token_char(c)) {
        return invalid("metadata name \"" + name +
                       "\" is not a valid HTTP header token (letters, digits and !#$%&'*+-.^_`|~)");
      }
    }
    if (auto r = check_header_value("metadata value of \"" + name + "\"", value); !r) return r;
    total += name.size() + value.size();
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto [it, fresh] = lowered.emplace(std::move(lower), &name);
    if (!fresh) {
      return invalid("metadata names \"" + *it->second + "\" and \"" + name +
                     "\" differ only in case; S3 stores names lowercased");
    }
  }
  if (total > kS3MaxMetadataBytes) {
    return invalid("user metadata is " + std::to_string(total) +
                   " bytes; S3 allows at most 2048 (names plus values)");
  }
  return {};
}

Result<void> check_part_number(int part_number) {
  if (part_number < 1 || part_number > kS3MaxParts) {
    return invalid("part number " + std::to_string(part_number) + " is outside 1..10000");
  }
  return {};
}

}  // namespace detail
}  // namespace dynamate::aws
