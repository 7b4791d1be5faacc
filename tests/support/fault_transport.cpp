#include "support/fault_transport.hpp"

#include <algorithm>
#include <set>
#include <string_view>
#include <utility>

namespace dynamate::test {
namespace {

struct UrlParts {
  std::string path;
  std::set<std::string, std::less<>> query;  // parameter names
};

UrlParts split_url(std::string_view url) {
  UrlParts out;
  if (auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  const auto slash = url.find('/');
  url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  const auto q = url.find('?');
  out.path = std::string(url.substr(0, q));
  if (q != std::string_view::npos) {
    std::string_view query = url.substr(q + 1);
    while (!query.empty()) {
      const auto amp = query.find('&');
      std::string_view param = query.substr(0, amp);
      out.query.insert(std::string(param.substr(0, param.find('='))));
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  return out;
}

std::string s3_operation(const http::Request& r) {
  const UrlParts u = split_url(r.url);
  // Path style: "/bucket" or "/bucket/" (bucket calls) or "/bucket/key".
  const auto second = u.path.find('/', 1);
  const bool has_key = second != std::string::npos && second + 1 < u.path.size();
  const bool upload_id = u.query.contains("uploadId");
  if (r.method == "PUT") {
    if (!has_key) return "CreateBucket";
    if (http::find_header(r.headers, "x-amz-copy-source") != nullptr) {
      return u.query.contains("partNumber") ? "UploadPartCopy" : "CopyObject";
    }
    return u.query.contains("partNumber") ? "UploadPart" : "PutObject";
  }
  if (r.method == "GET") {
    if (!has_key) return u.query.contains("list-type") ? "ListObjectsV2" : "ListObjects";
    return upload_id ? "ListParts" : "GetObject";
  }
  if (r.method == "HEAD") return has_key ? "HeadObject" : "HeadBucket";
  if (r.method == "DELETE") {
    if (!has_key) return "DeleteBucket";
    return upload_id ? "AbortMultipartUpload" : "DeleteObject";
  }
  if (r.method == "POST") {
    if (u.query.contains("delete")) return "DeleteObjects";
    if (u.query.contains("uploads")) return "CreateMultipartUpload";
    if (upload_id) return "CompleteMultipartUpload";
  }
  return {};
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

http::Response canned(const http::Request& request, const FaultRule& rule) {
  if (rule.respond_with) return rule.respond_with(request);
  http::Response r;
  r.status = rule.status;
  if (service_name(request) == "dynamodb") {
    r.headers.emplace_back("Content-Type", "application/x-amz-json-1.0");
    r.headers.emplace_back("x-amzn-RequestId", "injected-fault");
    r.body = R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + json_escape(rule.aws_code) +
             R"(","message":")" + json_escape(rule.message) + R"("})";
  } else {
    r.headers.emplace_back("Content-Type", "application/xml");
    r.headers.emplace_back("x-amz-request-id", "injected-fault");
    r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" +
             xml_escape(rule.aws_code) + "</Code><Message>" + xml_escape(rule.message) +
             "</Message><RequestId>injected-fault</RequestId></Error>";
  }
  return r;
}

bool matches_logged(const RequestMatch& m, const LoggedRequest& r) {
  if (!m.service.empty() && m.service != r.service) return false;
  if (!m.method.empty() && m.method != r.method) return false;
  if (!m.operations.empty() &&
      std::find(m.operations.begin(), m.operations.end(), r.operation) == m.operations.end()) {
    return false;
  }
  return m.url_contains.empty() || r.url.find(m.url_contains) != std::string::npos;
}

}  // namespace

std::string service_name(const http::Request& request) {
  const std::string* auth = http::find_header(request.headers, "Authorization");
  if (auth == nullptr) {
    return http::find_header(request.headers, "X-Amz-Target") != nullptr ? "dynamodb" : "";
  }
  // Credential=AKID/20240101/us-east-1/<service>/aws4_request
  const auto end = auth->find("/aws4_request");
  if (end == std::string::npos) return {};
  const auto start = auth->rfind('/', end - 1);
  if (start == std::string::npos) return {};
  return auth->substr(start + 1, end - start - 1);
}

std::string operation_name(const http::Request& request) {
  if (const std::string* target = http::find_header(request.headers, "X-Amz-Target")) {
    const auto dot = target->rfind('.');
    return dot == std::string::npos ? *target : target->substr(dot + 1);
  }
  return s3_operation(request);
}

bool RequestMatch::matches(const http::Request& request) const {
  LoggedRequest r{service_name(request), operation_name(request), request.method, request.url};
  return matches_logged(*this, r) && (!predicate || predicate(request));
}

RequestMatch dynamodb_op(std::vector<std::string> operations) {
  RequestMatch m;
  m.service = "dynamodb";
  m.operations = std::move(operations);
  return m;
}

RequestMatch s3_op(std::vector<std::string> operations, std::string url_contains) {
  RequestMatch m;
  m.service = "s3";
  m.operations = std::move(operations);
  m.url_contains = std::move(url_contains);
  return m;
}

FaultRule fail_nth(RequestMatch match, int n) {
  FaultRule r;
  r.match = std::move(match);
  r.kind = FaultRule::Kind::fail;
  r.skip = n - 1;
  return r;
}

FaultRule lose_nth(RequestMatch match, int n) {
  FaultRule r = fail_nth(std::move(match), n);
  r.kind = FaultRule::Kind::lose_response;
  return r;
}

FaultRule respond_nth(RequestMatch match, int n, int status, std::string aws_code,
                      std::string message) {
  FaultRule r = fail_nth(std::move(match), n);
  r.kind = FaultRule::Kind::respond;
  r.status = status;
  r.aws_code = std::move(aws_code);
  r.message = std::move(message);
  return r;
}

FaultTransport::FaultTransport(std::shared_ptr<http::Transport> inner) : inner_(std::move(inner)) {}

int FaultTransport::add(FaultRule rule) {
  std::lock_guard lock(mu_);
  rules_.push_back({std::move(rule), 0, 0});
  return static_cast<int>(rules_.size()) - 1;
}

void FaultTransport::clear_rules() {
  std::lock_guard lock(mu_);
  rules_.clear();
}

int FaultTransport::fired(int id) const {
  std::lock_guard lock(mu_);
  return id >= 0 && static_cast<std::size_t>(id) < rules_.size()
             ? rules_[static_cast<std::size_t>(id)].fired
             : 0;
}

bool FaultTransport::all_spent() const {
  std::lock_guard lock(mu_);
  return std::all_of(rules_.begin(), rules_.end(),
                     [](const Slot& s) { return s.rule.times < 0 || s.fired >= s.rule.times; });
}

std::vector<LoggedRequest> FaultTransport::log() const {
  std::lock_guard lock(mu_);
  return log_;
}

void FaultTransport::clear_log() {
  std::lock_guard lock(mu_);
  log_.clear();
}

int FaultTransport::count(const RequestMatch& match) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(std::count_if(
      log_.begin(), log_.end(), [&](const LoggedRequest& r) { return matches_logged(match, r); }));
}

int FaultTransport::total() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(log_.size());
}

Result<http::Response> FaultTransport::send(const http::Request& request,
                                            const http::SendOptions& options) {
  LoggedRequest entry{service_name(request), operation_name(request), request.method, request.url};
  std::optional<FaultRule> fire;
  {
    std::lock_guard lock(mu_);
    for (auto& slot : rules_) {
      if (slot.rule.times >= 0 && slot.fired >= slot.rule.times) continue;
      if (!matches_logged(slot.rule.match, entry)) continue;
      if (slot.rule.match.predicate && !slot.rule.match.predicate(request)) continue;
      if (slot.seen++ < slot.rule.skip) continue;
      ++slot.fired;
      fire = slot.rule;
      break;
    }
    entry.faulted = fire.has_value() && fire->kind != FaultRule::Kind::hook;
    log_.push_back(entry);
  }
  if (!fire) return inner_->send(request, options);
  const std::string what = entry.operation + " " + request.url;
  switch (fire->kind) {
    case FaultRule::Kind::fail: {
      Error e(ErrorCode::transport, "injected fault: connection failed before sending " + what);
      e.retryable = true;
      e.ambiguous = false;
      return unexpected(std::move(e));
    }
    case FaultRule::Kind::lose_response: {
      auto sent = inner_->send(request, options);
      if (!sent) return sent;
      Error e(ErrorCode::transport, "injected fault: the answer to " + what + " was lost (HTTP " +
                                        std::to_string(sent->status) + " sent by the server)");
      e.retryable = true;
      e.ambiguous = true;
      return unexpected(std::move(e));
    }
    case FaultRule::Kind::respond:
      return canned(request, *fire);
    case FaultRule::Kind::hook:
      if (fire->hook) fire->hook(request);
      return inner_->send(request, options);
  }
  return inner_->send(request, options);
}

aws::ClientConfig through(aws::ClientConfig config, std::shared_ptr<http::Transport> transport,
                          int max_attempts) {
  config.transport = std::move(transport);
  config.retry.max_attempts = max_attempts;
  return config;
}

}  // namespace dynamate::test
