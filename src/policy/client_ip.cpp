#include "policy/client_ip.h"

#include <arpa/inet.h>

#include <cstring>

#include "core/text.h"

namespace pixmill::policy {
namespace {

// An address in the Cidr layout (IPv4-mapped IPv6 folded to IPv4, as a v6 listener reports v4 peers).
std::optional<fetch::Cidr> parse_address(std::string_view text) {
  text = trim_spaces(text);
  if (!text.empty() && text.front() == '[') {  // "[2001:db8::1]:443" in some proxies' headers
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string_view::npos && text.find(':') == text.rfind(':') && text.find('.') != std::string_view::npos) {
    text = text.substr(0, text.find(':'));  // "203.0.113.9:5123"
  }
  const std::string s(text);
  fetch::Cidr a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    a.prefix = 32;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
      std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
      std::fill(a.bytes.begin() + 4, a.bytes.end(), 0);
      a.family = AF_INET;
      a.prefix = 32;
      return a;
    }
    a.family = AF_INET6;
    a.prefix = 128;
    return a;
  }
  return std::nullopt;
}

bool in_range(const fetch::Cidr& address, const fetch::Cidr& range) {
  if (address.family != range.family) return false;
  int bits = range.prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((address.bytes[i] & mask) != (range.bytes[i] & mask)) return false;
  }
  return true;
}

std::string text_of(const fetch::Cidr& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(a.family, a.bytes.data(), buf, sizeof buf);
  return buf;
}

}  // namespace

Result<ClientIpResolver> ClientIpResolver::parse(std::string_view setting) {
  ClientIpResolver r;
  const std::string value = ascii_lower(trim_spaces(setting));
  if (value.empty() || value == "false" || value == "0" || value == "no") return r;
  std::vector<std::string> ranges;
  if (value == "true" || value == "1" || value == "yes") {
    ranges = {"127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7"};
  } else {
    ranges = split_comma_list(value);
  }
  for (const auto& text : ranges) {
    auto cidr = fetch::parse_cidr(text);
    if (!cidr) return make_error(ErrorCode::InvalidInput, "TRUST_PROXY: not an address range: " + text, "TRUST_PROXY");
    r.trusted_.push_back(*cidr);
  }
  return r;
}

bool ClientIpResolver::trusted(std::string_view ip) const {
  auto a = parse_address(ip);
  if (!a) return false;
  for (const auto& range : trusted_) {
    if (in_range(*a, range)) return true;
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
      hops.push_back(trim_spaces(header.substr(start, comma - start)));
      start = comma + 1;
    }
  }
  std::string client = peer;
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto a = parse_address(*it);
    // Garbage in the chain was written by someone untrusted: the last good hop is the answer.
    if (!a) break;
    client = text_of(*a);
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
