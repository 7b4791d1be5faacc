// A large attribute cannot be a key: keys live in the item, large values in S3.
// expect: dynamate: a key attribute must be a string, a number or Bytes
#include <string>

#include "dynamate/large.hpp"

struct Blob {
  dynamate::LargeText id;
};
template <>
inline constexpr auto dynamate::schema_of<Blob> =
    dynamate::schema<Blob>("blobs", dynamate::hash_key("id", &Blob::id));
