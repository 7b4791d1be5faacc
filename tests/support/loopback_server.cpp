#include "support/loopback_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace dynamate::test {

LoopbackServer::LoopbackServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0) {
    throw std::runtime_error("bind/listen failed");
  }
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

LoopbackServer::~LoopbackServer() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

std::vector<ServerRequest> LoopbackServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void LoopbackServer::run() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    serve(fd);
    ::close(fd);
  }
}

namespace {
// Reads until `buf` holds a full request; false on EOF/error/stop.
bool read_more(int fd, std::string& buf, const std::atomic<bool>& stop) {
  char chunk[16384];
  while (!stop) {
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(&p, 1, 50);
    if (r < 0) return false;
    if (r == 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
  return false;
}

void send_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const auto n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<std::size_t>(n);
  }
}
}  // namespace

void LoopbackServer::serve(int fd) {
  std::string buf;
  while (!stop_) {
    std::size_t header_end;
    while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(fd, buf, stop_)) return;
    }
    ServerRequest req;
    const std::string head = buf.substr(0, header_end);
    std::size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const auto sp1 = first.find(' ');
    const auto sp2 = first.rfind(' ');
    req.method = first.substr(0, sp1);
    req.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
    std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
    std::size_t content_length = 0;
    bool chunked = false;
    while (pos < head.size()) {
      auto e = head.find("\r\n", pos);
      if (e == std::string::npos) e = head.size();
      const std::string line = head.substr(pos, e - pos);
      const auto colon = line.find(':');
      std::string name = line.substr(0, colon);
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (strcasecmp(name.c_str(), "content-length") == 0) content_length = std::stoul(value);
      if (strcasecmp(name.c_str(), "transfer-encoding") == 0 &&
          value.find("chunked") != std::string::npos)
        chunked = true;
      req.headers.emplace_back(std::move(name), std::move(value));
      pos = e + 2;
    }
    buf.erase(0, header_end + 4);
    if (chunked) {
      // Minimal chunked decoding (tests only).
      for (;;) {
        std::size_t le;
        while ((le = buf.find("\r\n")) == std::string::npos) {
          if (!read_more(fd, buf, stop_)) return;
        }
        const std::size_t size = std::stoul(buf.substr(0, le), nullptr, 16);
        while (buf.size() < le + 2 + size + 2) {
          if (!read_more(fd, buf, stop_)) return;
        }
        req.body.append(buf, le + 2, size);
        buf.erase(0, le + 2 + size + 2);
        if (size == 0) break;
      }
    } else {
      while (buf.size() < content_length) {
        if (!read_more(fd, buf, stop_)) return;
      }
      req.body = buf.substr(0, content_length);
      buf.erase(0, content_length);
    }
    ServerResponse resp = handler_(req);
    {
      std::lock_guard lock(mu_);
      requests_.push_back(req);
    }
    if (resp.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(resp.delay_ms));
    if (resp.close_without_response) return;
    std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " X\r\n";
    bool has_length = false;
    for (const auto& [k, v] : resp.headers) {
      if (strcasecmp(k.c_str(), "content-length") == 0) has_length = true;
      out += k + ": " + v + "\r\n";
    }
    if (!has_length && req.method != "HEAD") {
      out += "Content-Length: " + std::to_string(resp.body.size()) + "\r\n";
    }
    out += "\r\n";
    if (req.method != "HEAD") out += resp.body;
    send_all(fd, out);
  }
}

}  // namespace dynamate::test
