#include "http/connection.h"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>

#include "core/text.h"
#include "http/job.h"
#include "http/url.h"
#include "log/log.h"

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

class Connection final : public Answerer, public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    ++server_.connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ip_ = ep.address().to_string();
  }
  ~Connection() override { --server_.connections; }

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->do_read_header(); });
  }

  asio::any_io_executor executor() override { return stream_.get_executor(); }
  void answer(Response response) override { respond(std::move(response), keep_alive_); }

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
    // Fixed here, on the I/O thread, before any other thread sees the request.
    server_.options.policies.on_head(request_);
    std::string_view given_id = request_.header("x-request-id");
    request_.request_id = plain_request_id(given_id) ? std::string(given_id) : new_request_id();
    keep_alive_ = head.keep_alive();

    request_.target = std::string(head.target().data(), head.target().size());
    auto target = parse_target(request_.target);
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
    request_.received_bytes = request_.body.size();
    buffer_.shrink_to_fit();  // keeps any pipelined bytes; an idle connection holds little
    bytes_in_ = request_.body.size();
    ++server_.requests;
    dispatch();
  }

  void dispatch() {
    extra_headers_.clear();
    if (auto answer = server_.options.policies.preflight(request_)) return respond(std::move(*answer), keep_alive_);
    if (!match_.route) {
      if (match_.path_known) {
        return respond_error(match_.render_error, make_error(ErrorCode::MethodNotAllowed, "method not allowed on this route"), 405, keep_alive_);
      }
      return respond_error(match_.render_error, make_error(ErrorCode::NotFound, "no such route: " + request_.path.substr(0, 200)), 404, keep_alive_);
    }
    const RouteSpec& route = *match_.route;
    if (route.inline_handler) {
      Exchange exchange(request_, route, extra_headers_, nullptr);
      if (auto refusal = server_.options.policies.before(exchange)) {
        return respond(server_.render(&route.render_error, refusal->error, refusal->status), keep_alive_);
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
    if (!admits_off_io_thread(server_, route)) {
      Exchange exchange(request_, route, extra_headers_, nullptr);
      if (auto refusal = server_.options.policies.before(exchange)) {
        return respond(server_.render(&route.render_error, refusal->error, refusal->status), keep_alive_);
      }
    }
    run_on_worker(route);
  }

  // The job gets its own copy of the head and the body; this connection keeps request_'s
  // head (for the access log, CORS and the answer) and never reads the job's copy.
  void run_on_worker(const RouteSpec& route) {
    auto request = std::make_shared<Request>();
    request->method = request_.method;
    request->path = request_.path;
    request->target = request_.target;
    request->query = request_.query;
    request->headers = request_.headers;
    request->client_ip = request_.client_ip;
    request->request_id = request_.request_id;
    request->received_bytes = request_.received_bytes;
    request->body = std::move(request_.body);
    stream_.expires_never();  // the job's timeout governs from here
    start_job(server_, shared_from_this(), route, std::move(request));
  }

  void respond_error(const ErrorRenderer* renderer, const Error& e, int fallback_status, bool keep_alive) {
    respond(server_.render(renderer, e, fallback_status), keep_alive);
  }

  void respond(Response response, bool keep_alive) {
    if (server_.draining) keep_alive = false;
    response.set("X-Request-Id", request_.request_id);
    for (auto& [name, value] : extra_headers_) response.set(name, value);
    extra_headers_.clear();
    const int status = response.status;
    const std::string route = match_.route ? match_.route->name : "-";
    // The chain's last steps (CORS headers, metrics, the access log) see the answer before
    // it is written: a client that has read it and then scrapes /metrics (on another
    // connection) must find it counted.
    const Outcome outcome{request_, route, status, bytes_in_, response.body.size(),
                          std::chrono::duration<double>(Clock::now() - started_).count()};
    server_.options.policies.after(outcome, response);
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
    stream_.expires_after(std::chrono::seconds(60));
    // A response sent before the body was read must not leave the body in the socket.
    const bool body_unread = !parser_ || !parser_->is_done();
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive, body_unread, route, status,
                                       bytes_out = outcome.bytes_out](beast::error_code ec, size_t) {
      const Outcome written{self->request_, route, status, self->bytes_in_, bytes_out,
                            std::chrono::duration<double>(Clock::now() - self->started_).count()};
      self->server_.options.policies.finished(written);
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

void start_connection(boost::asio::ip::tcp::socket socket, Server::Impl& server) {
  std::make_shared<Connection>(std::move(socket), server)->start();
}

}  // namespace pixmill::http
