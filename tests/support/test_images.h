#pragma once
// Helpers shared by the tests: the corpus, its manifest, and decoding outputs to
// check their real properties (size, format, alpha, frames), never their bytes.
//
// The corpus is tests/fixtures (committed, small) unless PIXMILL_CORPUS names another
// folder with a MANIFEST.tsv of the same columns and categories: the same tests then run
// over a larger set. Tests choose files by category and property, never by name.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <vips/vips8>

namespace pixmill::testing {

std::string corpus_dir();
// The committed tests/fixtures folder, whatever PIXMILL_CORPUS says.
std::string fixtures_dir();
// True when the corpus is the committed fixtures: a category missing there is a broken
// fixture set (a failure), while another corpus may simply not have it (a skip).
bool corpus_is_fixtures();
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
  std::string license;

  uint64_t pixels() const { return width > 0 && height > 0 ? uint64_t(width) * uint64_t(height) : 0; }
  std::string path() const;
  std::string read() const;
};
std::vector<ManifestRow> read_manifest(const std::string& dir);
std::vector<ManifestRow> corpus_manifest();
std::vector<ManifestRow> corpus_rows(const std::string& category_prefix);

using RowFilter = std::function<bool(const ManifestRow&)>;
using RowOrder = std::function<bool(const ManifestRow&, const ManifestRow&)>;
// Rows of any of `categories` that pass `where`, fewest bytes first.
std::vector<ManifestRow> corpus_category(const std::vector<std::string>& categories, const RowFilter& where = nullptr);
// The first such row by `order` (default: fewest bytes), or nothing.
std::optional<ManifestRow> corpus_pick(const std::vector<std::string>& categories, const RowFilter& where = nullptr,
                                       const RowOrder& order = nullptr);

// The size an encoded image displays at (EXIF orientation applied; one frame of an
// animation), from its header.
struct Size {
  int width = 0, height = 0;
};
Size upright_size(const std::string& bytes);

// Decodes an encoded output with libvips (all frames).
vips::VImage decode(const std::string& bytes);

// A synthetic test image (a colour gradient with some structure), optionally with alpha.
vips::VImage synthetic(int width, int height, bool alpha = false);
std::string encode_as(const vips::VImage& image, const char* suffix);

}  // namespace pixmill::testing

// Binds `row` to a corpus file of the given categories (then optional filter and order),
// or ends the test: a failure on the committed fixtures, a skip on another corpus.
#define PIXMILL_PICK_OR_SKIP(row, ...)                                                              \
  const auto row##_picked = ::pixmill::testing::corpus_pick(__VA_ARGS__);                          \
  if (!row##_picked) {                                                                              \
    if (::pixmill::testing::corpus_is_fixtures()) {                                                \
      FAIL() << "tests/fixtures lacks " #__VA_ARGS__;                                              \
    }                                                                                               \
    GTEST_SKIP() << "the corpus has no file for " #__VA_ARGS__;                                     \
  }                                                                                                 \
  const ::pixmill::testing::ManifestRow& row = *row##_picked
