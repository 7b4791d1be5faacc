// The building blocks of a SigV4 canonical request. The rules follow botocore's
// signers, checked against the AWS SigV4 test suite and botocore's own vectors
// (tests/conformance); comments name the cases that pin each rule down.
#include "auth/sigv4_canonical.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

namespace dynamate::aws::sigv4_detail {
namespace {

constexpr char kUpperHex[] = "0123456789ABCDEF";

constexpr std::array<bool, 256> make_unreserved() {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = true;
  for (char c : {'-', '_', '.', '~'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto kUnreserved = make_unreserved();

constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII whitespace, as Python's str.split() (botocore) sees it in header values.
constexpr std::array<bool, 256> make_space() {
  std::array<bool, 256> t{};
  for (char c : {' ', '\t', '\r', '\n', '\v', '\f'}) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr auto kSpace = make_space();

constexpr bool is_space(char c) noexcept { return kSpace[static_cast<unsigned char>(c)]; }

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

void append_encoded_byte(std::string& out, unsigned char c, bool encode_slash) {
  if (kUnreserved[c] || (c == '/' && !encode_slash)) {
    out.push_back(static_cast<char>(c));
  } else {
    const char esc[3] = {'%', kUpperHex[c >> 4], kUpperHex[c & 0x0F]};
    out.append(esc, 3);
  }
}

// Decode %XX, then encode: raw input (the test suite's "ሴ=bar") and encoded
// input (get-vanilla-query-order-encoded's "%E1%88%B4", botocore's wire URLs)
// both come out in the one canonical spelling. A '%' not followed by two hex
// digits is a literal percent sign. '+' stays a literal plus (%2B): AWS wire
// URLs spell a space %20.
void append_reencoded(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        c = static_cast<unsigned char>(hi * 16 + lo);
        i += 2;
      }
    }
    append_encoded_byte(out, c, true);
  }
}

bool is_default_port(std::string_view port, bool https) {
  std::size_t first = port.find_first_not_of('0');
  const std::string_view digits = first == std::string_view::npos ? "0" : port.substr(first);
  return digits == (https ? "443" : "80");
}

// Appends `value` trimmed, with each inner run of whitespace turned into one
// space (get-header-value-trim: even inside quotes; folded lines too). Words
// are appended whole: most values have one or two.
void append_header_value(std::string& out, std::string_view value) {
  const char* p = value.data();
  const char* const end = p + value.size();
  bool first = true;
  while (true) {
    while (p != end && is_space(*p)) ++p;
    if (p == end) return;
    const char* word = p;
    while (p != end && !is_space(*p)) ++p;
    if (!first) out.push_back(' ');
    out.append(word, static_cast<std::size_t>(p - word));
    first = false;
  }
}

void append_lower(std::string& out, std::string_view text) {
  const std::size_t at = out.size();
  out.append(text);
  for (std::size_t i = at; i < out.size(); ++i) out[i] = lower(out[i]);
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Byte order of the lowercased names, then arrival order.
bool header_less(const HeaderRef& a, const HeaderRef& b) noexcept {
  const std::size_t n = std::min(a.name.size(), b.name.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(lower(a.name[i]));
    const auto y = static_cast<unsigned char>(lower(b.name[i]));
    if (x != y) return x < y;
  }
  if (a.name.size() != b.name.size()) return a.name.size() < b.name.size();
  return a.order < b.order;
}

void write_digits(char* out, int value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

Result<UrlParts> parse_url(std::string_view url) {
  UrlParts parts;
  const std::size_t sep = url.find("://");
  const std::string_view scheme = sep == std::string_view::npos ? "" : url.substr(0, sep);
  if (iequals(scheme, "https")) {
    parts.https = true;
  } else if (!iequals(scheme, "http")) {
    return unexpected(ErrorCode::invalid_argument,
                      "sigv4: URL must start with http:// or https://: '" + std::string(url) + "'");
  }
  const std::size_t auth_begin = sep + 3;
  std::size_t auth_end = auth_begin;
  while (auth_end < url.size() && url[auth_end] != '/' && url[auth_end] != '?' &&
         url[auth_end] != '#') {
    ++auth_end;
  }
  const std::string_view authority = url.substr(auth_begin, auth_end - auth_begin);
  auto bad = [&](const char* why) {
    return unexpected(ErrorCode::invalid_argument,
                      std::string("sigv4: ") + why + " in URL '" + std::string(url) + "'");
  };
  if (authority.empty()) return bad("empty host");
  for (char c : authority) {
    if (is_space(c) || static_cast<unsigned char>(c) < 0x20 || c == '@') {
      return bad("invalid character in the host (user info is not supported)");
    }
  }
  std::size_t colon = std::string_view::npos;
  if (authority.front() == '[') {  // IPv6 literal
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 literal");
    parts.host = authority.substr(0, close + 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("junk after the IPv6 literal");
      colon = close + 1;
    }
  } else {
    colon = authority.find(':');
    parts.host = authority.substr(0, colon);
  }
  if (parts.host.empty()) return bad("empty host");
  if (colon != std::string_view::npos) {
    parts.port = authority.substr(colon + 1);
    long value = parts.port.empty() ? -1 : 0;
    for (char c : parts.port) {
      value = (c >= '0' && c <= '9' && value <= 65535) ? value * 10 + (c - '0') : -1;
      if (value < 0) break;
    }
    if (value < 0 || value > 65535) return bad("invalid port");
  }
  parts.end = std::min(url.find('#', auth_end), url.size());
  const std::string_view resource = url.substr(auth_end, parts.end - auth_end);
  const std::size_t qmark = resource.find('?');
  parts.path = resource.substr(0, qmark);
  if (qmark != std::string_view::npos) {
    parts.has_query_mark = true;
    parts.query = resource.substr(qmark + 1);
  }
  return parts;
}

void append_host(std::string& out, const UrlParts& url) {
  append_lower(out, url.host);
  if (!url.port.empty() && !is_default_port(url.port, url.https)) {
    out.push_back(':');
    out.append(url.port);
  }
}

void append_uri_encoded(std::string& out, std::string_view text, bool encode_slash) {
  for (char c : text) append_encoded_byte(out, static_cast<unsigned char>(c), encode_slash);
}

void append_canonical_uri(std::string& out, std::string_view path, bool s3_rules) {
  if (path.empty()) {
    out.push_back('/');
  } else if (s3_rules) {
    out.append(path);  // S3 signs the path exactly as sent (normalize-path.txt)
  } else {
    // botocore's remove_dot_segments: drop empty and "." segments, ".." pops
    // the previous one; keep a trailing '/' if anything is left. Each kept
    // segment is encoded as it is written, so ".." can pop back to the last '/'.
    const std::size_t base = out.size();
    std::size_t pos = 0;
    while (pos <= path.size()) {
      std::size_t next = path.find('/', pos);
      if (next == std::string_view::npos) next = path.size();
      const std::string_view seg = path.substr(pos, next - pos);
      pos = next + 1;
      if (seg.empty() || seg == ".") continue;
      if (seg == "..") {
        if (out.size() > base) out.resize(out.rfind('/'));
        continue;
      }
      out.push_back('/');
      append_uri_encoded(out, seg, true);
    }
    if (out.size() == base || path.back() == '/') out.push_back('/');
  }
}

void parse_query(std::string_view query, std::vector<QueryParam>& out) {
  std::size_t pos = 0;
  while (pos < query.size()) {
    std::size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view item = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (item.empty()) continue;  // "a=1&&b=2", a trailing '&'
    const std::size_t eq = item.find('=');
    QueryParam& p = out.emplace_back();
    append_reencoded(p.name, item.substr(0, eq));  // "?delete" -> "delete="
    if (eq != std::string_view::npos) append_reencoded(p.value, item.substr(eq + 1));
  }
}

void append_canonical_query(std::string& out, std::vector<QueryParam>& params) {
  std::sort(params.begin(), params.end(), [](const QueryParam& a, const QueryParam& b) {
    const int c = a.name.compare(b.name);
    return c != 0 ? c < 0 : a.value < b.value;
  });
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i != 0) out.push_back('&');
    out.append(params[i].name);
    out.push_back('=');
    out.append(params[i].value);
  }
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_unsigned_header(std::string_view name) noexcept {
  static constexpr std::string_view kNames[] = {"connection",
                                                "expect",
                                                "keep-alive",
                                                "proxy-authenticate",
                                                "proxy-authorization",
                                                "te",
                                                "trailer",
                                                "transfer-encoding",
                                                "upgrade",
                                                "user-agent",
                                                "x-amzn-trace-id"};
  return std::any_of(std::begin(kNames), std::end(kNames),
                     [&](std::string_view n) { return iequals(n, name); });
}

void append_canonical_headers(std::string& out, std::string& signed_headers,
                              std::vector<HeaderRef>& headers) {
  for (auto& h : headers) h.name = trim(h.name);
  std::erase_if(headers, [](const HeaderRef& h) { return is_unsigned_header(h.name); });
  // std::sort with the arrival order as tie-break is stable without the
  // allocation std::stable_sort makes.
  std::sort(headers.begin(), headers.end(), header_less);
  for (std::size_t i = 0; i < headers.size(); ++i) {
    const bool same_as_previous = i != 0 && iequals(headers[i].name, headers[i - 1].name);
    if (same_as_previous) {
      out.push_back(',');  // get-header-key-duplicate: "value2,value2,value1"
    } else {
      if (i != 0) {
        out.push_back('\n');
        signed_headers.push_back(';');
      }
      append_lower(out, headers[i].name);
      append_lower(signed_headers, headers[i].name);
      out.push_back(':');
    }
    append_header_value(out, headers[i].value);
  }
  if (!headers.empty()) out.push_back('\n');
  out.push_back('\n');
}

Result<AmzDate> format_amz_date(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(time);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{secs - day};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    return unexpected(ErrorCode::invalid_argument,
                      "sigv4: signing time year " + std::to_string(year) + " is out of range");
  }
  AmzDate d{};
  write_digits(d.text, year, 4);
  write_digits(d.text + 4, static_cast<int>(static_cast<unsigned>(ymd.month())), 2);
  write_digits(d.text + 6, static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
  d.text[8] = 'T';
  write_digits(d.text + 9, static_cast<int>(hms.hours().count()), 2);
  write_digits(d.text + 11, static_cast<int>(hms.minutes().count()), 2);
  write_digits(d.text + 13, static_cast<int>(hms.seconds().count()), 2);
  d.text[15] = 'Z';
  return d;
}

void write_hex(char* out, const unsigned char* data, std::size_t n) noexcept {
  static constexpr char kLowerHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kLowerHex[data[i] >> 4];
    out[2 * i + 1] = kLowerHex[data[i] & 0x0F];
  }
}

}  // namespace dynamate::aws::sigv4_detail
