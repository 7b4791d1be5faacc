// Number converters: every integer width, float and double (exact, range
// checked, never rounded) and Decimal (DynamoDB's 38 digits).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "dynamate/model.hpp"

namespace {

using dynamate::AttributeValue;
using dynamate::Converter;
using dynamate::Decimal;
using dynamate::ErrorCode;
using dynamate::Number;

AttributeValue num(const std::string& text) { return AttributeValue(Number{text}); }

template <class T>
dynamate::Result<T> decode(const AttributeValue& v) {
  T out{};
  auto r = Converter<T>::decode(v, out);
  if (!r) return dynamate::unexpected(r.error());
  return out;
}

template <class T>
std::string encoded_text(const T& v) {
  auto a = Converter<T>::encode(v);
  if (!a) return "error: " + a.error().message;
  return a->as_number() ? a->as_number()->text : "not a number";
}

// ---- Integers, every width ----

template <class I>
class OrmIntegers : public ::testing::Test {};
using IntegerTypes = ::testing::Types<std::int8_t, std::uint8_t, std::int16_t, std::uint16_t,
                                      std::int32_t, std::uint32_t, std::int64_t, std::uint64_t,
                                      short, unsigned, long, unsigned long long>;
TYPED_TEST_SUITE(OrmIntegers, IntegerTypes);

TYPED_TEST(OrmIntegers, LimitsRoundTrip) {
  using I = TypeParam;
  for (I v : {std::numeric_limits<I>::min(), std::numeric_limits<I>::max(), I{0}, I{1}}) {
    const std::string text = encoded_text(v);
    EXPECT_EQ(text, std::to_string(v));
    auto back = decode<I>(num(text));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, v);
  }
}

TYPED_TEST(OrmIntegers, OneBeyondEachLimitIsOutOfRange) {
  using I = TypeParam;
  // max + 1 and min - 1, computed as decimal text.
  const std::string above = Decimal(std::numeric_limits<I>::max()).to_string();
  std::string above_plus_one = above;
  for (auto i = above_plus_one.size(); i-- > 0;) {  // increment the decimal text
    if (above_plus_one[i] == '9') {
      above_plus_one[i] = '0';
      continue;
    }
    ++above_plus_one[i];
    break;
  }
  if (above_plus_one[0] == '0') above_plus_one.insert(0, "1");
  auto r = decode<I>(num(above_plus_one));
  ASSERT_FALSE(r) << above_plus_one;
  EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  EXPECT_NE(r.error().message.find("out of range"), std::string::npos) << r.error().message;

  std::string below = "-1";
  if constexpr (std::is_signed_v<I> && sizeof(I) < 8) {
    below = std::to_string(static_cast<long long>(std::numeric_limits<I>::min()) - 1);
  } else if constexpr (std::is_signed_v<I>) {
    below = "-9223372036854775809";
  }
  auto b = decode<I>(num(below));
  ASSERT_FALSE(b) << below;
  EXPECT_NE(b.error().message.find("out of range"), std::string::npos) << b.error().message;
  auto huge = decode<I>(num("1E30"));
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("out of range"), std::string::npos);
}

TYPED_TEST(OrmIntegers, AnySpellingOfAnIntegralValue) {
  using I = TypeParam;
  for (const char* text : {"1E2", "1e2", "100.0", "1.00E+2", "+100", "0100", "10000E-2"}) {
    auto r = decode<I>(num(text));
    ASSERT_TRUE(r) << text << ": " << r.error().message;
    EXPECT_EQ(*r, I{100}) << text;
  }
  for (const char* text : {"0", "-0", "0.0", "0E10"}) {
    auto r = decode<I>(num(text));
    ASSERT_TRUE(r) << text;
    EXPECT_EQ(*r, I{0});
  }
}

