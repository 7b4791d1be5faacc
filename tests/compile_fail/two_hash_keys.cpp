// Two hash keys.
// expect: dynamate: a table model needs exactly one hash_key(...) in its schema
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  std::string host;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::hash_key("host", &Page::host));

static_assert(sizeof(dynamate::Table<Page>) > 0);
