#pragma once
// What every ONNX Runtime backend here shares: the process's environment and the
// session settings. Only onnxruntime_*.cpp include this (it includes ONNX Runtime).

#include <onnxruntime_cxx_api.h>

namespace pixmill::ai {

Ort::Env& ort_environment();
// `threads` inference threads (0: all cores), one inter-op thread, full graph
// optimisation, and threads that sleep when idle instead of spinning.
Ort::SessionOptions ort_session_options(int threads);

}  // namespace pixmill::ai
