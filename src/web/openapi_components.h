#pragma once
// The shared parts of the OpenAPI document: `components` (error schemas per dialect,
// petiteimg's operations, the image answer's headers, security schemes).

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace pixmill::web {

using json = nlohmann::ordered_json;

// The response headers every image answer carries (src/dialects/result_headers.cpp).
const std::vector<std::pair<std::string, std::string>>& image_headers();

json openapi_components();

}  // namespace pixmill::web
