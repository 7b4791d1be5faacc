// Two range keys.
// expect: dynamate: a table model has at most one range_key(...)
#include <cstdint>
#include <string>

#include "dynamate/table.hpp"

struct Event {
  std::string stream;
  std::int64_t seq = 0;
  std::string at;
};
template <>
inline constexpr auto dynamate::schema_of<Event> = dynamate::schema<Event>(
    "events", dynamate::hash_key("stream", &Event::stream), dynamate::range_key("seq", &Event::seq),
    dynamate::range_key("at", &Event::at));

static_assert(sizeof(dynamate::Table<Event>) > 0);
