#include "recipe/overlay_source.h"

#include <algorithm>
#include <cctype>

namespace pixmill::recipe {

bool is_watermark_name(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

bool is_http_url(std::string_view reference) { return reference.rfind("http://", 0) == 0 || reference.rfind("https://", 0) == 0; }

OverlaySource overlay_source_from(const std::string& reference) {
  OverlaySource source;
  source.reference = reference;
  if (reference.rfind(kUploadedPartPrefix, 0) == 0) {
    source.kind = OverlaySource::Kind::Upload;
  } else if (is_http_url(reference)) {
    source.kind = OverlaySource::Kind::Url;
  } else if (is_watermark_name(reference)) {
    source.kind = OverlaySource::Kind::Named;
  } else {
    source.kind = OverlaySource::Kind::File;
  }
  return source;
}

}  // namespace pixmill::recipe
