// JsonDocument validation with simdjson (the DOM parser checks the whole text).
#include "dynamate/json_document.hpp"

#include <simdjson.h>

#include <string>

namespace dynamate::detail {

Result<void> validate_json(std::string_view text, ErrorCode code) {
  // One parser per thread: its buffers are reused across calls.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  const auto error = parser.parse(text.data(), text.size(), true).get(root);
  if (error != simdjson::SUCCESS) {
    return unexpected(code,
                      "invalid JSON document: " + std::string(simdjson::error_message(error)));
  }
  return {};
}

}  // namespace dynamate::detail
