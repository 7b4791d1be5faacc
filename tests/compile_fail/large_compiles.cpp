// Positive control: a model with every kind of large attribute compiles.
// expect: compiles
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
  dynamate::LargeText html;
  dynamate::LargeBytes cover;
  dynamate::LargeJson meta;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url),
    dynamate::large("html", &Page::html, {.codec = dynamate::Codec::gzip}),
    dynamate::large("cover", &Page::cover, {.layout = dynamate::KeyLayout::shared}),
    dynamate::large("meta", &Page::meta, {.codec = dynamate::Codec::zstd}));
inline dynamate::Table<Page> make(dynamate::aws::DynamoDbClient c) {
  return dynamate::Table<Page>(c);
}
