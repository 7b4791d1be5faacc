// dynamate/aws/http.hpp: the HTTP seam. A Transport sends one Request and
// returns one Response; service clients sign requests and retry on top of it.
//
// Bodies may be in memory or streamed: a BodySource feeds a request body of known
// length, a BodySink receives a successful (2xx) response body chunk by chunk, so
// S3 objects of any size pass through without being held in memory. Error bodies
// (non-2xx) are always buffered in Response::body so they can be parsed.
//
// Transport implementations must be safe for concurrent send() calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamate/result.hpp"

namespace dynamate::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; nullptr when absent.
const std::string* find_header(const Headers& headers, std::string_view name) noexcept;

// A request body produced on demand. size() must be exact: it becomes
// Content-Length. rewind() restarts from the first byte so a retry can resend.
class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual std::uint64_t size() const = 0;
  // Fills `out` with up to out.size() bytes; returns how many (0 only at end).
  virtual Result<std::size_t> read(std::span<char> out) = 0;
  virtual Result<void> rewind() = 0;
};

// Receives a 2xx response body. reset() discards what was written so far (a
// retried download starts again from the beginning).
class BodySink {
 public:
  virtual ~BodySink() = default;
  virtual Result<void> write(std::string_view chunk) = 0;
  virtual Result<void> reset() = 0;
};

struct Request {
  std::string method = "GET";
  // Absolute URL as sent on the wire: scheme://host[:port]/path?query, with the
  // path and query already percent-encoded. Never normalized by the transport.
  std::string url;
  Headers headers;
  std::string body;                         // used when body_source is null
  std::shared_ptr<BodySource> body_source;  // streamed body, if set
};

struct Response {
  int status = 0;
  Headers headers;   // in arrival order, names as received
  std::string body;  // empty for 2xx when a sink was given
  const std::string* header(std::string_view name) const noexcept {
    return find_header(headers, name);
  }
};

struct SendOptions {
  BodySink* sink = nullptr;              // where a 2xx body goes, if set
  std::chrono::milliseconds timeout{0};  // whole request; 0 = transport default
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Errors: ErrorCode::transport (connection-level; `ambiguous` set when the
  // request may have reached the server), ErrorCode::timeout, or whatever the
  // body source or sink returned. HTTP error statuses are NOT errors here: they
  // come back as a Response for the service layer to parse.
  virtual Result<Response> send(const Request& request, const SendOptions& options) = 0;
};

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{3100};
  std::chrono::milliseconds request_timeout{0};  // 0 = none (streaming); per-call override
  // Abort a transfer that moves fewer than low_speed_bytes per second for
  // low_speed_time (a stalled connection), independent of total time.
  long low_speed_bytes = 1;
  std::chrono::seconds low_speed_time{60};
  bool verify_tls = true;
  std::string ca_file;  // empty = system default bundle; AWS_CA_BUNDLE is honoured
  // Proxies come from the environment unless set: http_proxy (lower case only:
  // libcurl ignores HTTP_PROXY, which CGI programs can be made to set),
  // HTTPS_PROXY / https_proxy, ALL_PROXY, NO_PROXY.
  std::optional<std::string> proxy;
  std::size_t max_idle_connections = 64;
  std::string user_agent = "dynamate/0.1";
};

// The libcurl transport: keeps a pool of connections (keep-alive) shared by all
// threads; never normalizes URL paths (S3 keys such as "a/../b" stay intact).
std::shared_ptr<Transport> make_curl_transport(const TransportOptions& options = {});

// Body sources and sinks for common cases.
std::shared_ptr<BodySource> string_body_source(std::string data);
// The same over bytes the caller keeps alive (and unchanged) while the source
// is in use: no copy.
std::shared_ptr<BodySource> view_body_source(std::string_view data);
// Streams a file; ErrorCode::invalid_argument if it cannot be opened.
Result<std::shared_ptr<BodySource>> file_body_source(const std::string& path);
// A window [offset, offset+length) of a file (multipart upload parts).
Result<std::shared_ptr<BodySource>> file_range_body_source(const std::string& path,
                                                           std::uint64_t offset,
                                                           std::uint64_t length);

class StringSink final : public BodySink {
 public:
  Result<void> write(std::string_view chunk) override {
    data.append(chunk);
    return {};
  }
  Result<void> reset() override {
    data.clear();
    return {};
  }
  std::string data;
};

}  // namespace dynamate::http
