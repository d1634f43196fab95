#include "pipeline/vips_runtime.h"

#include <vips/vips8>

#include <array>
#include <cstdlib>
#include <mutex>

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
                                "VipsForeignLoadSvg"}) {
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

Error classify_vips_failure(std::string_view message) {
  // Loader and decoder messages, as libvips and its codecs word them.
  // WebP and TIFF decode lazily: a corrupt frame fails during the write, and only
  // the decoder's own prefix ("webp2vips: unable to read pixels") says it was the input.
  static constexpr std::array<std::string_view, 19> kDecodeMarkers = {
      "load", "VipsJpeg", "Premature end", "truncated", "spng", "libpng", "png2vips", "read error",
      "corrupt", "Corrupt", "invalid", "Invalid", "not a known", "out of order", "premature", "Not a",
      "webp2vips", "tiff2vips", "unable to read pixels"};
  for (std::string_view marker : kDecodeMarkers) {
    if (message.find(marker) != std::string_view::npos) {
      return make_error(ErrorCode::InvalidImage, "the image data is corrupt or truncated");
    }
  }
  return make_error(ErrorCode::ProcessingFailed, "image processing failed");
}

void clear_vips_error() { vips_error_clear(); }

}  // namespace pixmill::pipeline
