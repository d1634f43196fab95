#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "fetch/fetcher.h"
#include "test_http_server.h"

namespace pixmill::fetch {

using net::parse_cidr;
namespace {

using testing::TestConnection;
using testing::TestHttpServer;
using Clock = std::chrono::steady_clock;

// Loopback is refused by default; the tests open exactly their own server's address.
FetchOptions loopback_options() {
  FetchOptions options;
  options.policy.allow_cidrs = {*parse_cidr("127.0.0.1/32")};
  options.timeout_ms = 3000;
  options.connect_timeout_ms = 1000;
  return options;
}

long elapsed_ms(Clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

std::string binary_bytes(size_t n) {
  std::string bytes(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    bytes[i] = static_cast<char>(i * 7);
  }
  return bytes;
}

// Sends a head, then 'x' filler forever (or until the client hangs up).
TestHttpServer::Handler endless(std::string head) {
  return [head = std::move(head)](TestConnection& c) {
    if (!c.send(head)) {
      return;
    }
    std::string block(64 * 1024, 'x');
    while (c.send(block)) {
    }
  };
}

TEST(Fetcher, FetchesBytes) {
  TestHttpServer server;
  std::string image = binary_bytes(1000);
  server.route("/img.png", TestHttpServer::reply(TestHttpServer::response(200, image, {}, "image/png")));
  auto r = fetch_url(server.url("/img.png"), loopback_options());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, image);
  EXPECT_EQ(r->content_type, "image/png");
  EXPECT_EQ(r->final_url, server.url("/img.png"));
}

TEST(Fetcher, FollowsARedirectChain) {
  TestHttpServer server;
  server.route("/a", TestHttpServer::redirect(302, "/b"));
  server.route("/b", TestHttpServer::redirect(301, server.url("/c")));
  server.route("/c", TestHttpServer::reply(TestHttpServer::response(200, "done", {}, "image/gif")));
  auto r = fetch_url(server.url("/a"), loopback_options());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(r->final_url, server.url("/c"));
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(Fetcher, RefusesTooManyRedirects) {
  TestHttpServer server;
  for (int i = 0; i < 5; ++i) {
    server.route("/r" + std::to_string(i), TestHttpServer::redirect(307, "/r" + std::to_string(i + 1)));
  }
  server.route("/r5", TestHttpServer::reply(TestHttpServer::response(200, "end")));
  FetchOptions options = loopback_options();
  options.max_redirects = 3;
  auto r = fetch_url(server.url("/r0"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::FetchFailed);
  EXPECT_EQ(r.error().message, "too many redirects");
  EXPECT_EQ(server.requests().size(), 4u);  // r0..r3; the fourth redirect is not followed
}

TEST(Fetcher, RefusesRedirectsToDeniedPlaces) {
  TestHttpServer server;
  const std::string port = std::to_string(server.port());
  const std::vector<std::string> targets = {
      "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
      "http://[::1]:" + port + "/",              "http://2130706434:" + port + "/",
      "http://0x7f.0.0.2:" + port + "/",         "ftp://example.com/a.png",
  };
  for (size_t i = 0; i < targets.size(); ++i) {
    server.route("/go" + std::to_string(i), TestHttpServer::redirect(302, targets[i]));
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    auto r = fetch_url(server.url("/go" + std::to_string(i)), loopback_options());
    ASSERT_FALSE(r.ok()) << targets[i];
    EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed) << targets[i];
  }
  EXPECT_EQ(server.accepted(), static_cast<int>(targets.size()));  // only the redirecting requests
}

TEST(Fetcher, ChunkedBodyBeyondAFalseContentLengthIsCut) {
  TestHttpServer server;
  server.route("/lie", [](TestConnection& c) {
    if (!c.send("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n")) {
      return;
    }
    std::string block(64 * 1024, 'y');
    char size_line[32];
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", block.size());
    for (int i = 0; i < 160; ++i) {  // 10 MiB
      if (!c.send(size_line) || !c.send(block) || !c.send("\r\n")) {
        return;
      }
    }
    c.send("0\r\n\r\n");
  });
  FetchOptions options = loopback_options();
  options.max_bytes = 1 << 20;
  auto r = fetch_url(server.url("/lie"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::FileTooLarge);
}

TEST(Fetcher, BodyNeverExceedsADeclaredContentLength) {
  TestHttpServer server;
  server.route("/short", endless("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n"));
  FetchOptions options = loopback_options();
  options.max_bytes = 1 << 20;
  auto r = fetch_url(server.url("/short"), options);
  // libcurl stops at the declared length; whatever else was sent is never read.
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, std::string(10, 'x'));
}

TEST(Fetcher, RefusesADeclaredTooLargeBodyEarly) {
  TestHttpServer server;
  server.route("/huge", [](TestConnection& c) {
    if (c.send("HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\n")) {
      c.wait_until_closed();
    }
  });
  FetchOptions options = loopback_options();
  options.max_bytes = 1 << 20;
  auto start = Clock::now();
  auto r = fetch_url(server.url("/huge"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::FileTooLarge);
  EXPECT_LT(elapsed_ms(start), 1000);
}

TEST(Fetcher, StopsAnEndlessStream) {
  TestHttpServer server;
  server.route("/forever", endless("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
  FetchOptions options = loopback_options();
  options.max_bytes = 1 << 20;
  auto start = Clock::now();
  auto r = fetch_url(server.url("/forever"), options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::FileTooLarge);
  EXPECT_LT(elapsed_ms(start), 2000);
}

TEST(Fetcher, TimesOutOnASilentServer) {
  TestHttpServer server;
  server.route("/silent", [](TestConnection& c) { c.wait_until_closed(); });
  FetchOptions options = loopback_options();
  options.timeout_ms = 500;
  auto start = Clock::now();
  auto r = fetch_url(server.url("/silent"), options);
  long took = elapsed_ms(start);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Timeout);
  EXPECT_GE(took, 450);
  EXPECT_LT(took, 1500);
}

TEST(Fetcher, CancellationStopsAFetch) {
  TestHttpServer server;
  server.route("/silent", [](TestConnection& c) { c.wait_until_closed(); });
  std::atomic<bool> cancelled{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancelled.store(true);
  });
  auto start = Clock::now();
  auto r = fetch_url(server.url("/silent"), loopback_options(), &cancelled);
  long took = elapsed_ms(start);
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::Timeout);
  EXPECT_LT(took, 2000);

  auto already = fetch_url(server.url("/silent"), loopback_options(), &cancelled);
  ASSERT_FALSE(already.ok());
  EXPECT_EQ(already.error().code, ErrorCode::Timeout);
}

TEST(Fetcher, UpstreamErrorsBecomeFetchFailed) {
  TestHttpServer server;
  server.route("/missing", TestHttpServer::reply(TestHttpServer::response(404, "secret upstream detail")));
  server.route("/broken", endless("HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\n"));
  server.route("/nowhere", TestHttpServer::reply(TestHttpServer::response(302, "")));
  for (auto [path, status] : {std::pair{"/missing", 404}, std::pair{"/broken", 500}, std::pair{"/nowhere", 302}}) {
    auto r = fetch_url(server.url(path), loopback_options());
    ASSERT_FALSE(r.ok()) << path;
    EXPECT_EQ(r.error().code, ErrorCode::FetchFailed) << path;
    EXPECT_EQ(r.error().message, "upstream answered " + std::to_string(status));
  }
}

TEST(Fetcher, DefaultPolicyNeverConnectsToLoopback) {
  TestHttpServer server;
  server.route("/", TestHttpServer::reply(TestHttpServer::response(200, "should not be served")));
  const std::string port = std::to_string(server.port());
  FetchOptions options;
  options.timeout_ms = 2000;
  for (const std::string& url :
       {"http://127.0.0.1:" + port + "/", "http://[::1]:" + port + "/", "http://localhost:" + port + "/",
        "http://2130706434:" + port + "/", "http://0x7f.1:" + port + "/", "http://127.1:" + port + "/",
        "http://[::ffff:127.0.0.1]:" + port + "/"}) {
    auto r = fetch_url(url, options);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::UrlNotAllowed) << url << ": " << r.error().message;
  }
  // Not in /etc/hosts with the dot, so it may not resolve at all; either way, no connection.
  EXPECT_FALSE(fetch_url("http://localhost.:" + port + "/", options).ok());
  EXPECT_EQ(server.accepted(), 0);
}

TEST(Fetcher, CustomHeadersStayWithTheOriginalHost) {
  TestHttpServer server;
  // Same server under another name: localhost resolves to 127.0.0.1 (allowed here) and
  // perhaps ::1 (refused), so this also covers a name with a mix of addresses.
  server.route("/start", TestHttpServer::redirect(302, "http://localhost:" + std::to_string(server.port()) + "/next"));
  server.route("/next", TestHttpServer::reply(TestHttpServer::response(200, "ok")));
  FetchOptions options = loopback_options();
  options.headers = {{"X-Test-Token", "s3cret"}, {"X-Bad", "a\r\nInjected: yes"}};
  options.user_agent = "pixmill-test/1";
  auto r = fetch_url(server.url("/start"), options);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->body, "ok");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].find("X-Test-Token: s3cret"), std::string::npos);
  EXPECT_NE(requests[0].find("User-Agent: pixmill-test/1"), std::string::npos);
  EXPECT_EQ(requests[0].find("Injected"), std::string::npos);
  EXPECT_EQ(requests[1].find("X-Test-Token"), std::string::npos);
  EXPECT_NE(requests[1].find("User-Agent: pixmill-test/1"), std::string::npos);
}

TEST(Fetcher, MalformedUrlIsInvalidInput) {
  auto r = fetch_url("not a url", FetchOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
}

}  // namespace
}  // namespace pixmill::fetch
