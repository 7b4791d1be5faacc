// src/core/base64_fast.hpp: table-driven base64 (RFC 4648, padded) that
// appends to / decodes into caller-owned strings, for the DynamoDB codec's hot
// path (binary attributes of hundreds of KB). Private.
//
// Same strictness as dynamate::base64_decode (canonical padded input only), but
// no intermediate string and no per-byte push_back.
#pragma once

#include <string>
#include <string_view>

namespace dynamate::detail {

// Appends base64(data) to `out`.
void base64_append(std::string& out, std::string_view data);

// Replaces `out` with the decoded bytes of `text`. False (and `out`
// unspecified) when `text` is not canonical padded base64.
bool base64_decode_into(std::string_view text, std::string& out);

}  // namespace dynamate::detail
