// libFuzzer target for taking an upload out of a request body: multipart, JSON with a
// base64 or data-URL image, url-encoded forms and raw bodies (dialects/upload.cpp),
// plus the base64 decoder on its own.
//
// Input layout: a Content-Type value up to the first '\n', then the body.
// Invariants: refusals are typed (INVALID_INPUT, or FILE_TOO_LARGE for the image
// limit); an accepted image respects the byte limit; base64 that decodes re-encodes
// and decodes to the same bytes.

#include <boost/beast/core/detail/base64.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "dialects/upload.h"
#include "fuzz_check.h"

using namespace pixmill;

namespace {

std::string encode_base64(std::string_view bytes) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::encoded_size(bytes.size()), '\0');
  out.resize(b64::encode(out.data(), bytes.data(), bytes.size()));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  const std::string_view content_type = input.substr(0, nl);
  const std::string_view body = nl == std::string_view::npos ? std::string_view{} : input.substr(nl + 1);

  http::Request request;
  request.method = "POST";
  request.path = "/api/v1/process";
  request.headers.emplace_back("content-type", std::string(content_type));
  request.body = std::string(body);

  dialects::UploadOptions options;
  options.max_image_bytes = 1024;  // small, so the fuzzer reaches the limit
  auto upload = dialects::extract_upload(request, options);
  if (upload) {
    for (const auto& [name, value] : upload->fields) fuzz::check(name.size() <= body.size() + content_type.size());
  } else {
    const ErrorCode code = upload.error().code;
    fuzz::check(code == ErrorCode::InvalidInput || code == ErrorCode::FileTooLarge);
    fuzz::check(!upload.error().message.empty());
  }

  auto decoded = dialects::decode_base64_image(body);
  if (decoded) {
    fuzz::check(decoded->size() <= body.size());
    auto again = dialects::decode_base64_image(encode_base64(*decoded));
    fuzz::check(again && *again == *decoded);
  } else {
    fuzz::check_rejection(decoded.error());
  }
  return 0;
}
