#pragma once
// HDR gain maps (UltraHDR JPEG): a JPEG may carry a second, smaller image that tells an
// HDR display how much brighter each region may be shown; the primary image is the SDR
// (tone-mapped) rendition. libvips 8.18 reads the gain map (uhdrload) and writes it back
// when a JPEG is saved with the "gainmap-data" field attached (jpegsave hands over to
// uhdrsave, which prefers a processed "gainmap" image). See docs/input-formats.md.

#include <cstdint>
#include <optional>
#include <span>

#include <vips/vips8>

#include "pipeline/recipe_names.h"
#include "pipeline/source.h"

// libvips before 8.18 (Debian 12's 8.14 with -DPIXMILL_VIPS=system) has no gain maps:
// there the source's gain map is never attached, so it is always dropped.
#define PIXMILL_VIPS_GAIN_MAPS (VIPS_MAJOR_VERSION > 8 || (VIPS_MAJOR_VERSION == 8 && VIPS_MINOR_VERSION >= 18))

namespace pixmill::pipeline {

// Copies the gain map and its parameters ("gainmap-*" fields) onto a JPEG loaded with
// jpegload, when the bytes are UltraHDR. A gain map libultrahdr cannot read is left off:
// the primary image is still a complete SDR picture.
vips::VImage attach_gain_map(vips::VImage image, std::span<const uint8_t> bytes);

// Whether the gain map can follow the recipe into the output: JPEG output of a still,
// and geometry that maps the same way onto the gain map (crop, resize, fill crops with
// a fixed gravity, quarter turns, flips). Smart crops, background removal, face
// redaction, compositing, letterbox padding and free rotation drop it.
bool gain_map_follows(const Recipe& recipe, OutputFormat format, int frames);

// The source's gain map taken through the recipe's geometry, at the processed image's
// size (1:1), with the source's gain-map/base ratio per side of the oriented image.
struct FollowedGainMap {
  vips::VImage image;
  double ratio_x = 1.0;
  double ratio_y = 1.0;
};

// nullopt when the source has no gain map or it does not decode.
std::optional<FollowedGainMap> follow_gain_map(const vips::VImage& still, const SourceHeader& header,
                                               const Recipe& recipe, const Limits& limits);

// The output image with the gain map scaled back to the source's ratio, and the source
// XMP removed: its container directory describes the old gain map (its byte length),
// and libultrahdr writes the new one.
vips::VImage with_gain_map(vips::VImage image, const FollowedGainMap& gain);

// The output image without any gain map field, and without an XMP packet that claims a
// gain map (the hdrgm namespace), so that no viewer looks for one that is not there.
vips::VImage without_gain_map(vips::VImage image);

}  // namespace pixmill::pipeline
