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
#include "http/policy.h"
#include "http/router.h"

namespace pixmill::http {

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
  int admission_workers = 4;  // threads for admission off the I/O threads (Redis, classifying)
  std::function<void()> on_worker_exit;  // per worker thread (libvips cleanup)
  // Once, on the I/O thread, when shutdown begins: new connections are refused from
  // here on and every answer closes its connection.
  std::function<void(int in_flight)> on_draining;
  // CORS, keys and limits, metrics, the access log: in the order they run (http/policy.h).
  PolicyChain policies;
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

  struct Impl;  // public so the connection and the job (connection.cpp, job.cpp) can reach it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pixmill::http
