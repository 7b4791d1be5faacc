// A table model without a hash key.
// expect: dynamate: a table model needs exactly one hash_key(...) in its schema
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
};
template <>
inline constexpr auto dynamate::schema_of<Page> =
    dynamate::schema<Page>("pages", dynamate::attribute("url", &Page::url));

static_assert(sizeof(dynamate::Table<Page>) > 0);
