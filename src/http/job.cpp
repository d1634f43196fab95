#include "http/job.h"

#include <chrono>
#include <optional>

#include "log/log.h"

namespace pixmill::http {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// One request's race between its worker and its timeout: whoever answers first wins.
struct JobState {
  enum Phase : int { Queued, Running, Done, AbandonedRunning, AbandonedQueued };
  explicit JobState(asio::any_io_executor executor) : timer(std::move(executor)) {}
  std::atomic<bool> answered{false};
  std::atomic<bool> cancelled{false};
  std::atomic<int> phase{Queued};
  // Admission headers (X-RateLimit-*) decided on the fetch pool; written before the work
  // is submitted, read when its answer is published.
  Fields admission_headers;
  // What the route's stages hand each other (http/stages.h); each pool hands the job to
  // the next only after its stage returned, so one thread at a time touches it.
  StageValue value;
  asio::steady_timer timer;  // the timeout, on the connection's strand
};

struct Job {
  Server::Impl& server;
  std::shared_ptr<Answerer> connection;
  std::shared_ptr<JobState> state;
  std::shared_ptr<Request> request;
  const RouteSpec& route;
  core::Deadline deadline;
};

// Publishing a worker's response back on the connection's strand.
WorkerPool::Publish publisher(const Job& job, Response response) {
  return [connection = job.connection, state = job.state, response = std::move(response)]() mutable {
    asio::post(connection->executor(), [connection, state, response = std::move(response)]() mutable {
      if (state->answered.exchange(true)) return;
      for (auto& [name, value] : state->admission_headers) response.set(name, value);
      state->timer.cancel();
      connection->answer(std::move(response));
    });
  };
}

Response busy_response(Server::Impl& server, const RouteSpec& route) {
  ++server.rejected_busy;
  Response busy = server.render(&route.render_error, make_error(ErrorCode::Overloaded, "server is busy, retry shortly"), 503);
  busy.set("Retry-After", "1");
  return busy;
}

// Stage two: the image work, on the image worker pool.
bool submit_work(const Job& job) {
  return job.server.pool->try_submit([job]() -> WorkerPool::Publish {
    int expected = JobState::Queued;
    if (!job.state->phase.compare_exchange_strong(expected, JobState::Running)) return {};  // timed out while queued
    Response response;
    try {
      Result<Response> worked = job.route.stages.work(*job.request, job.state->value, job.deadline);
      job.state->value.reset();  // the parse and the image go as soon as the answer is made
      response = worked ? std::move(*worked) : job.server.render(&job.route.render_error, worked.error(), 400);
    } catch (const std::exception& e) {
      log::write(log::Level::Error, "handler.exception", {{"route", job.route.name}, {"requestId", job.request->request_id}, {"what", e.what()}});
      response = job.server.render(&job.route.render_error, make_error(ErrorCode::Internal, "unexpected server error"), 500);
    }
    expected = JobState::Running;
    if (!job.state->phase.compare_exchange_strong(expected, JobState::Done)) {
      WorkerPool::mark_current_abandoned();  // the timeout lent the pool a thread for us
      return {};
    }
    return publisher(job, std::move(response));
  });
}

// The fetch stage, on the fetch pool: the route's fetch (an image URL, the model), then
// hand over to the image workers. A slow upstream holds a fetch thread, never an image worker.
bool submit_fetch(const Job& job) {
  return job.server.fetch_pool->try_submit([job]() -> WorkerPool::Publish {
    if (job.state->answered.load()) return {};
    const auto started = Clock::now();
    const std::optional<Error> failed = job.route.stages.fetch(*job.request, job.state->value, job.deadline);
    job.server.options.policies.fetched(job.route, failed, std::chrono::duration<double>(Clock::now() - started).count());
    if (job.state->answered.load()) return {};
    if (failed) return publisher(job, job.server.render(&job.route.render_error, *failed, 502));
    if (!submit_work(job)) return publisher(job, busy_response(job.server, job.route));
    return {};
  });
}

// The admission stage, on its own small pool: the chain's before() when it may block
// (Redis) or must classify the request by parsing it. Its own pool, so admission never
// queues behind slow URL fetches.
bool submit_admission(const Job& job, bool wants_fetch) {
  return job.server.admission_pool->try_submit([job, wants_fetch]() -> WorkerPool::Publish {
    if (job.state->answered.load()) return {};
    Exchange exchange(*job.request, job.route, job.state->admission_headers, classifies(job.server, job.route) ? &job.state->value : nullptr);
    if (auto refusal = job.server.options.policies.before(exchange)) {
      return publisher(job, job.server.render(&job.route.render_error, refusal->error, refusal->status));
    }
    if (job.state->answered.load()) return {};
    if (!(wants_fetch ? submit_fetch(job) : submit_work(job))) return publisher(job, busy_response(job.server, job.route));
    return {};
  });
}

// The timeout: answers 504 unless the work answered first; work still running keeps its
// thread, and the pool is lent another so capacity stays.
void arm_timeout(const Job& job, std::string request_id) {
  job.state->timer.expires_after(job.server.options.request_timeout);
  job.state->timer.async_wait([connection = job.connection, state = job.state, &server = job.server, &route = job.route,
                               request_id = std::move(request_id)](boost::system::error_code ec) {
    if (ec || state->answered.exchange(true)) return;
    state->cancelled = true;  // libvips stops at its next tile; an encoder may not
    ++server.timed_out;
    log::write(log::Level::Warn, "request.timeout", {{"route", route.name}, {"requestId", request_id}});
    int expected = JobState::Running;
    if (state->phase.compare_exchange_strong(expected, JobState::AbandonedRunning)) {
      server.pool->compensate();  // keep capacity while the stuck work finishes
    } else {
      expected = JobState::Queued;
      state->phase.compare_exchange_strong(expected, JobState::AbandonedQueued);
    }
    connection->answer(server.render(&route.render_error, make_error(ErrorCode::Timeout, "processing exceeded REQUEST_TIMEOUT_MS"), 504));
  });
}

}  // namespace

void start_job(Server::Impl& server, std::shared_ptr<Answerer> connection, const RouteSpec& route, std::shared_ptr<Request> request) {
  auto state = std::make_shared<JobState>(connection->executor());
  const core::Deadline deadline(Clock::now() + server.options.request_timeout, &state->cancelled);
  Job job{server, connection, state, request, route, deadline};
  // Read before the job is handed over: from then on a pool thread owns the request.
  std::string request_id = request->request_id;
  const bool wants_fetch = route.stages.fetch && (!route.stages.wants_fetch || route.stages.wants_fetch(*request));
  // The chain's before() ran on the I/O thread (in the connection) unless it may block or
  // must classify the request first.
  const bool queued = admits_off_io_thread(server, route) ? submit_admission(job, wants_fetch)
                      : wants_fetch                          ? submit_fetch(job)
                                                             : submit_work(job);
  if (!queued) {
    state->answered = true;
    connection->answer(busy_response(server, route));
    return;
  }
  arm_timeout(job, std::move(request_id));
}

}  // namespace pixmill::http
