#pragma once
// The stages after the effects, each a list of steps in their fixed order: colour tools,
// layers (watermarks, then text), shape and frame. process.cpp calls them per frame.

#include <map>
#include <utility>

#include <vips/vips8>

#include "core/result.h"
#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

// Watermarks decoded and text rendered once per request, then reused by every frame of
// an animation. Keyed by the layer's address in the recipe, which outlives the request.
class LayerCache {
 public:
  explicit LayerCache(const Limits& limits) : limits_(limits) {}
  Result<vips::VImage> overlay(const Overlay& overlay);
  Result<std::pair<vips::VImage, int>> text(const TextLayer& layer, int base_width);  // image, margin

 private:
  const Limits& limits_;
  std::map<const Overlay*, vips::VImage> overlays_;
  std::map<std::pair<const TextLayer*, int>, std::pair<vips::VImage, int>> texts_;
};

// Does the recipe use any compositing, frame or colour tool (including its operations)?
bool uses_compositing(const Recipe& recipe);

// Does it make transparency where there was none (masks, transparent border or padding)?
bool makes_alpha(const Recipe& recipe);

// Steps that read the whole image before their output is read (trim, normalize), or
// ordered passes that may read it out of order: the source needs random access.
bool compositing_needs_random_access(const Recipe& recipe);

// Modulate, gamma, normalize, tint, duotone, negate, unsharp, pixelate.
vips::VImage apply_colour_tools(vips::VImage image, const ColourTools& tools);

// Watermarks in order, then text layers in order.
Result<vips::VImage> apply_layers(vips::VImage image, const Recipe& recipe, LayerCache& cache);

// Mask (radius or shape), border, extend.
vips::VImage apply_frame(vips::VImage image, const Recipe& recipe);

}  // namespace pixmill::pipeline
