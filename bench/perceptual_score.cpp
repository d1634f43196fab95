// `pixmill_perceptual_score REFERENCE CANDIDATE... [--side N]`: the butteraugli 3-norm of
// each candidate against the reference, both scaled to N px on the longer side (default
// 1024, the size quality=auto judges at; the benchmark adds 512 px, a view the search
// never sees). One line per candidate: "<path>\t<distance>".

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <vips/vips8>

#include "pipeline/perceptual_distance.h"
#include "pipeline/sniff.h"

using namespace pixmill;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (VIPS_INIT(argv[0])) return 2;
  std::vector<std::string> paths;
  int side = 1024;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--side" && i + 1 < argc) {
      side = std::atoi(argv[++i]);
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.size() < 2) {
    std::cerr << "usage: pixmill_perceptual_score REFERENCE CANDIDATE... [--side N]\n";
    return 2;
  }
  try {
    const vips::VImage reference = vips::VImage::new_from_file(paths[0].c_str()).copy_memory();
    const pipeline::PerceptualReference judge(reference, side);
    for (size_t i = 1; i < paths.size(); ++i) {
      const std::string bytes = read_all(paths[i]);
      auto format = recipe::output_for_original(pipeline::sniff_format(core::as_bytes(bytes)));
      // The sniffer names HEIF's container, not its codec: an HEVC file needs the HEIC decoder
      // (libvips' build here decodes only AV1).
      if (paths[i].ends_with(".heic")) format = recipe::OutputFormat::Heic;
      std::cout << paths[i] << "\t" << judge.distance_to(bytes, format) << "\n";
    }
  } catch (const vips::VError& e) {
    std::cerr << "pixmill_perceptual_score: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
