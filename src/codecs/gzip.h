#pragma once
// gzip streams (an .svgz is a gzip-compressed SVG), inflated with Debian's zlib. A
// few hundred bytes of gzip can inflate to gigabytes, so every call is bounded: the
// inflation stops as soon as the output would pass the bound.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/result.h"

namespace pixmill::codecs {

// The gzip magic and the deflate method byte.
bool is_gzip(std::span<const uint8_t> bytes);

// Up to `max_output` bytes of the inflated stream (fewer if it ends or breaks first):
// enough to sniff what it holds without inflating the rest.
std::string gunzip_prefix(std::span<const uint8_t> bytes, size_t max_output);

// The whole inflated stream (every member, as gzip(1) reads concatenated files).
// FILE_TOO_LARGE once it would pass `max_output` bytes; INVALID_IMAGE when the stream
// is corrupt or cut short.
Result<std::string> gunzip(std::span<const uint8_t> bytes, size_t max_output);

}  // namespace pixmill::codecs
