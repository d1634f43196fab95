// pixmill faces IN...: the face boxes of each image as one JSON line each, from the same
// detector, limits and settings (FACE_*, AI_THREADS) as the server. For the face
// evaluation (bench/face_eval.py) and for looking.

#include <nlohmann/json.hpp>

#include <iostream>

#include "app/config.h"
#include "app/routes.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "core/bytes.h"
#include "pipeline/face_report.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::cli {

int faces_command(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) == "--help") {
    std::cerr << "usage: pixmill faces IN...   (prints {\"file\", \"width\", \"height\", \"ms\", \"faces\": [{x, y, width, height, score}]} per image)\n";
    return argc < 3 ? 2 : 0;
  }
  auto config = app::load_config_from_env();
  if (!config) {
    std::cerr << "pixmill: " << config.error().message << "\n";
    return 2;
  }
  if (!pipeline::init_vips(argv[0], pipeline::VipsSettings{config->vips_concurrency})) {
    std::cerr << "pixmill: libvips failed to start\n";
    return 1;
  }
  auto segmenter = app::make_segmenter(*config);
  int status = 0;
  for (int i = 2; i < argc; ++i) {
    auto bytes = read_all(argv[i]);
    if (!bytes) {
      std::cerr << "pixmill: cannot read " << argv[i] << "\n";
      status = 1;
      continue;
    }
    auto report = pipeline::find_faces_in_image(core::as_bytes(*bytes), config->limits, core::Deadline(), *segmenter);
    if (!report) {
      std::cerr << "pixmill: " << argv[i] << ": " << report.error().message << "\n";
      status = 1;
      continue;
    }
    nlohmann::json faces = nlohmann::json::array();
    for (const auto& f : report->faces) {
      faces.push_back({{"x", f.x}, {"y", f.y}, {"width", f.width}, {"height", f.height}, {"score", f.score}});
    }
    std::cout << nlohmann::json{{"file", argv[i]}, {"width", report->width}, {"height", report->height},
                                {"ms", report->elapsed_ms}, {"faces", faces}}.dump()
              << std::endl;
  }
  return status;
}

}  // namespace pixmill::cli
