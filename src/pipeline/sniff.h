#pragma once
// Format detection from the bytes alone (magic numbers), never from a file name or a
// Content-Type: a PDF or TGA named ".png" must not reach any decoder.

#include <cstdint>
#include <span>
#include <string_view>

#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

InputFormat sniff_format(std::span<const uint8_t> bytes);

// Whether an ISO base media file (HEIF, AVIF) lists `brand` in its ftyp box, as major or
// compatible brand: "avis" announces an AVIF image sequence.
bool lists_isobmff_brand(std::span<const uint8_t> bytes, std::string_view brand);

}  // namespace pixmill::pipeline
