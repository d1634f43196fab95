#include "policy/redis_url.h"

#include <boost/url/parse.hpp>

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

Result<RedisEndpoint> parse_redis_url(std::string_view text) {
  // Boost.URL (RFC 3986): brackets around IPv6 hosts, percent-escapes in the password.
  auto url = boost::urls::parse_uri(text);
  if (!url || url->scheme() != "redis") return bad("must be redis://[[user]:password@]host[:port][/db]");
  RedisEndpoint ep;
  ep.host = url->host_address();
  if (ep.host.empty()) return bad("has no host");
  ep.password = url->password();
  if (url->has_port() && !to_int(url->port(), 1, 65535, ep.port)) return bad("has a bad port");
  std::string_view db = url->encoded_path();
  if (db.size() > 1 && !to_int(db.substr(1), 0, 1'000'000, ep.db)) return bad("has a bad database number");
  return ep;
}

}  // namespace pixmill::policy
