#pragma once
// SVG is untrusted input that can cost seconds of CPU and gigabytes of memory inside
// librsvg. It is rasterised in a child process (`pixmill svg-render`) under
// RLIMIT_AS/RLIMIT_CPU and a wall-clock deadline, so a hostile file costs one
// request, never the server.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/result.h"

namespace pixmill::codecs {

struct SvgRenderRequest {
  std::optional<int> hint_width;   // the size the caller will resize to, so a small
  std::optional<int> hint_height;  // icon asked for at 2000 px is rendered crisp
  int max_side = 8000;
  uint64_t max_pixels = 100'000'000;
  int timeout_ms = 5000;
  uint64_t max_memory_mb = 1024;
};

// The pixmill executable that serves `svg-render`. Defaults to /proc/self/exe;
// PIXMILL_EXE overrides it (tests run from another binary).
void set_svg_helper_executable(std::string path);

// Returns a PNG of the rendered SVG, or INVALID_IMAGE / TOO_MANY_PIXELS / TIMEOUT.
Result<std::string> rasterize_svg(std::span<const uint8_t> svg, const SvgRenderRequest& request);

// Exit codes of `pixmill svg-render`, shared by both sides.
inline constexpr int kSvgExitInvalid = 2;
inline constexpr int kSvgExitTooManyPixels = 3;

}  // namespace pixmill::codecs
