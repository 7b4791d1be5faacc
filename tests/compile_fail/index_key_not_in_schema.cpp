// A global index keyed by a member the schema does not map.
// expect: dynamate: every index needs a name, and its key members must be fields of the schema
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  std::string host;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::global_index("by_host", &Page::host));

static_assert(sizeof(dynamate::Table<Page>) > 0);
