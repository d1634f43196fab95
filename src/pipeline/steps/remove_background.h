#pragma once
// The AI cut-out step: a mask from the segmenter, resampled to the frame, as alpha.

#include <vips/vips8>

#include "ai/segmenter.h"
#include "core/result.h"
#include "pipeline/deadline.h"

namespace pixmill::pipeline::steps {

// `frame` is 8-bit sRGB or grey, with or without alpha. The result has an alpha band:
// the mask times any alpha the frame already had. libvips watches `deadline` while the
// frame is computed (watch_deadline keeps a copy; its cancel flag must outlive the result).
// `refine_edges`: the mask's uncertain band is then solved by alpha matting against the
// frame's colours (ai/alpha_matting.h), on the segmenter's workers.
Result<vips::VImage> remove_background(vips::VImage frame, ai::Segmenter& segmenter, const Deadline& deadline,
                                       bool refine_edges = false);

// The mask at the model's resolution as alpha for a `width` x `height` frame: a smooth
// (bicubic) resample, so edges stay soft instead of stair-stepped.
vips::VImage mask_to_alpha(const ai::Mask& mask, int width, int height);

}  // namespace pixmill::pipeline::steps
