// The libcurl transport against a loopback server: bodies in memory and
// streamed, sinks, keep-alive reuse, unnormalized paths, and how each kind of
// connection failure is classified (retryable, ambiguous).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "dynamate/aws/http.hpp"
#include "support/loopback_server.hpp"

namespace dynamate::http {
namespace {

using test::LoopbackServer;
using test::ServerRequest;
using test::ServerResponse;

ServerResponse echo(const ServerRequest& r) {
  ServerResponse out;
  out.headers = {{"X-Method", r.method}, {"X-Target", r.target}, {"Content-Type", "text/plain"}};
  out.body = r.body;
  return out;
}

Request make(const std::string& method, const std::string& url, std::string body = {}) {
  Request r;
  r.method = method;
  r.url = url;
  r.body = std::move(body);
  return r;
}

TEST(CurlTransport, GetWithHeadersAndResponseHeaders) {
  LoopbackServer server(echo);
  auto t = make_curl_transport();
  auto req = make("GET", server.url() + "/hello?x=1");
  req.headers = {{"X-Custom", "  v  "}, {"Empty-Header", ""}};
  auto r = t->send(req, {});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->status, 200);
  ASSERT_NE(r->header("x-method"), nullptr);
  EXPECT_EQ(*r->header("X-METHOD"), "GET");
  EXPECT_EQ(*r->header("x-target"), "/hello?x=1");
  const auto got = server.requests().at(0);
  ASSERT_NE(got.header("X-Custom"), nullptr);
  ASSERT_NE(got.header("Empty-Header"), nullptr);
  EXPECT_EQ(*got.header("Empty-Header"), "");
  // curl's defaults that would confuse signing or cost a round trip are gone.
  EXPECT_EQ(got.header("Expect"), nullptr);
  EXPECT_EQ(got.header("Content-Type"), nullptr);
}

TEST(CurlTransport, PostAndPutBodies) {
  LoopbackServer server(echo);
  auto t = make_curl_transport();
  auto post = make("POST", server.url() + "/", std::string(100000, 'p'));
  post.headers = {{"Content-Type", "application/x-amz-json-1.0"}};
  auto r = t->send(post, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, std::string(100000, 'p'));
  EXPECT_EQ(*server.requests().back().header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(*server.requests().back().header("Content-Length"), "100000");

  auto put = make("PUT", server.url() + "/k");
  put.body_source = string_body_source(std::string(300000, 's'));
  r = t->send(put, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(server.requests().back().method, "PUT");
  EXPECT_EQ(server.requests().back().body.size(), 300000u);
  EXPECT_EQ(*server.requests().back().header("Content-Length"), "300000");

  auto empty_post = make("POST", server.url() + "/k?uploads");
  r = t->send(empty_post, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(server.requests().back().method, "POST");
  EXPECT_EQ(*server.requests().back().header("Content-Length"), "0");

  auto del = make("DELETE", server.url() + "/k");
  r = t->send(del, {});
  ASSERT_TRUE(r);
  EXPECT_EQ(server.requests().back().method, "DELETE");
}

TEST(CurlTransport, HeadHasNoBody) {
  LoopbackServer server([](const ServerRequest&) {
    ServerResponse r;
    r.headers = {{"Content-Length", "1234"}};
    return r;
  });
  auto r = make_curl_transport()->send(make("HEAD", server.url() + "/obj"), {});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(*r->header("content-length"), "1234");
  EXPECT_TRUE(r->body.empty());
}

TEST(CurlTransport, SinkReceivesSuccessBodiesOnly) {
  int status = 200;
  LoopbackServer server([&](const ServerRequest&) {
    ServerResponse r;
    r.status = status;
    r.body = status == 200 ? std::string(1 << 20, 'd') : "<Error><Code>NoSuchKey</Code></Error>";
    return r;
  });
  auto t = make_curl_transport();
  StringSink sink;
  SendOptions opts;
  opts.sink = &sink;
  auto r = t->send(make("GET", server.url() + "/big"), opts);
  ASSERT_TRUE(r);
  EXPECT_EQ(sink.data.size(), std::size_t{1} << 20);
  EXPECT_TRUE(r->body.empty());

  status = 404;
  r = t->send(make("GET", server.url() + "/missing"), opts);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(sink.data.empty());  // reset, and the error body went to the response
  EXPECT_NE(r->body.find("NoSuchKey"), std::string::npos);
}

TEST(CurlTransport, SinkFailureAbortsWithItsError) {
  LoopbackServer server([](const ServerRequest&) {
    ServerResponse r;
    r.body = std::string(100000, 'x');
    return r;
  });
  struct FailingSink final : BodySink {
    Result<void> write(std::string_view) override {
      return unexpected(ErrorCode::cancelled, "disk full");
    }
    Result<void> reset() override { return {}; }
  } sink;
  SendOptions opts;
  opts.sink = &sink;
  auto r = make_curl_transport()->send(make("GET", server.url() + "/"), opts);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::cancelled);
  EXPECT_EQ(r.error().message, "disk full");
}

TEST(CurlTransport, ReusesOneConnection) {
  LoopbackServer server(echo);
  auto t = make_curl_transport();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(t->send(make("GET", server.url() + "/"), {}));
  EXPECT_EQ(server.connections_accepted(), 1);
}

TEST(CurlTransport, PathsAreNeverNormalized) {
  LoopbackServer server(echo);
  auto r = make_curl_transport()->send(make("GET", server.url() + "/b/a//b/./c/../d%20e"), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(server.requests().at(0).target, "/b/a//b/./c/../d%20e");
}

int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(CurlTransport, ConnectionRefusedIsRetryableAndNotAmbiguous) {
  auto r = make_curl_transport()->send(
      make("POST", "http://127.0.0.1:" + std::to_string(unused_port()) + "/", "{}"), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transport);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_FALSE(r.error().ambiguous);
}

TEST(CurlTransport, DroppedConnectionAfterSendIsAmbiguous) {
  LoopbackServer server([](const ServerRequest&) {
    ServerResponse r;
    r.close_without_response = true;
    return r;
  });
  auto r = make_curl_transport()->send(make("POST", server.url() + "/", "{\"a\":1}"), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::transport);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_TRUE(r.error().ambiguous);
}

TEST(CurlTransport, TimeoutIsReportedAsTimeout) {
  LoopbackServer server([](const ServerRequest&) {
    ServerResponse r;
    r.delay_ms = 1500;
    return r;
  });
  SendOptions opts;
  opts.timeout = std::chrono::milliseconds(200);
  auto r = make_curl_transport()->send(make("POST", server.url() + "/", "{}"), opts);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::timeout);
  EXPECT_TRUE(r.error().retryable);
  EXPECT_TRUE(r.error().ambiguous);
}

TEST(CurlTransport, MalformedUrlIsInvalidArgument) {
  auto r = make_curl_transport()->send(make("GET", "notascheme://x"), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_argument);
}

TEST(BodySources, FileRangeAndErrors) {
  char path[] = "/tmp/dynamate-body-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "0123456789", 10), 10);
  ::close(fd);
  auto src = file_range_body_source(path, 3, 4);
  ASSERT_TRUE(src);
  char buf[16];
  auto n = (*src)->read(buf);
  ASSERT_TRUE(n);
  EXPECT_EQ(std::string(buf, *n), "3456");
  ASSERT_TRUE((*src)->rewind());
  n = (*src)->read(std::span<char>(buf, 2));
  EXPECT_EQ(std::string(buf, *n), "34");
  EXPECT_FALSE(file_range_body_source(path, 8, 4));
  auto missing = file_body_source("/nonexistent/dynamate");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::invalid_argument);
  ::unlink(path);
}

}  // namespace
}  // namespace dynamate::http

namespace dynamate::http {
namespace {

// A reused keep-alive connection that the server drops after reading the
// request (as load balancers do with idle connections): curl resends on a
// fresh connection by itself, which needs the body rewound. Both body kinds
// must arrive whole on the second connection.
TEST(CurlTransport, ResendsWholeBodyWhenAReusedConnectionDies) {
  int seen = 0;
  LoopbackServer server([&](const ServerRequest& r) {
    ServerResponse out;
    ++seen;
    if (seen == 2 || seen == 4) out.close_without_response = true;
    out.body = r.body;
    return out;
  });
  auto t = make_curl_transport();
  ASSERT_TRUE(t->send(make("POST", server.url() + "/", "first"), {}));
  auto r = t->send(make("POST", server.url() + "/", std::string(50000, 'm')), {});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->body, std::string(50000, 'm'));

  auto put = make("PUT", server.url() + "/k");
  put.body_source = string_body_source(std::string(70000, 's'));
  r = t->send(put, {});
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->body, std::string(70000, 's'));
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(server.connections_accepted(), 3);
}

}  // namespace
}  // namespace dynamate::http
