// The libcurl Transport. The only file that includes curl.
//
// Connection reuse: a pool of easy handles; each keeps its live connections
// across requests (curl_easy_reset keeps them), so a thread that sends many
// requests reuses one keep-alive connection. Handles are taken from the pool
// for one request at a time, which makes send() safe for concurrent use.
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <vector>

#include "dynamate/aws/http.hpp"

namespace dynamate::http {
namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool is_2xx(long status) { return status >= 200 && status < 300; }

// Error bodies are buffered for parsing; beyond this they are truncated (a
// proxy's HTML error page, a runaway response).
constexpr std::size_t kMaxErrorBody = 1 << 20;

struct Exchange {
  const Request* request = nullptr;
  const SendOptions* options = nullptr;
  CURL* curl = nullptr;
  Response response;
  long status = 0;
  Error callback_error;  // set when a source/sink failed
  bool callback_failed = false;
  std::string_view memory_body;  // in-memory upload cursor
};

// The callbacks run inside libcurl's C frames: no exception may pass through
// them. Each stores what went wrong and tells curl to abort instead.
void fail_from_exception(Exchange* ex) noexcept {
  ex->callback_failed = true;
  try {
    throw;
  } catch (const std::exception& e) {
    ex->callback_error =
        Error(ErrorCode::internal, std::string("exception in transfer: ") + e.what());
  } catch (...) {
    ex->callback_error = Error(ErrorCode::internal, "unknown exception in transfer");
  }
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) noexcept try {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t len = size * n;
  std::string_view line(data, len);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue or a redirect): start over.
    ex->response.headers.clear();
    return len;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return len;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  ex->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return len;
} catch (...) {
  fail_from_exception(static_cast<Exchange*>(user));
  return 0;  // any count other than the one given aborts the transfer
}

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) noexcept try {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t len = size * n;
  if (ex->status == 0) curl_easy_getinfo(ex->curl, CURLINFO_RESPONSE_CODE, &ex->status);
  if (ex->options->sink != nullptr && is_2xx(ex->status)) {
    auto r = ex->options->sink->write(std::string_view(data, len));
    if (!r) {
      ex->callback_error = std::move(r).error();
      ex->callback_failed = true;
      return CURL_WRITEFUNC_ERROR;
    }
    return len;
  }
  if (ex->response.body.size() < kMaxErrorBody || is_2xx(ex->status)) {
    ex->response.body.append(data, len);
  }
  return len;
} catch (...) {
  fail_from_exception(static_cast<Exchange*>(user));
  return CURL_WRITEFUNC_ERROR;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* user) noexcept try {
  auto* ex = static_cast<Exchange*>(user);
  const std::size_t cap = size * n;
  if (ex->request->body_source) {
    auto r = ex->request->body_source->read(std::span<char>(buffer, cap));
    if (!r) {
      ex->callback_error = std::move(r).error();
      ex->callback_failed = true;
      return CURL_READFUNC_ABORT;
    }
    return *r;
  }
  const std::size_t k = std::min(cap, ex->memory_body.size());
  std::memcpy(buffer, ex->memory_body.data(), k);
  ex->memory_body.remove_prefix(k);
  return k;
} catch (...) {
  fail_from_exception(static_cast<Exchange*>(user));
  return CURL_READFUNC_ABORT;
}

// curl rewinds the body when it resends a request by itself, e.g. when a
// pooled keep-alive connection turns out to have been closed by the server.
// Without this callback that resend fails (CURLE_SEND_FAIL_REWIND).
int on_seek(void* user, curl_off_t offset, int origin) noexcept try {
  auto* ex = static_cast<Exchange*>(user);
  if (origin != SEEK_SET || offset != 0) return CURL_SEEKFUNC_CANTSEEK;
  if (ex->request->body_source) {
    auto r = ex->request->body_source->rewind();
    if (!r) {
      ex->callback_error = std::move(r).error();
      ex->callback_failed = true;
      return CURL_SEEKFUNC_FAIL;
    }
    return CURL_SEEKFUNC_OK;
  }
  ex->memory_body = ex->request->body;
  return CURL_SEEKFUNC_OK;
} catch (...) {
  fail_from_exception(static_cast<Exchange*>(user));
  return CURL_SEEKFUNC_FAIL;
}

