// A Table of a struct without a schema.
// expect: dynamate: this type has no schema
#include <string>

#include "dynamate/table.hpp"

struct Plain {
  std::string id;
};

static_assert(sizeof(dynamate::Table<Plain>) > 0);
