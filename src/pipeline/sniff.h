#pragma once
// Format detection from the bytes alone (magic numbers), never from a file name or a
// Content-Type: a PDF or TGA named ".png" must not reach any decoder.

#include <cstdint>
#include <span>

#include "pipeline/recipe_names.h"

namespace pixmill::pipeline {

InputFormat sniff_format(std::span<const uint8_t> bytes);

}  // namespace pixmill::pipeline
