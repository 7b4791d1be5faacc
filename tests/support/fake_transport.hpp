// FakeTransport: a scripted http::Transport for unit tests. Records every
// request it is sent and answers from a queue of canned responses or errors
// (or a handler), so clients can be tested without a network.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <utility>
#include <variant>
#include <vector>

#include "dynamate/aws/http.hpp"

namespace dynamate::test {

class FakeTransport final : public http::Transport {
 public:
  using Handler = std::function<Result<http::Response>(const http::Request&)>;

  // Queue a response (status, body, headers) or an error, answered in order.
  void push(int status, std::string body = {}, http::Headers headers = {}) {
    std::lock_guard lock(mu_);
    http::Response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    queue_.emplace_back(std::move(r));
  }
  void push_error(Error e) {
    std::lock_guard lock(mu_);
    queue_.emplace_back(std::move(e));
  }
  // Used when the queue is empty.
  void set_handler(Handler h) {
    std::lock_guard lock(mu_);
    handler_ = std::move(h);
  }

  Result<http::Response> send(const http::Request& request,
                              const http::SendOptions& options) override {
    http::Request copy = request;
    if (copy.body_source) {  // drain streamed bodies so tests can inspect them
      copy.body.clear();
      char buf[65536];
      for (;;) {
        auto n = copy.body_source->read(buf);
        if (!n) return unexpected(std::move(n).error());
        if (*n == 0) break;
        copy.body.append(buf, *n);
      }
    }
    Result<http::Response> out = unexpected(ErrorCode::internal, "FakeTransport: nothing queued");
    {
      std::lock_guard lock(mu_);
      requests_.push_back(copy);
      if (!queue_.empty()) {
        auto item = std::move(queue_.front());
        queue_.pop_front();
        if (auto* r = std::get_if<http::Response>(&item)) {
          out = std::move(*r);
        } else {
          out = unexpected(std::get<Error>(std::move(item)));
        }
      } else if (handler_) {
        out = handler_(copy);
      }
    }
    if (out && options.sink != nullptr && out->status / 100 == 2) {
      auto w = options.sink->write(out->body);
      if (!w) return unexpected(std::move(w).error());
      out->body.clear();
    }
    return out;
  }

  std::vector<http::Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::size_t request_count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
  }

 private:
  mutable std::mutex mu_;
  std::deque<std::variant<http::Response, Error>> queue_;
  std::vector<http::Request> requests_;
  Handler handler_;
};

}  // namespace dynamate::test
