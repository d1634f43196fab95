#include "dialects/native_compositing.h"

#include <algorithm>

#include "dialects/native_params.h"
#include "dialects/overlay_sources.h"

namespace pixmill::dialects {

std::vector<std::string> take_operations(Params& params) {
  std::vector<std::string> operations;
  for (const auto& [name, value] : params) {
    if (name == "operations") operations.push_back(value);
  }
  params.erase(std::remove_if(params.begin(), params.end(), [](const auto& p) { return p.first == "operations"; }), params.end());
  return operations;
}

Status complete_compositing(recipe::Recipe& recipe, const std::vector<std::string>& operations, const Upload& upload,
                            const DialectContext& context, const core::Deadline& deadline) {
  for (const std::string& list : operations) {
    if (auto s = parse_operations(list, recipe); !s) return s;
  }
  if (auto s = check_layers_complete(recipe); !s) return s;
  // Bounds first: a thousand overlays are refused before a single one is fetched.
  if (auto s = validate(recipe); !s) return s;
  OverlaySourceOptions options;
  options.watermarks_dir = context.watermarks_dir;
  options.url_input = context.url_input;
  options.max_bytes = context.max_upload_bytes;
  return resolve_overlay_sources(recipe, upload.attachments, options, deadline);
}

}  // namespace pixmill::dialects
