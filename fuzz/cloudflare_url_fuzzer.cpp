// libFuzzer target for Cloudflare Images URLs (src/grammars/cloudflare_url.cpp): the
// input is the path after /cdn-cgi/image, with and without client hints.

#include <cstddef>
#include <cstdint>
#include <string>

#include "grammar_fuzz.h"
#include "grammars/cloudflare_url.h"

using namespace pixmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string path(reinterpret_cast<const char*>(data), size);
  fuzz::check_grammar_result(grammars::parse_cloudflare_url(path, {}), path);
  grammars::ClientHints hints;
  hints.dpr = 0.5 + static_cast<double>(size % 8);
  hints.width = static_cast<int>(size % 8000) + 1;
  fuzz::check_grammar_result(grammars::parse_cloudflare_url(path, hints), path);
  return 0;
}
