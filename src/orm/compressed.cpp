// Encoding and decoding of compressed inline attributes (compressed.hpp).
#include "dynamate/compressed.hpp"

#include <string>

#include "dynamate/converter.hpp"

namespace dynamate::detail {

Result<AttributeValue> encode_compressed(std::string_view data, Codec codec, int level) {
  auto packed = compress(codec, data, level);
  if (!packed) return unexpected(std::move(packed).error());
  return AttributeValue(Bytes(std::move(*packed)));
}

Result<std::string> decode_compressed(const AttributeValue& value, std::uint64_t max_size) {
  const Bytes* b = value.as_bytes();
  if (b == nullptr) return unexpected(type_mismatch("B", value));
  const std::optional<Codec> codec = sniff_codec(b->view());
  if (!codec) {
    std::string msg =
        "a compressed attribute holds a gzip member or a zstd frame, but this binary value ";
    if (b->empty()) {
      msg += "is empty";
    } else {
      msg += "starts with 0x" + hex_encode(b->view().substr(0, 4)) + " (" +
             std::to_string(b->size()) + " bytes): neither gzip nor zstd data";
    }
    return unexpected(ErrorCode::schema_mismatch, std::move(msg));
  }
  return decompress(*codec, b->view(), max_size);
}

}  // namespace dynamate::detail
