#pragma once
// The client's address behind reverse proxies. With TRUST_PROXY off (the default) it is
// the TCP peer: X-Forwarded-For is a client-written header and must not pick whose
// limit a request counts against. With TRUST_PROXY on, when the peer is a trusted proxy,
// X-Forwarded-For is read from the right and the first address that is not a trusted
// proxy is the client (proxies append, so only the right-most hops are trustworthy).
//
// TRUST_PROXY: false | true (loopback and private ranges are proxies) | a comma list of
// address ranges ("10.0.0.0/8, 192.0.2.7").

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "net/cidr.h"
#include "http/message.h"

namespace pixmill::policy {

class ClientIpResolver {
 public:
  static Result<ClientIpResolver> parse(std::string_view setting);
  bool enabled() const { return !trusted_.empty(); }
  bool trusted(std::string_view ip) const;
  // The client address for this peer and these X-Forwarded-For values (every header, in order).
  std::string resolve(const std::string& peer, const std::vector<std::string_view>& forwarded_for) const;
  std::string resolve(const http::Request& request) const;

 private:
  std::vector<net::Cidr> trusted_;
};

}  // namespace pixmill::policy
