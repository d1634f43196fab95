#include "ai/onnxruntime_env.h"

#include <algorithm>
#include <thread>

namespace pixmill::ai {

Ort::Env& ort_environment() {
  static Ort::Env env(ORT_LOGGING_LEVEL_ERROR, "pixmill");
  return env;
}

Ort::SessionOptions ort_session_options(int threads) {
  Ort::SessionOptions options;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.SetIntraOpNumThreads(threads > 0 ? threads : cores);
  options.SetInterOpNumThreads(1);
  options.SetExecutionMode(ORT_SEQUENTIAL);
  options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
  // Idle inference threads sleep instead of spinning: the image workers share the cores.
  options.AddConfigEntry("session.intra_op.allow_spinning", "0");
  return options;
}

}  // namespace pixmill::ai
