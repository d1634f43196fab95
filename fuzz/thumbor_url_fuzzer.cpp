// libFuzzer target for thumbor / imagor URLs (src/grammars/thumbor_url.cpp): the input
// path parsed as an unsafe URL, and signed with a SHA-256 imagor key.

#include <cstddef>
#include <cstdint>
#include <string>

#include "grammar_fuzz.h"
#include "grammars/thumbor_url.h"

using namespace pixmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string path(reinterpret_cast<const char*>(data), size);
  while (path.starts_with('/')) path.erase(0, 1);
  fuzz::check_grammar_result(grammars::parse_thumbor_url("/unsafe/" + path, {}, {}, 1'700'000'000'000), path);
  fuzz::check_grammar_result(grammars::parse_thumbor_url("/" + path, {}, {}, 1'700'000'000'000), path);

  grammars::ThumborSettings keyed;
  keyed.key = "fuzz-key";
  keyed.algorithm = core::HmacAlgorithm::Sha256;
  keyed.truncate = static_cast<int>(size % 50);
  keyed.imagor = true;
  grammars::ClientHints hints;
  if (size % 2 == 0) hints.width = static_cast<int>(size % 9000) + 1;
  fuzz::check_grammar_result(grammars::parse_thumbor_url("/" + grammars::thumbor_signature(path, keyed) + "/" + path, keyed, hints, 1), path);
  return 0;
}
