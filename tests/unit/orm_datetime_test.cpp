// Time point converters: pynamodb's UTCDateTimeAttribute text (the default),
// RFC 3339, epoch seconds and milliseconds; precision, dates before 1970 and
// the limits of each duration type.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "dynamate/model.hpp"

namespace {

using namespace std::chrono;  // NOLINT: test brevity
using dynamate::AttributeValue;
using dynamate::Converter;
using dynamate::ErrorCode;
using dynamate::datetime::EpochMillis;
using dynamate::datetime::EpochSeconds;
using dynamate::datetime::Iso8601;
using dynamate::datetime::UtcDateTime;

// 2024-01-02T03:04:05 UTC plus a sub-second part.
template <class D = nanoseconds>
sys_time<D> jan2(D sub = D{0}) {
  return sys_days{year{2024} / January / 2} + hours{3} + minutes{4} + seconds{5} + sub;
}

template <class C, class TP>
std::string text_of(const TP& tp) {
  auto a = C::encode(tp);
  if (!a) return "error: " + a.error().message;
  if (a->as_string()) return *a->as_string();
  if (a->as_number()) return "N:" + a->as_number()->text;
  return "?";
}

template <class C, class D>
dynamate::Result<sys_time<D>> read(const AttributeValue& v) {
  sys_time<D> out{};
  auto r = C::decode(v, out);
  if (!r) return dynamate::unexpected(r.error());
  return out;
}

AttributeValue num(const std::string& t) { return AttributeValue(dynamate::Number{t}); }

// ---- pynamodb UTCDateTimeAttribute ----

TEST(OrmUtcDateTime, IsTheDefaultAndWritesPynamodbText) {
  static_assert(std::is_base_of_v<UtcDateTime, Converter<system_clock::time_point>>);
  static_assert(Converter<sys_seconds>::key_type == dynamate::aws::ScalarAttributeType::S);
  EXPECT_EQ(text_of<Converter<sys_time<microseconds>>>(jan2(microseconds{123456})),
            "2024-01-02T03:04:05.123456+0000");
  EXPECT_EQ(text_of<Converter<sys_seconds>>(jan2(seconds{0})), "2024-01-02T03:04:05.000000+0000");
  EXPECT_EQ(text_of<UtcDateTime>(sys_days{year{1970} / 1 / 1}), "1970-01-01T00:00:00.000000+0000");
}

TEST(OrmUtcDateTime, ReadsWhatPynamodbWrites) {
  auto t = read<UtcDateTime, microseconds>(AttributeValue("2024-01-02T03:04:05.123456+0000"));
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(*t, jan2(microseconds{123456}));
  // system_clock::time_point (nanoseconds on this platform).
  auto n =
      read<UtcDateTime, system_clock::duration>(AttributeValue("2024-01-02T03:04:05.000001+0000"));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, jan2(microseconds{1}));
  // Older pynamodb wrote years below 1000 without padding; pynamodb pads.
  auto y = read<UtcDateTime, seconds>(AttributeValue("999-03-04T05:06:07.000000+0000"));
  ASSERT_TRUE(y) << y.error().message;
  EXPECT_EQ(*y, sys_days{year{999} / 3 / 4} + hours{5} + minutes{6} + seconds{7});
}

