// Table<T>::update_ttl on a model whose schema has no ttl(...).
// expect: dynamate: this operation needs a ttl(...) attribute in the schema
#include <string>

#include "dynamate/table.hpp"

struct Page {
  std::string url;
};
template <>
inline constexpr auto dynamate::schema_of<Page> =
    dynamate::schema<Page>("pages", dynamate::hash_key("url", &Page::url));

dynamate::Result<void> enable(const dynamate::Table<Page>& t) { return t.update_ttl(true); }
