// src/core/http_date.hpp: a locale-independent parser for HTTP dates (the
// Date and Last-Modified headers). Private.
//
// strptime's %a/%b follow LC_TIME, so under a non-English locale they reject
// every date a server sends; this parser reads the English names itself.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace dynamate::detail {

// Parses RFC 7231's IMF-fixdate, the only format servers may generate:
// "Sun, 06 Nov 1994 08:49:37 GMT" (exactly that shape: 29 characters, English
// day and month names with that capitalization, two-digit day, four-digit
// year, "GMT"). The day name must be one of the seven but is not checked
// against the date. Seconds may be 60 (a leap second, counted as the next
// minute's 00). Returns nullopt for anything else, including the obsolete
// RFC 850 and asctime formats, an impossible date (30 Feb, 29 Feb of a
// non-leap year) and trailing characters.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace dynamate::detail
