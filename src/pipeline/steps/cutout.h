#pragma once
// What a cut-out becomes (recipe.cutout), after remove_background() has given the frame
// its alpha: the subject's box, the alpha alone, a soft drop shadow, a replacement
// background image. Each takes and returns an image with alpha (mask_only: without).

#include <string>

#include <vips/vips8>

#include "core/result.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline::steps {

// The tight box around alpha > 50% grown by `margin` x its larger side, clipped to the
// frame. A frame with no subject is returned whole.
vips::VImage crop_to_subject(vips::VImage cut, double margin);

// The alpha band as an 8-bit grey image: white subject on black.
vips::VImage alpha_as_grey(vips::VImage cut);

// A black copy of the alpha, scaled by the opacity, blurred and offset, under the
// subject; the canvas keeps its size.
vips::VImage drop_shadow(vips::VImage cut, const Cutout& options);

// The cut-out over `encoded` (any format pixmill reads), cover-resized to the frame and
// centred. The background's header is checked against `limits` before it is decoded.
Result<vips::VImage> over_background_image(vips::VImage cut, const std::string& encoded, const Limits& limits);

}  // namespace pixmill::pipeline::steps
