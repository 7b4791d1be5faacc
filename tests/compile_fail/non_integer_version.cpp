// A version attribute that is not an integer.
// expect: dynamate: a version attribute must be an integer type
#include <string>

#include "dynamate/model.hpp"

struct Page {
  std::string url;
  double version = 0;
};
template <>
inline constexpr auto dynamate::schema_of<Page> = dynamate::schema<Page>(
    "pages", dynamate::hash_key("url", &Page::url), dynamate::version("version", &Page::version));
