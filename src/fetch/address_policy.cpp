#include "fetch/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/text.h"

namespace pixmill::fetch {
namespace {

using V6 = std::array<uint8_t, 16>;

// Public: anyone may fetch. Private: internal networks, allowed by allow_private.
// Never: not a sensible unicast peer for an image fetch whatever the deployment.
enum class Scope { Public, Private, Never };

struct V4Range {
  uint32_t base;
  int prefix;
  Scope scope;
};

constexpr uint32_t v4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) { return (a << 24) | (b << 16) | (c << 8) | d; }

// Special-purpose ranges (IANA IPv4 Special-Purpose Address Registry and friends).
constexpr V4Range kV4Ranges[] = {
    {v4(0, 0, 0, 0), 8, Scope::Never},        // "this network"
    {v4(10, 0, 0, 0), 8, Scope::Private},     // RFC 1918
    {v4(100, 64, 0, 0), 10, Scope::Private},  // CGNAT shared space
    {v4(127, 0, 0, 0), 8, Scope::Private},    // loopback
    {v4(169, 254, 0, 0), 16, Scope::Never},   // link-local, cloud metadata lives here
    {v4(172, 16, 0, 0), 12, Scope::Private},  // RFC 1918
    {v4(192, 0, 0, 0), 24, Scope::Never},     // IETF protocol assignments
    {v4(192, 0, 2, 0), 24, Scope::Never},     // TEST-NET-1
    {v4(192, 88, 99, 0), 24, Scope::Never},   // 6to4 relay anycast (deprecated)
    {v4(192, 168, 0, 0), 16, Scope::Private}, // RFC 1918
    {v4(198, 18, 0, 0), 15, Scope::Never},    // benchmarking
    {v4(198, 51, 100, 0), 24, Scope::Never},  // TEST-NET-2
    {v4(203, 0, 113, 0), 24, Scope::Never},   // TEST-NET-3
    {v4(224, 0, 0, 0), 4, Scope::Never},      // multicast
    {v4(240, 0, 0, 0), 4, Scope::Never},      // reserved, includes broadcast
};

std::array<uint8_t, 4> v4_bytes(uint32_t host_order) {
  return {static_cast<uint8_t>(host_order >> 24), static_cast<uint8_t>(host_order >> 16),
          static_cast<uint8_t>(host_order >> 8), static_cast<uint8_t>(host_order)};
}

bool in_allow_cidrs(int family, const uint8_t* bytes, const AddressPolicy& policy) {
  return std::any_of(policy.allow_cidrs.begin(), policy.allow_cidrs.end(),
                     [&](const net::Cidr& c) { return net::contains(c, family, bytes); });
}

bool scope_allowed(Scope scope, const AddressPolicy& policy) {
  return scope == Scope::Public || (scope == Scope::Private && policy.allow_private);
}

bool v4_allowed(uint32_t address, const AddressPolicy& policy) {
  auto bytes = v4_bytes(address);
  if (in_allow_cidrs(AF_INET, bytes.data(), policy)) {
    return true;
  }
  for (const V4Range& r : kV4Ranges) {
    uint32_t mask = r.prefix == 0 ? 0 : ~uint32_t{0} << (32 - r.prefix);
    if ((address & mask) == r.base) {
      return scope_allowed(r.scope, policy);
    }
  }
  return true;
}

uint32_t v4_at(const V6& a, size_t offset) {
  return (uint32_t{a[offset]} << 24) | (uint32_t{a[offset + 1]} << 16) | (uint32_t{a[offset + 2]} << 8) |
         uint32_t{a[offset + 3]};
}

bool starts_with(const V6& a, std::initializer_list<uint8_t> prefix_bytes) {
  return std::equal(prefix_bytes.begin(), prefix_bytes.end(), a.begin());
}

bool v6_allowed(const V6& a, const AddressPolicy& policy) {
  if (in_allow_cidrs(AF_INET6, a.data(), policy)) {
    return true;
  }
  // Forms that carry an IPv4 address reach that IPv4 host, so they are judged as it.
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (SIIT translated), ::a.b.c.d (compatible).
  const bool zero_80 = std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; });
  if (zero_80 && a[10] == 0xff && a[11] == 0xff) {
    return v4_allowed(v4_at(a, 12), policy);
  }
  if (zero_80 && a[10] == 0 && a[11] == 0) {
    uint32_t low = v4_at(a, 12);
    if (low == 0) {
      return false;  // :: unspecified
    }
    if (low == 1) {
      return scope_allowed(Scope::Private, policy);  // ::1 loopback
    }
    return v4_allowed(low, policy);
  }
  if (starts_with(a, {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0})) {
    return v4_allowed(v4_at(a, 12), policy);
  }
  // NAT64 well-known prefix 64:ff9b::/96; the local-use 64:ff9b:1::/48 embeds at a
  // prefix length we cannot know, so it is refused outright.
  if (starts_with(a, {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return v4_allowed(v4_at(a, 12), policy);
  }
  if (starts_with(a, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01})) {
    return false;
  }
  // 6to4 2002:AABB:CCDD::/48 reaches AA.BB.CC.DD.
  if (a[0] == 0x20 && a[1] == 0x02) {
    return v4_allowed(v4_at(a, 2), policy);
  }
  if ((a[0] & 0xfe) == 0xfc) {
    return scope_allowed(Scope::Private, policy);  // ULA fc00::/7
  }
  // 2001::/23 holds Teredo 2001::/32 (which tunnels to arbitrary IPv4 hosts), ORCHID
  // and other IETF protocol assignments; 2001:db8::/32 and 3fff::/20 are documentation.
  if (a[0] == 0x20 && a[1] == 0x01 && (a[2] & 0xfe) == 0x00) {
    return false;
  }
  if (starts_with(a, {0x20, 0x01, 0x0d, 0xb8})) {
    return false;
  }
  if (a[0] == 0x3f && (a[1] & 0xf0) == 0xf0) {
    return false;
  }
  // Everything else outside global unicast 2000::/3 is link-local fe80::/10,
  // site-local fec0::/10, multicast ff00::/8, discard 100::/64 or unassigned.
  return (a[0] & 0xe0) == 0x20;
}

