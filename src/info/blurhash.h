#pragma once
// BlurHash (https://blurha.sh, Wolt's published algorithm): a DCT of the image in linear
// light, quantised into a short base-83 string that decodes to a blurred placeholder.

#include <optional>
#include <string>

#include "info/pixels.h"

namespace pixmill::info {

// x_components and y_components in 1..9. Alpha is ignored (pass the image flattened).
// nullopt when the view or the component counts are invalid.
std::optional<std::string> blurhash_encode(const RgbaView& image, int x_components, int y_components);

// The base-83 digits BlurHash uses, `length` characters of `value` (most significant first).
std::string base83_encode(long long value, int length);

}  // namespace pixmill::info
