#include "ai/model_catalog.h"

namespace pixmill::ai {

const std::vector<CatalogModel>& model_catalog() {
  // ISNet at 768x768 gives the same cut-outs as at 1024x1024 on the quality test
  // (bench/RESULTS.md) in about half the time; isnet-1024 is the full resolution,
  // isnet-opencv the former OpenCV DNN path at 1024 (no ONNX Runtime needed).
  static const std::vector<CatalogModel> catalog = {
      {"isnet", "isnet-medium-dynamic.onnx", Runtime::OnnxRuntime, 768, "isnet", "AGPL-3.0-only"},
      {"isnet-1024", "isnet-medium-dynamic.onnx", Runtime::OnnxRuntime, 1024, "isnet", "AGPL-3.0-only"},
      {"isnet-opencv", "isnet-medium-fp32.onnx", Runtime::OpenCv, 1024, "isnet", "AGPL-3.0-only"},
      // U2-Netp: the permissively licensed choice, 4.5 MB with a fixed 320x320 input;
      // coarser edges than ISNet (docs/ai.md compares them).
      {"u2netp", "u2netp.onnx", Runtime::OnnxRuntime, 320, "imagenet", "Apache-2.0"},
  };
  return catalog;
}

const CatalogModel* find_model(std::string_view name) {
  for (const auto& model : model_catalog()) {
    if (model.name == name) return &model;
  }
  return nullptr;
}

const CatalogModel& default_model() { return model_catalog().front(); }

std::string_view runtime_name(Runtime runtime) { return runtime == Runtime::OpenCv ? "opencv" : "onnxruntime"; }

}  // namespace pixmill::ai
