// Comparing an integer member with text.
// expect: dynamate: the value has another type than the member it is compared with
#include <cstdint>
#include <string>

#include "dynamate/expression.hpp"

struct Page {
  std::string url;
  std::int64_t visits = 0;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::attribute("visits", &Page::visits));

dynamate::Condition c = dynamate::field(&Page::visits) == "text";
