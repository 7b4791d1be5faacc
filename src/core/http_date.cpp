// HTTP dates (IMF-fixdate) parsed by hand, without the C locale machinery.
#include "core/http_date.hpp"

#include <array>

namespace dynamate::detail {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The value of the `count` ASCII digits at text[at...], or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) noexcept {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// 1-based month of a three-letter English name, or 0.
unsigned month_number(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return static_cast<unsigned>(i + 1);
  }
  return 0;
}

bool is_day_name(std::string_view name) noexcept {
  for (std::string_view d : kDays) {
    if (d == name) return true;
  }
  return false;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  //  0    5  8   12   17 20 23 26
  constexpr std::string_view kShape = "Ddd, DD Mmm YYYY HH:MM:SS GMT";
  if (text.size() != kShape.size()) return std::nullopt;
  if (!is_day_name(text.substr(0, 3)) || text.substr(3, 2) != ", " || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':' ||
      text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const int day = digits(text, 5, 2);
  const unsigned month = month_number(text.substr(8, 3));
  const int year = digits(text, 12, 4);
  const int hour = digits(text, 17, 2);
  const int minute = digits(text, 20, 2);
  const int second = digits(text, 23, 2);
  if (day < 0 || month == 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute} +
         std::chrono::seconds{second};
}

}  // namespace dynamate::detail
