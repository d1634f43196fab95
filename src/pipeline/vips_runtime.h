#pragma once
// libvips start-up and error classification: the only place that knows how libvips
// reports failures.

#include <string_view>

#include "core/error.h"

namespace pixmill::pipeline {

struct VipsSettings {
  int concurrency = 1;  // threads libvips may use for one image (the server parallelises across images)
};

// Starts libvips once per process: blocks untrusted loaders and every loader we
// never dispatch to, and disables the operation cache (each request stands alone).
// Returns false if libvips cannot start.
bool init_vips(const char* argv0, const VipsSettings& settings);

// Turns the text of a libvips failure into our vocabulary: decoder failures are
// INVALID_IMAGE, anything else PROCESSING_FAILED. The libvips text never reaches a
// client; it is logged at debug level only.
Error classify_vips_failure(std::string_view vips_message);

// Clears this process's shared libvips error buffer (call after handling a failure).
void clear_vips_error();

}  // namespace pixmill::pipeline
