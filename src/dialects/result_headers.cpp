#include "dialects/result_headers.h"

#include <cstdio>

namespace pixmill::dialects {

http::Response image_response(pipeline::ProcessResult result) {
  http::Response r;
  r.set("Content-Type", std::string(output_format_mime(result.format)));
  const size_t out = result.bytes.size();
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2f", out ? static_cast<double>(result.bytes_in) / static_cast<double>(out) : 0.0);
  r.set("X-Original-Bytes", std::to_string(result.bytes_in));
  r.set("X-Output-Bytes", std::to_string(out));
  r.set("X-Output-Format", std::string(output_format_name(result.format)));
  if (result.quality) r.set("X-Output-Quality", std::to_string(*result.quality));
  r.set("X-Output-Width", std::to_string(result.width));
  r.set("X-Output-Height", std::to_string(result.height));
  r.set("X-Compression-Ratio", ratio);
  r.set("X-Processing-Time-Ms", std::to_string(static_cast<long long>(result.elapsed_ms + 0.5)));
  r.set("X-Target-Met", result.target_met ? "true" : "false");
  r.set("X-Resized", result.resized ? "true" : "false");
  r.set("X-Iterations", std::to_string(result.iterations));
  r.body = std::move(result.bytes);
  return r;
}

std::string attachment(const std::string& base, const std::string& suffix, recipe::OutputFormat format) {
  return "attachment; filename=\"" + base + suffix + "." + std::string(output_format_extension(format)) + "\"";
}

}  // namespace pixmill::dialects
