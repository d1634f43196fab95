#pragma once
// Running a colour operation on the colour bands only, the alpha band kept as it was: the
// new steps take lambdas, where colour.cpp's with_alpha_split takes an Effects function.

#include <vips/vips8>

namespace pixmill::pipeline::steps {

template <typename Fn>
vips::VImage on_colour_bands(vips::VImage image, Fn&& fn) {
  if (!image.has_alpha()) return fn(image);
  vips::VImage alpha = image.extract_band(image.bands() - 1);
  vips::VImage colour = image.extract_band(0, vips::VImage::option()->set("n", image.bands() - 1));
  return fn(colour).bandjoin(alpha);
}

}  // namespace pixmill::pipeline::steps
