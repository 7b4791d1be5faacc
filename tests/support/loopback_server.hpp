// A tiny HTTP/1.1 server on 127.0.0.1 for tests: credential endpoints, IMDS,
// fault injection in front of the transport. One thread, one connection at a
// time, keep-alive supported. The handler sees each parsed request.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dynamate/aws/http.hpp"

namespace dynamate::test {

struct ServerRequest {
  std::string method;
  std::string target;  // path and query as sent
  http::Headers headers;
  std::string body;
  const std::string* header(std::string_view name) const {
    return http::find_header(headers, name);
  }
};

struct ServerResponse {
  int status = 200;
  http::Headers headers;
  std::string body;
  // Fault modes for transport tests.
  bool close_without_response = false;  // read the request, then drop the connection
  int delay_ms = 0;                     // wait before answering
};

class LoopbackServer {
 public:
  using Handler = std::function<ServerResponse(const ServerRequest&)>;
  explicit LoopbackServer(Handler handler);
  ~LoopbackServer();
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<ServerRequest> requests() const;  // everything received so far
  int connections_accepted() const { return connections_.load(); }

 private:
  void run();
  void serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::vector<ServerRequest> requests_;
  std::thread thread_;
};

}  // namespace dynamate::test
