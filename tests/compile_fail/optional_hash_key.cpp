// An optional hash key.
// expect: dynamate: a key attribute must be a string, a number or Bytes
#include <optional>
#include <string>

#include "dynamate/model.hpp"

struct Page {
  std::optional<std::string> url;
};
template <>
inline constexpr auto dynamate::schema_of<Page> =
    dynamate::schema<Page>("pages", dynamate::hash_key("url", &Page::url));
