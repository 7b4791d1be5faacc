// src/aws/json_writer.hpp: a small streaming JSON writer for request bodies.
// Appends to one std::string; escapes per RFC 8259 (control characters as
// \u00XX, '"' and '\\'); passes valid UTF-8 through unchanged. Commas are
// inserted automatically. Round-trip tested against simdjson (tests/unit).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dynamate::aws::detail {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) { first_.reserve(16); }

  JsonWriter& begin_object() {
    separate();
    out_.push_back('{');
    first_.push_back(true);
    return *this;
  }
  JsonWriter& end_object() {
    out_.push_back('}');
    first_.pop_back();
    return *this;
  }
  JsonWriter& begin_array() {
    separate();
    out_.push_back('[');
    first_.push_back(true);
    return *this;
  }
  JsonWriter& end_array() {
    out_.push_back(']');
    first_.pop_back();
    return *this;
  }
  // An object member name; the next value call writes its value.
  JsonWriter& key(std::string_view k) {
    separate();
    write_string(k);
    out_.push_back(':');
    after_key_ = true;
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    separate();
    write_string(s);
    return *this;
  }
  // Already-valid JSON number text (DynamoDB numbers travel as strings; this
  // is for Limit, Segment, ...).
  JsonWriter& number(std::int64_t v) {
    separate();
    out_ += std::to_string(v);
    return *this;
  }
  JsonWriter& boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }
  // Appends a value that is already valid JSON.
  JsonWriter& raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
  }

  // Convenience: "k": "v"
  JsonWriter& member(std::string_view k, std::string_view v) { return key(k).string(v); }

  std::string& buffer() { return out_; }

 private:
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (first_.back()) {
      first_.back() = false;
    } else {
      out_.push_back(',');
    }
  }
  void write_string(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out_.reserve(out_.size() + s.size() + 2);
    out_.push_back('"');
    std::size_t run = 0;  // start of the current run of bytes needing no escape
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          out_ += "\\u00";
          out_.push_back(kHex[c >> 4]);
          out_.push_back(kHex[c & 15]);
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_.push_back('"');
  }

  std::string& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace dynamate::aws::detail
