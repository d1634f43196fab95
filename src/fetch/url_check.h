#pragma once
// The pre-flight check on a client-supplied image URL: scheme, shape, host lists and,
// for IP-literal hosts in any spelling, the address rules. Host names are judged again
// at connect time by the fetcher, against the addresses they actually resolve to.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "fetch/address_policy.h"

namespace pixmill::fetch {

struct ParsedUrl {
  std::string url;     // as normalised by libcurl's parser: what the fetcher requests
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case, no brackets; IP literals in canonical form
  int port = 0;        // explicit, or the scheme's default
  bool host_is_ip = false;
};

// InvalidInput for a malformed URL, UrlNotAllowed for one we refuse to fetch.
Result<ParsedUrl> check_url(std::string_view url, const AddressPolicy& policy);

// A redirect's Location (absolute, scheme-relative or relative) made absolute against
// the URL that answered with it. nullopt when it cannot be. The result still needs
// check_url: this only resolves, it judges nothing.
std::optional<std::string> resolve_location(const std::string& base, const std::string& location);

}  // namespace pixmill::fetch
