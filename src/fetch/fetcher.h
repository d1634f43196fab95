#pragma once
// Fetching a client-supplied image URL without becoming an SSRF proxy: every hop of a
// redirect chain is re-checked, every address actually connected to is judged by the
// AddressPolicy, and the body, the time and the redirect count are all bounded.

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "fetch/address_policy.h"

namespace pixmill::fetch {

struct FetchOptions {
  AddressPolicy policy;
  int max_redirects = 3;
  int timeout_ms = 10000;  // the whole fetch, redirects included
  int connect_timeout_ms = 5000;
  uint64_t max_bytes = 25 << 20;
  // Sent to the original host only: a redirect elsewhere must not carry credentials.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user_agent = "pixmill";
};

struct FetchResult {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string final_url;
};

// Errors: InvalidInput (malformed url), UrlNotAllowed (scheme, credentials, host list,
// or an address the policy refuses, at any hop), FileTooLarge (over max_bytes, declared
// or streamed), Timeout (timeout_ms ran out, or *cancelled became true), FetchFailed
// (DNS, connect, TLS, too many redirects, or "upstream answered <status>" for non-2xx).
// Messages are safe to show to clients.
Result<FetchResult> fetch_url(const std::string& url, const FetchOptions& options,
                              const std::atomic<bool>* cancelled = nullptr);

}  // namespace pixmill::fetch
