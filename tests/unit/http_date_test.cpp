// parse_http_date: RFC 7231 IMF-fixdate parsed by hand, the same under any
// LC_TIME, strict about shape, digits, names and calendar dates.
#include "core/http_date.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <string>

namespace dynamate::detail {
namespace {

using std::chrono::seconds;

// Seconds since the epoch of a parsed date, or -1 when it was rejected.
long long epoch_seconds(std::string_view text) {
  const auto tp = parse_http_date(text);
  if (!tp) return -1;
  return std::chrono::duration_cast<seconds>(tp->time_since_epoch()).count();
}

TEST(HttpDate, ParsesImfFixdate) {
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(epoch_seconds("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(epoch_seconds("Fri, 31 Dec 1999 23:59:59 GMT"), 946684799);
  EXPECT_EQ(epoch_seconds("Wed, 12 Oct 2009 17:50:30 GMT"), 1255369830);
  // The day name is not checked against the date (Sun is wrong here).
  EXPECT_EQ(epoch_seconds("Sun, 01 Jan 1970 00:00:00 GMT"), 0);
  // A leap second counts as the next minute's 00.
  EXPECT_EQ(epoch_seconds("Sat, 31 Dec 2016 23:59:60 GMT"), 1483228800);
}

TEST(HttpDate, EveryMonthName) {
  const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  long long previous = -1;
  for (const char* m : months) {
    const long long t = epoch_seconds(std::string("Mon, 01 ") + m + " 2024 00:00:00 GMT");
    EXPECT_GT(t, previous) << m;
    previous = t;
  }
}

TEST(HttpDate, LeapDays) {
  EXPECT_EQ(epoch_seconds("Thu, 29 Feb 2024 12:00:00 GMT"), 1709208000);
  EXPECT_EQ(epoch_seconds("Tue, 29 Feb 2000 00:00:00 GMT"), 951782400);  // 400-year rule
  EXPECT_EQ(epoch_seconds("Thu, 29 Feb 2023 00:00:00 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Thu, 29 Feb 1900 00:00:00 GMT"), -1);  // 100-year rule
  EXPECT_EQ(epoch_seconds("Thu, 30 Feb 2024 00:00:00 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Thu, 31 Apr 2024 00:00:00 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Thu, 00 Apr 2024 00:00:00 GMT"), -1);
}

TEST(HttpDate, RejectsBadNames) {
  EXPECT_EQ(epoch_seconds("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 nov 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 NOV 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Okt 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Son, 06 Nov 1994 08:49:37 GMT"), -1);
}

TEST(HttpDate, RejectsBadDigitsAndFields) {
  EXPECT_EQ(epoch_seconds("Sun, 6 Nov 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 0x Nov 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 19a4 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:4 :37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:-7 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 24:00:00 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:60:00 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:61 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08.49.37 GMT"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
  EXPECT_EQ(epoch_seconds("Sun 06 Nov 1994 08:49:37 GMT"), -1);
}

TEST(HttpDate, RejectsOtherShapesAndTrailingJunk) {
  EXPECT_EQ(epoch_seconds(""), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:37 GMTX"), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:37 GMT "), -1);
  EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:37"), -1);
  EXPECT_EQ(epoch_seconds(" Sun, 06 Nov 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(epoch_seconds(std::string_view("Sun, 06 Nov 1994 08:49:37 GMT\0", 30)), -1);
  EXPECT_EQ(epoch_seconds("Sunday, 06-Nov-94 08:49:37 GMT"), -1);  // RFC 850
  EXPECT_EQ(epoch_seconds("Sun Nov  6 08:49:37 1994"), -1);        // asctime
  EXPECT_EQ(epoch_seconds("1994-11-06T08:49:37Z"), -1);
}

TEST(HttpDate, IgnoresTheLocale) {
  // Under a non-English LC_TIME, strptime's %a/%b would want "So"/"Nov."; the
  // parser must not care. Locales may be missing: then this checks "C" again.
  const std::string saved = std::setlocale(LC_TIME, nullptr);
  for (const char* name : {"de_DE.UTF-8", "fr_FR.UTF-8", "ja_JP.UTF-8"}) {
    std::setlocale(LC_TIME, name);
    EXPECT_EQ(epoch_seconds("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777) << name;
  }
  std::setlocale(LC_TIME, saved.c_str());
}

}  // namespace
}  // namespace dynamate::detail
