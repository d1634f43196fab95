// libFuzzer target for imgproxy URLs (src/grammars/imgproxy_url.cpp). The input is the
// path after the mount prefix. It is parsed unsigned, and again signed by a configured
// key (the fuzzer signs it itself) so that signed inputs reach the option parser too.

#include <cstddef>
#include <cstdint>
#include <string>

#include "grammar_fuzz.h"
#include "grammars/imgproxy_url.h"

using namespace pixmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  const std::string path(reinterpret_cast<const char*>(data), size);
  grammars::ImgproxySettings open;
  open.presets = {{"default", "q:70"}, {"p", "rs:fill:10:10/pr:p"}};
  fuzz::check_grammar_result(grammars::parse_imgproxy_url(path, open, {}, 1'700'000'000), path);

  grammars::ImgproxySettings keyed = open;
  keyed.keys.emplace_back("fuzz-key", "fuzz-salt");
  keyed.signature_size = 1 + static_cast<int>(size % 32);
  const std::string rest = path.starts_with('/') ? path : "/" + path;
  const std::string signed_path = "/" + grammars::imgproxy_signature(rest, "fuzz-key", "fuzz-salt", keyed.signature_size) + rest;
  grammars::ClientHints hints;
  if (size % 3 == 0) hints.dpr = 1.0 + static_cast<double>(size % 5);
  if (size % 4 == 0) hints.width = static_cast<int>(size % 9000);
  fuzz::check_grammar_result(grammars::parse_imgproxy_url(signed_path, keyed, hints, 1'700'000'000), path);
  return 0;
}
