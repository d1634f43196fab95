#include "pipeline/steps/steps.h"

#include "pipeline/srgb_profile.h"

namespace pixmill::pipeline::steps {

std::vector<double> background_for(const VImage& image, Colour c) {
  const bool grey = image.bands() <= 2;
  std::vector<double> values;
  if (grey) {
    values.push_back(0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b);
  } else {
    values = {double(c.r), double(c.g), double(c.b)};
  }
  if (image.has_alpha()) values.push_back(c.a);
  return values;
}

namespace {

// An sRGB image tagged with an sRGB profile is already where the transform would
// take it; skipping it saves lcms' per-request table build and a pass over every pixel.
bool tagged_srgb(const VImage& image) {
  if (image.interpretation() != VIPS_INTERPRETATION_sRGB) return false;
  size_t size = 0;
  const void* data = image.get_blob("icc-profile-data", &size);
  return is_srgb_icc_profile({static_cast<const uint8_t*>(data), size});
}

}  // namespace

// Converts to 8-bit sRGB (or 8-bit grey): ICC-tagged input through its profile
// (unless that profile is sRGB itself), CMYK through its profile or libvips'
// built-in one, 16-bit down to 8-bit.
VImage to_srgb(VImage image) {
  const bool has_icc = image.get_typeof("icc-profile-data") != 0;
  const VipsInterpretation interp = image.interpretation();
  if (has_icc && interp != VIPS_INTERPRETATION_B_W && interp != VIPS_INTERPRETATION_GREY16 && !tagged_srgb(image)) {
    image = image.icc_transform("srgb", VImage::option()
                                            ->set("embedded", TRUE)
                                            ->set("intent", VIPS_INTENT_PERCEPTUAL)
                                            ->set("depth", 8));
  } else if (interp == VIPS_INTERPRETATION_CMYK) {
    image = image.icc_transform("srgb", VImage::option()->set("input_profile", "cmyk")->set("depth", 8));
  }
  const bool grey = image.bands() <= 2 && image.interpretation() != VIPS_INTERPRETATION_sRGB;
  const VipsInterpretation target = grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
  if (image.interpretation() != target || image.format() != VIPS_FORMAT_UCHAR) {
    image = image.colourspace(target);
    if (image.format() != VIPS_FORMAT_UCHAR) image = image.cast(VIPS_FORMAT_UCHAR);
  }
  // A TIFF may carry samples beyond one alpha (ExtraSamples): no output format has a
  // place for them, and JPEG refuses anything but 1 or 3 bands.
  const int colour_bands = image.interpretation() == VIPS_INTERPRETATION_sRGB ? 3 : 1;
  const int wanted = colour_bands + (image.has_alpha() ? 1 : 0);
  if (image.bands() > wanted) image = image.extract_band(0, VImage::option()->set("n", wanted));
  return image;
}

VImage flatten(VImage image, Colour background) {
  if (!image.has_alpha()) return image;
  Colour opaque = background;
  opaque.a = 255;
  std::vector<double> bg = background_for(image, opaque);
  bg.pop_back();  // flatten takes the colour without alpha
  return image.flatten(VImage::option()->set("background", bg));
}

// Runs an effect on the colour bands only, keeping alpha as it was.
VImage with_alpha_split(VImage image, VImage (*fn)(VImage, const Effects&), const Effects& effects) {
  if (!image.has_alpha()) return fn(image, effects);
  VImage alpha = image.extract_band(image.bands() - 1);
  VImage colour = image.extract_band(0, VImage::option()->set("n", image.bands() - 1));
  return fn(colour, effects).bandjoin(alpha);
}

std::vector<double> lab_of(Colour c) {
  VImage pixel = VImage::black(1, 1, VImage::option()->set("bands", 3)).new_from_image({double(c.r), double(c.g), double(c.b)});
  pixel = pixel.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  return pixel.colourspace(VIPS_INTERPRETATION_LAB).getpoint(0, 0);
}

}  // namespace pixmill::pipeline::steps
