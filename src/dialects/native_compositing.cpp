#include "dialects/native_compositing.h"

#include "dialects/native_params.h"
#include "dialects/overlay_sources.h"

namespace pixmill::dialects {

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
