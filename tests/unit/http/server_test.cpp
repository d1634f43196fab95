// The server in-process on a loopback port: the policy chain's order and refusals, the
// class a classifier gives a request, the timeout's 504 and the full queue's 503.

#include "http/server.h"
#include "http/stages.h"

#include <gtest/gtest.h>

#include <atomic>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>
#include <mutex>
#include <thread>

namespace pixmill::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  std::string body;
  std::string header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
  }
  std::map<std::string, std::string> headers;
};

Reply get(int port, const std::string& method, const std::string& target, const std::string& body = {}) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res);
  Reply reply{static_cast<int>(res.result_int()), res.body(), {}};
  for (const auto& field : res) reply.headers[std::string(field.name_string())] = std::string(field.value());
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  return reply;
}

// Records what it sees; refuses when told to.
class Recorder final : public Policy {
 public:
  Recorder(std::string name, std::vector<std::string>& log, std::mutex& mutex, bool refuse = false, bool wants_class = false)
      : name_(std::move(name)), log_(log), mutex_(mutex), refuse_(refuse), wants_class_(wants_class) {}
  std::string_view name() const override { return name_; }
  bool needs_access_class() const override { return wants_class_; }
  std::optional<Refusal> before(Exchange& e) override {
    const AccessClass access = e.access();
    record("before:" + name_ + ":" + (access == AccessClass::Ai ? "ai" : access == AccessClass::Cpu ? "cpu" : "public"));
    e.headers.emplace_back("X-Seen-" + name_, "1");
    if (refuse_) return Refusal{make_error(ErrorCode::RateLimited, "no"), 429};
    return std::nullopt;
  }
  void after(const Outcome& o, Response& r) override {
    record("after:" + name_ + ":" + std::to_string(o.status));
    r.set("X-After-" + name_, "1");
  }

 private:
  void record(std::string line) {
    std::lock_guard lock(mutex_);
    log_.push_back(std::move(line));
  }
  std::string name_;
  std::vector<std::string>& log_;
  std::mutex& mutex_;
  bool refuse_;
  bool wants_class_;
};

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    Router router;
    router.add(RouteSpec{.method = "GET", .pattern = "/inline", .name = "inline",
                         .inline_handler = [](const Request&) { return json_response(200, "{}"); }});
    router.add(RouteSpec{.method = "POST", .pattern = "/work", .name = "work",
                         .stages = stages<std::string>({
                             .parse = [](Request& r) -> Result<std::string> { return std::move(r.body); },
                             .classify = [](const std::string& body) { return body == "ai" ? AccessClass::Ai : AccessClass::Cpu; },
                             .work = [](std::string& body, const Request&, const core::Deadline&) -> Result<Response> {
                               return json_response(200, "\"" + body + "\"");
                             },
                         })});
    router.add(RouteSpec{.method = "GET", .pattern = "/slow", .name = "slow",
                         .stages = stages<Ok>({
                             .parse = [](Request&) -> Result<Ok> { return Ok{}; },
                             .work = [this](Ok&, const Request&, const core::Deadline& d) -> Result<Response> {
                               // Work that overruns its budget until the test has read the
                               // timer's 504: no race between the timer and a handler that
                               // stops on time, and nothing left running after the test.
                               while (!d.expired()) std::this_thread::sleep_for(5ms);
                               for (int i = 0; i < 1000 && !slow_released_; ++i) std::this_thread::sleep_for(5ms);
                               return json_response(200, "{}");
                             },
                         })});
    server_ = std::make_unique<Server>(std::move(options), std::move(router));
    ASSERT_TRUE(server_->listen());
    thread_ = std::thread([this] { server_->run(); });
  }
  void TearDown() override {
    if (server_) server_->shutdown();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return server_->port(); }

  std::vector<std::string> log_;
  std::atomic<bool> slow_released_{false};  // lets /slow finish once its 504 was read
  std::mutex mutex_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerTest, TheChainRunsInOrderAndItsHeadersReachTheAnswer) {
  ServerOptions options;
  options.policies = PolicyChain({std::make_shared<Recorder>("a", log_, mutex_), std::make_shared<Recorder>("b", log_, mutex_)});
  start(std::move(options));
  Reply r = get(port(), "GET", "/inline");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("X-Seen-a"), "1");
  EXPECT_EQ(r.header("X-Seen-b"), "1");
  EXPECT_EQ(r.header("X-After-b"), "1");
  std::lock_guard lock(mutex_);
  EXPECT_EQ(log_, (std::vector<std::string>{"before:a:cpu", "before:b:cpu", "after:a:200", "after:b:200"}));
}

TEST_F(ServerTest, ARefusalStopsTheChainAndTheHandler) {
  ServerOptions options;
  options.policies = PolicyChain({std::make_shared<Recorder>("a", log_, mutex_, true), std::make_shared<Recorder>("b", log_, mutex_)});
  start(std::move(options));
  Reply r = get(port(), "POST", "/work", "cpu");
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("X-Seen-a"), "1");  // a refused step's headers still go out
  EXPECT_TRUE(r.header("X-Seen-b").empty());
  std::lock_guard lock(mutex_);
  EXPECT_EQ(log_, (std::vector<std::string>{"before:a:cpu", "after:a:429", "after:b:429"}));
}

TEST_F(ServerTest, TheClassifierDecidesTheAccessClassWhenAPolicyNeedsIt) {
  ServerOptions options;
  options.policies = PolicyChain({std::make_shared<Recorder>("a", log_, mutex_, false, true)});
  start(std::move(options));
  EXPECT_EQ(get(port(), "POST", "/work", "ai").body, "\"ai\"");
  EXPECT_EQ(get(port(), "POST", "/work", "plain").body, "\"plain\"");
  std::lock_guard lock(mutex_);
  EXPECT_EQ(log_, (std::vector<std::string>{"before:a:ai", "after:a:200", "before:a:cpu", "after:a:200"}));
}

TEST_F(ServerTest, WorkPastTheDeadlineIsA504) {
  ServerOptions options;
  options.request_timeout = 200ms;
  start(std::move(options));
  Reply r = get(port(), "GET", "/slow");
  slow_released_ = true;
  EXPECT_EQ(r.status, 504);
  EXPECT_NE(r.body.find("TIMEOUT"), std::string::npos);
  EXPECT_EQ(server_->stats().timed_out, 1u);
}

TEST_F(ServerTest, UnknownPathsAndMethods) {
  start(ServerOptions{});
  EXPECT_EQ(get(port(), "GET", "/nope").status, 404);
  EXPECT_EQ(get(port(), "POST", "/inline").status, 405);
}

}  // namespace
}  // namespace pixmill::http