TYPED_TEST(OrmIntegers, FractionsAreRefusedNotTruncated) {
  using I = TypeParam;
  for (const char* text : {"1.5", "0.1", "1E-2", "99.999", "-0.5"}) {
    auto r = decode<I>(num(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
    if (std::string(text) != "-0.5" || std::is_signed_v<I>) {
      EXPECT_NE(r.error().message.find("not an integer"), std::string::npos)
          << text << ": " << r.error().message;
    }
  }
}

TYPED_TEST(OrmIntegers, WrongTypeAndBadText) {
  using I = TypeParam;
  auto s = decode<I>(AttributeValue("12"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::schema_mismatch);
  EXPECT_EQ(s.error().message, "expected N, found S");
  for (const char* text : {"abc", "", "1e", "0x10", "1_000", " 1"}) {
    auto r = decode<I>(num(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  }
}

TEST(OrmIntegerMessages, NameTheWidth) {
  auto r = decode<std::int8_t>(num("128"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "number 128 is out of range for int8");
  auto u = decode<std::uint16_t>(num("-1"));
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().message, "number -1 is out of range for uint16");
  auto f = decode<std::int32_t>(num("2.5"));
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().message, "number 2.5 is not a valid int32 (not an integer)");
  static_assert(Converter<std::int32_t>::key_type == dynamate::aws::ScalarAttributeType::N);
}

// ---- double and float ----

TEST(OrmDouble, ShortestTextRoundTrips) {
  for (double v : {0.1, -2.5, 1e22, 123456789.125, 5e-324 * 1e200, 1.7976931348623157e125}) {
    const std::string text = encoded_text(v);
    auto back = decode<double>(num(text));
    ASSERT_TRUE(back) << text << ": " << back.error().message;
    EXPECT_EQ(*back, v);
  }
  EXPECT_EQ(encoded_text(0.1), "0.1");
  EXPECT_EQ(encoded_text(-0.0), "0");
}

TEST(OrmDouble, ExactTextIsAccepted) {
  EXPECT_EQ(decode<double>(num("0.1")).value(), 0.1);
  EXPECT_EQ(decode<double>(num("1E2")).value(), 100.0);
  EXPECT_EQ(decode<double>(num("1.50")).value(), 1.5);
  EXPECT_EQ(decode<double>(num("-7")).value(), -7.0);
  EXPECT_EQ(decode<double>(num("9007199254740992")).value(), 9007199254740992.0);
}

TEST(OrmDouble, RoundingIsRefused) {
  for (const char* text :
       {"0.30000000000000001", "9007199254740993", "0.1000000000000000055511151231257827",
        "12345678901234567890123456789012345678"}) {
    auto r = decode<double>(num(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
    EXPECT_NE(r.error().message.find("would be rounded by double"), std::string::npos)
        << r.error().message;
  }
}

TEST(OrmDouble, UnstorableValuesAreInvalidArguments) {
  for (double v : {std::nan(""), std::numeric_limits<double>::infinity(), 1e300, 1e-200}) {
    auto r = Converter<double>::encode(v);
    ASSERT_FALSE(r) << v;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  }
  auto s = decode<double>(AttributeValue(true));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "expected N, found BOOL");
}

TEST(OrmFloat, ShortestFloatTextAndRefusals) {
  EXPECT_EQ(encoded_text(0.1f), "0.1");
  EXPECT_EQ(decode<float>(num("0.1")).value(), 0.1f);
  EXPECT_EQ(decode<float>(num("16777216")).value(), 16777216.0f);
  auto r = decode<float>(num("16777217"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("would be rounded by float"), std::string::npos);
  EXPECT_FALSE(decode<float>(num("1E39")));  // beyond float's range
  EXPECT_FALSE(Converter<float>::encode(std::numeric_limits<float>::quiet_NaN()));
}

// ---- Decimal ----

std::string canon(const char* text) {
  auto d = Decimal::parse(text);
  return d ? d->to_string() : "error: " + d.error().message;
}

TEST(OrmDecimal, CanonicalText) {
  EXPECT_EQ(canon("1.0"), "1");
  EXPECT_EQ(canon("100"), "100");
  EXPECT_EQ(canon("1E2"), "100");
  EXPECT_EQ(canon("+12.50"), "12.5");
  EXPECT_EQ(canon("-0"), "0");
  EXPECT_EQ(canon("0E500"), "0");
  EXPECT_EQ(canon("000123.4500"), "123.45");
  EXPECT_EQ(canon("0.000123"), "0.000123");
  EXPECT_EQ(canon(".5"), "0.5");
  EXPECT_EQ(canon("5."), "5");
  EXPECT_EQ(canon("0.000001"), "0.000001");
  EXPECT_EQ(canon("0.0000001"), "1E-7");
  EXPECT_EQ(canon("-1.25E-10"), "-1.25E-10");
  EXPECT_EQ(canon("1.5E40"), "1.5E+40");
  EXPECT_EQ(canon("1E37"), "10000000000000000000000000000000000000");
  EXPECT_EQ(canon("1E38"), "1E+38");
  // Every canonical text parses back to itself.
  for (const char* t : {"1E-7", "1.5E+40", "-0.5", "123.45"}) EXPECT_EQ(canon(t), t);
}

TEST(OrmDecimal, DynamoDbLimits) {
  const std::string d38 = "12345678901234567890123456789012345678";
  EXPECT_EQ(canon(d38.c_str()), d38);
  EXPECT_EQ(canon((d38 + "000").c_str()), "1.2345678901234567890123456789012345678E+40");
  EXPECT_EQ(canon(("0.000" + d38).c_str()), "0.000" + d38);
  EXPECT_EQ(canon(("0.0000000" + d38).c_str()), "1.2345678901234567890123456789012345678E-8");
  const std::vector<std::string> bads = {d38 + "9", "1" + std::string(37, '0') + ".01", "1E-131",
                                         "1E126", "-1E126"};
  for (const std::string& bad : bads) {
    auto r = Decimal::parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  }
  EXPECT_TRUE(Decimal::parse("1E-130"));
  EXPECT_TRUE(Decimal::parse("9.9999999999999999999999999999999999999E+125"));
  EXPECT_TRUE(Decimal::parse("-1E125"));
  auto many = Decimal::parse(d38 + "1");
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message.find("more than 38 significant digits"), std::string::npos);
  auto far = Decimal::parse("1E126");
  EXPECT_NE(far.error().message.find("outside DynamoDB's range"), std::string::npos);
}

TEST(OrmDecimal, RejectsText) {
  for (const char* bad : {"", "abc", "1e", "1E+", ".", "-", "1..2", "--1", "1.2.3", "0x1", " 1",
                          "1 ", "NaN", "Infinity", "1E2.5"}) {
    auto r = Decimal::parse(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  }
}

TEST(OrmDecimal, ValueComparison) {
  const Decimal one = Decimal::parse("1.0").value();
  EXPECT_EQ(one, Decimal(1));
  EXPECT_EQ(one, Decimal::parse("1E0").value());
  EXPECT_EQ(Decimal::parse("-0").value(), Decimal());
  const char* ordered[] = {"-1E125", "-10", "-2",   "-1.5", "-1", "-1E-130", "0",    "1E-130",
                           "0.5",    "1",   "1.05", "1.5",  "12", "123",     "1E125"};
  for (std::size_t i = 0; i < std::size(ordered); ++i) {
    for (std::size_t j = 0; j < std::size(ordered); ++j) {
      const Decimal a = Decimal::parse(ordered[i]).value();
      const Decimal b = Decimal::parse(ordered[j]).value();
      EXPECT_EQ(a <=> b, i <=> j) << ordered[i] << " vs " << ordered[j];
      EXPECT_EQ(a == b, i == j);
    }
  }
}

TEST(OrmDecimal, Integers) {
  EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_string(), "-9223372036854775808");
  EXPECT_EQ(Decimal(std::numeric_limits<std::uint64_t>::max()).to_string(), "18446744073709551615");
  EXPECT_EQ(Decimal(1200).digits(), "12");
  EXPECT_EQ(Decimal(1200).exponent(), 2);
  EXPECT_EQ(Decimal(-5).to_integer<int>().value(), -5);
  EXPECT_EQ(Decimal::parse("1E2").value().to_integer<std::uint8_t>().value(), 100);
  EXPECT_EQ(Decimal(std::numeric_limits<std::int64_t>::min()).to_integer<std::int64_t>().value(),
            std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Decimal(std::numeric_limits<std::uint64_t>::max()).to_integer<std::uint64_t>().value(),
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_FALSE(Decimal(128).to_integer<std::int8_t>());
  EXPECT_TRUE(Decimal(-128).to_integer<std::int8_t>());
  EXPECT_FALSE(Decimal(-129).to_integer<std::int8_t>());
  EXPECT_FALSE(Decimal(-1).to_integer<std::uint64_t>());
  EXPECT_FALSE(Decimal::parse("1E20").value().to_integer<std::uint64_t>());
  EXPECT_FALSE(Decimal::parse("9223372036854775808").value().to_integer<std::int64_t>());
  auto frac = Decimal::parse("1.5").value().to_integer<int>();
  ASSERT_FALSE(frac);
  EXPECT_EQ(frac.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(frac.error().message, "Decimal 1.5 is not an integer (int32)");
  auto big = Decimal(300).to_integer<std::uint8_t>();
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().message, "Decimal 300 is out of range for uint8");
  EXPECT_TRUE(Decimal(7).is_integer());
  EXPECT_EQ(-Decimal(7), Decimal(-7));
  EXPECT_EQ(-Decimal(), Decimal());
}

TEST(OrmDecimal, Doubles) {
  EXPECT_EQ(Decimal::parse("0.1").value().to_double(), 0.1);
  EXPECT_EQ(Decimal::parse("-2.5E-130").value().to_double(), -2.5e-130);
  EXPECT_EQ(Decimal::parse("0.30000000000000001").value().to_double(), 0.3);  // nearest
  EXPECT_EQ(Decimal().to_double(), 0.0);
  EXPECT_EQ(Decimal::from_double(0.1).value().to_string(), "0.1");
  EXPECT_EQ(Decimal::from_double(-1e100).value().to_string(), "-1E+100");
  EXPECT_EQ(Decimal::from_double(-0.0).value(), Decimal());
  EXPECT_FALSE(Decimal::from_double(std::nan("")));
  EXPECT_FALSE(Decimal::from_double(std::numeric_limits<double>::infinity()));
  EXPECT_FALSE(Decimal::from_double(1e300));
}

TEST(OrmDecimal, Converter) {
  static_assert(Converter<Decimal>::key_type == dynamate::aws::ScalarAttributeType::N);
  EXPECT_EQ(encoded_text(Decimal::parse("12.50").value()), "12.5");
  auto d = decode<Decimal>(num("0012.500"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to_string(), "12.5");
  auto s = decode<Decimal>(AttributeValue("12"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "expected N, found S");
  auto bad = decode<Decimal>(num("1E200"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::schema_mismatch);
}

TEST(OrmDecimal, NumberSet) {
  const std::set<Decimal> values = {Decimal::parse("1.50").value(), Decimal(2), Decimal(-3)};
  auto a = Converter<std::set<Decimal>>::encode(values);
  ASSERT_TRUE(a);
  ASSERT_NE(a->as_number_set(), nullptr);
  EXPECT_EQ(a->as_number_set()->values, (std::vector<std::string>{"-3", "1.5", "2"}));
  std::set<Decimal> back;
  ASSERT_TRUE(Converter<std::set<Decimal>>::decode(
      AttributeValue(dynamate::NumberSet{{"2.0", "1.5", "-3"}}), back));
  EXPECT_EQ(back, values);
  // Equal values are one element, as DynamoDB treats them.
  ASSERT_TRUE(Converter<std::set<Decimal>>::decode(
      AttributeValue(dynamate::NumberSet{{"1", "1.0"}}), back));
  EXPECT_EQ(back.size(), 1u);
  auto bad = Converter<std::set<Decimal>>::decode(AttributeValue(dynamate::NumberSet{{"x"}}), back);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("set element"), std::string::npos);
}

}  // namespace
