#pragma once
// The pipeline's steps, one file each. Every step takes an image and returns it
// unchanged when the recipe does not ask for it.

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

// Helpers shared by the steps (colour.cpp).
std::vector<double> background_for(const VImage& image, Colour colour);
VImage with_alpha_split(VImage image, VImage (*fn)(VImage, const Effects&), const Effects& effects);

}  // namespace pixmill::pipeline::steps
