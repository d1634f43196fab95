#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <nlohmann/json.hpp>

#include <thread>

#include "http/connection.h"
#include "http/server_state.h"
#include "log/log.h"

namespace pixmill::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

Response default_error(const Error& e, int status) {
  const nlohmann::json body = {{"error", {{"code", error_code_name(e.code)}, {"message", e.message}}}};
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace

Response Server::Impl::render(const ErrorRenderer* renderer, const Error& e, int fallback_status) const {
  if (renderer && *renderer) return (*renderer)(e);
  return default_error(e, fallback_status);
}

void Server::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections.load() >= options.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        start_connection(std::move(socket), *this);
      }
    }
    do_accept();
  });
}

void Server::Impl::begin_shutdown() {
  if (draining.exchange(true)) return;
  beast::error_code ignored;
  acceptor.close(ignored);
  if (options.on_draining) options.on_draining(in_flight.load());
  auto deadline = Clock::now() + options.shutdown_grace;
  auto timer = std::make_shared<asio::steady_timer>(io);
  auto poll = std::make_shared<std::function<void()>>();
  *poll = [this, timer, deadline, poll] {
    if (in_flight.load() == 0 || Clock::now() >= deadline) {
      io.stop();
      *poll = nullptr;  // break the self-reference
      return;
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([poll](beast::error_code) {
      if (*poll) (*poll)();
    });
  };
  (*poll)();
}

Server::Server(ServerOptions options, Router router) : impl_(std::make_unique<Impl>(std::move(options), std::move(router))) {}

Server::~Server() {
  if (impl_->admission_pool) impl_->admission_pool->stop();
  if (impl_->fetch_pool) impl_->fetch_pool->stop();
  if (impl_->pool) impl_->pool->stop();
}

Status Server::listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return make_error(ErrorCode::InvalidInput, "HOST is not an IP address: " + impl_->options.host, "HOST");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(impl_->options.port));
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(ErrorCode::Internal, "cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) + ": " + ec.message());
  impl_->pool = std::make_unique<WorkerPool>(impl_->options.workers, impl_->options.queue_max, impl_->options.on_worker_exit);
  impl_->fetch_pool = std::make_unique<WorkerPool>(impl_->options.fetch_workers, impl_->options.fetch_queue_max);
  impl_->admission_pool = std::make_unique<WorkerPool>(impl_->options.admission_workers, impl_->options.fetch_queue_max);
  return ok_status();
}

int Server::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? -1 : ep.port();
}

void Server::install_signal_handlers() {
  impl_->signals.add(SIGINT);
  impl_->signals.add(SIGTERM);
  impl_->signals.async_wait([this](beast::error_code ec, int) {
    if (!ec) shutdown();
  });
}

bool Server::run() {
  impl_->do_accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl_->options.io_threads; ++i) threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& t : threads) t.join();
  // Work still running after the grace period is left to process exit.
  impl_->admission_pool->stop(std::chrono::milliseconds(100));
  impl_->fetch_pool->stop(std::chrono::milliseconds(100));
  return impl_->pool->stop(std::chrono::milliseconds(100));
}

void Server::shutdown() {
  asio::post(impl_->io, [this] { impl_->begin_shutdown(); });
}

Server::Stats Server::stats() const {
  Stats s;
  s.requests = impl_->requests.load();
  s.connections = impl_->connections.load();
  s.in_flight = impl_->in_flight.load();
  if (impl_->pool) {
    s.queued = impl_->pool->queued();
    s.busy_workers = impl_->pool->busy();
  }
  s.workers = impl_->options.workers;
  s.rejected_busy = impl_->rejected_busy.load();
  s.timed_out = impl_->timed_out.load();
  return s;
}

}  // namespace pixmill::http
