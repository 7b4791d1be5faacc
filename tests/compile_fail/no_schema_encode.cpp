// Encoding a struct without a schema.
// expect: dynamate: this type has no schema
#include <string>

#include "dynamate/detail/codec.hpp"

struct Plain {
  std::string id;
};

auto item = dynamate::detail::encode_item(Plain{});