Error curl_error(CURLcode code, CURL* curl, const char* errbuf, const Request& req) {
  curl_off_t sent = 0;
  curl_easy_getinfo(curl, CURLINFO_SIZE_UPLOAD_T, &sent);
  long request_size = 0;
  curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_size);
  const std::string detail =
      (errbuf != nullptr && errbuf[0] != '\0') ? errbuf : curl_easy_strerror(code);
  Error e;
  e.message = req.method + " " + req.url.substr(0, req.url.find('?')) + ": " + detail;
  e.aws_code = "";
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      e.code = ErrorCode::invalid_argument;
      return e;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      e.code = ErrorCode::transport;
      e.retryable = true;  // nothing reached the server
      return e;
    case CURLE_OPERATION_TIMEDOUT:
      e.code = ErrorCode::timeout;
      e.retryable = true;
      e.ambiguous = request_size > 0 || sent > 0;
      return e;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      e.code = ErrorCode::transport;  // TLS setup: retrying will not help
      return e;
    default:
      e.code = ErrorCode::transport;
      e.retryable = true;
      e.ambiguous = request_size > 0 || sent > 0;
      return e;
  }
}

class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(TransportOptions options) : options_(std::move(options)) {
    global_init();
    if (options_.ca_file.empty()) {
      if (const char* b = std::getenv("AWS_CA_BUNDLE"); b != nullptr && *b != '\0') {
        options_.ca_file = b;
      }
    }
  }
  ~CurlTransport() override {
    for (CURL* h : idle_) curl_easy_cleanup(h);
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<Response> send(const Request& request, const SendOptions& options) override {
    CURL* curl = acquire();
    if (curl == nullptr) return unexpected(ErrorCode::internal, "curl_easy_init failed");
    struct Release {  // back to the pool even if perform() throws (bad_alloc)
      CurlTransport* self;
      CURL* handle;
      ~Release() { self->release(handle); }
    } guard{this, curl};
    return perform(curl, request, options);
  }

 private:
  CURL* acquire() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        return h;
      }
    }
    return curl_easy_init();
  }
  void release(CURL* h) {
    curl_easy_reset(h);  // keeps live connections for reuse
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle_connections) {
      idle_.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }

  Result<Response> perform(CURL* curl, const Request& req, const SendOptions& opts) {
    Exchange ex;
    ex.request = &req;
    ex.options = &opts;
    ex.curl = curl;
    char errbuf[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // S3 keys like a/../b stay as signed
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    const auto timeout = opts.timeout.count() > 0 ? opts.timeout : options_.request_timeout;
    if (timeout.count() > 0)
      curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_bytes);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME,
                     static_cast<long>(options_.low_speed_time.count()));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
    if (!options_.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (options_.proxy) curl_easy_setopt(curl, CURLOPT_PROXY, options_.proxy->c_str());
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &ex);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ex);

    const bool streamed = static_cast<bool>(req.body_source);
    const std::uint64_t body_size = streamed ? req.body_source->size() : req.body.size();
    const bool has_body =
        streamed || !req.body.empty() || req.method == "PUT" || req.method == "POST";
    if (req.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (has_body) {
      ex.memory_body = req.body;
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, &on_read);
      curl_easy_setopt(curl, CURLOPT_READDATA, &ex);
      curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, &on_seek);
      curl_easy_setopt(curl, CURLOPT_SEEKDATA, &ex);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_size));
      if (req.method != "PUT") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    } else if (req.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }

    curl_slist* headers = nullptr;
    bool has_content_type = false;
    for (const auto& [name, value] : req.headers) {
      std::string line = name;
      if (value.empty()) {
        line += ";";  // curl's syntax for a header with an empty value
      } else {
        line += ": ";
        line += value;
      }
      headers = curl_slist_append(headers, line.c_str());
      if (strcasecmp(name.c_str(), "content-type") == 0) has_content_type = true;
    }
    // Expect: 100-continue costs a round trip on every upload; we sign and
    // validate before sending, so the rare early rejection is cheaper.
    headers = curl_slist_append(headers, "Expect:");
    headers = curl_slist_append(headers, "Accept:");
    if (!has_content_type) headers = curl_slist_append(headers, "Content-Type:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);

    if (opts.sink != nullptr) {
      if (auto r = opts.sink->reset(); !r) {
        curl_slist_free_all(headers);
        return unexpected(std::move(r).error());
      }
    }
    const CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (ex.callback_failed) return unexpected(std::move(ex.callback_error));
    if (code != CURLE_OK) return unexpected(curl_error(code, curl, errbuf, req));
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    ex.response.status = static_cast<int>(status);
    return std::move(ex.response);
  }

  TransportOptions options_;
  std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport(const TransportOptions& options) {
  return std::make_shared<CurlTransport>(options);
}

}  // namespace dynamate::http
