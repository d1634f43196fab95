#pragma once
// Helpers shared by the tests: the corpus, its manifest, and decoding outputs to
// check their real properties (size, format, alpha, frames), never their bytes.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <vips/vips8>

namespace pixmill::testing {

std::string corpus_dir();
std::string read_file(const std::string& path);
// A path in the test temp dir that no other test process uses at the same time (ctest
// runs each test as its own process, several at once, and the plain and ASan builds share
// the temp dir): a fixed name lets one test's clean-up delete another's file.
std::string unique_temp_path(const std::string& name);
inline std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

struct ManifestRow {
  std::string file, category, format;
  int width = -1, height = -1;
  uint64_t bytes = 0;
};
std::vector<ManifestRow> corpus_manifest();
std::vector<ManifestRow> corpus_rows(const std::string& category_prefix);

// Decodes an encoded output with libvips (all frames).
vips::VImage decode(const std::string& bytes);

// A synthetic test image (a colour gradient with some structure), optionally with alpha.
vips::VImage synthetic(int width, int height, bool alpha = false);
std::string encode_as(const vips::VImage& image, const char* suffix);

}  // namespace pixmill::testing
