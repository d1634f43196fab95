// The native `operations` list: a JSON array of parameter objects, each parsed with the
// native table into a recipe of its own and run as a pass after the fixed order.
//   [{"blur": 4}, {"text": "SOLD", "textSize": 64}, {"crop": "0,0,400,300"}]

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

#include "dialects/native_params.h"

namespace pixmill::dialects {
namespace {

// Output settings belong to the request, not to a pass; nesting would make the order
// of passes ambiguous.
constexpr std::array<std::string_view, 10> kRequestOnly = {"format", "quality", "progressive", "effort", "lossless",
                                                           "stripMetadata", "targetKb", "targetBytes", "preview", "operations"};

Error entry_error(size_t index, const std::string& message) {
  return make_error(ErrorCode::InvalidInput, "operations[" + std::to_string(index) + "]: " + message, "operations");
}

Result<Params> entry_params(const nlohmann::json& entry, size_t index) {
  if (!entry.is_object() || entry.empty()) return entry_error(index, "each operation is a non-empty object of parameters");
  Params params;
  for (const auto& [key, value] : entry.items()) {
    const ParamSpec* spec = find_param(native_params(), key);
    if (spec && std::find(kRequestOnly.begin(), kRequestOnly.end(), spec->name) != kRequestOnly.end()) {
      return entry_error(index, key + " applies to the whole request, not to one operation");
    }
    if (value.is_string()) {
      params.emplace_back(key, value.get<std::string>());
    } else if (value.is_number() || value.is_boolean()) {
      params.emplace_back(key, value.dump());
    } else {
      return entry_error(index, key + " must be a string, number or boolean");
    }
  }
  return params;
}

}  // namespace

Status parse_operations(const std::string& json_text, recipe::Recipe& recipe) {
  const nlohmann::json list = nlohmann::json::parse(json_text, nullptr, false);
  if (list.is_discarded() || !list.is_array()) {
    return make_error(ErrorCode::InvalidInput, "operations must be a JSON array of parameter objects", "operations");
  }
  if (list.size() + recipe.operations.size() > static_cast<size_t>(recipe::kMaxOperations)) {
    return make_error(ErrorCode::InvalidInput, "at most " + std::to_string(recipe::kMaxOperations) + " operations", "operations");
  }
  for (size_t i = 0; i < list.size(); ++i) {
    auto params = entry_params(list[i], i);
    if (!params) return params.error();
    recipe::Recipe step;
    if (auto s = apply_params(native_params(), *params, step, true); !s) return entry_error(i, s.error().message);
    recipe.operations.push_back(std::move(step));
  }
  return ok_status();
}

}  // namespace pixmill::dialects
