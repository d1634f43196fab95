#pragma once
// The pipeline's steps, one file each. Every step takes an image and returns it
// unchanged when the recipe does not ask for it.

#include <utility>

#include <vips/vips8>

#include "pipeline/geometry_plan.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline::steps {

using vips::VImage;

VImage auto_orient(VImage image);                                   // orient.cpp
VImage crop(VImage image, const GeometryPlan& plan);                // crop.cpp
VImage resize(VImage image, const GeometryPlan& plan);              // resize.cpp
VImage scale(VImage image, double factor);                          // resize.cpp: animation strips too
VImage cover_crop(VImage image, const GeometryPlan& plan, Gravity gravity);  // crop.cpp
VImage centre_crop(VImage image, const GeometryPlan& plan);         // crop.cpp
VImage pad(VImage image, const GeometryPlan& plan, Colour background);       // pad.cpp
VImage to_srgb(VImage image);                                       // colour.cpp
VImage rotate(VImage image, const GeometryPlan& plan, Colour background);    // rotate.cpp
VImage flip(VImage image, bool flip, bool flop);                    // flip.cpp
VImage tone(VImage image, const Effects& effects);                  // tone.cpp: brightness, saturation, contrast
VImage monochrome(VImage image, const Effects& effects);            // monochrome.cpp: grayscale, sepia
VImage blur(VImage image, const Effects& effects);                  // blur.cpp
VImage sharpen(VImage image, const Effects& effects);               // sharpen.cpp
VImage flatten(VImage image, Colour background);                    // colour.cpp

// Compositing, shape and frame, colour tools (issue 17; docs/compositing.md).
VImage trim(VImage image, const Trim& trim);                        // trim.cpp: needs random access
VImage modulate(VImage image, const ColourTools& tools);            // modulate.cpp: hue, lightness, chroma
VImage gamma(VImage image, const ColourTools& tools);               // gamma.cpp
VImage normalize(VImage image, const ColourTools& tools);           // normalize.cpp: needs random access
VImage tint(VImage image, const ColourTools& tools);                // tint.cpp
VImage duotone(VImage image, const ColourTools& tools);             // duotone.cpp
VImage negate(VImage image, const ColourTools& tools);              // negate.cpp
VImage unsharp(VImage image, const ColourTools& tools);             // unsharp.cpp
VImage pixelate(VImage image, const ColourTools& tools);            // pixelate.cpp
// Composites already-decoded overlay images (pipeline/overlay_image.h), one per overlay.
VImage watermark(VImage image, const Overlay& overlay, VImage decoded);      // watermark.cpp
// Places a rendered layer (text, pipeline/text_render.h) on the image; `margin` is the
// transparent border around the layer's content, left out of the placement.
VImage place_layer(VImage image, VImage layer, const Placement& placement, int margin = 0);  // watermark.cpp
VImage mask(VImage image, const Frame& frame);                      // mask.cpp: radius, circle, ellipse
VImage border(VImage image, const Frame& frame);                    // border.cpp: follows the mask
VImage extend(VImage image, const Frame& frame, Colour background); // extend.cpp

// The coverage (0..255, antialiased) of the frame's shape on a width x height canvas,
// with the corner radius grown by `grow` pixels (mask.cpp).
VImage shape_coverage(int width, int height, const Frame& frame, int grow = 0);
// Top-left offset of a w x h layer on a base for a placement (watermark.cpp).
std::pair<int, int> layer_position(int base_w, int base_h, int w, int h, const Placement& placement);

// Helpers shared by the steps (colour.cpp).
std::vector<double> background_for(const VImage& image, Colour colour);
// CIE L*, a*, b* of an sRGB colour (alpha ignored).
std::vector<double> lab_of(Colour colour);
VImage with_alpha_split(VImage image, VImage (*fn)(VImage, const Effects&), const Effects& effects);

}  // namespace pixmill::pipeline::steps
