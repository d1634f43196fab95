// Google Benchmark of the common jobs through the whole pipeline (decode, process,
// encode, in memory), to compare with bench/compare's vips-limit-sharp: plain libvips
// on the same build, same image, same settings. A benchmark, not a test.
//
//   build/bench/pixmill_bench [--benchmark_filter=...]
// Images: $PIXMILL_BENCH_IMAGES/{a.jpg,c.png,d.jpg} as made by bench/compare/images.sh
// (default /tmp/pixmill-bench/images), else a photo of the right category from
// $PIXMILL_CORPUS, else from the repository's tests/fixtures.

#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "pipeline/process.h"
#include "pipeline/vips_runtime.h"

namespace {

using namespace pixmill;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The smallest file of `category` and `format` in the corpus manifest (columns: file,
// category, format, ...), chosen by category like the tests, never by name.
std::string corpus_image(const std::string& category, const std::string& format) {
  const char* env = std::getenv("PIXMILL_CORPUS");
  const std::string dir = env && *env ? env : PIXMILL_FIXTURES_DIR;
  std::istringstream lines(read_file(dir + "/MANIFEST.tsv"));
  std::string line, best;
  uint64_t best_bytes = UINT64_MAX;
  while (std::getline(lines, line)) {
    std::vector<std::string> cols;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) cols.push_back(cell);
    if (cols.size() < 6 || cols[1] != category || cols[2] != format) continue;
    const uint64_t bytes = std::strtoull(cols[5].c_str(), nullptr, 10);
    if (bytes < best_bytes) best = cols[0], best_bytes = bytes;
  }
  return best.empty() ? std::string() : read_file(dir + "/" + best);
}

std::string image(const char* name, const char* category, const char* format) {
  const char* dir = std::getenv("PIXMILL_BENCH_IMAGES");
  std::string bytes = read_file(std::string(dir ? dir : "/tmp/pixmill-bench/images") + "/" + name);
  if (bytes.empty()) bytes = corpus_image(category, format);
  return bytes;
}

// CPU of the whole process (libvips runs its own threads), in milliseconds.
double process_cpu_ms() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

void run(benchmark::State& state, const std::string& input, const recipe::Recipe& recipe) {
  pipeline::init_vips("pixmill_bench", pipeline::VipsSettings{1});
  const std::span<const uint8_t> bytes = core::as_bytes(input);
  size_t out = 0;
  const double cpu_start = process_cpu_ms();
  for (auto _ : state) {
    auto result = pipeline::process_image(bytes, recipe, recipe::Limits{});
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
    out = result->bytes.size();
    benchmark::DoNotOptimize(result->bytes.data());
  }
  state.counters["out_bytes"] = static_cast<double>(out);
  state.counters["cpu_ms_per_image"] = (process_cpu_ms() - cpu_start) / static_cast<double>(state.iterations());
}

// Same settings as vips-limit: fit inside, never enlarge, strip metadata.
recipe::Recipe fit(int width, recipe::OutputFormat format, int quality) {
  recipe::Recipe r;
  r.resize = recipe::ResizeSpec{width, width, recipe::FitMode::Fit, recipe::Gravity::Centre, true};
  r.output.format = format;
  r.output.quality = quality;
  return r;
}

// The compositing workload of issue 17: the same job plus one logo watermark (240x90 PNG
// with alpha, south-east, 80%) and one caption with a shadow (south-west). Compare its
// cpu_ms_per_image with BM_Jpeg12MpToWebp800's (bench/RESULTS.md).
recipe::Recipe with_logo_and_caption(recipe::Recipe r) {
  vips::VImage ring = (vips::VImage::xyz(240, 90).extract_band(0) > 100).ifthenelse(255, 0).cast(VIPS_FORMAT_UCHAR);
  vips::VImage logo = vips::VImage::black(240, 90, vips::VImage::option()->set("bands", 3)).new_from_image({224, 32, 42})
                          .cast(VIPS_FORMAT_UCHAR).bandjoin(ring).copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  void* buffer = nullptr;
  size_t size = 0;
  logo.write_to_buffer(".png", &buffer, &size);
  recipe::Overlay overlay;
  overlay.source.reference = "logo";
  overlay.source.bytes = std::make_shared<const std::string>(static_cast<const char*>(buffer), size);
  g_free(buffer);
  overlay.placement = recipe::Placement{recipe::Gravity::SouthEast, 24, 24};
  overlay.opacity = 0.8;
  r.overlays.push_back(overlay);
  recipe::TextLayer caption;
  caption.text = "\u00a9 2025 pixmill \u2014 sample caption";
  caption.size = 28;
  caption.placement = recipe::Placement{recipe::Gravity::SouthWest, 24, 24};
  caption.shadow = recipe::Colour{0, 0, 0, 153};
  r.texts.push_back(caption);
  return r;
}

void BM_Jpeg12MpToWebp800(benchmark::State& s) { run(s, image("a.jpg", "photo-large", "jpeg"), fit(800, recipe::OutputFormat::Webp, 80)); }
void BM_Jpeg12MpToJpeg800(benchmark::State& s) { run(s, image("a.jpg", "photo-large", "jpeg"), fit(800, recipe::OutputFormat::Jpeg, 80)); }
void BM_Jpeg640To320(benchmark::State& s) { run(s, image("d.jpg", "photo-small", "jpeg"), fit(320, recipe::OutputFormat::Jpeg, 80)); }
void BM_PngToAvif1024(benchmark::State& s) { run(s, image("c.png", "photo-kodak", "png"), fit(1024, recipe::OutputFormat::Avif, 50)); }

void BM_Jpeg12MpToWebp800LogoAndCaption(benchmark::State& s) {
  run(s, image("a.jpg", "photo-large", "jpeg"), with_logo_and_caption(fit(800, recipe::OutputFormat::Webp, 80)));
}

BENCHMARK(BM_Jpeg12MpToWebp800)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_Jpeg12MpToWebp800LogoAndCaption)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_Jpeg12MpToJpeg800)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_Jpeg640To320)->Unit(benchmark::kMillisecond)->MinTime(3);
BENCHMARK(BM_PngToAvif1024)->Unit(benchmark::kMillisecond)->MinTime(5);

}  // namespace

BENCHMARK_MAIN();
