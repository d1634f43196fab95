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
      // The decoder follows the sniffed codec. output_for_original() is the "keep the format"
      // policy, which writes HEIF input as JPEG: an HEVC candidate needs the HEIC decoder.
      const auto sniffed = pipeline::sniff_format(core::as_bytes(bytes));
      const auto format =
          sniffed == pipeline::InputFormat::Heif ? recipe::OutputFormat::Heic : recipe::output_for_original(sniffed);
      std::cout << paths[i] << "\t" << judge.distance_to(bytes, format) << "\n";
    }
  } catch (const vips::VError& e) {
    std::cerr << "pixmill_perceptual_score: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
