#pragma once
// CORS: an allowlist of origins (CORS_ORIGINS, comma-separated, or *). Preflights are
// answered for every route; the X-* result headers are exposed so a browser can read them.

#include <string>
#include <vector>

#include "http/message.h"

namespace pixmill::policy {

class Cors {
 public:
  explicit Cors(const std::string& origins_setting);
  bool enabled() const { return any_ || !origins_.empty(); }

  // Adds Access-Control-* headers when the request's Origin is allowed.
  void decorate(const http::Request& request, http::Response& response) const;
  // The answer to an OPTIONS preflight (204, or 403 for an origin not allowed).
  http::Response preflight(const http::Request& request) const;

 private:
  bool allowed(std::string_view origin) const;
  bool any_ = false;
  std::vector<std::string> origins_;
};

}  // namespace pixmill::policy
