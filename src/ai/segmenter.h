#pragma once
// The Segmenter: background-removal inference on its own bounded pool of AI workers,
// separate from the image workers, so a few seconds of inference never starve the
// ordinary image routes. The model loads once per AI worker, at the first request or
// at start-up (MODEL_PRELOAD). A full queue fails fast (OVERLOADED: 503 + Retry-After);
// a missing or broken model is MODEL_UNAVAILABLE and is retried on the next request,
// so installing the model needs no restart.

#include <atomic>
#include <chrono>
#include <functional>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "ai/backend.h"
#include "ai/face_detector.h"

namespace pixmill::ai {

struct SegmenterOptions {
  ModelSpec model;
  int workers = 1;    // AI_WORKERS: inferences at once (each holds its own copy of the model)
  int queue_max = 2;  // AI_QUEUE_MAX: requests waiting for an AI worker before 503
  // Called after each inference with its duration (the metrics histogram); may be empty.
  std::function<void(double seconds)> on_inference;
  // The face detector, run on the same AI workers (each loads its own copy at first use).
  FaceModelSpec faces;
  FaceSearchLimits face_limits;
  // Edge refinement of a cut-out's alpha (ai/alpha_matting.h), on the same AI workers: it
  // takes seconds of CPU like an inference. Empty: refine_edges answers MODEL_UNAVAILABLE.
  std::function<Result<std::vector<uint8_t>>(const RgbImage&, std::vector<uint8_t> alpha)> refine_edges;
};

// Counters for metrics (a consistent snapshot under one lock).
struct SegmenterStats {
  uint64_t inferences = 0;      // finished, successful or not
  uint64_t failures = 0;        // inferences that returned an error
  uint64_t rejected = 0;        // refused because the queue was full
  uint64_t timeouts = 0;        // given up by the caller before a result came
  double inference_ms_total = 0.0;
  double inference_ms_last = 0.0;
  double load_ms = 0.0;         // the last successful model load
  int loaded_workers = 0;       // AI workers with the model in memory
  int queued = 0;
  int busy = 0;
};

class Segmenter {
 public:
  using Clock = std::chrono::steady_clock;

  Segmenter(SegmenterOptions options, BackendFactory factory, FaceBackendFactory face_factory = nullptr);
  ~Segmenter();  // stops the workers; waiting callers get an error
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // Loads the model on every AI worker now (MODEL_PRELOAD); returns the first failure.
  Status preload();

  // The mask of `image`, or: OVERLOADED when the queue is full, MODEL_UNAVAILABLE,
  // TIMEOUT when `deadline` passes (or `cancelled` is set) first. Blocks the caller.
  Result<Mask> segment(RgbImage image, Clock::time_point deadline, const std::atomic<bool>* cancelled = nullptr);

  // Every face in `image`, in its pixels, on the same pool, queue and limits as segment().
  // MODEL_UNAVAILABLE when the face model is missing; never an empty list in place of an error.
  Result<std::vector<FaceBox>> detect_faces(RgbImage image, Clock::time_point deadline,
                                            const std::atomic<bool>* cancelled = nullptr);

  // The cut-out's `alpha` (image-sized) with its uncertain edge band refined by
  // options().refine_edges, on the same pool, queue and limits as segment().
  Result<std::vector<uint8_t>> refine_edges(RgbImage image, std::vector<uint8_t> alpha, Clock::time_point deadline,
                                            const std::atomic<bool>* cancelled = nullptr);

  SegmenterStats stats() const;
  // Seconds a refused client should wait: the queue ahead at the recent inference speed.
  int retry_after_s() const;
  const SegmenterOptions& options() const { return options_; }

 private:
  struct Job;
  struct Slot;
  void run(Slot& slot);
  Status ensure_loaded(Slot& slot);
  Status ensure_faces_loaded(Slot& slot);
  // Queues `job` and waits for it (or for the deadline / cancellation).
  Status submit(const std::shared_ptr<Job>& job, Clock::time_point deadline, const std::atomic<bool>* cancelled);

  const SegmenterOptions options_;
  const BackendFactory factory_;
  const FaceBackendFactory face_factory_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<std::thread> threads_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<Job>> jobs_;
  bool stopping_ = false;
  SegmenterStats stats_;
};

}  // namespace pixmill::ai
