#include "dialects/native_params.h"

#include <charconv>
#include <cmath>

namespace pixmill::dialects {
namespace {

recipe::ResizeSpec& resize_of(recipe::Recipe& r) {
  if (!r.resize) r.resize.emplace();
  return *r.resize;
}

recipe::CropRect& crop_of(recipe::Recipe& r) {
  if (!r.crop) r.crop = recipe::CropRect{0, 0, 0, 0};
  return *r.crop;
}

recipe::FitMode fit_from(const std::string& v) {
  if (v == "fill" || v == "cover") return recipe::FitMode::Fill;
  if (v == "pad" || v == "contain") return recipe::FitMode::Pad;
  if (v == "stretch") return recipe::FitMode::Stretch;
  return recipe::FitMode::Fit;
}

// "x,y,width,height", or "subject" (the cut-out's tight box, with removeBackground)
Status apply_crop_text(recipe::Recipe& r, const ParamValue& v) {
  if (v.text == "subject") {
    r.cutout.crop_to_subject = true;
    return ok_status();
  }
  int parts[4];
  const char* p = v.text.data();
  const char* end = p + v.text.size();
  for (int i = 0; i < 4; ++i) {
    auto [next, ec] = std::from_chars(p, end, parts[i]);
    if (ec != std::errc()) break;
    p = next;
    if (i < 3) {
      if (p == end || *p != ',') break;
      ++p;
    } else if (p == end) {
      r.crop = recipe::CropRect{parts[0], parts[1], parts[2], parts[3]};
      return ok_status();
    }
  }
  return make_error(ErrorCode::InvalidInput, "crop must be x,y,width,height in pixels", "crop");
}

ParamSpec integer(std::string name, std::vector<std::string> aliases, double min, double max, std::string def,
                  std::string doc, std::function<Status(recipe::Recipe&, const ParamValue&)> apply) {
  return ParamSpec{std::move(name), std::move(aliases), ParamType::Integer, min, max, {}, std::move(def), std::move(doc), std::move(apply)};
}
ParamSpec number(std::string name, std::vector<std::string> aliases, double min, double max, std::string def,
                 std::string doc, std::function<Status(recipe::Recipe&, const ParamValue&)> apply) {
  return ParamSpec{std::move(name), std::move(aliases), ParamType::Number, min, max, {}, std::move(def), std::move(doc), std::move(apply)};
}
ParamSpec boolean(std::string name, std::vector<std::string> aliases, std::string def, std::string doc,
                  std::function<Status(recipe::Recipe&, const ParamValue&)> apply) {
  return ParamSpec{std::move(name), std::move(aliases), ParamType::Boolean, 0, 1, {}, std::move(def), std::move(doc), std::move(apply)};
}
ParamSpec choice(std::string name, std::vector<std::string> aliases, std::vector<std::string> choices, std::string def,
                 std::string doc, std::function<Status(recipe::Recipe&, const ParamValue&)> apply) {
  return ParamSpec{std::move(name), std::move(aliases), ParamType::Enum, 0, 0, std::move(choices), std::move(def), std::move(doc), std::move(apply)};
}

Status ok() { return ok_status(); }

recipe::FaceRedaction redaction_from(const std::string& v) {
  if (v == "blur") return recipe::FaceRedaction::Blur;
  if (v == "pixelate") return recipe::FaceRedaction::Pixelate;
  if (v == "fill") return recipe::FaceRedaction::Fill;
  return recipe::FaceRedaction::None;
}

// The AI options beyond removeBackground: what the cut-out becomes, and face redaction.
// (output=mask and crop=subject are values of format and crop; gravity=face of gravity.)
void add_ai_params(ParamTable& t) {
  t.push_back(number("subjectMargin", {}, 0, 100, "5", "With crop=subject: margin around the subject, percent of its larger side",
                     [](recipe::Recipe& r, const ParamValue& v) { r.cutout.subject_margin = v.number / 100.0; return ok(); }));
  t.push_back(boolean("refineEdges", {"refine"}, "false",
                      "Refine the cut-out's soft edges (hair, fur) by alpha matting: seconds more CPU",
                      [](recipe::Recipe& r, const ParamValue& v) { r.cutout.refine_edges = v.boolean; return ok(); }));
  t.push_back(boolean("shadow", {"dropShadow"}, "false", "A soft drop shadow under the cut-out subject",
                      [](recipe::Recipe& r, const ParamValue& v) { r.cutout.shadow = v.boolean; return ok(); }));
  t.push_back(number("shadowOpacity", {}, 0, 100, "50", "Drop shadow opacity, percent",
                     [](recipe::Recipe& r, const ParamValue& v) { r.cutout.shadow_opacity = v.number / 100.0; return ok(); }));
  t.push_back(number("shadowBlur", {}, 0, 100, "12", "Drop shadow softness (Gaussian sigma, pixels)",
                     [](recipe::Recipe& r, const ParamValue& v) { r.cutout.shadow_blur = v.number; return ok(); }));
  t.push_back(integer("shadowX", {}, -1000, 1000, "0", "Drop shadow offset to the right, pixels",
                      [](recipe::Recipe& r, const ParamValue& v) { r.cutout.shadow_dx = static_cast<int>(v.integer); return ok(); }));
  t.push_back(integer("shadowY", {}, -1000, 1000, "12", "Drop shadow offset downwards, pixels",
                      [](recipe::Recipe& r, const ParamValue& v) { r.cutout.shadow_dy = static_cast<int>(v.integer); return ok(); }));
  t.push_back(choice("redactFaces", {"redact"}, {"none", "blur", "pixelate", "fill"}, "none",
                     "Hide every detected face before any other step; fails (503) rather than answer unredacted",
                     [](recipe::Recipe& r, const ParamValue& v) { r.faces.redact = redaction_from(v.text); return ok(); }));
  t.push_back(number("redactStrength", {}, 0, 100, "50", "Blur radius or pixel block size, percent of the face size",
                     [](recipe::Recipe& r, const ParamValue& v) { r.faces.strength = v.number / 100.0; return ok(); }));
}

ParamTable build_table() {
  ParamTable t;
  t.push_back(integer("width", {"w"}, 1, recipe::kMaxOutputDimension, "", "Target width in pixels",
                      [](recipe::Recipe& r, const ParamValue& v) { resize_of(r).width = static_cast<int>(v.integer); return ok(); }));
  t.push_back(integer("height", {"h"}, 1, recipe::kMaxOutputDimension, "", "Target height in pixels",
                      [](recipe::Recipe& r, const ParamValue& v) { resize_of(r).height = static_cast<int>(v.integer); return ok(); }));
  t.push_back(choice("fit", {"mode"}, {"fit", "fill", "pad", "stretch", "inside", "cover", "contain"}, "fit",
                     "fit: inside the box; fill: cover the box and crop; pad: inside, padded with background; stretch: exact size",
                     [](recipe::Recipe& r, const ParamValue& v) { resize_of(r).fit = fit_from(v.text); return ok(); }));
  t.push_back(choice("gravity", {"position"},
                     {"center", "centre", "north", "northeast", "east", "southeast", "south", "southwest", "west",
                      "northwest", "top", "bottom", "left", "right", "attention", "entropy", "smart", "face", "faces"},
                     "center", "Which part survives a fill crop; attention/entropy pick the interesting region; face keeps every detected face",
                     [](recipe::Recipe& r, const ParamValue& v) { resize_of(r).gravity = gravity_from(v.text); return ok(); }));
  t.push_back(boolean("withoutEnlargement", {"noEnlarge"}, "false", "Never scale up",
                      [](recipe::Recipe& r, const ParamValue& v) { resize_of(r).without_enlargement = v.boolean; return ok(); }));
  t.push_back(ParamSpec{"crop", {}, ParamType::Text, 0, 0, {}, "", "Crop rectangle x,y,width,height on the oriented source; subject: the cut-out's box (with removeBackground)", apply_crop_text});
  t.push_back(integer("cropX", {}, 0, 1e6, "0", "Crop rectangle left edge",
                      [](recipe::Recipe& r, const ParamValue& v) { crop_of(r).x = static_cast<int>(v.integer); return ok(); }));
  t.push_back(integer("cropY", {}, 0, 1e6, "0", "Crop rectangle top edge",
                      [](recipe::Recipe& r, const ParamValue& v) { crop_of(r).y = static_cast<int>(v.integer); return ok(); }));
  t.push_back(integer("cropWidth", {}, 1, 1e6, "", "Crop rectangle width",
                      [](recipe::Recipe& r, const ParamValue& v) { crop_of(r).width = static_cast<int>(v.integer); return ok(); }));
  t.push_back(integer("cropHeight", {}, 1, 1e6, "", "Crop rectangle height",
                      [](recipe::Recipe& r, const ParamValue& v) { crop_of(r).height = static_cast<int>(v.integer); return ok(); }));
  t.push_back(number("rotate", {"angle"}, -360, 360, "0", "Degrees clockwise; right angles are exact",
                     [](recipe::Recipe& r, const ParamValue& v) { r.rotate = v.number; return ok(); }));
  t.push_back(boolean("flip", {}, "false", "Mirror top to bottom",
                      [](recipe::Recipe& r, const ParamValue& v) { r.flip = v.boolean; return ok(); }));
  t.push_back(boolean("flop", {"mirror"}, "false", "Mirror left to right",
                      [](recipe::Recipe& r, const ParamValue& v) { r.flop = v.boolean; return ok(); }));
  t.push_back(number("brightness", {}, -100, 100, "0", "Brightness, -100 (dark) to 100 (bright)",
                     [](recipe::Recipe& r, const ParamValue& v) { r.effects.brightness = native_level_to_multiplier(v.number); return ok(); }));
  t.push_back(number("contrast", {}, -100, 100, "0", "Contrast, -100 to 100",
                     [](recipe::Recipe& r, const ParamValue& v) { r.effects.contrast = native_level_to_multiplier(v.number); return ok(); }));
  t.push_back(number("saturation", {}, -100, 100, "0", "Saturation, -100 (grey) to 100 (vivid)",
                     [](recipe::Recipe& r, const ParamValue& v) { r.effects.saturation = 1.0 + v.number / 100.0; return ok(); }));
  t.push_back(number("blur", {}, 0, 100, "0", "Gaussian blur sigma in pixels (0 off, else at least 0.3)",
                     [](recipe::Recipe& r, const ParamValue& v) {
                       r.effects.blur_sigma = v.number > 0 && v.number < 0.3 ? 0.3 : v.number;
                       return ok();
                     }));
  t.push_back(number("sharpen", {}, 0, 100, "0", "Sharpen strength 0 to 100",
                     [](recipe::Recipe& r, const ParamValue& v) { r.effects.sharpen_sigma = native_sharpen_to_sigma(v.number); return ok(); }));
  t.push_back(boolean("grayscale", {"greyscale", "grey", "gray"}, "false", "Convert to greyscale",
                      [](recipe::Recipe& r, const ParamValue& v) { r.effects.grayscale = v.boolean; return ok(); }));
  t.push_back(boolean("sepia", {}, "false", "Sepia tone",
                      [](recipe::Recipe& r, const ParamValue& v) { r.effects.sepia = v.boolean; return ok(); }));
  t.push_back(choice("format", {"output", "fm"}, {"original", "auto", "jpeg", "jpg", "png", "webp", "avif", "gif", "tiff", "tif", "bmp", "jxl", "heic", "mask"},
                     "original", "Output format; auto picks from the content and the Accept header; mask: the cut-out's alpha as a grey PNG",
                     [](recipe::Recipe& r, const ParamValue& v) {
                       if (v.text == "mask") {
                         r.cutout.mask_only = true;
                         return ok();
                       }
                       r.output.format = *recipe::parse_output_format(v.text);
                       return ok();
                     }));
  t.push_back(integer("quality", {"q"}, 1, 100, "80 (HEIC 50; AVIF judged from 50)", "Encoder quality", apply_quality));
  accept_auto_quality(t.back());
  t.push_back(boolean("progressive", {"interlace"}, "false", "Progressive JPEG / interlaced PNG and GIF",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.progressive = v.boolean; return ok(); }));
  t.push_back(integer("effort", {}, 0, 9, "4", "Encoder effort 0 (fast) to 9 (small)",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.effort = static_cast<int>(v.integer); return ok(); }));
  t.push_back(boolean("lossless", {}, "false", "Lossless WebP/AVIF",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.lossless = v.boolean; return ok(); }));
  t.push_back(boolean("stripMetadata", {"strip"}, "true", "Drop EXIF/XMP/IPTC (orientation is applied first)",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.strip_metadata = v.boolean; return ok(); }));
  t.push_back(integer("targetKb", {"targetKB", "maxKb"}, 1, 4'194'304, "", "Largest acceptable output in kilobytes",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.target_bytes = static_cast<uint64_t>(v.integer) * 1024; return ok(); }));
  t.push_back(integer("targetBytes", {}, 1024, 4'294'967'296.0, "", "Largest acceptable output in bytes",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.target_bytes = static_cast<uint64_t>(v.integer); return ok(); }));
  t.push_back(boolean("preview", {}, "false", "Fast, lower-effort encode",
                      [](recipe::Recipe& r, const ParamValue& v) { r.output.preview = v.boolean; return ok(); }));
  t.push_back(ParamSpec{"background", {"bgColor", "bg"}, ParamType::Colour, 0, 0, {}, "#ffffff",
                        "Background for pad, rotate and flattening alpha (e.g. #000000, #00000000)",
                        [](recipe::Recipe& r, const ParamValue& v) { r.background = v.colour; return ok(); }});
  t.push_back(boolean("removeBackground", {"removeBg"}, "false", "AI background removal",
                      [](recipe::Recipe& r, const ParamValue& v) { r.remove_background = v.boolean; return ok(); }));
  add_ai_params(t);
  add_compositing_params(t);
  return t;
}

}  // namespace

