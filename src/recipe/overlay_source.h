#pragma once
// How a watermark reference is read, the same in every dialect and URL grammar: an
// uploaded part ("part:…"), an http(s) URL, a WATERMARKS_DIR name, or else a local path
// (which only the CLI accepts). One rule, so `watermark=logo` (native), `wm` (imgproxy),
// watermark(logo,…) (thumbor) all name the same file.

#include <string>
#include <string_view>

#include "recipe/recipe.h"

namespace pixmill::recipe {

// A WATERMARKS_DIR name: 1..64 of [A-Za-z0-9_-]. It becomes part of a path, so nothing
// else (no dot, no slash) is a name.
bool is_watermark_name(std::string_view text);

// An http:// or https:// reference: fetched, never read as a name, path or base64.
bool is_http_url(std::string_view reference);

// Classifies `reference` (bytes unset; dialects/overlay_sources.cpp reads them).
OverlaySource overlay_source_from(const std::string& reference);

}  // namespace pixmill::recipe
