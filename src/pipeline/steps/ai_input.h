#pragma once
// A frame as the AI models take it: 8-bit sRGB without alpha, in memory, shrunk so
// that its longest side is at most `max_side` (libvips resizes with antialiasing).

#include <vips/vips8>

#include "ai/mask.h"
#include "pipeline/deadline.h"

namespace pixmill::pipeline::steps {

ai::RgbImage to_rgb(vips::VImage frame, int max_side);

// The deadline as the AI pool's time point (far future for an unbounded deadline).
std::chrono::steady_clock::time_point ai_deadline(const Deadline& deadline);

}  // namespace pixmill::pipeline::steps
