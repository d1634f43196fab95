#include "policy/redis_url.h"

#include <charconv>

namespace pixmill::policy {
namespace {

bool to_int(std::string_view text, int min, int max, int& out) {
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < min || v > max) return false;
  out = v;
  return true;
}

Error bad(std::string why) { return make_error(ErrorCode::InvalidInput, "REDIS_URL " + why, "REDIS_URL"); }

}  // namespace

Result<RedisEndpoint> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme) return bad("must start with redis://");
  url.remove_prefix(scheme.size());
  RedisEndpoint ep;
  if (auto slash = url.find('/'); slash != std::string_view::npos) {
    std::string_view db = url.substr(slash + 1);
    if (!db.empty() && !to_int(db, 0, 1'000'000, ep.db)) return bad("has a bad database number");
    url = url.substr(0, slash);
  }
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = url.substr(0, at);
    auto colon = userinfo.find(':');
    ep.password = std::string(colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1));
    url = url.substr(at + 1);
  }
  std::string_view host = url;
  if (!url.empty() && url.front() == '[') {  // [::1]:6379
    auto close = url.find(']');
    if (close == std::string_view::npos) return bad("has an unclosed [");
    host = url.substr(1, close - 1);
    url = url.substr(close + 1);
    if (!url.empty() && (url.front() != ':' || !to_int(url.substr(1), 1, 65535, ep.port))) return bad("has a bad port");
  } else if (auto colon = url.rfind(':'); colon != std::string_view::npos) {
    host = url.substr(0, colon);
    if (!to_int(url.substr(colon + 1), 1, 65535, ep.port)) return bad("has a bad port");
  }
  if (host.empty()) return bad("has no host");
  ep.host = std::string(host);
  return ep;
}

}  // namespace pixmill::policy
