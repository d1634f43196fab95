#include "pipeline/vips_runtime.h"

#include <vips/vips8>

#include <cstdlib>
#include <mutex>
#include <string>

#include "log/log.h"

namespace pixmill::pipeline {

bool init_vips(const char* argv0, const VipsSettings& settings) {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [&] {
    if (VIPS_INIT(argv0 ? argv0 : "pixmill") != 0) return;
    // Untrusted loaders first, then every loader: the pipeline calls the one loader
    // its own sniffing chose, by name, so nothing needs libvips' own format guessing.
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (const char* allowed : {"VipsForeignLoadJpeg", "VipsForeignLoadPng", "VipsForeignLoadWebp",
                                "VipsForeignLoadNsgif", "VipsForeignLoadTiff", "VipsForeignLoadHeif",
                                "VipsForeignLoadSvg",
                                // UltraHDR: reads only the gain map of a JPEG jpegload opened (gain_map.h).
                                "VipsForeignLoadUhdr"}) {
      vips_operation_block_set(allowed, FALSE);
    }
    // libvips warns per failed tile ("error in tile 0 x 8") on every corrupt upload; the
    // failure itself is reported once, as a typed error. Keep the warnings for debugging only.
    if (std::getenv("PIXMILL_VIPS_WARNINGS") == nullptr) {
      g_log_set_handler("VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO),
                        [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {}, nullptr);
    }
    vips_cache_set_max(0);
    vips_concurrency_set(settings.concurrency > 0 ? settings.concurrency : 1);
    ok = true;
  });
  return ok;
}

Error decode_failure(std::string_view vips_message) {
  log::write(log::Level::Debug, "image did not decode", {{"detail", std::string(vips_message)}});
  return make_error(ErrorCode::InvalidImage, "the image data is corrupt or truncated");
}

Error processing_failure(std::string_view vips_message) {
  log::write(log::Level::Warn, "libvips failed on an image that decoded", {{"detail", std::string(vips_message)}});
  return make_error(ErrorCode::ProcessingFailed, "image processing failed");
}

void clear_vips_error() { vips_error_clear(); }

}  // namespace pixmill::pipeline
