#pragma once
// imgproxy's URL grammar: /{signature}/{options…}/plain/{percent-encoded url}[@{ext}]
// or /{signature}/{options…}/{base64url url}[.{ext}] (docs.imgproxy.net/usage/processing).
// The signature is HMAC-SHA256 over the path after it, keyed by IMGPROXY_KEY with
// IMGPROXY_SALT prepended to the message (several key/salt pairs for rotation),
// base64url without padding, truncated to IMGPROXY_SIGNATURE_SIZE bytes.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "grammars/grammar_request.h"
#include "grammars/imgproxy_options.h"

namespace pixmill::grammars {

struct ImgproxySettings {
  std::vector<std::pair<std::string, std::string>> keys;  // (key, salt), decoded bytes; empty: unsigned URLs
  int signature_size = 32;                                  // bytes of the MAC compared, 1..32
  ImgproxyPresets presets;                                   // IMGPROXY_PRESETS; "default" applies to every URL
};

// Parses the path after the mount prefix ("/sig/rs:fit:300:0/plain/http://x/a.jpg@webp").
// `path` is the request target as received (not percent-decoded): the signature covers
// those bytes. Errors are typed (error_map.cpp, Imgproxy column): SignatureInvalid,
// InvalidInput, UnsupportedOption, Expired, UnsupportedFormat (an output imgproxy has
// but pixmill cannot write).
Result<GrammarRequest> parse_imgproxy_url(std::string_view path, const ImgproxySettings& settings, const ClientHints& hints,
                                          int64_t now_s);

// "/{signature}" for a path (starting with '/'), as imgproxy's signers compute it: for tests and `pixmill sign`.
std::string imgproxy_signature(std::string_view path, std::string_view key, std::string_view salt, int signature_size);

// Checks the signature segment; with no keys configured, any segment without ':' passes.
Status verify_imgproxy_signature(std::string_view signature, std::string_view signed_path, const ImgproxySettings& settings);

// imgproxy's gravity names -> the Recipe's gravity (fp and unknown names: centre).
Gravity imgproxy_gravity(std::string_view type);
// imgproxy's format names -> an output format pixmill writes; UnsupportedFormat for one
// imgproxy knows but pixmill cannot write, InvalidInput for an unknown name.
Result<OutputFormat> imgproxy_format(std::string_view name);

// Parses IMGPROXY_PRESETS: "name=opt:a/opt:b,name2=…". Errors name the variable.
Result<ImgproxyPresets> parse_imgproxy_presets(std::string_view setting);

}  // namespace pixmill::grammars
