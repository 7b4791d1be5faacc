// A sparse index: global and local indexes keyed on std::optional members
// (a table key cannot be optional, see optional_hash_key.cpp).
// expect: compiles
#include <cstdint>
#include <optional>
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  std::int64_t seq = 0;
  std::optional<std::string> owner;
  std::optional<std::int64_t> rank;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::range_key("seq", &Page::seq),
    dynamate::attribute("owner", &Page::owner), dynamate::attribute("rank", &Page::rank),
    dynamate::global_index("by_owner", &Page::owner, &Page::rank),
    dynamate::local_index("by_rank", &Page::rank));

void use(const dynamate::aws::DynamoDbClient& client) {
  dynamate::Table<Page> pages(client);
  (void)pages.create_table();
}
