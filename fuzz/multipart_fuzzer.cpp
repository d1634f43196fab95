// libFuzzer target for the streaming multipart parser.
//
// Input layout: byte 0 seeds the chunk sizes; then a Content-Type header value up to
// the first '\n'; the rest is the body. The body is parsed twice, whole and in
// chunks, and the two runs must agree: that catches state carried wrongly across a
// chunk boundary, which a crash-only target would miss.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/multipart.h"

namespace {

using pixmill::Status;
using pixmill::http::MultipartLimits;
using pixmill::http::MultipartParser;
using pixmill::http::MultipartPart;

struct Run {
  bool ok = false;
  pixmill::ErrorCode code = pixmill::ErrorCode::Internal;
  std::string message;
  std::vector<MultipartPart> parts;
};

// Small limits so the fuzzer reaches every limit check with short inputs.
MultipartLimits fuzz_limits() {
  MultipartLimits limits;
  limits.max_parts = 8;
  limits.max_header_bytes = 256;
  limits.max_field_bytes = 64;
  limits.max_file_bytes = 512;
  return limits;
}

// seed == 0 feeds the body whole.
Run parse(const std::string& boundary, std::string_view body, uint8_t seed) {
  MultipartParser parser(boundary, fuzz_limits());
  Status status = pixmill::ok_status();
  uint32_t state = seed * 2654435761u + 1;
  size_t pos = 0;
  while (pos < body.size() && status.ok()) {
    size_t size = body.size() - pos;
    if (seed != 0) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      // Mostly tiny chunks, where splits inside delimiters happen, sometimes larger.
      size = (state & 0x80) ? 1 + (state >> 8) % 300 : 1 + (state >> 8) % 8;
      size = std::min(size, body.size() - pos);
    }
    status = parser.feed(body.substr(pos, size));
    pos += size;
  }
  if (status.ok()) {
    status = parser.finish();
  }
  Run run;
  run.ok = status.ok();
  if (!status.ok()) {
    run.code = status.error().code;
    run.message = status.error().message;
    // Sticky errors: a later call must repeat the first one.
    Status again = parser.feed("x");
    if (again.ok() || again.error().message != run.message) {
      __builtin_trap();
    }
  }
  run.parts = parser.take_parts();
  return run;
}

bool same_part(const MultipartPart& a, const MultipartPart& b) {
  return a.name == b.name && a.filename == b.filename && a.content_type == b.content_type && a.data == b.data &&
         a.offset == b.offset && a.size == b.size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) {
    return 0;
  }
  const uint8_t seed = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nl = rest.find('\n');
  const std::string_view content_type = rest.substr(0, nl);
  const std::string_view body = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);

  // An unusable Content-Type still drives the parser, with the raw line as the
  // boundary, so invalid-boundary handling is exercised too.
  const std::optional<std::string> parsed = pixmill::http::multipart_boundary(content_type);
  const std::string boundary = parsed ? *parsed : std::string(content_type);

  const Run whole = parse(boundary, body, 0);
  const Run chunked = parse(boundary, body, seed == 0 ? 1 : seed);
  if (whole.ok != chunked.ok || whole.code != chunked.code || whole.message != chunked.message) {
    __builtin_trap();
  }
  // Completed parts are deterministic even when a later part fails.
  if (whole.parts.size() != chunked.parts.size()) {
    __builtin_trap();
  }
  for (size_t i = 0; i < whole.parts.size(); ++i) {
    if (!same_part(whole.parts[i], chunked.parts[i])) {
      __builtin_trap();
    }
    // A part's position names exactly the bytes it holds.
    const MultipartPart& p = whole.parts[i];
    if (p.size != p.data.size() || p.offset > body.size() || body.substr(p.offset, p.size) != p.data) {
      __builtin_trap();
    }
  }
  // The in-place splitter agrees with the copying parser.
  auto split = pixmill::http::split_multipart(body, boundary, fuzz_limits());
  if (split.ok() != whole.ok || (split.ok() && split->size() != whole.parts.size())) {
    __builtin_trap();
  }
  if (split.ok()) {
    for (size_t i = 0; i < split->size(); ++i) {
      const MultipartPart& p = (*split)[i];
      if (!p.data.empty() || p.offset != whole.parts[i].offset || p.size != whole.parts[i].size) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
