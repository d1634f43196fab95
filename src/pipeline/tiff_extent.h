#pragma once
// A truncation check for TIFF. libvips reads tiled TIFFs through a threaded tile
// cache that turns a failed tile into a warning and a black tile, whatever fail_on
// says, so a truncated file would come back "decoded". Checking that the first
// image's strips or tiles lie inside the file catches truncation before decoding.

#include <cstdint>
#include <span>

#include "core/result.h"

namespace pixmill::pipeline {

// INVALID_IMAGE when a strip or tile of the first IFD ends past the end of the file.
// Files it cannot follow (BigTIFF, odd tag types) pass: libvips judges those.
Status check_tiff_extent(std::span<const uint8_t> bytes);

}  // namespace pixmill::pipeline
