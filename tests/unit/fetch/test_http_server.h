#pragma once
// A tiny scripted HTTP/1.1 server on 127.0.0.1 for the fetcher tests. Each path maps
// to a handler that writes raw bytes, so a test can lie, stall or stream at will; the
// server counts accepted connections so a test can prove no connection was made.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pixmill::fetch::testing {

class TestConnection {
 public:
  TestConnection(int fd, const std::atomic<bool>& stopping) : fd_(fd), stopping_(stopping) {}

  // False once the peer is gone or the server stops: streaming handlers loop on it.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      if (stopping_.load()) {
        return false;
      }
      pollfd p{fd_, POLLOUT, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Holds the connection open, answering nothing, until the client gives up.
  void wait_until_closed() {
    char buffer[256];
    while (!stopping_.load()) {
      pollfd p{fd_, POLLIN, 0};
      int ready = ::poll(&p, 1, 50);
      if (ready > 0 && ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT) <= 0) {
        return;
      }
    }
  }

 private:
  int fd_;
  const std::atomic<bool>& stopping_;
};

class TestHttpServer {
 public:
  using Handler = std::function<void(TestConnection&)>;

  TestHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listen_fd_, 16);
    socklen_t length = sizeof address;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~TestHttpServer() {
    stopping_.store(true);
    acceptor_.join();
    ::close(listen_fd_);
    std::vector<std::thread> workers;
    {
      std::lock_guard lock(mutex_);
      for (int fd : open_fds_) {
        ::shutdown(fd, SHUT_RDWR);
      }
      workers.swap(workers_);
    }
    for (auto& worker : workers) {
      worker.join();
    }
  }

  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  int port() const { return port_; }
  std::string url(std::string_view path) const { return "http://127.0.0.1:" + std::to_string(port_) + std::string(path); }
  int accepted() const { return accepted_.load(); }

  void route(const std::string& path, Handler handler) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(handler);
  }

  // The request heads received so far, in arrival order.
  std::vector<std::string> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // A complete response with a truthful Content-Length.
  static std::string response(int status, std::string_view body, std::string_view extra_headers = {},
                              std::string_view content_type = "application/octet-stream") {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " Scripted\r\nContent-Type: " +
                       std::string(content_type) + "\r\nContent-Length: " + std::to_string(body.size()) +
                       "\r\nConnection: close\r\n" + std::string(extra_headers) + "\r\n";
    return head + std::string(body);
  }

  static Handler reply(std::string bytes) {
    return [bytes = std::move(bytes)](TestConnection& c) { c.send(bytes); };
  }

  static Handler redirect(int status, std::string location) {
    return reply(response(status, "", "Location: " + location + "\r\n"));
  }

 private:
  void accept_loop() {
    while (!stopping_.load()) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) {
        continue;
      }
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        continue;
      }
      accepted_.fetch_add(1);
      std::lock_guard lock(mutex_);
      open_fds_.insert(fd);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    std::string head = read_head(fd);
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(head);
      size_t start = head.find(' ');
      size_t end = start == std::string::npos ? start : head.find(' ', start + 1);
      std::string path = end == std::string::npos ? "" : head.substr(start + 1, end - start - 1);
      auto found = routes_.find(path);
      if (found != routes_.end()) {
        handler = found->second;
      }
    }
    TestConnection connection(fd, stopping_);
    if (handler) {
      handler(connection);
    } else {
      connection.send(response(404, "no route"));
    }
    {
      std::lock_guard lock(mutex_);
      open_fds_.erase(fd);
    }
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
  }

  std::string read_head(int fd) {
    std::string head;
    char buffer[4096];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (head.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline &&
           !stopping_.load()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        break;
      }
      head.append(buffer, static_cast<size_t>(n));
    }
    return head;
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::map<std::string, Handler> routes_;
  std::vector<std::string> requests_;
  std::set<int> open_fds_;
  std::vector<std::thread> workers_;
};

}  // namespace pixmill::fetch::testing
