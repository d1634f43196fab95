#include "pipeline/gain_map.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/compose.h"
#include "pipeline/geometry_plan.h"
#include "pipeline/steps/steps.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::pipeline {
namespace {

using vips::VImage;

constexpr bool kHasGainMaps = PIXMILL_VIPS_GAIN_MAPS != 0;

// The XMP namespace of Adobe's gain-map specification, which UltraHDR's XMP uses.
constexpr std::string_view kHdrgmNamespace = "http://ns.adobe.com/hdr-gain-map/";

bool is_gain_map_field(const char* name) { return std::strncmp(name, "gainmap", 7) == 0; }

void copy_gain_map_fields(VipsImage* from, VipsImage* to) {
  char** fields = vips_image_get_fields(from);
  for (char** field = fields; *field; ++field) {
    if (!is_gain_map_field(*field)) continue;
    GValue value = G_VALUE_INIT;
    if (vips_image_get(from, *field, &value) == 0) {
      vips_image_set(to, *field, &value);
      g_value_unset(&value);
    }
  }
  g_strfreev(fields);
}

bool xmp_claims_gain_map(const VImage& image) {
  if (image.get_typeof("xmp-data") == 0) return false;
  size_t length = 0;
  const void* xmp = image.get_blob("xmp-data", &length);
  return std::string_view(static_cast<const char*>(xmp), length).find(kHdrgmNamespace) != std::string_view::npos;
}

bool smart_gravity(const Recipe& recipe) {
  if (!recipe.resize) return false;
  const Gravity g = recipe.resize->gravity;
  return g == Gravity::Attention || g == Gravity::Entropy || g == Gravity::Faces;
}

// The geometry steps of run_pass (process.cpp), in its order, for a one-band map the
// size of the frame: the same plan, so the same rectangles and scales. Colour, effects
// and layers leave the map alone; the steps gain_map_follows() refuses are absent.
VImage follow_geometry(VImage map, const Recipe& recipe, const Limits& limits) {
  map = steps::auto_orient(map);
  auto plan = plan_geometry(Size{map.width(), map.height()}, recipe, limits);
  if (!plan) throw vips::VError(plan.error().message.c_str());
  map = steps::crop(map, *plan);
  map = steps::resize(map, *plan);
  const Gravity gravity = recipe.resize ? recipe.resize->gravity : Gravity::Centre;
  map = steps::cover_crop(map, *plan, gravity);
  map = steps::centre_crop(map, *plan);
  map = steps::rotate(map, *plan, recipe.background);
  return steps::flip(map, recipe.flip, recipe.flop);
}

}  // namespace

VImage attach_gain_map(VImage image, std::span<const uint8_t> bytes) {
#if PIXMILL_VIPS_GAIN_MAPS
  if (vips_foreign_is_a_buffer("uhdrload_buffer", bytes.data(), bytes.size()) == 0) return image;
  try {
    VipsBlob* blob = vips_blob_new(nullptr, bytes.data(), bytes.size());
    // The header alone: libultrahdr parses the gain map's parameters and hands its JPEG
    // over compressed; nothing is decoded here.
    VImage ultra = VImage::uhdrload_buffer(blob);
    vips_area_unref(VIPS_AREA(blob));
    if (ultra.get_typeof("gainmap-data") == 0) return image;
    image = image.copy();
    copy_gain_map_fields(ultra.get_image(), image.get_image());
  } catch (const vips::VError&) {
    clear_vips_error();
  }
#else
  (void)bytes;
#endif
  return image;
}

bool gain_map_follows(const Recipe& recipe, OutputFormat format, int frames) {
  if (!kHasGainMaps || format != OutputFormat::Jpeg || frames > 1) return false;
  if (recipe_uses_ai(recipe) || smart_gravity(recipe) || uses_compositing(recipe)) return false;
  // Letterbox padding and free rotation add area the gain map has no value for.
  if (recipe.resize && recipe.resize->fit == FitMode::Pad) return false;
  return std::fmod(recipe.rotate, 90.0) == 0.0;
}

std::optional<FollowedGainMap> follow_gain_map(const VImage& still, const SourceHeader& header, const Recipe& recipe,
                                               const Limits& limits) {
#if PIXMILL_VIPS_GAIN_MAPS
  if (still.get_typeof("gainmap-data") == 0 || header.width <= 0 || header.height <= 0) return std::nullopt;
  try {
    // Small (a quarter of each side, typically): decode it now, so that a broken gain
    // map drops the map instead of failing the request later, inside the encoder.
    VImage map = still.gainmap().copy_memory();
    FollowedGainMap out;
    out.ratio_x = static_cast<double>(map.width()) / header.width;
    out.ratio_y = static_cast<double>(map.height()) / header.height;
    if (header.orientation >= 5) std::swap(out.ratio_x, out.ratio_y);
    // 1:1 with the loaded frame (shrink-on-load included), then the frame's geometry.
    map = map.resize(static_cast<double>(still.width()) / map.width(),
                     VImage::option()->set("vscale", static_cast<double>(still.height()) / map.height()));
    if (still.get_typeof("orientation") != 0) {
      map = map.copy();
      map.set("orientation", still.get_int("orientation"));
    }
    out.image = follow_geometry(map, recipe, limits).copy_memory();
    return out;
  } catch (const vips::VError&) {
    clear_vips_error();
    return std::nullopt;
  }
#else
  (void)still, (void)header, (void)recipe, (void)limits;
  return std::nullopt;
#endif
}

VImage with_gain_map(VImage image, const FollowedGainMap& gain) {
  const int width = std::max(1, static_cast<int>(std::lround(image.width() * gain.ratio_x)));
  const int height = std::max(1, static_cast<int>(std::lround(image.height() * gain.ratio_y)));
  VImage map = gain.image.resize(static_cast<double>(width) / gain.image.width(),
                                 VImage::option()->set("vscale", static_cast<double>(height) / gain.image.height()));
  image = image.copy();
  // jpegsave hands over to uhdrsave only while "gainmap-data" is present; uhdrsave then
  // encodes the "gainmap" image in its place.
  image.set("gainmap", map);
  image.remove("xmp-data");
  return image;
}

VImage without_gain_map(VImage image) {
  std::vector<std::string> fields;
  char** names = vips_image_get_fields(image.get_image());
  for (char** name = names; *name; ++name) {
    if (is_gain_map_field(*name)) fields.emplace_back(*name);
  }
  g_strfreev(names);
  const bool claim = xmp_claims_gain_map(image);
  if (fields.empty() && !claim) return image;
  image = image.copy();
  for (const std::string& field : fields) image.remove(field.c_str());
  if (claim) image.remove("xmp-data");
  return image;
}

}  // namespace pixmill::pipeline
