#include "test_images.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <sstream>
#include <tuple>

#include "codecs/avif_sequence.h"
#include "codecs/jxl_decoder.h"
#include "codecs/svg_rasterizer.h"
#include "pipeline/sniff.h"
#include "pipeline/source.h"
#include "pipeline/vips_runtime.h"

namespace pixmill::testing {
namespace {

class VipsEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    ASSERT_TRUE(pipeline::init_vips("pixmill-tests", pipeline::VipsSettings{1}));
    // SVG is rasterised by `pixmill svg-render`; this test binary is not pixmill.
    if (std::getenv("PIXMILL_EXE") == nullptr) codecs::set_svg_helper_executable(PIXMILL_EXE_PATH);
  }
};

[[maybe_unused]] auto* const g_env = ::testing::AddGlobalTestEnvironment(new VipsEnvironment);

}  // namespace

std::string fixtures_dir() { return PIXMILL_FIXTURES_DIR; }

std::string corpus_dir() {
  if (const char* env = std::getenv("PIXMILL_CORPUS"); env && *env) return env;
  return fixtures_dir();
}

bool corpus_is_fixtures() { return corpus_dir() == fixtures_dir(); }

std::string unique_temp_path(const std::string& name) {
  static std::atomic<int> counter{0};
  return ::testing::TempDir() + "pixmill-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string ManifestRow::path() const { return corpus_dir() + "/" + file; }
std::string ManifestRow::read() const { return read_file(path()); }

std::vector<ManifestRow> corpus_manifest() { return read_manifest(corpus_dir()); }

std::vector<ManifestRow> read_manifest(const std::string& dir) {
  std::vector<ManifestRow> rows;
  std::istringstream lines(read_file(dir + "/MANIFEST.tsv"));
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::vector<std::string> cols;
    std::stringstream cells(line);
    std::string cell;
    while (std::getline(cells, cell, '\t')) cols.push_back(cell);
    if (cols.size() < 6) continue;
    ManifestRow row;
    row.file = cols[0];
    row.category = cols[1];
    row.format = cols[2];
    row.width = cols[3] == "-" ? -1 : std::stoi(cols[3]);
    row.height = cols[4] == "-" ? -1 : std::stoi(cols[4]);
    row.bytes = std::stoull(cols[5]);
    if (cols.size() > 8) row.license = cols[8];
    rows.push_back(row);
  }
  return rows;
}

std::vector<ManifestRow> corpus_rows(const std::string& prefix) {
  std::vector<ManifestRow> out;
  for (auto& row : corpus_manifest()) {
    if (row.category.rfind(prefix, 0) == 0) out.push_back(row);
  }
  return out;
}

std::vector<ManifestRow> corpus_category(const std::vector<std::string>& categories, const RowFilter& where) {
  std::vector<ManifestRow> out;
  for (auto& row : corpus_manifest()) {
    if (std::find(categories.begin(), categories.end(), row.category) == categories.end()) continue;
    if (where && !where(row)) continue;
    out.push_back(row);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::tie(a.bytes, a.file) < std::tie(b.bytes, b.file); });
  return out;
}

std::optional<ManifestRow> corpus_pick(const std::vector<std::string>& categories, const RowFilter& where,
                                       const RowOrder& order) {
  auto rows = corpus_category(categories, where);
  if (rows.empty()) return std::nullopt;
  if (order) std::stable_sort(rows.begin(), rows.end(), order);
  return rows.front();
}

Size upright_size(const std::string& bytes) {
  vips::VImage header = vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "");
  const int orientation = header.get_typeof("orientation") ? header.get_int("orientation") : 1;
  const int page = header.get_typeof("page-height") ? header.get_int("page-height") : header.height();
  if (orientation >= 5 && orientation <= 8) return {page, header.width()};
  return {header.width(), page};
}

namespace {

// Every frame of what our own decoders read, copied out of their buffer.
vips::VImage decoded_frames(Result<codecs::PixelBuffer> pixels) {
  if (!pixels) throw vips::VError(pixels.error().message.c_str());
  return pipeline::pixels_as_image(*pixels).copy_memory();
}

}  // namespace

vips::VImage decode(const std::string& bytes) {
  // libvips' build reads neither JPEG XL nor AVIF image sequences; the pipeline's
  // decoders (Debian's libjxl and libavif) do, all frames.
  const auto view = bytes_of(bytes);
  if (codecs::is_jxl(view)) return decoded_frames(codecs::jxl_decode(view, 1'000'000'000, 100'000));
  if (pipeline::lists_isobmff_brand(view, "avis")) return decoded_frames(codecs::avif_sequence_decode(view, 1'000'000'000, 100'000));
  return vips::VImage::new_from_buffer(bytes.data(), bytes.size(), "",
                                       vips::VImage::option()->set("n", -1)->set("access", VIPS_ACCESS_RANDOM))
      .copy_memory();
}

vips::VImage synthetic(int width, int height, bool alpha) {
  vips::VImage xy = vips::VImage::xyz(width, height);
  vips::VImage x = xy.extract_band(0), y = xy.extract_band(1);
  vips::VImage r = x * (255.0 / width);
  vips::VImage g = y * (255.0 / height);
  vips::VImage b = ((x + y) % 64) * 4;
  vips::VImage rgb = r.bandjoin(g).bandjoin(b).cast(VIPS_FORMAT_UCHAR).copy(
      vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  if (alpha) {
    vips::VImage a = (x < width / 2).ifthenelse(255, 64).cast(VIPS_FORMAT_UCHAR);
    rgb = rgb.bandjoin(a);
  }
  return rgb;
}

std::string encode_as(const vips::VImage& image, const char* suffix) {
  void* buf = nullptr;
  size_t size = 0;
  image.write_to_buffer(suffix, &buf, &size);
  std::string out(static_cast<char*>(buf), size);
  g_free(buf);
  return out;
}

}  // namespace pixmill::testing
