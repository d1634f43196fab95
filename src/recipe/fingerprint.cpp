#include "recipe/fingerprint.h"

#include "core/digest.h"
#include "recipe/fingerprint_fields.h"

namespace pixmill::recipe {
namespace {

// A new Recipe field changes the size of these structs; this stops the build until the
// field is added below (a field missing here would serve one recipe's cached image for another).
static_assert(sizeof(Recipe) == 544, "a Recipe field was added or removed: update recipe_fingerprint()");

}  // namespace

using namespace fingerprint_fields;

std::string recipe_fingerprint(const Recipe& r) {
  std::string out;
  out.reserve(512);
  if (r.crop) {
    out += "crop=" + std::to_string(r.crop->x) + "," + std::to_string(r.crop->y) + "," + std::to_string(r.crop->width) + "," +
           std::to_string(r.crop->height) + ";";
  }
  if (r.resize) {
    optional_int(out, "w", r.resize->width);
    optional_int(out, "h", r.resize->height);
    out += "fit=" + std::to_string(static_cast<int>(r.resize->fit)) + ";g=" + std::to_string(static_cast<int>(r.resize->gravity)) +
           ";noup=" + std::to_string(r.resize->without_enlargement) + ";";
  }
  if (r.centre_crop) out += "cc=" + std::to_string(r.centre_crop->width) + "x" + std::to_string(r.centre_crop->height) + ";";
  number(out, "rot", r.rotate);
  out += "flip=" + std::to_string(r.flip) + std::to_string(r.flop) + ";";
  const Effects& e = r.effects;
  number(out, "br", e.brightness);
  number(out, "co", e.contrast);
  number(out, "sa", e.saturation);
  number(out, "bl", e.blur_sigma);
  number(out, "sh", e.sharpen_sigma);
  out += "gs=" + std::to_string(e.grayscale) + std::to_string(e.sepia) + ";";
  const OutputSpec& o = r.output;
  out += "fmt=" + std::to_string(static_cast<int>(o.format)) + ";";
  optional_int(out, "q", o.quality);
  out += "qauto=" + std::to_string(static_cast<int>(o.auto_quality)) + ";";
  optional_int(out, "effort", o.effort);
  out += "flags=" + std::to_string(o.progressive) + std::to_string(o.lossless) + std::to_string(o.strip_metadata) +
         std::to_string(o.max_compression) + std::to_string(o.palette) + std::to_string(o.allow_larger) + std::to_string(o.preview) +
         std::to_string(o.auto_allow_avif) + std::to_string(o.auto_allow_webp) + std::to_string(o.original_avif_as_jpeg) + std::to_string(o.auto_allow_jxl) +
         std::to_string(o.auto_else_original) + ";";
  out += "target=" + (o.target_bytes ? std::to_string(*o.target_bytes) : std::string("-")) + ";";
  colour(out, "bg", r.background);
  out += "rmbg=" + std::to_string(r.remove_background) + ";";
  if (r.cutout_background) colour(out, "cut", *r.cutout_background);
  const Cutout& c = r.cutout;
  out += "cutout=" + std::to_string(c.mask_only) + std::to_string(c.crop_to_subject) + std::to_string(c.shadow) +
         std::to_string(c.refine_edges) + ";";
  number(out, "margin", c.subject_margin);
  // The replacement background is an image: its digest stands for its bytes.
  if (c.background_image) out += "bgimg=" + core::sha256_hex(*c.background_image) + ";";
  if (!c.background_url.empty()) out += "bgurl=" + core::sha256_hex(c.background_url) + ";";
  number(out, "shop", c.shadow_opacity);
  number(out, "shbl", c.shadow_blur);
  out += "shoff=" + std::to_string(c.shadow_dx) + "," + std::to_string(c.shadow_dy) + ";";
  out += "faces=" + std::to_string(static_cast<int>(r.faces.redact)) + ";";
  number(out, "fstr", r.faces.strength);
  colour(out, "ffill", r.faces.fill);
  compositing_fingerprint(out, r);
  return out;
}

}  // namespace pixmill::recipe
