// large(...) names a Large<V> member (LargeText, LargeBytes, LargeJson).
// expect: dynamate: large(name, &T::member) needs a member of type dynamate::LargeText
#include <string>

#include "dynamate/large.hpp"

struct Page {
  std::string url;
  std::string html;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::large("html", &Page::html));
