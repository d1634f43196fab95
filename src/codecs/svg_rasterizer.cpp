#include "codecs/svg_rasterizer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <vector>

extern char** environ;

namespace pixmill::codecs {
namespace {

std::mutex g_helper_mutex;
std::string g_helper_path;

std::string helper_path() {
  std::lock_guard lock(g_helper_mutex);
  if (!g_helper_path.empty()) return g_helper_path;
  if (const char* env = std::getenv("PIXMILL_EXE"); env && *env) return env;
  return "/proc/self/exe";
}

struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

// Reaps the child on every path, killing it first if it is still running.
struct Child {
  pid_t pid = -1;
  int status = 0;
  bool reaped = false;
  ~Child() {
    if (pid > 0 && !reaped) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
  }
};

}  // namespace

void set_svg_helper_executable(std::string path) {
  std::lock_guard lock(g_helper_mutex);
  g_helper_path = std::move(path);
}

Result<std::string> rasterize_svg(std::span<const uint8_t> svg, const SvgRenderRequest& req) {
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::Internal, "pipe failed");
  Fd in_read(in_pipe[0]), in_write(in_pipe[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::Internal, "pipe failed");
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.fd, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);

  const std::string exe = helper_path();
  std::vector<std::string> args = {"pixmill", "svg-render",
                                   "--max-side", std::to_string(req.max_side),
                                   "--max-pixels", std::to_string(req.max_pixels),
                                   "--max-memory-mb", std::to_string(req.max_memory_mb),
                                   "--cpu-seconds", std::to_string(req.timeout_ms / 1000 + 1)};
  if (req.hint_width) args.insert(args.end(), {"--hint-width", std::to_string(*req.hint_width)});
  if (req.hint_height) args.insert(args.end(), {"--hint-height", std::to_string(*req.hint_height)});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  Child child;
  int rc = ::posix_spawn(&child.pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    child.pid = -1;
    return make_error(ErrorCode::Internal, "could not start the SVG rasteriser");
  }
  in_read.reset();
  out_write.reset();
  ::fcntl(in_write.fd, F_SETFL, O_NONBLOCK);
  ::fcntl(out_read.fd, F_SETFL, O_NONBLOCK);

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(req.timeout_ms);
  const uint64_t max_output = req.max_pixels * 4 + (1u << 20);
  std::string output;
  size_t written = 0;
  char chunk[65536];
  while (out_read.fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return make_error(ErrorCode::Timeout, "rendering the SVG took too long");
    pollfd fds[2];
    int n = 0;
    fds[n++] = {out_read.fd, POLLIN, 0};
    if (in_write.fd >= 0) fds[n++] = {in_write.fd, POLLOUT, 0};
    int ready = ::poll(fds, n, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) return make_error(ErrorCode::Internal, "poll failed");
    if (ready <= 0) continue;
    if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = ::write(in_write.fd, svg.data() + written, svg.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if (w < 0 && errno != EAGAIN && errno != EINTR) in_write.reset();
      if (written == svg.size()) in_write.reset();
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = ::read(out_read.fd, chunk, sizeof chunk);
      if (r > 0) {
        output.append(chunk, static_cast<size_t>(r));
        if (output.size() > max_output) return make_error(ErrorCode::TooManyPixels, "rendered SVG is too large");
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        out_read.reset();
      }
    }
  }
  in_write.reset();
  // The child closed its output: wait for its exit, still bounded by the deadline.
  while (true) {
    pid_t done = ::waitpid(child.pid, &child.status, WNOHANG);
    if (done == child.pid) {
      child.reaped = true;
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return make_error(ErrorCode::Timeout, "rendering the SVG took too long");
    }
    ::usleep(1000);
  }
  if (WIFEXITED(child.status) && WEXITSTATUS(child.status) == 0 && !output.empty()) return output;
  if (WIFEXITED(child.status) && WEXITSTATUS(child.status) == kSvgExitTooManyPixels) {
    return make_error(ErrorCode::TooManyPixels, "SVG dimensions exceed the pixel limit");
  }
  if (WIFSIGNALED(child.status) && (WTERMSIG(child.status) == SIGXCPU || WTERMSIG(child.status) == SIGKILL)) {
    return make_error(ErrorCode::Timeout, "rendering the SVG took too long");
  }
  return make_error(ErrorCode::InvalidImage, "the SVG could not be rendered");
}

}  // namespace pixmill::codecs
