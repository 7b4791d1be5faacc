// Two fields stored under the same attribute name.
// expect: dynamate: two fields of this schema have the same attribute name
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  std::string title;
  std::string heading;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::attribute("title", &Page::title),
    dynamate::attribute("title", &Page::heading));

static_assert(sizeof(dynamate::Table<Page>) > 0);
