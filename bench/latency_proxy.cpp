// latency_proxy: a loopback TCP proxy in front of one HTTP/1.1 server that
// adds a fixed delay to every request, the way a distant AWS endpoint adds a
// round trip. Used by scripts/bench-large.sh to show how many round trips sit
// on the critical path of an operation (docs/BENCHMARKS.md).
//
//   latency_proxy --upstream 127.0.0.1:8000 --delay-ms 5 [--port-file F]
//
// Listens on a free 127.0.0.1 port (printed on stdout and written to
// --port-file once listening). Each client connection gets its own upstream
// connection (keep-alive is kept: one client connection, one upstream one).
// The client-to-server direction is parsed as a sequence of HTTP/1.1
// requests (headers, then a Content-Length or chunked body); each request's
// headers are held for --delay-ms before they are forwarded, the body follows
// as it arrives. The server-to-client direction is copied as is: HTTP/1.1
// clients (libcurl) send the next request on a connection only after the
// previous answer, so a delay per request is a delay per round trip.
// Connection set-up is not delayed (real endpoints add one or more round
// trips for TCP and TLS; a client reusing connections pays them rarely).
//
// SIGTERM/SIGINT: prints "connections N requests M" on stderr and exits.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace {

std::atomic<bool> g_stop{false};
std::atomic<long> g_connections{0};
std::atomic<long> g_requests{0};

extern "C" void on_signal(int /*sig*/) { g_stop.store(true); }

bool send_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Splits the client's byte stream into requests and delays each one.
class RequestPump {
 public:
  RequestPump(int upstream, std::chrono::milliseconds delay) : upstream_(upstream), delay_(delay) {}

  // Consumes `data`, forwarding it upstream; false when the upstream write
  // failed or the stream is not HTTP/1.1 we understand.
  bool feed(std::string_view data) {
    buffer_.append(data);
    for (;;) {
      switch (state_) {
        case State::headers: {
          const auto end = buffer_.find("\r\n\r\n");
          if (end == std::string::npos) return true;
          const std::size_t head_size = end + 4;
          if (!parse_framing(std::string_view(buffer_).substr(0, head_size))) return false;
          g_requests.fetch_add(1);
          std::this_thread::sleep_for(delay_);
          if (!forward(head_size)) return false;
          break;
        }
        case State::body: {
          if (buffer_.empty()) return true;
          const std::size_t n = static_cast<std::size_t>(
              std::min<std::uint64_t>(remaining_, static_cast<std::uint64_t>(buffer_.size())));
          if (!forward(n)) return false;
          remaining_ -= n;
          if (remaining_ == 0) state_ = after_body_;
          break;
        }
        case State::chunk_size: {
          const auto eol = buffer_.find("\r\n");
          if (eol == std::string::npos) return true;
          const std::string line = buffer_.substr(0, eol);
          char* stop = nullptr;
          const unsigned long long size = std::strtoull(line.c_str(), &stop, 16);
          if (stop == line.c_str()) return false;
          if (!forward(eol + 2)) return false;
          if (size == 0) {
            state_ = State::trailers;
          } else {
            remaining_ = size + 2;  // the data and its CRLF
            state_ = State::body;
            after_body_ = State::chunk_size;
          }
          break;
        }
        case State::trailers: {
          const auto eol = buffer_.find("\r\n");
          if (eol == std::string::npos) return true;
          if (!forward(eol + 2)) return false;
          if (eol == 0) state_ = State::headers;  // the empty line ends the request
          break;
        }
      }
    }
  }

 private:
  enum class State { headers, body, chunk_size, trailers };

  bool parse_framing(std::string_view head) {
    std::uint64_t length = 0;
    bool chunked = false;
    std::size_t pos = head.find("\r\n") + 2;  // past the request line
    while (pos < head.size()) {
      const auto eol = head.find("\r\n", pos);
      if (eol == std::string_view::npos || eol == pos) break;
      const std::string_view line = head.substr(pos, eol - pos);
      pos = eol + 2;
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      const auto name = trim(line.substr(0, colon));
      const auto value = trim(line.substr(colon + 1));
      if (iequals(name, "content-length")) {
        length = std::strtoull(std::string(value).c_str(), nullptr, 10);
      } else if (iequals(name, "transfer-encoding")) {
        chunked = value.find("chunked") != std::string_view::npos;
      }
    }
    if (chunked) {
      state_ = State::chunk_size;  // set once the head is forwarded
    } else if (length > 0) {
      state_ = State::body;
      remaining_ = length;
      after_body_ = State::headers;
    } else {
      state_ = State::headers;
    }
    return true;
  }

