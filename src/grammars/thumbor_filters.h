#pragma once
// thumbor's and imagor's filters (filters:name(args):…), one table row each (name ->
// what it does), so that a filter the pipeline learns later is a one-row change.
// Internal to src/grammars/thumbor_url.cpp.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "grammars/grammar_request.h"
#include "grammars/thumbor_url.h"

namespace pixmill::grammars {

// What the segments before the image and the filters say, before it becomes a Recipe.
struct ThumborPlan {
  bool meta = false;
  std::optional<EdgeCrop> crop;
  bool fit_in = false;
  bool stretch = false;
  int width = 0;
  int height = 0;
  bool flop = false;  // negative width: mirror left-right
  bool flip = false;  // negative height: mirror top-bottom
  std::string halign = "center";
  std::string valign = "middle";
  bool smart = false;
  std::optional<bool> upscale;  // upscale() / no_upscale()
  std::optional<Colour> fill;
  double proportion = 1.0;
  std::optional<FocusPoint> focal;
  std::optional<double> trim_tolerance;  // the trim segment (thumbor's default tolerance 0)
  std::optional<recipe::Sides> padding;  // imagor's GxH:IxJ after the size
};

struct ThumborFilter {
  std::string name;
  std::string args;
};

// "filters:a(x):b(y)/rest" after "filters:": the filters, and `rest` set to the image.
std::vector<ThumborFilter> split_thumbor_filters(std::string_view text, std::string_view& rest);

// Applies the filters in order; unknown names are skipped, as thumbor and imagor do.
Status apply_thumbor_filters(const std::vector<ThumborFilter>& filters, GrammarRequest& request, ThumborPlan& plan,
                             const ThumborSettings& settings, int64_t now_ms);

// "10x20:300x400" (pixels) or "0.1x0.1:0.9x0.9" (imagor's fractions) into plan.crop.
bool parse_thumbor_crop(std::string_view segment, ThumborPlan& plan);

}  // namespace pixmill::grammars
