#pragma once
// The HTTP server: Boost.Beast on Asio. A few I/O threads do all networking
// asynchronously; image work runs on the bounded worker pool, so slow clients never
// hold a worker and a busy CPU never stalls accepts or health checks.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "http/router.h"

namespace pixmill::http {

struct Admission {
  std::optional<Error> refusal;
  Fields headers;
};

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 3000;  // 0 picks a free port (tests)
  int io_threads = 2;
  int workers = 2;
  int queue_max = 64;
  uint64_t max_body_bytes = 25ull << 20;
  std::chrono::milliseconds header_timeout{10000};
  std::chrono::milliseconds body_timeout{60000};
  std::chrono::milliseconds request_timeout{30000};
  std::chrono::milliseconds shutdown_grace{10000};
  int max_connections = 1024;
  int fetch_workers = 8;      // threads that wait on upstream servers (URL input)
  int fetch_queue_max = 256;
  bool access_log = true;
  std::function<void()> on_worker_exit;  // per worker thread (libvips cleanup)
  // Decorates every response (CORS); may be empty.
  std::function<void(const Request&, Response&)> decorate;
  // Answers OPTIONS preflights for every path; may be empty (then OPTIONS is a 405).
  std::function<Response(const Request&)> preflight;
  // Admission of image work (keys, rate limits): a refusal is answered in the route's
  // error shape; headers go on the response either way. It may rewrite the request
  // (client address behind a proxy, a verified signature's parameters).
  std::function<Admission(Request&, const Route&)> admit;
  // When admit may block (a Redis round trip) it runs on the fetch pool, never on an
  // I/O thread; otherwise on the I/O thread before queueing.
  bool admit_blocks = false;
  // For routes answered on the I/O thread (inline handlers): a cheap, in-memory check
  // (API key) whose refusal is answered in the route's error shape; may be empty.
  std::function<std::optional<Error>(const Request&, const Route&)> authorize;
  // Observers for metrics (src/metrics): called after each response is written, and
  // after each prepare stage (URL fetch) with its outcome. Either may be empty.
  struct Completed {
    std::string_view method;
    std::string_view route;  // the route's name, "-" when none matched
    int status = 0;
    size_t bytes_in = 0;
    size_t bytes_out = 0;
    double seconds = 0;
  };
  std::function<void(const Completed&)> on_complete;
  std::function<void(const Route&, const std::optional<Error>&, double seconds)> on_prepared;
};

class Server {
 public:
  Server(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  Status listen();       // binds; port() is valid afterwards
  int port() const;
  // Serves until shutdown() or SIGTERM/SIGINT (when installed). False when work was
  // still running after the grace period (its threads were left to process exit).
  bool run();
  void install_signal_handlers();
  void shutdown();       // stop accepting, finish in-flight requests within the grace period

  struct Stats {
    uint64_t requests = 0;
    int connections = 0;
    int in_flight = 0;
    int queued = 0;
    int busy_workers = 0;
    int workers = 0;
    uint64_t rejected_busy = 0;  // 503 because the queue was full
    uint64_t timed_out = 0;      // 504 past REQUEST_TIMEOUT_MS
  };
  Stats stats() const;

  struct Impl;  // public so the connection sessions in server.cpp can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pixmill::http