TEST(OrmUtcDateTime, SubMicrosecondsAreTruncatedTowardThePast) {
  EXPECT_EQ(text_of<UtcDateTime>(jan2(nanoseconds{123456789})), "2024-01-02T03:04:05.123456+0000");
  // Before 1970 too: floor, not toward zero.
  const sys_time<nanoseconds> before = sys_days{year{1970} / 1 / 1} - nanoseconds{100};
  EXPECT_EQ(text_of<UtcDateTime>(before), "1969-12-31T23:59:59.999999+0000");
  const sys_time<nanoseconds> early =
      sys_days{year{1969} / 7 / 20} + hours{20} + minutes{17} + nanoseconds{40'000'000'001};
  EXPECT_EQ(text_of<UtcDateTime>(early), "1969-07-20T20:17:40.000000+0000");
}

TEST(OrmUtcDateTime, DatesBefore1970AndTheYearLimits) {
  struct Case {
    sys_time<microseconds> tp;
    const char* text;
  };
  const Case cases[] = {
      {sys_days{year{1969} / 12 / 31} + hours{23} + minutes{59} + seconds{59} +
           microseconds{999999},
       "1969-12-31T23:59:59.999999+0000"},
      {sys_days{year{1900} / 2 / 28}, "1900-02-28T00:00:00.000000+0000"},
      {sys_days{year{1} / 1 / 1}, "0001-01-01T00:00:00.000000+0000"},
      {sys_days{year{9999} / 12 / 31} + hours{23} + minutes{59} + seconds{59} +
           microseconds{999999},
       "9999-12-31T23:59:59.999999+0000"},
      {sys_days{year{2024} / 2 / 29} + hours{12}, "2024-02-29T12:00:00.000000+0000"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(text_of<UtcDateTime>(c.tp), c.text);
    auto back = read<UtcDateTime, microseconds>(AttributeValue(c.text));
    ASSERT_TRUE(back) << c.text;
    EXPECT_EQ(*back, c.tp) << c.text;
  }
  for (const sys_time<microseconds> tp : {sys_time<microseconds>(sys_days{year{10000} / 1 / 1}),
                                          sys_time<microseconds>(sys_days{year{0} / 12 / 31}),
                                          sys_time<microseconds>(sys_days{year{-5000} / 1 / 1})}) {
    auto r = UtcDateTime::encode(tp);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
  }
  // Extreme counts of a coarse duration: an error, no overflow.
  auto far = UtcDateTime::encode(sys_time<hours>(hours{std::numeric_limits<std::int64_t>::max()}));
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, ErrorCode::invalid_argument);
  auto min_ns = UtcDateTime::encode(sys_time<nanoseconds>(nanoseconds::min()));
  ASSERT_TRUE(min_ns);  // 1677-09-21
  EXPECT_EQ(*min_ns->as_string(), "1677-09-21T00:12:43.145224+0000");
}

TEST(OrmUtcDateTime, MembersThatCannotHoldTheInstant) {
  // Nanosecond time points end in 2262.
  auto r = read<UtcDateTime, nanoseconds>(AttributeValue("9999-12-31T23:59:59.999999+0000"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  EXPECT_NE(r.error().message.find("out of the range"), std::string::npos);
  auto ok = read<UtcDateTime, nanoseconds>(AttributeValue("2262-04-11T23:47:16.854775+0000"));
  EXPECT_TRUE(ok);
  EXPECT_FALSE((read<UtcDateTime, nanoseconds>(AttributeValue("2262-04-11T23:47:16.854776+0000"))));
  // 32-bit seconds end in 2038.
  using Sec32 = duration<std::int32_t>;
  EXPECT_FALSE((read<UtcDateTime, Sec32>(AttributeValue("2038-01-19T03:14:08.000000+0000"))));
  EXPECT_TRUE((read<UtcDateTime, Sec32>(AttributeValue("2038-01-19T03:14:07.000000+0000"))));
}

TEST(OrmUtcDateTime, CoarserMembersFloor) {
  auto s = read<UtcDateTime, seconds>(AttributeValue("2024-01-02T03:04:05.999999+0000"));
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, jan2(seconds{0}));
  auto m = read<UtcDateTime, milliseconds>(AttributeValue("1969-12-31T23:59:59.999999+0000"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->time_since_epoch(), milliseconds{-1});
  auto d = read<UtcDateTime, days>(AttributeValue("1969-12-31T23:59:59.999999+0000"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->time_since_epoch(), days{-1});
}

TEST(OrmUtcDateTime, RefusesOtherText) {
  for (const char* bad : {"2024-01-02T03:04:05.123456Z", "2024-01-02T03:04:05+0000",
                          "2024-01-02T03:04:05.123456+0100", "2024-01-02 03:04:05.123456+0000",
                          "2024-02-30T03:04:05.123456+0000", "2023-02-29T03:04:05.123456+0000",
                          "2024-13-02T03:04:05.123456+0000", "2024-01-02T24:04:05.123456+0000",
                          "2024-01-02T03:60:05.123456+0000", "2024-01-02T03:04:60.123456+0000",
                          "0000-01-02T03:04:05.123456+0000", "2024-01-02T03:04:05.12345x+0000",
                          "2024-01-02T03:04:05.123456+00000", "", "x"}) {
    auto r = read<UtcDateTime, microseconds>(AttributeValue(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  }
  auto n = read<UtcDateTime, microseconds>(num("1"));
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().message, "expected S, found N");
}

TEST(OrmUtcDateTime, TextOrderIsTimeOrder) {
  std::vector<sys_time<microseconds>> times = {sys_days{year{1} / 1 / 1},
                                               sys_days{year{999} / 5 / 5},
                                               sys_days{year{1969} / 12 / 31} + microseconds{1},
                                               sys_days{year{1970} / 1 / 1},
                                               jan2(microseconds{5}),
                                               jan2(microseconds{40}),
                                               sys_days{year{9999} / 1 / 1}};
  std::vector<std::string> texts;
  for (auto t : times) texts.push_back(text_of<UtcDateTime>(t));
  EXPECT_TRUE(std::is_sorted(texts.begin(), texts.end()));
}

// ---- RFC 3339 ----

TEST(OrmIso8601, WritesUtcWithFractionAsNeeded) {
  static_assert(Iso8601::key_type == dynamate::aws::ScalarAttributeType::S);
  EXPECT_EQ(text_of<Iso8601>(jan2()), "2024-01-02T03:04:05Z");
  EXPECT_EQ(text_of<Iso8601>(jan2(milliseconds{120})), "2024-01-02T03:04:05.120Z");
  EXPECT_EQ(text_of<Iso8601>(jan2(microseconds{123456})), "2024-01-02T03:04:05.123456Z");
  EXPECT_EQ(text_of<Iso8601>(jan2(nanoseconds{123456789})), "2024-01-02T03:04:05.123456789Z");
  EXPECT_EQ(text_of<Iso8601>(sys_days{year{1970} / 1 / 1} - nanoseconds{1}),
            "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(text_of<Iso8601>(sys_seconds(sys_days{year{0} / 1 / 1})), "0000-01-01T00:00:00Z");
  EXPECT_FALSE(Iso8601::encode(sys_seconds(sys_days{year{10000} / 1 / 1})));
}

TEST(OrmIso8601, ReadsZuluOffsetsAndFractions) {
  struct Case {
    const char* text;
    sys_time<nanoseconds> want;
  };
  const Case cases[] = {
      {"2024-01-02T03:04:05Z", jan2()},
      {"2024-01-02t03:04:05z", jan2()},
      {"2024-01-02T03:04:05.1Z", jan2(milliseconds{100})},
      {"2024-01-02T03:04:05.123456789Z", jan2(nanoseconds{123456789})},
      {"2024-01-02T05:04:05+02:00", jan2()},
      {"2024-01-01T21:34:05.5-05:30", jan2(milliseconds{500})},
      {"2024-01-02T03:04:05+00:00", jan2()},
      {"1970-01-01T00:30:00+01:00", sys_days{year{1969} / 12 / 31} + hours{23} + minutes{30}},
      {"2024-02-29T00:00:00Z", sys_days{year{2024} / 2 / 29}},
  };
  for (const auto& c : cases) {
    auto r = read<Iso8601, nanoseconds>(AttributeValue(c.text));
    ASSERT_TRUE(r) << c.text << ": " << r.error().message;
    EXPECT_EQ(*r, c.want) << c.text;
  }
}

TEST(OrmIso8601, RefusesOtherText) {
  for (const char* bad :
       {"2024-01-02T03:04:05", "2024-01-02T03:04:05.Z", "2024-01-02T03:04:05.1234567890Z",
        "2024-01-02T03:04:05+2:00", "2024-01-02T03:04:05+0200", "2024-01-02T03:04:05+24:00",
        "2023-02-29T00:00:00Z", "2024-01-02T24:00:00Z", "2024-01-02T23:59:60Z",
        "2024-01-02X03:04:05Z", "2024-01-02T03:04:05Zjunk", "24-01-02T03:04:05Z", ""}) {
    auto r = read<Iso8601, nanoseconds>(AttributeValue(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::schema_mismatch);
  }
}

// ---- Epoch numbers ----

TEST(OrmEpoch, SecondsAreWholeAndFloored) {
  static_assert(EpochSeconds::key_type == dynamate::aws::ScalarAttributeType::N);
  const auto t = jan2(milliseconds{900});
  EXPECT_EQ(text_of<EpochSeconds>(t), "N:1704164645");
  EXPECT_EQ(text_of<EpochSeconds>(sys_time<milliseconds>(milliseconds{-500})), "N:-1");
  EXPECT_EQ(text_of<EpochMillis>(t), "N:1704164645900");
  EXPECT_EQ(text_of<EpochMillis>(sys_time<microseconds>(microseconds{-1})), "N:-1");
  // ttl(...) uses EpochSecondsConverter, which is EpochSeconds for time points.
  static_assert(std::is_base_of_v<EpochSeconds, dynamate::EpochSecondsConverter<sys_seconds>>);
}

TEST(OrmEpoch, ReadsAnyNumber) {
  EXPECT_EQ((read<EpochSeconds, seconds>(num("1704164645")).value()), jan2(seconds{0}));
  EXPECT_EQ((read<EpochSeconds, milliseconds>(num("1.5")).value().time_since_epoch()),
            milliseconds{1500});
  EXPECT_EQ((read<EpochSeconds, milliseconds>(num("-1.5")).value().time_since_epoch()),
            milliseconds{-1500});
  EXPECT_EQ((read<EpochSeconds, seconds>(num("1E3")).value().time_since_epoch()), seconds{1000});
  EXPECT_EQ((read<EpochSeconds, nanoseconds>(num("1.0000000001")).value().time_since_epoch()),
            nanoseconds{1'000'000'000});
  EXPECT_EQ((read<EpochSeconds, nanoseconds>(num("-0.0000000001")).value().time_since_epoch()),
            nanoseconds{-1});
  EXPECT_EQ((read<EpochSeconds, nanoseconds>(num("-1E-130")).value().time_since_epoch()),
            nanoseconds{-1});
  EXPECT_EQ((read<EpochSeconds, seconds>(num("-0.5")).value().time_since_epoch()), seconds{-1});
  EXPECT_EQ((read<EpochSeconds, seconds>(num("0")).value().time_since_epoch()), seconds{0});
  EXPECT_EQ((read<EpochMillis, milliseconds>(num("1704164645900")).value()),
            jan2(milliseconds{900}));
  EXPECT_EQ((read<EpochMillis, microseconds>(num("0.5")).value().time_since_epoch()),
            microseconds{500});
  EXPECT_EQ((read<EpochMillis, seconds>(num("-1")).value().time_since_epoch()), seconds{-1});
}

TEST(OrmEpoch, OutOfRangeAndWrongType) {
  auto far = read<EpochSeconds, seconds>(num("1E20"));
  ASSERT_FALSE(far);
  EXPECT_EQ(far.error().code, ErrorCode::schema_mismatch);
  EXPECT_FALSE((read<EpochSeconds, nanoseconds>(num("1E11"))));  // past 2262
  auto s = read<EpochSeconds, seconds>(AttributeValue("1704164645"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "expected N, found S");
  auto huge = EpochMillis::encode(sys_seconds(seconds{std::numeric_limits<std::int64_t>::max()}));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, ErrorCode::invalid_argument);
  auto big = EpochSeconds::encode(sys_seconds(seconds{std::numeric_limits<std::int64_t>::max()}));
  ASSERT_TRUE(big);  // any 64-bit count of seconds is a valid number
}

}  // namespace
