#pragma once
// libvips start-up, and the errors its failures become.

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

// libvips failures, by whose fault they were (see decode_watch.h). The libvips text
// never reaches a client; it is logged, at debug level for the client's bytes and at
// warn level for ours.
// A loader refused the client's bytes, at open or lazily while its pixels were read.
Error decode_failure(std::string_view vips_message);
// Our processing or encoding failed on an image that decoded: a 500, and our bug.
Error processing_failure(std::string_view vips_message);

// Clears this process's shared libvips error buffer (call after handling a failure).
void clear_vips_error();

}  // namespace pixmill::pipeline
