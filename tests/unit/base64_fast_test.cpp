// The codec's fast base64 against dynamate::base64_encode/_decode (the simple
// reference in src/core/bytes.cpp): same output, same rejections.
#include "core/base64_fast.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "dynamate/bytes.hpp"

namespace dynamate::detail {
namespace {

std::string random_bytes(std::mt19937& rng, std::size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

TEST(Base64Fast, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    std::string out = "prefix:";
    base64_append(out, plain);
    EXPECT_EQ(out, std::string("prefix:") + encoded);
    std::string decoded = "junk";
    ASSERT_TRUE(base64_decode_into(encoded, decoded));
    EXPECT_EQ(decoded, plain);
  }
}

TEST(Base64Fast, MatchesReferenceForAllLengths) {
  std::mt19937 rng(1);
  for (std::size_t n = 0; n < 600; ++n) {
    const std::string data = random_bytes(rng, n);
    std::string out;
    base64_append(out, data);
    ASSERT_EQ(out, base64_encode(data)) << n;
    std::string back;
    ASSERT_TRUE(base64_decode_into(out, back)) << n;
    ASSERT_EQ(back, data) << n;
  }
}

TEST(Base64Fast, RejectsExactlyWhatTheReferenceRejects) {
  std::mt19937 rng(2);
  std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\xff.";
  alphabet.push_back('\0');
  for (int i = 0; i < 20000; ++i) {
    std::string text = base64_encode(random_bytes(rng, rng() % 20));
    // One to three random edits: replace, insert or erase a character.
    for (std::size_t e = 0, edits = 1 + rng() % 3; e < edits; ++e) {
      const char c = alphabet[rng() % alphabet.size()];
      const std::size_t pos = text.empty() ? 0 : rng() % text.size();
      switch (rng() % 3) {
        case 0:
          if (!text.empty()) text[pos] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), c);
          break;
        default:
          if (!text.empty()) text.erase(pos, 1);
      }
    }
    const auto reference = base64_decode(text);
    std::string fast;
    const bool ok = base64_decode_into(text, fast);
    ASSERT_EQ(ok, reference.has_value()) << '"' << text << '"';
    if (ok) {
      ASSERT_EQ(fast, *reference);
    }
  }
}

}  // namespace
}  // namespace dynamate::detail
