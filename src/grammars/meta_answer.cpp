#include "grammars/meta_answer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace pixmill::grammars {
namespace {

using nlohmann::ordered_json;

std::string mime_of(InputFormat format) {
  const std::string name(recipe::input_format_name(format));
  return name == "svg" ? "image/svg+xml" : "image/" + name;
}

// Where a box of `inner` sits in `outer` for a compass gravity (the smart ones: centred).
int start_for(Gravity g, int outer, int inner, bool horizontal) {
  const bool at_start = horizontal ? (g == Gravity::West || g == Gravity::NorthWest || g == Gravity::SouthWest)
                                   : (g == Gravity::North || g == Gravity::NorthWest || g == Gravity::NorthEast);
  const bool at_end = horizontal ? (g == Gravity::East || g == Gravity::NorthEast || g == Gravity::SouthEast)
                                 : (g == Gravity::South || g == Gravity::SouthWest || g == Gravity::SouthEast);
  if (at_start) return 0;
  if (at_end) return outer - inner;
  return (outer - inner) / 2;
}

ordered_json crop_op(int left, int top, int right, int bottom) {
  return {{"type", "crop"}, {"left", left}, {"top", top}, {"right", right}, {"bottom", bottom}};
}

// thumbor lists what it did in its own order: crop (source pixels), resize, flips. A
// Fill crop after the resize is reported as the source box it keeps, as thumbor crops first.
ordered_json thumbor_operations(const MetaFacts& f) {
  const pipeline::GeometryPlan& plan = f.plan;
  const Recipe& recipe = f.request.recipe;
  ordered_json ops = ordered_json::array();
  Size region = plan.source;
  int left = 0, top = 0;
  if (plan.crop) {
    left = plan.crop->x;
    top = plan.crop->y;
    region = {plan.crop->width, plan.crop->height};
  }
  if (plan.resize_to && plan.cover_crop && plan.resize_to->width > 0 && plan.resize_to->height > 0) {
    const double sx = static_cast<double>(region.width) / plan.resize_to->width;
    const double sy = static_cast<double>(region.height) / plan.resize_to->height;
    const int w = std::min(region.width, static_cast<int>(std::lround(plan.cover_crop->width * sx)));
    const int h = std::min(region.height, static_cast<int>(std::lround(plan.cover_crop->height * sy)));
    const Gravity g = recipe.resize ? recipe.resize->gravity : Gravity::Centre;
    left += start_for(g, region.width, w, true);
    top += start_for(g, region.height, h, false);
    region = {w, h};
  }
  if (plan.crop || plan.cover_crop) ops.push_back(crop_op(left, top, left + region.width, top + region.height));
  const Size target = plan.cover_crop ? *plan.cover_crop : plan.resize_to.value_or(region);
  if (plan.resize_to) ops.push_back({{"type", "resize"}, {"width", target.width}, {"height", target.height}});
  if (recipe.flop) ops.push_back({{"type", "flip_horizontally"}});
  if (recipe.flip) ops.push_back({{"type", "flip_vertically"}});
  return ops;
}

}  // namespace

std::string meta_json(const MetaFacts& f) {
  const Size oriented = f.header.oriented();
  const Size target = f.plan.output;
  ordered_json doc;
  if (f.request.grammar == Grammar::Cloudflare) {
    doc["width"] = target.width;
    doc["height"] = target.height;
    doc["original"]["file_size"] = f.source_bytes;
    doc["original"]["width"] = oriented.width;
    doc["original"]["height"] = oriented.height;
    doc["original"]["format"] = mime_of(f.header.format);
  } else if (f.imagor) {
    doc = {{"format", std::string(recipe::input_format_name(f.header.format))},
           {"content_type", mime_of(f.header.format)},
           {"width", target.width}, {"height", target.height}, {"orientation", f.header.orientation}, {"pages", f.header.frames}};
  } else {
    doc["thumbor"]["source"]["url"] = f.request.source;
    doc["thumbor"]["source"]["width"] = oriented.width;
    doc["thumbor"]["source"]["height"] = oriented.height;
    doc["thumbor"]["source"]["frameCount"] = f.header.frames;
    doc["thumbor"]["operations"] = thumbor_operations(f);
    doc["thumbor"]["target"]["width"] = target.width;
    doc["thumbor"]["target"]["height"] = target.height;
  }
  return doc.dump();
}

}  // namespace pixmill::grammars
