#include "web/route_docs.h"

#include <utility>

namespace pixmill::web {
namespace {

using K = RouteKind;

constexpr std::pair<std::string_view, RouteDoc> kDocs[] = {
    {"healthz", {"service", "Liveness", "Answered on the I/O thread without waiting for a worker.", K::Json}},
    {"service.metrics", {"service", "Prometheus metrics", "Requests by route/dialect/status, latency histograms, bytes, queue, workers, admissions, fetches, model inference, process memory.", K::Text}},
    {"web.playground", {"web", "The playground", "Upload an image, try every native operation, compare before and after, copy the request as curl.", K::Html}},
    {"web.assets", {"web", "Playground files", "Scripts and styles of the playground, compiled into the binary.", K::Asset, "file"}},
    {"web.docs", {"web", "API reference", "This document, rendered by Swagger UI (served locally).", K::Html}},
    {"web.docs_assets", {"web", "API reference viewer files", "Swagger UI's script and styles, compiled into the binary.", K::Asset, "file"}},
    {"web.openapi", {"web", "This OpenAPI document", "Generated from the route table and the parameter tables the parsers use.", K::Json}},
    {"native.process", {"native", "Process an image", "Every native operation: resize and crop, rotate and flip, effects, format, quality, target size.", K::NativeImage, "", "process"}},
    {"native.resize", {"native", "Resize, crop, rotate, flip", "Geometry and output parameters only.", K::NativeImage, "", "resize"}},
    {"native.convert", {"native", "Convert the format", "Output parameters only; format is required.", K::NativeImage, "", "convert"}},
    {"native.effects", {"native", "Apply effects", "Tone, colour, blur, sharpen, greyscale, sepia, plus output parameters.", K::NativeImage, "", "effects"}},
    {"native.optimize", {"native", "Optimise for the web", "WebP, metadata stripped, never enlarged by default.", K::NativeImage, "", "optimize"}},
    {"native.remove-bg", {"native", "Remove the background", "PNG with the background made transparent; 503 MODEL_UNAVAILABLE while no segmentation model is installed.", K::NativeImage, "", "remove-bg"}},
    {"native.preset", {"native", "Resize to a social or ad preset", "Cover-crops to the preset's size; ids as listed by GET /v1/presets, TheGlitch-style names also work.", K::NativePreset, "name", "preset"}},
    {"native.info", {"native", "Describe an image", "JSON facts: format, size, frames and delays, orientation, alpha, colour space and ICC profile, bit depth, EXIF summary (gps=true adds the coordinates), face boxes with faces=true, dominant and average colours, BlurHash, ThumbHash, a 64-bit perceptual hash.", K::NativeInfo}},
    {"petiteimg.process", {"petiteimg", "Process (petiteimg-compatible)", "Operations run in the fixed order resize, crop, compress, convert whatever the array order.", K::PetiteProcess}},
    {"petiteimg.presets", {"petiteimg", "List the presets", "Grouped: Social Media, Google Ads, Covers.", K::Json}},
    {"petiteimg.health", {"petiteimg", "Health (petiteimg-compatible)", "", K::Json}},
    {"feather.health", {"feather", "Health (Feather-compatible)", "", K::Json}},
    {"feather.formats", {"feather", "Supported formats", "", K::Json}},
    {"feather.compress", {"feather", "Compress (Feather-compatible)", "Unknown fields are ignored, as Feather does.", K::FeatherImage}},
    {"feather.convert", {"feather", "Convert (Feather-compatible)", "outputFormat is required and may not be auto; targetMB is ignored.", K::FeatherImage}},
    {"imgproxy.image", {"grammars", "An imgproxy URL", "/{signature}/{options}/plain/{source} or /{signature}/{options}/{base64 source}.{ext}, signed with IMGPROXY_KEY/IMGPROXY_SALT (docs/url-grammars.md).", K::UrlImage, "path"}},
    {"thumbor.image", {"grammars", "A thumbor or imagor URL", "/{hmac|unsafe}/[meta/][trim/][AxB:CxD/][fit-in/][-Ex-F/][halign/][valign/][smart/][filters:…/]{source}, signed with THUMBOR_SECURITY_KEY or IMAGOR_SECRET (docs/url-grammars.md).", K::UrlImage, "path"}},
    {"cloudflare.image", {"grammars", "A Cloudflare Images URL", "/{options}/{source}: comma-separated key=value options (docs/url-grammars.md).", K::UrlImage, "path"}},
    {"feather.model", {"feather", "The background-removal model", "For in-browser use: from memory, MODEL_PATH, MODEL_CACHE_DIR or the configured upstream.", K::FeatherModel}},
};

}  // namespace

const RouteDoc* find_route_doc(std::string_view route_name) {
  for (const auto& [name, doc] : kDocs) {
    if (name == route_name) return &doc;
  }
  return nullptr;
}

}  // namespace pixmill::web
