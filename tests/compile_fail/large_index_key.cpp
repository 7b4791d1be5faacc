// A large attribute cannot key a secondary index.
// expect: dynamate: the key members of an index must be strings, numbers or Bytes
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  dynamate::LargeText html;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::large("html", &Page::html),
    dynamate::global_index("by-html", &Page::html));
inline dynamate::Table<Page> make(dynamate::aws::DynamoDbClient c) {
  return dynamate::Table<Page>(c);
}
