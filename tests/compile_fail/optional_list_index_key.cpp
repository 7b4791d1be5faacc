// An index keyed on a std::optional of a non-scalar type.
// expect: dynamate: the key members of an index must be strings, numbers or Bytes
#include <optional>
#include <string>
#include <vector>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  std::optional<std::vector<std::string>> tags;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::attribute("tags", &Page::tags),
    dynamate::global_index("by_tags", &Page::tags));

void use(const dynamate::aws::DynamoDbClient& client) { dynamate::Table<Page> pages(client); }
