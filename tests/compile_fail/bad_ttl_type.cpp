// A ttl attribute that is neither a time point nor an integer.
// expect: dynamate: a ttl attribute must be a std::chrono::sys_time
#include <string>

#include "dynamate/model.hpp"

struct Session {
  std::string id;
  std::string expires;
};
template <>
inline constexpr auto dynamate::schema_of<Session> =
    dynamate::schema<Session>("sessions", dynamate::hash_key("id", &Session::id),
                              dynamate::ttl("expires", &Session::expires));
