// Unit tests for src/core/crypto: SHA-256 (FIPS 180-4 vectors), HMAC-SHA256
// (RFC 4231), MD5 (RFC 1321), the incremental hasher, the per-thread MAC key
// reuse, random bytes and UUIDs.
#include "core/crypto.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dynamate/bytes.hpp"

namespace dynamate::detail {
namespace {

std::string hex(const Sha256Digest& d) {
  return hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::string bytes(std::size_t n, char c) { return std::string(n, c); }

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(bytes(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(hex(sha256("abc")), sha256_hex("abc"));
}

TEST(Sha256, BinaryInputWithNulBytes) {
  EXPECT_EQ(sha256_hex(std::string("a\0b", 3)),
            "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
}

TEST(Sha256, Base64ForChecksumHeaders) {
  EXPECT_EQ(sha256_base64(""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(sha256_base64("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

TEST(Sha256, IncrementalMatchesOneShotForAnyChunking) {
  std::string data;
  for (int i = 0; i < 100000; ++i) data.push_back(static_cast<char>((i * 131) % 251));
  for (std::size_t chunk : {1u, 7u, 63u, 64u, 65u, 4096u, 100000u}) {
    Sha256 h;
    h.update("");  // empty updates are harmless
    for (std::size_t pos = 0; pos < data.size(); pos += chunk) {
      h.update(std::string_view(data).substr(pos, chunk));
    }
    EXPECT_EQ(h.finish(), sha256(data)) << "chunk " << chunk;
  }
  Sha256 empty;
  EXPECT_EQ(hex(empty.finish()), sha256_hex(""));
}

TEST(HmacSha256, Rfc4231) {
  // Test cases 1-4, 6 and 7 (5 tests truncated output, which we do not offer).
  EXPECT_EQ(hex(hmac_sha256(bytes(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hex(hmac_sha256(bytes(20, '\xaa'), bytes(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4.push_back(c);
  EXPECT_EQ(hex(hmac_sha256(key4, bytes(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  EXPECT_EQ(hex(hmac_sha256(bytes(131, '\xaa'),
                            "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hex(hmac_sha256(bytes(131, '\xaa'),
                            "This is a test using a larger than block-size key and a larger "
                            "than block-size data. The key needs to be hashed before being "
                            "used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256, EmptyKeyAndMessage) {
  EXPECT_EQ(hex(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  // A default string_view has a null data pointer, which OpenSSL would read
  // as "keep the previous key" if passed through.
  hmac_sha256("Jefe", "x");
  for (int i = 0; i < 2; ++i) {  // a fresh key, then the remembered one
    EXPECT_EQ(hex(hmac_sha256(std::string_view(), std::string_view())),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  }
}

// The MAC context remembers its last key; switching keys, including to a
// prefix of the previous key or back again, must never reuse stale pads.
TEST(HmacSha256, AlternatingKeysGiveIndependentResults) {
  const auto jefe = hex(hmac_sha256("Jefe", "what do ya want for nothing?"));
  const auto jef = hex(hmac_sha256("Jef", "what do ya want for nothing?"));
  const auto jefe_again = hex(hmac_sha256("Jefe", "what do ya want for nothing?"));
  const auto empty = hex(hmac_sha256("", "what do ya want for nothing?"));
  const auto long_key = hex(hmac_sha256(bytes(131, '\xaa'), "what do ya want for nothing?"));
  const auto long_again = hex(hmac_sha256(bytes(131, '\xaa'), "what do ya want for nothing?"));
  EXPECT_EQ(jefe, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(jefe_again, jefe);
  EXPECT_NE(jef, jefe);
  EXPECT_NE(empty, jefe);
  EXPECT_EQ(long_again, long_key);
  // Same key, several messages in a row (the SigV4 hot path).
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(hex(hmac_sha256(bytes(20, '\x0b'), "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }
}

TEST(HmacSha256, ConcurrentThreadsAgree) {
  const auto expected = hex(hmac_sha256("Jefe", "what do ya want for nothing?"));
  const auto expected_sha = sha256_hex("abc");
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = (i % 2 == 0) ? "Jefe" : "other key";
        const auto got = hex(hmac_sha256(key, "what do ya want for nothing?"));
        if ((i % 2 == 0) != (got == expected)) ++mismatches[t];
        if (sha256_hex("abc") != expected_sha) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(Md5, Base64ForContentMd5) {
  EXPECT_EQ(md5_base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(md5_base64("The quick brown fox jumps over the lazy dog"), "nhB9nTcrtoJr2B01QqQZ1g==");
}

TEST(Random, BytesFillAndDiffer) {
  std::string a(32, '\0');
  std::string b(32, '\0');
  random_bytes(a.data(), a.size());
  random_bytes(b.data(), b.size());
  EXPECT_NE(a, b);  // 2^-256 chance of a false failure
  EXPECT_NE(a, std::string(32, '\0'));
  random_bytes(nullptr, 0);  // a no-op
}

TEST(Random, UuidsAreVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string u = random_uuid();
    ASSERT_EQ(u.size(), 36u) << u;
    for (std::size_t pos : {8u, 13u, 18u, 23u}) EXPECT_EQ(u[pos], '-') << u;
    EXPECT_EQ(u[14], '4') << u;                                                    // version
    EXPECT_NE(std::string_view("89ab").find(u[19]), std::string_view::npos) << u;  // variant
    EXPECT_TRUE(std::all_of(u.begin(), u.end(), [](char c) {
      return c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    })) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace dynamate::detail
