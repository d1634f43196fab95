#include "http/server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "core/text.h"
#include "http/url.h"
#include "log/log.h"
#include "http/worker_pool.h"

namespace pixmill::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// A client's X-Request-Id is echoed only when it is short and plain (it lands in logs).
bool plain_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_' || c == '.'; });
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

Response default_error(const Error& e, int status) {
  return json_response(status, "{\"error\":{\"code\":\"" + std::string(error_code_name(e.code)) + "\",\"message\":\"" +
                                   json_escape(e.message) + "\"}}");
}

// One request's race between its worker and its timeout: whoever answers first wins.
struct JobState {
  enum Phase : int { Queued, Running, Done, AbandonedRunning, AbandonedQueued };
  std::atomic<bool> answered{false};
  std::atomic<bool> cancelled{false};
  std::atomic<int> phase{Queued};
  // Admission headers (X-RateLimit-*) decided on the fetch pool; written before the work
  // is submitted, read when its answer is published.
  Fields admission_headers;
};

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Router router;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  asio::signal_set signals{io};
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<WorkerPool> fetch_pool;
  std::atomic<int> connections{0};
  std::atomic<int> in_flight{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> rejected_busy{0};
  std::atomic<uint64_t> timed_out{0};
  std::atomic<bool> draining{false};

  Impl(ServerOptions o, Router r) : options(std::move(o)), router(std::move(r)) {}

  void do_accept();
  void begin_shutdown();
  Response render(const ErrorRenderer* renderer, const Error& e, int fallback_status) {
    if (renderer && *renderer) return (*renderer)(e);
    return default_error(e, fallback_status);
  }
  // The access line: the path without its query (which may carry keys), never headers
  // or bodies.
  void log_access(const Request& req, const std::string& route, int status, size_t bytes_in, size_t bytes_out, double ms) {
    if (!options.access_log || !log::enabled(log::Level::Info)) return;
    char line[1024];
    std::snprintf(line, sizeof line,
                  "{\"level\":\"info\",\"msg\":\"request\",\"method\":\"%s\",\"path\":\"%s\",\"route\":\"%s\",\"status\":%d,"
                  "\"bytesIn\":%zu,\"bytesOut\":%zu,\"ms\":%.1f,\"requestId\":\"%s\",\"ip\":\"%s\"}",
                  json_escape(req.method.substr(0, 16)).c_str(), json_escape(req.path.substr(0, 200)).c_str(), route.c_str(), status,
                  bytes_in, bytes_out, ms, req.request_id.c_str(), req.client_ip.c_str());
    log::write_line(line);
  }
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server), timer_(stream_.get_executor()) {
    ++server_.connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ip_ = ep.address().to_string();
  }
  ~Session() { --server_.connections; }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read_header(); });
  }

 private:
  void do_read_header() {
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    // No body limit while reading the header: Beast would fail the header read on a
    // large Content-Length, and the client would get no answer. on_header checks it.
    parser_->body_limit(boost::none);
    stream_.expires_after(server_.options.header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    // Oversized or malformed heads get a typed answer, then the connection closes;
    // timeouts, resets and a clean end between requests have nobody to answer.
    if (ec == bhttp::error::header_limit) return refuse_head(431, "request headers exceed 16 KB");
    if (ec && ec.category() == beast::error_code(bhttp::error::bad_method).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      return refuse_head(400, "malformed HTTP request");
    }
    if (ec) return close();
    started_ = Clock::now();
    // In flight from the first header: a graceful shutdown finishes uploads in progress.
    ++server_.in_flight;
    counted_ = true;
    bytes_in_ = 0;
    auto& head = parser_->get();
    request_ = Request{};
    request_.method = std::string(head.method_string());
    request_.client_ip = client_ip_;
    for (const auto& field : head) {
      request_.headers.emplace_back(core::ascii_lower(field.name_string()), std::string(field.value()));
    }
    std::string_view given_id = request_.header("x-request-id");
    request_.request_id = plain_request_id(given_id) ? std::string(given_id) : new_request_id();
    keep_alive_ = head.keep_alive();

    auto target = parse_target(std::string_view(head.target().data(), head.target().size()));
    if (!target) {
      request_.path = "?";
      return respond_error(nullptr, make_error(ErrorCode::InvalidInput, "malformed request target"), 400, false);
    }
    request_.path = std::move(target->path);
    request_.query = std::move(target->query);
    match_ = server_.router.match(request_.method, request_.path);
    if (log::enabled(log::Level::Debug)) {
      // Header names only: values may be keys or cookies.
      std::string names;
      for (const auto& [name, value] : request_.headers) names += (names.empty() ? "" : ",") + name.substr(0, 64);
      log::write(log::Level::Debug, "request.start",
                 {{"method", request_.method.substr(0, 16)}, {"path", request_.path.substr(0, 200)},
                  {"route", match_.route ? match_.route->name : "-"}, {"headers", names}, {"requestId", request_.request_id}});
    }

    // Refuse an oversized body from its declared length, before reading any of it.
    if (auto length = parser_->content_length(); length && *length > server_.options.max_body_bytes) {
      return respond_error(match_.render_error, make_error(ErrorCode::FileTooLarge, "request body exceeds MAX_UPLOAD_MB"), 413, false);
    }
    parser_->body_limit(server_.options.max_body_bytes);
    if (head[bhttp::field::expect] == "100-continue") {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
      stream_.expires_after(server_.options.body_timeout);
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, size_t) {
        if (ec) return self->close();
        self->do_read_body();
      });
      return;
    }
    do_read_body();
  }

  void refuse_head(int status, const char* message) {
    started_ = Clock::now();
    request_ = Request{};
    request_.method = "?";
    request_.path = "?";
    request_.client_ip = client_ip_;
    request_.request_id = new_request_id();
    match_ = RouteMatch{};
    respond_error(nullptr, make_error(ErrorCode::InvalidInput, message), status, false);
  }

  void do_read_body() {
    // Beast reads into the room the buffer has (512 bytes at least) and the parser moves
    // each piece into the body, so the room never grows: a 1 MB upload took ~2000 reads,
    // each with its epoll, timer and thread wake-ups (a tenth of a 12 MP request's CPU).
    // Room for 64 KB makes it ~20 reads; it is given back once the body is in.
    constexpr uint64_t kBodyReadRoom = 64 * 1024;
    buffer_.reserve(static_cast<size_t>(std::min(parser_->content_length().value_or(kBodyReadRoom), kBodyReadRoom)));
    stream_.expires_after(server_.options.body_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return respond_error(match_.render_error, make_error(ErrorCode::FileTooLarge, "request body exceeds MAX_UPLOAD_MB"), 413, false);
    }
    if (ec) return close();
    request_.body = std::move(parser_->get().body());
    buffer_.shrink_to_fit();  // keeps any pipelined bytes; an idle connection holds little
    bytes_in_ = request_.body.size();
    ++server_.requests;
    dispatch();
  }

  void dispatch() {
    extra_headers_.clear();
    if (request_.method == "OPTIONS" && server_.options.preflight) {
      return respond(server_.options.preflight(request_), keep_alive_);
    }
    if (!match_.route) {
      if (match_.path_known) {
        return respond_error(match_.render_error, make_error(ErrorCode::MethodNotAllowed, "method not allowed on this route"), 405, keep_alive_);
      }
      return respond_error(match_.render_error, make_error(ErrorCode::NotFound, "no such route: " + request_.path.substr(0, 200)), 404, keep_alive_);
    }
    const Route& route = *match_.route;
    if (route.inline_handler) {
      if (server_.options.authorize) {
        if (auto refusal = server_.options.authorize(request_, route)) {
          Response refused = server_.render(&route.render_error, *refusal, 401);
          refused.set("WWW-Authenticate", "Bearer");
          return respond(std::move(refused), keep_alive_);
        }
      }
      Response response;
      try {
        response = route.inline_handler(request_);
      } catch (const std::exception& e) {
        log::write(log::Level::Error, "handler.exception", {{"route", route.name}, {"requestId", request_.request_id}, {"what", e.what()}});
        response = server_.render(&route.render_error, make_error(ErrorCode::Internal, "unexpected server error"), 500);
      }
      return respond(std::move(response), keep_alive_);
    }
    if (server_.options.admit && !server_.options.admit_blocks) {
      Admission admission = server_.options.admit(request_, route);
      extra_headers_ = std::move(admission.headers);
      if (admission.refusal) return respond(server_.render(&route.render_error, *admission.refusal, 429), keep_alive_);
    }
    run_on_worker(route);
  }

  // Publishing a worker's response back on this connection's strand.
  static WorkerPool::Publish publisher(std::shared_ptr<Session> self, std::shared_ptr<JobState> state, Response response) {
    return [self, state, response = std::move(response)]() mutable {
      asio::post(self->stream_.get_executor(), [self, state, response = std::move(response)]() mutable {
        if (state->answered.exchange(true)) return;
        for (auto& [name, value] : state->admission_headers) response.set(name, value);
        self->timer_.cancel();
        self->respond(std::move(response), self->keep_alive_);
      });
    };
  }

  // Stage two: the image work, on the image worker pool.
  static bool submit_work(std::shared_ptr<Session> self, std::shared_ptr<JobState> state, std::shared_ptr<Request> request,
                          core::Deadline deadline, const Route& route) {
    return self->server_.pool->try_submit([self, state, request, deadline, &route]() -> WorkerPool::Publish {
      int expected = JobState::Queued;
      if (!state->phase.compare_exchange_strong(expected, JobState::Running)) return {};  // timed out while queued
      Response response;
      try {
        response = route.work_handler(*request, deadline);
      } catch (const std::exception& e) {
        log::write(log::Level::Error, "handler.exception", {{"route", route.name}, {"requestId", request->request_id}, {"what", e.what()}});
        response = self->server_.render(&route.render_error, make_error(ErrorCode::Internal, "unexpected server error"), 500);
      }
      expected = JobState::Running;
      if (!state->phase.compare_exchange_strong(expected, JobState::Done)) {
        WorkerPool::mark_current_abandoned();  // the timeout lent the pool a thread for us
        return {};
      }
      return publisher(self, state, std::move(response));
    });
  }

  static Response busy_response(Server::Impl& server, const Route& route) {
    ++server.rejected_busy;
    Response busy = server.render(&route.render_error, make_error(ErrorCode::Overloaded, "server is busy, retry shortly"), 503);
    busy.set("Retry-After", "1");
    return busy;
  }

  void run_on_worker(const Route& route) {
    auto state = std::make_shared<JobState>();
    auto request = std::make_shared<Request>(std::move(request_));
    const core::Deadline deadline(Clock::now() + server_.options.request_timeout, &state->cancelled);
    stream_.expires_never();
    auto self = shared_from_this();
    bool queued = false;
    const bool admit_here = server_.options.admit && server_.options.admit_blocks;
    const bool wants_prepare = route.prepare && (!route.wants_prepare || route.wants_prepare(*request));
    if (admit_here || wants_prepare) {
      // Stage one, on the fetch pool: blocking admission (Redis) and the fetch of an image
      // URL, then hand over to the image workers.
      queued = server_.fetch_pool->try_submit([self, state, request, deadline, &route, admit_here, wants_prepare]() -> WorkerPool::Publish {
        if (state->answered.load()) return {};
        if (admit_here) {
          Admission admission = self->server_.options.admit(*request, route);
          state->admission_headers = std::move(admission.headers);
          if (admission.refusal) return publisher(self, state, self->server_.render(&route.render_error, *admission.refusal, 429));
        }
        std::optional<Error> failed;
        if (wants_prepare) {
          const auto prepare_started = Clock::now();
          failed = route.prepare(*request, deadline);
          if (self->server_.options.on_prepared) {
            self->server_.options.on_prepared(route, failed, std::chrono::duration<double>(Clock::now() - prepare_started).count());
          }
        }
        if (state->answered.load()) return {};
        if (failed) return publisher(self, state, self->server_.render(&route.render_error, *failed, 502));
        if (!submit_work(self, state, request, deadline, route)) return publisher(self, state, busy_response(self->server_, route));
        return {};
      });
    } else {
      queued = submit_work(self, state, request, deadline, route);
    }
    // The worker owns the request now; keep what the access log and decorators need.
    request_.method = request->method;
    request_.path = request->path;
    request_.request_id = request->request_id;
    request_.client_ip = request->client_ip;
    request_.headers = request->headers;
    if (!queued) {
      state->answered = true;
      return respond(busy_response(server_, route), keep_alive_);
    }
    timer_.expires_after(server_.options.request_timeout);
    timer_.async_wait([self, state, &route](beast::error_code ec) {
      if (ec || state->answered.exchange(true)) return;
      state->cancelled = true;  // libvips stops at its next tile; an encoder may not
      ++self->server_.timed_out;
      log::write(log::Level::Warn, "request.timeout", {{"route", route.name}, {"requestId", self->request_.request_id}});
      int expected = JobState::Running;
      if (state->phase.compare_exchange_strong(expected, JobState::AbandonedRunning)) {
        self->server_.pool->compensate();  // keep capacity while the stuck work finishes
      } else {
        expected = JobState::Queued;
        state->phase.compare_exchange_strong(expected, JobState::AbandonedQueued);
      }
      self->respond(self->server_.render(&route.render_error, make_error(ErrorCode::Timeout, "processing exceeded REQUEST_TIMEOUT_MS"), 504),
                    self->keep_alive_);
    });
  }

  void respond_error(const ErrorRenderer* renderer, const Error& e, int fallback_status, bool keep_alive) {
    respond(server_.render(renderer, e, fallback_status), keep_alive);
  }

  void respond(Response response, bool keep_alive) {
    if (server_.draining) keep_alive = false;
    response.set("X-Request-Id", request_.request_id);
    for (auto& [name, value] : extra_headers_) response.set(name, value);
    extra_headers_.clear();
    if (server_.options.decorate) server_.options.decorate(request_, response);
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) res->set(name, value);
    res->set(bhttp::field::server, "pixmill");
    const size_t body_size = response.body.size();
    res->body() = std::move(response.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    if (request_.method == "HEAD") {
      res->body().clear();
      res->content_length(body_size);
    }
    const int status = response.status;
    const std::string route = match_.route ? match_.route->name : "-";
    stream_.expires_after(std::chrono::seconds(60));
    // A response sent before the body was read must not leave the body in the socket.
    const bool body_unread = !parser_ || !parser_->is_done();
    // Observers count the answer before it is written: a client that has read it and then
    // scrapes /metrics (on another connection) must find it counted.
    if (server_.options.on_complete) {
      const double seconds = std::chrono::duration<double>(Clock::now() - started_).count();
      server_.options.on_complete({request_.method, route, status, bytes_in_, body_size, seconds});
    }
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive, status, route, body_size, body_unread](beast::error_code ec, size_t) {
      double ms = std::chrono::duration<double, std::milli>(Clock::now() - self->started_).count();
      self->server_.log_access(self->request_, route, status, self->bytes_in_, body_size, ms);
      if (self->counted_) {
        --self->server_.in_flight;
        self->counted_ = false;
      }
      if (ec) return self->close();
      if (body_unread) return self->linger_and_close();
      if (!keep_alive) return self->close();
      self->do_read_header();
    });
  }

  // After an early answer (413), drain what the client is still sending for a short
  // while so it reads our answer instead of a connection reset.
  void linger_and_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    drain_buffer_ = std::make_shared<std::array<char, 65536>>();
    do_drain();
  }

  void do_drain() {
    stream_.async_read_some(asio::buffer(*drain_buffer_), [self = shared_from_this()](beast::error_code ec, size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > (64u << 20)) return self->close();
      self->do_drain();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    if (counted_) {
      --server_.in_flight;
      counted_ = false;
    }
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Request request_;
  RouteMatch match_;
  std::string client_ip_;
  bool keep_alive_ = true;
  bool counted_ = false;
  Clock::time_point started_ = Clock::now();
  std::shared_ptr<std::array<char, 65536>> drain_buffer_;
  size_t drained_ = 0;
  size_t bytes_in_ = 0;
  Fields extra_headers_;
};

}  // namespace

void Server::Impl::do_accept() {
  acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (!ec) {
      if (connections.load() >= options.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), *this)->start();
      }
    }
    do_accept();
  });
}

void Server::Impl::begin_shutdown() {
  if (draining.exchange(true)) return;
  beast::error_code ignored;
  acceptor.close(ignored);
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
