// A member whose struct type has no schema (so no Converter).
// expect: dynamate: this member type has no Converter
#include <string>

#include "dynamate/model.hpp"

struct Address {
  std::string city;
};
struct Person {
  std::string id;
  Address address;
};
template <>
inline constexpr auto dynamate::schema_of<Person> =
    dynamate::schema<Person>("people", dynamate::hash_key("id", &Person::id),
                             dynamate::attribute("address", &Person::address));
