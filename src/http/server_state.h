#pragma once
// What the server's parts share: the options, the route table, the I/O context, the two
// worker pools and the counters. The connection (connection.cpp) reads requests and
// writes answers, the job (job.cpp) carries one request through the pools, and the
// server (server.cpp) listens, accepts and shuts down.

#include <boost/asio.hpp>

#include <atomic>
#include <memory>
#include <string>

#include "http/server.h"
#include "http/worker_pool.h"

namespace pixmill::http {

struct Server::Impl {
  ServerOptions options;
  Router router;
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor{io};
  boost::asio::signal_set signals{io};
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<WorkerPool> fetch_pool;
  std::unique_ptr<WorkerPool> admission_pool;  // admission that may block (Redis) or must parse the request
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> rejected_busy{0};
  std::atomic<uint64_t> timed_out{0};
  std::atomic<bool> draining{false};

  Impl(ServerOptions o, Router r) : options(std::move(o)), router(std::move(r)) {}

  void do_accept();
  void begin_shutdown();
  // An error in the route's shape, or the plain one when no dialect owns the path.
  Response render(const ErrorRenderer* renderer, const Error& e, int fallback_status) const;
};

}  // namespace pixmill::http
