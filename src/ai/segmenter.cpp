#include "ai/segmenter.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <string>

#include "ai/model_spec.h"

namespace pixmill::ai {

struct Segmenter::Job {
  RgbImage image;  // owned: the caller may give up and return before the job runs
  bool faces = false;  // a face search instead of a mask
  bool refine = false;  // an edge refinement of `alpha` instead of a mask
  std::vector<uint8_t> alpha;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  bool abandoned = false;
  std::optional<Result<Mask>> result;
  std::optional<Result<std::vector<FaceBox>>> faces_result;
  std::optional<Result<std::vector<uint8_t>>> refine_result;
};

struct Segmenter::Slot {
  std::mutex load_mutex;
  std::unique_ptr<SegmentationBackend> backend;
  std::unique_ptr<FaceDetectionBackend> face_backend;
};

Segmenter::Segmenter(SegmenterOptions options, BackendFactory factory, FaceBackendFactory face_factory)
    : options_(std::move(options)), factory_(std::move(factory)), face_factory_(std::move(face_factory)) {
  const int n = std::max(1, options_.workers);
  for (int i = 0; i < n; ++i) slots_.push_back(std::make_unique<Slot>());
  for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { run(*slots_[i]); });
}

Segmenter::~Segmenter() {
  std::deque<std::shared_ptr<Job>> orphans;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    orphans.swap(jobs_);
  }
  ready_.notify_all();
  for (auto& job : orphans) {
    std::lock_guard lock(job->mutex);
    job->result = Result<Mask>(make_error(ErrorCode::Overloaded, "the server is shutting down"));
    job->faces_result = Result<std::vector<FaceBox>>(make_error(ErrorCode::Overloaded, "the server is shutting down"));
    job->refine_result = Result<std::vector<uint8_t>>(make_error(ErrorCode::Overloaded, "the server is shutting down"));
    job->done = true;
    job->done_cv.notify_all();
  }
  for (auto& t : threads_) t.join();
}

Status Segmenter::ensure_loaded(Slot& slot) {
  std::lock_guard lock(slot.load_mutex);
  if (slot.backend) return ok_status();
  const auto start = Clock::now();
  auto loaded = factory_(options_.model);
  if (!loaded) return loaded.error();
  slot.backend = std::move(*loaded);
  std::lock_guard stats_lock(mutex_);
  stats_.load_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  ++stats_.loaded_workers;
  return ok_status();
}

Status Segmenter::ensure_faces_loaded(Slot& slot) {
  std::lock_guard lock(slot.load_mutex);
  if (slot.face_backend) return ok_status();
  if (!face_factory_) {
    return make_error(ErrorCode::ModelUnavailable, "face detection is not available in this build (it needs ONNX Runtime)");
  }
  auto loaded = face_factory_(options_.faces);
  if (!loaded) return loaded.error();
  slot.face_backend = std::move(*loaded);
  return ok_status();
}

Status Segmenter::preload() {
  for (auto& slot : slots_) {
    if (auto s = ensure_loaded(*slot); !s) return s;
  }
  return ok_status();
}

void Segmenter::run(Slot& slot) {
  for (;;) {
    std::shared_ptr<Job> job;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      ++stats_.busy;
    }
    bool abandoned = false;
    {
      std::lock_guard lock(job->mutex);
      abandoned = job->abandoned;
    }
    std::optional<Result<Mask>> result;
    std::optional<Result<std::vector<FaceBox>>> faces_result;
    std::optional<Result<std::vector<uint8_t>>> refine_result;
    double ms = 0.0;
    if (!abandoned && job->refine) {
      // Needs no model; not counted as a segmentation inference either.
      // An escaping exception would end the worker thread and the process with it.
      try {
        refine_result = options_.refine_edges(job->image, std::move(job->alpha));
      } catch (const std::exception& e) {
        refine_result = Result<std::vector<uint8_t>>(
            make_error(ErrorCode::ProcessingFailed, std::string("edge refinement failed: ") + e.what()));
      }
    } else if (!abandoned && job->faces) {
      // Face searches have their own models and are not counted as segmentation inferences.
      if (auto loaded = ensure_faces_loaded(slot); !loaded) {
        faces_result = Result<std::vector<FaceBox>>(loaded.error());
      } else {
        faces_result = slot.face_backend->find(job->image, options_.face_limits);
      }
    } else if (!abandoned) {
      if (auto loaded = ensure_loaded(slot); !loaded) {
        result = Result<Mask>(loaded.error());
      } else {
        const auto start = Clock::now();
        result = slot.backend->infer(job->image);
        ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
      }
    }
    {
      std::lock_guard lock(mutex_);
      --stats_.busy;
      if (ms > 0.0) {
        ++stats_.inferences;
        if (!*result) ++stats_.failures;
        stats_.inference_ms_total += ms;
        stats_.inference_ms_last = ms;
      }
    }
    if (ms > 0.0 && options_.on_inference) options_.on_inference(ms / 1000.0);
    std::lock_guard lock(job->mutex);
    if (!abandoned) {
      job->result = std::move(result);
      job->faces_result = std::move(faces_result);
      job->refine_result = std::move(refine_result);
    }
    job->done = true;
    job->done_cv.notify_all();
  }
}

