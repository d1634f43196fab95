#pragma once
// Files compiled into the binary at build time (cmake/WebAssets.cmake): the
// playground (web/) and the API reference viewer. Looked up by URL path.

#include <string_view>
#include <vector>

namespace pixmill::web {

struct EmbeddedAsset {
  std::string_view path;   // "/assets/app.js", "/docs/assets/swagger-ui.css"
  std::string_view etag;   // a prefix of the file's SHA-256
  std::string_view bytes;
};

const std::vector<EmbeddedAsset>& embedded_assets();  // generated
const EmbeddedAsset* find_embedded_asset(std::string_view path);
std::string_view content_type_for(std::string_view path);

}  // namespace pixmill::web
