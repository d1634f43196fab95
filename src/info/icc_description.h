#pragma once
// The human name of an embedded ICC profile ("sRGB IEC61966-2.1", "Display P3"), read
// with Little CMS (Debian's liblcms2; the libvips build keeps its own copy private).

#include <cstdint>
#include <span>
#include <string>

namespace pixmill::info {

// Empty when the bytes are not a profile lcms can open or it has no description.
std::string icc_description(std::span<const uint8_t> profile);

}  // namespace pixmill::info