// glibc's inet_aton stops at whitespace and ignores the rest, so only hand it text
// made of the characters a numeric spelling can contain.
std::optional<uint32_t> parse_legacy_ipv4(std::string_view text) {
  if (text.empty() || text.size() > 64) {
    return std::nullopt;
  }
  bool charset_ok = std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == 'x' || c == 'X' ||
           c == '.';
  });
  if (!charset_ok) {
    return std::nullopt;
  }
  std::string copy(text);
  in_addr parsed{};
  if (inet_aton(copy.c_str(), &parsed) == 0) {
    return std::nullopt;
  }
  return ntohl(parsed.s_addr);
}

struct ParsedIp {
  int family = AF_INET;
  V6 bytes{};  // IPv4 in the first four, network order
};

std::optional<ParsedIp> parse_ip(std::string_view text) {
  std::string plain(net::strip_brackets(text));
  ParsedIp ip;
  if (plain.size() != text.size()) {
    // Brackets only ever wrap IPv6.
    ip.family = AF_INET6;
    if (inet_pton(AF_INET6, plain.c_str(), ip.bytes.data()) == 1) {
      return ip;
    }
    return std::nullopt;
  }
  if (inet_pton(AF_INET, plain.c_str(), ip.bytes.data()) == 1) {
    return ip;
  }
  if (inet_pton(AF_INET6, plain.c_str(), ip.bytes.data()) == 1) {
    ip.family = AF_INET6;
    return ip;
  }
  if (auto legacy = parse_legacy_ipv4(plain)) {
    auto b = v4_bytes(*legacy);
    std::copy(b.begin(), b.end(), ip.bytes.begin());
    return ip;
  }
  return std::nullopt;
}

bool parsed_allowed(const ParsedIp& ip, const AddressPolicy& policy) {
  if (ip.family == AF_INET) {
    return v4_allowed(v4_at(ip.bytes, 0), policy);
  }
  return v6_allowed(ip.bytes, policy);
}

std::string normalise_host(std::string_view host) {
  std::string h = core::ascii_lower(net::strip_brackets(host));
  if (!h.empty() && h.back() == '.') {
    h.pop_back();
  }
  return h;
}

bool host_matches(const std::string& host, std::string_view pattern) {
  std::string p = normalise_host(pattern);
  if (p.empty()) {
    return false;
  }
  if (p.front() != '.') {
    return host == p;
  }
  std::string_view apex = std::string_view(p).substr(1);
  return host == apex || (host.size() > p.size() && host.compare(host.size() - p.size(), p.size(), p) == 0);
}

}  // namespace

bool address_allowed(const sockaddr* address, const AddressPolicy& policy) {
  if (address == nullptr) {
    return false;
  }
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return v4_allowed(ntohl(in->sin_addr.s_addr), policy);
  }
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    V6 bytes{};
    std::memcpy(bytes.data(), &in6->sin6_addr, bytes.size());
    return v6_allowed(bytes, policy);
  }
  return false;
}

bool ip_text_allowed(std::string_view ip, const AddressPolicy& policy) {
  auto parsed = parse_ip(ip);
  return parsed && parsed_allowed(*parsed, policy);
}

std::optional<std::string> canonical_ip_text(std::string_view text) {
  auto parsed = parse_ip(text);
  if (!parsed) {
    return std::nullopt;
  }
  char buffer[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(parsed->family, parsed->bytes.data(), buffer, sizeof buffer) == nullptr) {
    return std::nullopt;
  }
  return std::string(buffer);
}

Status host_allowed(std::string_view host, const AddressPolicy& policy) {
  std::string h = normalise_host(host);
  if (h.empty()) {
    return make_error(ErrorCode::UrlNotAllowed, "the url has no host", "url");
  }
  auto matches = [&](const std::string& pattern) { return host_matches(h, pattern); };
  if (std::any_of(policy.deny_hosts.begin(), policy.deny_hosts.end(), matches)) {
    return make_error(ErrorCode::UrlNotAllowed, "fetching from this host is not allowed", "url");
  }
  if (!policy.allow_hosts.empty() && std::none_of(policy.allow_hosts.begin(), policy.allow_hosts.end(), matches)) {
    return make_error(ErrorCode::UrlNotAllowed, "fetching from this host is not allowed", "url");
  }
  return ok_status();
}

}  // namespace pixmill::fetch
