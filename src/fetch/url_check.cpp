#include "fetch/url_check.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <memory>
#include <optional>

#include "core/text.h"
#include "fetch/curl_runtime.h"

namespace pixmill::fetch {
namespace {

constexpr size_t kMaxUrlBytes = 8192;

struct CurlUrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};

// Parsing with libcurl's own URL parser means the host we judge is the host libcurl
// will connect to: no differential between our reading of the URL and its.
std::optional<std::string> get_part(CURLU* handle, CURLUPart part, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(handle, part, &raw, flags) != CURLUE_OK || raw == nullptr) {
    return std::nullopt;
  }
  std::string copy(raw);
  curl_free(raw);
  return copy;
}

Error malformed(std::string message = "the url is malformed") {
  return make_error(ErrorCode::InvalidInput, std::move(message), "url");
}

Error refused(std::string message) { return make_error(ErrorCode::UrlNotAllowed, std::move(message), "url"); }

// The authority between "scheme://" and the path. libcurl's parser is lenient
// ("http:/x" and "http:///x" both reach host x); we want it spelled out.
std::optional<std::string_view> raw_authority(std::string_view url) {
  size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return std::nullopt;
  }
  std::string_view scheme = url.substr(0, sep);
  bool scheme_ok = std::all_of(scheme.begin(), scheme.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
           c == '.';
  });
  if (!scheme_ok) {
    return std::nullopt;
  }
  std::string_view rest = url.substr(sep + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

bool has_control_or_space(std::string_view url) {
  return std::any_of(url.begin(), url.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

std::optional<int> parse_port(const std::string& text) {
  int port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return port;
}

}  // namespace

Result<ParsedUrl> check_url(std::string_view url, const AddressPolicy& policy) {
  ensure_curl_initialized();
  if (url.empty()) {
    return malformed("the url is empty");
  }
  if (url.size() > kMaxUrlBytes) {
    return malformed("the url is too long");
  }
  if (has_control_or_space(url)) {
    return malformed();
  }
  auto authority = raw_authority(url);
  if (!authority) {
    return malformed("the url must be absolute, starting with http:// or https://");
  }
  if (authority->empty()) {
    return malformed("the url has no host");
  }
  if (authority->find('\\') != std::string_view::npos) {
    return malformed();
  }
  // Checked on the raw text too, so that no parser reading of "a@b" can slip past.
  if (authority->find('@') != std::string_view::npos) {
    return refused("urls with credentials are not allowed");
  }

  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  if (!handle) {
    return make_error(ErrorCode::Internal, "the url could not be checked", "url");
  }
  std::string text(url);
  CURLUcode rc = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0);
  if (rc == CURLUE_UNSUPPORTED_SCHEME) {
    return refused("only http and https urls can be fetched");
  }
  if (rc == CURLUE_BAD_PORT_NUMBER) {
    return malformed("the url's port is out of range");
  }
  if (rc != CURLUE_OK) {
    return malformed();
  }

  ParsedUrl parsed;
  parsed.scheme = core::ascii_lower(get_part(handle.get(), CURLUPART_SCHEME).value_or(""));
  if (parsed.scheme != "http" && parsed.scheme != "https") {
    return refused("only http and https urls can be fetched");
  }
  if (parsed.scheme == "http" && !policy.allow_http) {
    return refused("only https urls can be fetched");
  }
  if (get_part(handle.get(), CURLUPART_USER) || get_part(handle.get(), CURLUPART_PASSWORD) ||
      get_part(handle.get(), CURLUPART_OPTIONS)) {
    return refused("urls with credentials are not allowed");
  }
  if (get_part(handle.get(), CURLUPART_ZONEID)) {
    return refused("the url points to an address that is not allowed");
  }

  auto port = parse_port(get_part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or(""));
  if (!port || *port < 1 || *port > 65535) {
    return malformed("the url's port is out of range");
  }
  parsed.port = *port;

  std::string host = core::ascii_lower(get_part(handle.get(), CURLUPART_HOST).value_or(""));
  // A trailing dot means the same host ("127.0.0.1." resolves like "127.0.0.1").
  if (!host.empty() && host.back() == '.') {
    host.pop_back();
  }
  if (host.empty() || host == "[]") {
    return malformed("the url has no host");
  }
  // Numeric hosts in any spelling ("2130706433", "0x7f.1", "[::ffff:7f00:1]") are
  // judged as the address they denote, and written back canonically so that the
  // resolver cannot read them differently.
  if (auto canonical = canonical_ip_text(host)) {
    parsed.host_is_ip = true;
    parsed.host = *canonical;
    if (!ip_text_allowed(parsed.host, policy)) {
      return refused("the url points to an address that is not allowed");
    }
    bool v6 = parsed.host.find(':') != std::string::npos;
    std::string spelled = v6 ? "[" + parsed.host + "]" : parsed.host;
    if (curl_url_set(handle.get(), CURLUPART_HOST, spelled.c_str(), 0) != CURLUE_OK) {
      return malformed();
    }
  } else {
    parsed.host = host;
  }
  if (auto listed = host_allowed(parsed.host, policy); !listed) {
    return listed.error();
  }

  // The fragment never goes over the wire; dropping it keeps final_url tidy.
  curl_url_set(handle.get(), CURLUPART_FRAGMENT, nullptr, 0);
  auto normalised = get_part(handle.get(), CURLUPART_URL);
  if (!normalised) {
    return malformed();
  }
  parsed.url = std::move(*normalised);
  return parsed;
}

std::optional<std::string> resolve_location(const std::string& base, const std::string& location) {
  ensure_curl_initialized();
  std::unique_ptr<CURLU, CurlUrlDeleter> handle(curl_url());
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  // Setting a URL on a handle that already holds one resolves it as a reference.
  if (curl_url_set(handle.get(), CURLUPART_URL, location.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  return get_part(handle.get(), CURLUPART_URL);
}

}  // namespace pixmill::fetch
