#pragma once
// Turning the recipe's watermark references into bytes before the pipeline runs: an
// uploaded part, an http(s) URL (through the SSRF-safe fetcher), a named file from
// WATERMARKS_DIR, or (for the CLI only) a local path. Every source has a byte limit.

#include <vector>

#include "dialects/upload.h"
#include "dialects/url_input.h"
#include "pipeline/deadline.h"
#include "recipe/recipe.h"

namespace pixmill::dialects {

struct OverlaySourceOptions {
  std::string watermarks_dir;  // empty: named watermarks are refused
  UrlInput url_input;          // fetch policy and limits; !enabled refuses URLs
  uint64_t max_bytes = 25u << 20;
  bool allow_local_files = false;  // `pixmill process --watermark ./logo.png`
};

// Fills overlay.source.bytes for every overlay of the recipe and of its operations, and a
// cut-out's background image from its URL (cutout.background_url). Errors name the field
// "watermark" (or "bgImage"): InvalidInput (unknown part, name or path), UrlNotAllowed /
// FetchFailed / Timeout (URL), FileTooLarge.
Status resolve_overlay_sources(recipe::Recipe& recipe, const std::vector<Attachment>& attachments,
                               const OverlaySourceOptions& options, const core::Deadline& deadline);

}  // namespace pixmill::dialects
