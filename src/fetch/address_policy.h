#pragma once
// Which peers the URL fetcher may talk to. Fetching a client-supplied URL from inside
// our network is an SSRF hazard, so every address is judged here: the host names in
// URLs (before connecting) and the addresses actually connected to (in the socket
// callback, which is what defeats DNS rebinding and redirects to internal hosts).

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/cidr.h"

namespace pixmill::fetch {

struct AddressPolicy {
  // Lets through loopback, RFC 1918, CGNAT and ULA ranges (an on-premises image store).
  // Link-local (cloud metadata), multicast, reserved and documentation ranges stay
  // refused even then; open one of those only with an explicit allow_cidrs entry.
  bool allow_private = false;
  // Plain-text http:// URLs; https:// is always accepted.
  bool allow_http = true;
  // Host names, exact ("cdn.example.com") or a leading-dot suffix (".example.com",
  // which matches example.com itself and every name under it). Matching ignores case
  // and a trailing dot. deny_hosts wins; a non-empty allow_hosts admits only its names.
  std::vector<std::string> allow_hosts;
  std::vector<std::string> deny_hosts;
  // Ranges allowed whatever the rules above say (tests allow 127.0.0.1/32 this way).
  std::vector<net::Cidr> allow_cidrs;
};

// The connect-time check: IPv4 or IPv6 socket addresses; anything else is refused.
bool address_allowed(const sockaddr* address, const AddressPolicy& policy);

// The same check on an address in text: standard IPv4/IPv6 forms, an IPv6 literal in
// brackets, and the legacy IPv4 spellings that inet_aton (and so getaddrinfo) accept
// ("2130706433", "0177.0.0.1", "0x7f.1", "127.1"). Unparseable text is refused.
bool ip_text_allowed(std::string_view ip, const AddressPolicy& policy);

// The host-name lists only (deny_hosts, then allow_hosts); addresses are judged above.
Status host_allowed(std::string_view host, const AddressPolicy& policy);

// The canonical text (inet_ntop's) of an address in any spelling ip_text_allowed
// understands; nullopt when the text is not an address (a host name, or garbage).
std::optional<std::string> canonical_ip_text(std::string_view text);

}  // namespace pixmill::fetch