  bool forward(std::size_t n) {
    if (!send_all(upstream_, buffer_.data(), n)) return false;
    buffer_.erase(0, n);
    return true;
  }

  int upstream_;
  std::chrono::milliseconds delay_;
  std::string buffer_;
  State state_ = State::headers;
  State after_body_ = State::headers;
  std::uint64_t remaining_ = 0;
};

int connect_upstream(const sockaddr_in& addr) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

void serve(int client, sockaddr_in upstream_addr, std::chrono::milliseconds delay) {
  const int upstream = connect_upstream(upstream_addr);
  if (upstream < 0) {
    std::fprintf(stderr, "latency_proxy: cannot connect upstream: %s\n", std::strerror(errno));
    ::close(client);
    return;
  }
  // Server -> client: copied as is, on its own thread.
  std::thread responses([client, upstream] {
    std::string buf(64 * 1024, '\0');
    for (;;) {
      const ssize_t n = ::recv(upstream, buf.data(), buf.size(), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || !send_all(client, buf.data(), static_cast<std::size_t>(n))) break;
    }
    ::shutdown(client, SHUT_WR);
  });
  // Client -> server: request by request, each delayed.
  RequestPump pump(upstream, delay);
  std::string buf(64 * 1024, '\0');
  for (;;) {
    const ssize_t n = ::recv(client, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || !pump.feed(std::string_view(buf.data(), static_cast<std::size_t>(n)))) break;
  }
  ::shutdown(upstream, SHUT_WR);
  responses.join();
  ::close(upstream);
  ::close(client);
}

[[noreturn]] void usage() {
  std::fprintf(stderr,
               "usage: latency_proxy --upstream HOST:PORT --delay-ms N [--port-file FILE]\n");
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string upstream, port_file;
  long delay_ms = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) usage();
    if (a == "--upstream") {
      upstream = argv[++i];
    } else if (a == "--delay-ms") {
      delay_ms = std::strtol(argv[++i], nullptr, 10);
    } else if (a == "--port-file") {
      port_file = argv[++i];
    } else {
      usage();
    }
  }
  const auto colon = upstream.rfind(':');
  if (upstream.empty() || colon == std::string::npos || delay_ms < 0) usage();
  sockaddr_in up{};
  up.sin_family = AF_INET;
  up.sin_port = htons(static_cast<std::uint16_t>(std::stoi(upstream.substr(colon + 1))));
  if (::inet_pton(AF_INET, upstream.substr(0, colon).c_str(), &up.sin_addr) != 1) {
    std::fprintf(stderr, "latency_proxy: upstream must be an IPv4 address:port\n");
    return 2;
  }

  struct sigaction sa {};
  sa.sa_handler = on_signal;
  ::sigaction(SIGTERM, &sa, nullptr);
  ::sigaction(SIGINT, &sa, nullptr);

  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 128) != 0) {
    std::fprintf(stderr, "latency_proxy: cannot listen: %s\n", std::strerror(errno));
    return 1;
  }
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  const int port = ntohs(addr.sin_port);
  if (!port_file.empty()) {
    const std::string tmp = port_file + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::rename(tmp.c_str(), port_file.c_str());
  }
  std::printf("%d\n", port);
  std::fflush(stdout);

  const auto delay = std::chrono::milliseconds(delay_ms);
  while (!g_stop.load()) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    const int client = ::accept(listener, nullptr, nullptr);
    if (client < 0) continue;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    g_connections.fetch_add(1);
    std::thread(serve, client, up, delay).detach();
  }
  std::fprintf(stderr, "latency_proxy :%d (+%ld ms): connections %ld requests %ld\n", port,
               delay_ms, g_connections.load(), g_requests.load());
  return 0;
}
