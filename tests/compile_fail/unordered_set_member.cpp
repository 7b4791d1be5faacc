// A container without a converter (std::unordered_set; use std::set).
// expect: dynamate: this member type has no Converter
#include <string>
#include <unordered_set>

#include "dynamate/model.hpp"

struct Page {
  std::string url;
  std::unordered_set<std::string> tags;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::attribute("tags", &Page::tags));