Status Segmenter::submit(const std::shared_ptr<Job>& job, Clock::time_point deadline, const std::atomic<bool>* cancelled) {
  const char* what = job->faces ? "face detection" : job->refine ? "edge refinement" : "background removal";
  {
    std::lock_guard lock(mutex_);
    // In the system: running plus waiting (a job just queued counts until a worker takes it).
    const int in_system = stats_.busy + static_cast<int>(jobs_.size());
    if (stopping_ || in_system >= static_cast<int>(slots_.size()) + std::max(0, options_.queue_max)) {
      ++stats_.rejected;
      return make_error(ErrorCode::Overloaded, std::string(what) + " is busy, retry shortly");
    }
    jobs_.push_back(job);
  }
  ready_.notify_one();
  std::unique_lock lock(job->mutex);
  // Wake now and then to notice a cancelled request (the server's timeout sets the flag).
  while (!job->done) {
    const auto wake = std::min(deadline, Clock::now() + std::chrono::milliseconds(100));
    job->done_cv.wait_until(lock, wake, [&] { return job->done; });
    if (job->done) break;
    if (Clock::now() >= deadline || (cancelled && cancelled->load())) {
      job->abandoned = true;  // a queued job is skipped; a running one finishes unread
      std::lock_guard stats_lock(mutex_);
      ++stats_.timeouts;
      return make_error(ErrorCode::Timeout, std::string(what) + " exceeded the time limit");
    }
  }
  return ok_status();
}

Result<Mask> Segmenter::segment(RgbImage image, Clock::time_point deadline, const std::atomic<bool>* cancelled) {
  // A missing model answers at once, without taking a place in the queue.
  if (stats().loaded_workers == 0 && !model_file_present(options_.model)) return model_not_installed_error();
  auto job = std::make_shared<Job>();
  job->image = std::move(image);
  if (auto s = submit(job, deadline, cancelled); !s) return s.error();
  std::lock_guard lock(job->mutex);
  if (!job->result) return make_error(ErrorCode::Internal, "background removal gave no result");
  return std::move(*job->result);
}

Result<std::vector<FaceBox>> Segmenter::detect_faces(RgbImage image, Clock::time_point deadline, const std::atomic<bool>* cancelled) {
  auto job = std::make_shared<Job>();
  job->image = std::move(image);
  job->faces = true;
  if (auto s = submit(job, deadline, cancelled); !s) return s.error();
  std::lock_guard lock(job->mutex);
  if (!job->faces_result) return make_error(ErrorCode::Internal, "face detection gave no result");
  return std::move(*job->faces_result);
}

Result<std::vector<uint8_t>> Segmenter::refine_edges(RgbImage image, std::vector<uint8_t> alpha, Clock::time_point deadline,
                                                     const std::atomic<bool>* cancelled) {
  if (!options_.refine_edges) return make_error(ErrorCode::ModelUnavailable, "edge refinement is not available in this build");
  auto job = std::make_shared<Job>();
  job->image = std::move(image);
  job->alpha = std::move(alpha);
  job->refine = true;
  if (auto s = submit(job, deadline, cancelled); !s) return s.error();
  std::lock_guard lock(job->mutex);
  if (!job->refine_result) return make_error(ErrorCode::Internal, "edge refinement gave no result");
  return std::move(*job->refine_result);
}

SegmenterStats Segmenter::stats() const {
  std::lock_guard lock(mutex_);
  SegmenterStats s = stats_;
  s.queued = static_cast<int>(jobs_.size());
  return s;
}

int Segmenter::retry_after_s() const {
  const SegmenterStats s = stats();
  const double per_inference_s = s.inferences ? s.inference_ms_total / s.inferences / 1000.0 : 4.0;
  const double ahead = (s.queued + s.busy) / static_cast<double>(std::max<size_t>(1, slots_.size()));
  return std::clamp(static_cast<int>(std::ceil(per_inference_s * std::max(1.0, ahead))), 1, 600);
}

}  // namespace pixmill::ai
