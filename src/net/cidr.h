#pragma once
// IP address ranges ("203.0.113.0/24", "2001:db8::/32") and single addresses in the
// same layout, shared by the URL fetcher's address rules (fetch/) and the trusted
// proxies of TRUST_PROXY (policy/).

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pixmill::net {

struct Cidr {
  int family = AF_INET;             // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first four
  int prefix = 0;                   // 0..32 or 0..128
};

// "a.b.c.d/n", "v6/n", or a bare address (a single-host range), strict forms only (a
// range written in a legacy spelling is more likely a mistake). nullopt when malformed.
std::optional<Cidr> parse_cidr(std::string_view text);

// One address as a proxy header or a listener reports it: "203.0.113.9",
// "203.0.113.9:5123", "2001:db8::1", "[2001:db8::1]:443"; IPv4-mapped IPv6 is folded
// to IPv4 (a v6 listener reports v4 peers that way). A single-host Cidr, or nullopt.
std::optional<Cidr> parse_address(std::string_view text);

// Whether the first `prefix` bits of two network-order byte strings agree.
bool prefix_matches(const uint8_t* a, const uint8_t* b, int prefix);

// Whether `range` holds the address (`family`, network-order `bytes`).
bool contains(const Cidr& range, int family, const uint8_t* bytes);
inline bool contains(const Cidr& range, const Cidr& address) { return contains(range, address.family, address.bytes.data()); }

// The address part in inet_ntop's canonical text.
std::string address_text(const Cidr& address);

// "[::1]" -> "::1"; anything else unchanged.
std::string_view strip_brackets(std::string_view text);

}  // namespace pixmill::net
