// `pixmill svg-render`: the sandboxed side of SVG rasterising (see
// codecs/svg_rasterizer.h). Reads SVG on stdin, writes PNG on stdout. It limits its
// own address space and CPU time before touching the input.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vips/vips8>

#include "cli/commands.h"
#include "codecs/svg_rasterizer.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::cli {
namespace {

long arg_value(int argc, char** argv, const char* name, long fallback) {
  for (int i = 0; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == name) return std::strtol(argv[i + 1], nullptr, 10);
  }
  return fallback;
}

void limit(int resource, rlim_t value) {
  rlimit rl{value, value};
  setrlimit(resource, &rl);
}

}  // namespace

int svg_render_command(int argc, char** argv) {
  const long max_side = arg_value(argc, argv, "--max-side", 8000);
  const long max_pixels = arg_value(argc, argv, "--max-pixels", 100'000'000);
  const long memory_mb = arg_value(argc, argv, "--max-memory-mb", 1024);
  const long cpu_seconds = arg_value(argc, argv, "--cpu-seconds", 5);
  const long hint_w = arg_value(argc, argv, "--hint-width", 0);
  const long hint_h = arg_value(argc, argv, "--hint-height", 0);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  limit(RLIMIT_AS, static_cast<rlim_t>(memory_mb) << 20);
#else
  // AddressSanitizer and ThreadSanitizer reserve terabytes of shadow address space: an
  // RLIMIT_AS would stop the sanitised test build before it starts. CPU and wall-clock
  // limits remain.
  (void)memory_mb;
#endif
  limit(RLIMIT_CPU, static_cast<rlim_t>(cpu_seconds));
  limit(RLIMIT_CORE, 0);

  std::string svg;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(0, buf, sizeof buf)) > 0) {
    svg.append(buf, static_cast<size_t>(n));
    if (svg.size() > codecs::kSvgMaxInputBytes) return codecs::kSvgExitInvalid;
  }
  if (!pipeline::init_vips(argv[0], pipeline::VipsSettings{1})) return codecs::kSvgExitInvalid;
  try {
    VipsBlob* blob = vips_blob_new(nullptr, svg.data(), svg.size());
    vips::VImage header = vips::VImage::svgload_buffer(blob, vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
    const double w = header.width(), h = header.height();
    double scale = 1.0;
    if (hint_w > 0 || hint_h > 0) {
      // Render at the size the caller will resize to (the larger of the two axes' needs).
      scale = std::max(hint_w > 0 ? hint_w / w : 0.0, hint_h > 0 ? hint_h / h : 0.0);
    }
    scale = std::min(scale, static_cast<double>(max_side) / std::max(w, h));
    if (w * h * scale * scale > static_cast<double>(max_pixels)) scale = std::sqrt(max_pixels / (w * h));
    vips::VImage image = vips::VImage::svgload_buffer(
        blob, vips::VImage::option()->set("scale", scale)->set("fail_on", VIPS_FAIL_ON_ERROR));
    vips_area_unref(VIPS_AREA(blob));
    if (static_cast<uint64_t>(image.width()) * image.height() > static_cast<uint64_t>(max_pixels)) {
      return codecs::kSvgExitTooManyPixels;
    }
    void* out = nullptr;
    size_t out_size = 0;
    image.write_to_buffer(".png", &out, &out_size, vips::VImage::option()->set("compression", 1));
    size_t done = 0;
    while (done < out_size) {
      ssize_t w = ::write(1, static_cast<char*>(out) + done, out_size - done);
      if (w <= 0) break;
      done += static_cast<size_t>(w);
    }
    g_free(out);
    return done == out_size ? 0 : codecs::kSvgExitInvalid;
  } catch (const vips::VError&) {
    return codecs::kSvgExitInvalid;
  }
}

}  // namespace pixmill::cli
