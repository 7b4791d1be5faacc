// A bool hash key.
// expect: dynamate: a key attribute must be a string, a number or Bytes
#include "dynamate/model.hpp"

struct Flag {
  bool on = false;
};
template <>
inline constexpr auto dynamate::schema_of<Flag> =
    dynamate::schema<Flag>("flags", dynamate::hash_key("on", &Flag::on));
