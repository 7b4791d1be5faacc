// base64 (RFC 4648 test vectors, strictness) and hex.
#include <gtest/gtest.h>

#include <random>

#include "dynamate/bytes.hpp"

namespace dynamate {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto d = base64_decode(encoded);
    ASSERT_TRUE(d) << encoded;
    EXPECT_EQ(*d, plain);
  }
}

TEST(Base64, RoundTripsAllByteValuesAndLengths) {
  std::mt19937 rng(7);
  for (std::size_t len = 0; len < 300; ++len) {
    std::string s(len, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    auto d = base64_decode(base64_encode(s));
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, s);
  }
}

TEST(Base64, RejectsMalformedInput) {
  for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v!A==", "Zh==", "Zm9=", "====", "Zm 9v"}) {
    auto d = base64_decode(bad);
    EXPECT_FALSE(d) << bad;
    if (!d) {
      EXPECT_EQ(d.error().code, ErrorCode::protocol);
    }
  }
}

TEST(Hex, Lowercase) { EXPECT_EQ(hex_encode(std::string("\x00\xff\x10", 3)), "00ff10"); }

TEST(Bytes, OrderedBytewiseAsDynamoDB) {
  EXPECT_LT(Bytes(std::string("\x01")), Bytes(std::string("\xff")));
  EXPECT_EQ(Bytes(std::string("ab")), Bytes("ab", 2));
}

}  // namespace
}  // namespace dynamate
