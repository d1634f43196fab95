#pragma once
// The segmentation models pixmill knows by name (MODEL=...): which installed file, which
// runtime, which input size and pre-processing, and under which licence the weights
// come. scripts/install-model.sh installs the files; docs/ai.md compares the models.

#include <string>
#include <string_view>
#include <vector>

namespace pixmill::ai {

enum class Runtime { OnnxRuntime, OpenCv };

struct CatalogModel {
  std::string name;           // MODEL=name
  std::string file;           // in the models folder
  Runtime runtime = Runtime::OnnxRuntime;
  int input_size = 1024;      // the default internal resolution (MODEL_INPUT_SIZE overrides)
  std::string normalization;  // a normalization_named() preset
  std::string licence;        // of the weights (SPDX)
};

const std::vector<CatalogModel>& model_catalog();
const CatalogModel* find_model(std::string_view name);
// "isnet": the default.
const CatalogModel& default_model();

std::string_view runtime_name(Runtime runtime);

}  // namespace pixmill::ai
