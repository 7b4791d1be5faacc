// Table-driven base64: 12 bits -> 2 characters per lookup when encoding, four
// pre-shifted 32-bit tables when decoding (one OR per 4 characters; invalid
// characters set bit 24, checked once per run instead of per byte).
#include "core/base64_fast.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

namespace dynamate::detail {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// kPairs[2*v], kPairs[2*v+1]: the two characters encoding the 12-bit value v.
constexpr std::array<char, 8192> make_pairs() {
  std::array<char, 8192> t{};
  for (std::size_t v = 0; v < 4096; ++v) {
    t[2 * v] = kAlphabet[v >> 6];
    t[2 * v + 1] = kAlphabet[v & 63];
  }
  return t;
}
constexpr auto kPairs = make_pairs();

constexpr std::uint32_t kBad = 0x01000000;  // above any valid 24-bit group

struct DecodeTables {
  std::array<std::uint32_t, 256> t[4];
};
constexpr DecodeTables make_decode_tables() {
  DecodeTables d{};
  for (int k = 0; k < 4; ++k) {
    for (auto& v : d.t[k]) v = kBad;
    for (std::uint32_t i = 0; i < 64; ++i) {
      d.t[k][static_cast<unsigned char>(kAlphabet[i])] = i << (18 - 6 * k);
    }
  }
  return d;
}
constexpr DecodeTables kDecode = make_decode_tables();

inline std::uint32_t decode_group(const unsigned char* s) noexcept {
  return kDecode.t[0][s[0]] | kDecode.t[1][s[1]] | kDecode.t[2][s[2]] | kDecode.t[3][s[3]];
}

// Stores the 3 bytes of `group` big-endian at `o`, writing a 4th scratch
// byte; the caller guarantees o[3] is inside the buffer.
inline void store3_wide(char* o, std::uint32_t group) noexcept {
  std::uint32_t be = group << 8;
  if constexpr (std::endian::native == std::endian::little) be = __builtin_bswap32(be);
  std::memcpy(o, &be, 4);
}

}  // namespace

void base64_append(std::string& out, std::string_view data) {
  const std::size_t n = data.size();
  const std::size_t old = out.size();
  out.resize(old + (n + 2) / 3 * 4);
  char* o = out.data() + old;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3, o += 4) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | std::uint32_t{in[i + 2]};
    std::memcpy(o, &kPairs[2 * (v >> 12)], 2);
    std::memcpy(o + 2, &kPairs[2 * (v & 0xFFF)], 2);
  }
  if (i < n) {
    std::uint32_t v = std::uint32_t{in[i]} << 16;
    if (i + 1 < n) v |= std::uint32_t{in[i + 1]} << 8;
    o[0] = kAlphabet[(v >> 18) & 63];
    o[1] = kAlphabet[(v >> 12) & 63];
    o[2] = (i + 1 < n) ? kAlphabet[(v >> 6) & 63] : '=';
    o[3] = '=';
  }
}

bool base64_decode_into(std::string_view text, std::string& out) {
  const std::size_t n = text.size();
  if (n % 4 != 0) return false;
  if (n == 0) {
    out.clear();
    return true;
  }
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const int pad = s[n - 1] != '=' ? 0 : (s[n - 2] == '=' ? 2 : 1);
  const std::size_t size = n / 4 * 3 - static_cast<std::size_t>(pad);
  out.resize(size);
  char* o = out.data();

  // Every group but the last decodes to 3 bytes and is followed by at least
  // one more output byte, so the 4-byte store stays in bounds.
  const std::size_t groups = n / 4 - 1;
  std::uint32_t bad = 0;
  for (std::size_t g = 0; g < groups; ++g, s += 4, o += 3) {
    const std::uint32_t v = decode_group(s);
    bad |= v;
    store3_wide(o, v);
  }
  if (bad & ~0xFFFFFFu) return false;

  // The last group, with its padding: '=' decodes as 0 but must be canonical
  // (no stray bits in the last real character).
  unsigned char last[4] = {s[0], s[1], s[2], s[3]};
  for (int k = 4 - pad; k < 4; ++k) last[k] = 'A';
  const std::uint32_t v = decode_group(last);
  if (v & ~0xFFFFFFu) return false;
  if ((pad == 1 && (v & 0xFF) != 0) || (pad == 2 && (v & 0xFFFF) != 0)) return false;
  o[0] = static_cast<char>(v >> 16);
  if (pad < 2) o[1] = static_cast<char>(v >> 8);
  if (pad < 1) o[2] = static_cast<char>(v);
  return true;
}

}  // namespace dynamate::detail
