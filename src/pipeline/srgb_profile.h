#pragma once
// Recognises ICC profiles that describe sRGB, so the pipeline can skip an ICC
// transform that would map sRGB onto itself. That transform is not free: lcms builds
// its tables per request and then touches every pixel, about a fifth of the CPU of a
// 12 MP JPEG -> 800 px JPEG request. Most photos from phones and editors carry one of
// a handful of sRGB profiles (HP's 1998 profile, Google's compact one, Apple's, ...).
//
// Only matrix/shaper RGB profiles are recognised: primaries within a small tolerance
// of sRGB's (D50-adapted, as ICC stores them) and tone curves that follow the sRGB
// curve. Anything else, including LUT-based profiles, answers false and takes the
// full transform.

#include <cstdint>
#include <span>

namespace pixmill::pipeline {

bool is_srgb_icc_profile(std::span<const uint8_t> profile);

}  // namespace pixmill::pipeline
