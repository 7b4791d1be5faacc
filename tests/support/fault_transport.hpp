// FaultTransport: an http::Transport that wraps a real one and injects
// failures by rule, for fault tests against the local servers.
//
// A rule matches requests by service ("s3", "dynamodb", from the SigV4
// credential scope), operation name (see operation_name()), method and a
// URL substring; it lets `skip` matching requests through, then fires on the
// next `times` ones (-1: on all of them). What it does when it fires:
//   fail           fails before anything is sent: ErrorCode::transport,
//                  retryable, NOT ambiguous (as a refused connection);
//   lose_response  sends the request, then loses the answer:
//                  ErrorCode::transport, ambiguous (the request took effect);
//   respond        answers with a canned HTTP error (status, AWS error code,
//                  message; a JSON body for DynamoDB, XML for S3), or with
//                  what `respond_with` builds, without sending;
//   hook           runs `hook` (outside the lock, on the sending thread),
//                  then sends the request normally.
// Rules are checked in the order added; the first that fires decides. Every
// request is logged (operation, method, URL) and counted.
//
// Thread-safe: send() may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dynamate/aws/client_config.hpp"
#include "dynamate/aws/http.hpp"

namespace dynamate::test {

// "PutItem", "UpdateItem", ... for DynamoDB (the X-Amz-Target operation);
// for S3 (path-style URLs): "PutObject", "CopyObject", "GetObject",
// "HeadObject", "DeleteObject", "DeleteObjects", "ListObjectsV2",
// "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload",
// "AbortMultipartUpload", "ListParts", "CreateBucket", "HeadBucket",
// "DeleteBucket"; "" when unknown.
std::string operation_name(const http::Request& request);
// "s3" or "dynamodb" (the credential scope of the signature), "" if unsigned.
std::string service_name(const http::Request& request);

struct RequestMatch {
  std::string service;                                    // "" any
  std::vector<std::string> operations;                    // any of these; empty: any
  std::string method;                                     // "" any
  std::string url_contains;                               // "" any
  std::function<bool(const http::Request&)> predicate{};  // extra test, if set
  bool matches(const http::Request& request) const;
};

// Matchers for the usual cases.
RequestMatch dynamodb_op(std::vector<std::string> operations);
RequestMatch s3_op(std::vector<std::string> operations, std::string url_contains = {});

struct FaultRule {
  enum class Kind { fail, lose_response, respond, hook };
  RequestMatch match;
  Kind kind = Kind::fail;
  int skip = 0;   // matching requests let through before the first fault
  int times = 1;  // faults, then the rule is spent; -1: forever
  // Kind::respond
  int status = 500;
  std::string aws_code = "InternalError";
  std::string message = "injected fault";
  std::function<http::Response(const http::Request&)> respond_with{};
  // Kind::hook
  std::function<void(const http::Request&)> hook{};
};

// A failure before sending / a lost answer / a canned error, as rules.
FaultRule fail_nth(RequestMatch match, int n);  // the n-th matching request (1-based)
FaultRule lose_nth(RequestMatch match, int n);
FaultRule respond_nth(RequestMatch match, int n, int status, std::string aws_code,
                      std::string message = "injected fault");

struct LoggedRequest {
  std::string service;
  std::string operation;
  std::string method;
  std::string url;
  bool faulted = false;
};

class FaultTransport final : public http::Transport {
 public:
  explicit FaultTransport(std::shared_ptr<http::Transport> inner);

  // Adds a rule; returns its id (for fired()).
  int add(FaultRule rule);
  // Removes every rule (the log stays).
  void clear_rules();
  // How often rule `id` fired.
  int fired(int id) const;
  // Whether every rule with a finite `times` has fired that many times.
  bool all_spent() const;

  std::vector<LoggedRequest> log() const;
  void clear_log();
  // Logged requests that `match` would match (by service/operation/method/URL;
  // the predicate is ignored).
  int count(const RequestMatch& match) const;
  int total() const;

  Result<http::Response> send(const http::Request& request,
                              const http::SendOptions& options) override;

 private:
  struct Slot {
    FaultRule rule;
    int seen = 0;
    int fired = 0;
  };
  std::shared_ptr<http::Transport> inner_;
  mutable std::mutex mu_;
  std::vector<Slot> rules_;
  std::vector<LoggedRequest> log_;
};

// `config` sending through `transport`, with `max_attempts` attempts per call
// (1: no retries, so one injected fault is one failed call).
aws::ClientConfig through(aws::ClientConfig config, std::shared_ptr<http::Transport> transport,
                          int max_attempts = 1);

}  // namespace dynamate::test
