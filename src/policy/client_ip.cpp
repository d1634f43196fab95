#include "policy/client_ip.h"

#include "core/text.h"

namespace pixmill::policy {

Result<ClientIpResolver> ClientIpResolver::parse(std::string_view setting) {
  ClientIpResolver r;
  const std::string value = core::ascii_lower(core::trim_spaces(setting));
  if (value.empty()) return r;
  std::vector<std::string> ranges;
  if (auto flag = core::parse_bool(value)) {
    if (!*flag) return r;
    ranges = {"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7"};
  } else {
    ranges = core::split_comma_list(value);
  }
  for (const auto& text : ranges) {
    auto cidr = net::parse_cidr(text);
    if (!cidr) return make_error(ErrorCode::InvalidInput, "TRUST_PROXY: not an address range: " + text, "TRUST_PROXY");
    r.trusted_.push_back(*cidr);
  }
  return r;
}

bool ClientIpResolver::trusted(std::string_view ip) const {
  auto a = net::parse_address(ip);
  if (!a) return false;
  for (const auto& range : trusted_) {
    if (net::contains(range, *a)) return true;
  }
  return false;
}

std::string ClientIpResolver::resolve(const std::string& peer, const std::vector<std::string_view>& forwarded_for) const {
  if (!enabled() || !trusted(peer)) return peer;
  std::vector<std::string_view> hops;
  for (std::string_view header : forwarded_for) {
    for (size_t start = 0; start <= header.size();) {
      size_t comma = header.find(',', start);
      if (comma == std::string_view::npos) comma = header.size();
      hops.push_back(core::trim_spaces(header.substr(start, comma - start)));
      start = comma + 1;
    }
  }
  std::string client = peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto a = net::parse_address(*it);
    // Garbage in the chain was written by someone untrusted: the last good hop is the answer.
    if (!a) break;
    client = net::address_text(*a);
    if (!trusted(client)) break;
  }
  return client;
}

std::string ClientIpResolver::resolve(const http::Request& request) const {
  std::vector<std::string_view> values;
  for (const auto& [name, value] : request.headers) {
    if (name == "x-forwarded-for") values.push_back(value);
  }
  return resolve(request.client_ip, values);
}

}  // namespace pixmill::policy
