#include "policy/cors.h"

#include "core/text.h"

#include <algorithm>

namespace pixmill::policy {
namespace {

constexpr const char* kExposed =
    "X-Original-Bytes, X-Output-Bytes, X-Output-Format, X-Output-Quality, X-Output-Width, X-Output-Height, "
    "X-Compression-Ratio, X-Processing-Time-Ms, X-Target-Met, X-Resized, X-Iterations, X-Process-Results, "
    "X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Quota-Limit, X-Quota-Remaining, X-Quota-Reset, "
    "Retry-After, X-Request-Id, Content-Disposition";

}  // namespace

Cors::Cors(const std::string& setting) {
  for (std::string item : core::split_comma_list(setting)) {
    while (!item.empty() && item.back() == '/') item.pop_back();  // "https://a.example/" names the same origin
    if (item == "*") {
      any_ = true;
    } else if (!item.empty()) {
      origins_.push_back(item);
    }
  }
}

bool Cors::allowed(std::string_view origin) const {
  if (origin.empty()) return false;
  return any_ || std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void Cors::decorate(const http::Request& request, http::Response& response) const {
  std::string_view origin = request.header("origin");
  if (!allowed(origin)) return;
  response.set("Access-Control-Allow-Origin", any_ ? "*" : std::string(origin));
  if (!any_) response.set("Vary", response.header("Vary").empty() ? "Origin" : std::string(response.header("Vary")) + ", Origin");
  response.set("Access-Control-Expose-Headers", kExposed);
}

http::Response Cors::preflight(const http::Request& request) const {
  http::Response r;
  if (!allowed(request.header("origin"))) {
    r.status = 403;
    return r;
  }
  r.status = 204;
  r.set("Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS");
  std::string_view asked = request.header("access-control-request-headers");
  r.set("Access-Control-Allow-Headers",
        asked.empty() ? "Content-Type, Authorization, X-API-Key, X-RapidAPI-Key, X-Request-Id" : std::string(asked));
  r.set("Access-Control-Max-Age", "600");
  decorate(request, r);
  return r;
}

}  // namespace pixmill::policy