recipe::Gravity gravity_from(const std::string& v) {
  if (v == "north" || v == "top") return recipe::Gravity::North;
  if (v == "northeast") return recipe::Gravity::NorthEast;
  if (v == "east" || v == "right") return recipe::Gravity::East;
  if (v == "southeast") return recipe::Gravity::SouthEast;
  if (v == "south" || v == "bottom") return recipe::Gravity::South;
  if (v == "southwest") return recipe::Gravity::SouthWest;
  if (v == "west" || v == "left") return recipe::Gravity::West;
  if (v == "northwest") return recipe::Gravity::NorthWest;
  if (v == "attention" || v == "smart") return recipe::Gravity::Attention;
  if (v == "entropy") return recipe::Gravity::Entropy;
  if (v == "face" || v == "faces") return recipe::Gravity::Faces;
  return recipe::Gravity::Centre;
}

double native_level_to_multiplier(double level) {
  // Above zero up to 2x; below zero down to 0.1x, so -100 is nearly black, never inverted.
  return level >= 0 ? 1.0 + level / 100.0 : 1.0 + level / 100.0 * 0.9;
}

double native_sharpen_to_sigma(double level) { return level <= 0 ? 0.0 : 0.5 + level * 0.025; }

const ParamTable& native_params() {
  static const ParamTable table = build_table();
  return table;
}

}  // namespace pixmill::dialects
