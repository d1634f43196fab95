#pragma once
// thumbor's URL grammar, as imagor extends it:
//   /{hash|unsafe}/[meta/][trim[:…]/][AxB:CxD/][fit-in|adaptive-fit-in|full-fit-in|adaptive-full-fit-in/]
//   [stretch/][-]Ex[-]F/[GxH[:IxJ]/][left|right|center/][top|bottom|middle/][smart/][filters:a(x):b(y)/]{image}
// The hash is HMAC over the path after it, url-safe base64 with padding: SHA-1 with
// thumbor's SECURITY_KEY, or imagor's signer (SHA-1/256/512, truncated to N characters).

#include <string>
#include <string_view>

#include "core/digest.h"
#include "core/result.h"
#include "grammars/grammar_request.h"

namespace pixmill::grammars {

struct ThumborSettings {
  std::string key;                                 // THUMBOR_SECURITY_KEY or IMAGOR_SECRET; empty: unsafe/ URLs
  HmacAlgorithm algorithm = HmacAlgorithm::Sha1;   // IMAGOR_SIGNER_TYPE
  int truncate = 0;                                // IMAGOR_SIGNER_TRUNCATE (characters), 0 = all
  bool imagor = false;                             // imagor's error shape and expire() filter
};

// `path`: the request target after the mount prefix, not percent-decoded. Errors
// (error_map.cpp, Thumbor and Imagor columns): SignatureInvalid, Expired (imagor
// expire()), InvalidInput, UnsupportedOption.
Result<GrammarRequest> parse_thumbor_url(std::string_view path, const ThumborSettings& settings, const ClientHints& hints,
                                         int64_t now_ms);

// The hash segment for a path (no leading '/'), as thumbor's and imagor's signers write it.
std::string thumbor_signature(std::string_view path, const ThumborSettings& settings);

}  // namespace pixmill::grammars
