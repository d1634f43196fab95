#include "fetch/fetcher.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <memory>

#include "core/text.h"
#include "fetch/curl_runtime.h"
#include "fetch/url_check.h"

namespace pixmill::fetch {
namespace {

using Clock = std::chrono::steady_clock;

struct CurlEasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHeaders = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// What the callbacks learn during one curl_easy_perform (one hop).
struct Transfer {
  const FetchOptions* options = nullptr;
  const std::atomic<bool>* cancelled = nullptr;
  std::string body;
  int status = 0;
  uint64_t declared_length = 0;
  std::string location;
  bool address_denied = false;
  bool socket_opened = false;
  bool too_large = false;
  bool was_cancelled = false;
  bool stopped_at_headers = false;  // a non-2xx answer, whose body we never read

  void start_hop() {
    body.clear();
    status = 0;
    declared_length = 0;
    location.clear();
    address_denied = false;
    socket_opened = false;
    too_large = false;
    stopped_at_headers = false;
  }
};

// The one place that sees the address really connected to, after DNS: this is what
// defeats DNS rebinding and names that resolve to internal addresses.
curl_socket_t open_socket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(clientp);
  bool big_enough = address->family != AF_INET6 || address->addrlen >= sizeof(sockaddr_in6);
  if (purpose != CURLSOCKTYPE_IPCXN || !big_enough || !address_allowed(&address->addr, transfer->options->policy)) {
    transfer->address_denied = true;
    return CURL_SOCKET_BAD;
  }
  curl_socket_t fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  if (fd != CURL_SOCKET_BAD) {
    transfer->socket_opened = true;
  }
  return fd;
}

std::optional<uint64_t> parse_number(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// Status, Content-Length and Location are read from the header lines themselves:
// curl_easy_getinfo's values are not all settled while headers still arrive, and
// CURLINFO_REDIRECT_URL is never set when we abort a redirect at its headers.
size_t on_header(char* data, size_t size, size_t count, void* userdata) {
  auto* transfer = static_cast<Transfer*>(userdata);
  size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    size_t space = line.find(' ');
    transfer->status = static_cast<int>(
        parse_number(core::trim_spaces(line.substr(space == std::string_view::npos ? line.size() : space + 1, 3))).value_or(0));
    transfer->declared_length = 0;
    transfer->location.clear();
    return n;
  }
  if (core::trim_spaces(line).empty()) {
    if (transfer->status < 200) {
      return n;  // an interim 1xx answer; the real one follows
    }
    if (transfer->status >= 300) {
      transfer->stopped_at_headers = true;
      return 0;
    }
    // Refused early when declared; the write callback still counts what really comes.
    if (transfer->declared_length > transfer->options->max_bytes) {
      transfer->too_large = true;
      return 0;
    }
    return n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) {
    return n;
  }
  std::string name = core::ascii_lower(core::trim_spaces(line.substr(0, colon)));
  std::string_view value = core::trim_spaces(line.substr(colon + 1));
  if (name == "content-length") {
    transfer->declared_length = parse_number(value).value_or(0);
  } else if (name == "location" && transfer->location.empty()) {
    transfer->location = value;
  }
  return n;
}

size_t on_body(char* data, size_t size, size_t count, void* userdata) {
  auto* transfer = static_cast<Transfer*>(userdata);
  size_t n = size * count;
  if (transfer->body.size() + n > transfer->options->max_bytes) {
    transfer->too_large = true;
    return 0;
  }
  transfer->body.append(data, n);
  return n;
}

int on_progress(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(clientp);
  if (transfer->cancelled != nullptr && transfer->cancelled->load(std::memory_order_relaxed)) {
    transfer->was_cancelled = true;
    return 1;
  }
  return 0;
}

Error cancelled_error() { return make_error(ErrorCode::Timeout, "fetching the image was cancelled", "url"); }
Error timeout_error() { return make_error(ErrorCode::Timeout, "fetching the image timed out", "url"); }

Error transfer_error(CURLcode rc, const Transfer& transfer) {
  if (transfer.too_large) {
    return make_error(ErrorCode::FileTooLarge, "the image at the url is larger than the size limit", "url");
  }
  if (transfer.was_cancelled) {
    return cancelled_error();
  }
  if (transfer.address_denied && !transfer.socket_opened) {
    return make_error(ErrorCode::UrlNotAllowed, "the url points to an address that is not allowed", "url");
  }
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return timeout_error();
    case CURLE_COULDNT_RESOLVE_HOST:
      return make_error(ErrorCode::FetchFailed, "the image host could not be resolved", "url");
    case CURLE_COULDNT_CONNECT:
      return make_error(ErrorCode::FetchFailed, "could not connect to the image host", "url");
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return make_error(ErrorCode::FetchFailed, "could not make a secure connection to the image host", "url");
    case CURLE_UNSUPPORTED_PROTOCOL:
      return make_error(ErrorCode::UrlNotAllowed, "only http and https urls can be fetched", "url");
    default:
      return make_error(ErrorCode::FetchFailed, "the image could not be fetched", "url");
  }
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool same_origin(const ParsedUrl& a, const ParsedUrl& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

CurlHeaders build_headers(const FetchOptions& options) {
  curl_slist* list = nullptr;
  for (const auto& [name, value] : options.headers) {
    // Operator configuration, but a stray CR/LF would still splice in a header.
    bool clean = (name + value).find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos;
    if (!clean || name.empty()) {
      continue;
    }
    curl_slist* grown = curl_slist_append(list, (name + ": " + value).c_str());
    if (grown == nullptr) {
      break;
    }
    list = grown;
  }
  return CurlHeaders(list);
}

void set_fixed_options(CURL* curl, Transfer& transfer, const FetchOptions& options) {
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // Redirects are followed by hand so that each Location passes check_url first.
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  // An empty proxy turns off the *_proxy environment variables: the socket callback
  // must see the origin's address, not a proxy's.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_NETRC, static_cast<long>(CURL_NETRC_IGNORED));
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
}

}  // namespace

Result<FetchResult> fetch_url(const std::string& url, const FetchOptions& options,
                              const std::atomic<bool>* cancelled) {
  auto checked = check_url(url, options.policy);
  if (!checked) {
    return checked.error();
  }
  ensure_curl_initialized();
  std::unique_ptr<CURL, CurlEasyDeleter> curl(curl_easy_init());
  if (!curl) {
    return make_error(ErrorCode::Internal, "the image fetcher could not start", "url");
  }
  Transfer transfer;
  transfer.options = &options;
  transfer.cancelled = cancelled;
  set_fixed_options(curl.get(), transfer, options);
  CurlHeaders headers = build_headers(options);

  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  const ParsedUrl origin = checked.value();
  ParsedUrl current = std::move(checked).value();
  for (int redirects = 0;;) {
    if (cancelled != nullptr && cancelled->load(std::memory_order_relaxed)) {
      return cancelled_error();
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return timeout_error();
    }
    long connect_ms = std::clamp<long>(options.connect_timeout_ms, 1, static_cast<long>(left));
    curl_easy_setopt(curl.get(), CURLOPT_URL, current.url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(left));
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, same_origin(current, origin) ? headers.get() : nullptr);

    transfer.start_hop();
    CURLcode rc = curl_easy_perform(curl.get());
    if (rc != CURLE_OK && !transfer.stopped_at_headers) {
      return transfer_error(rc, transfer);
    }
    if (is_redirect(transfer.status)) {
      if (transfer.location.empty()) {
        return make_error(ErrorCode::FetchFailed, "upstream answered " + std::to_string(transfer.status), "url");
      }
      if (++redirects > options.max_redirects) {
        return make_error(ErrorCode::FetchFailed, "too many redirects", "url");
      }
      auto location = resolve_location(current.url, transfer.location);
      if (!location) {
        return make_error(ErrorCode::FetchFailed, "upstream sent an invalid redirect", "url");
      }
      auto next = check_url(*location, options.policy);
      if (!next) {
        return next.error();
      }
      current = std::move(next).value();
      continue;
    }
    if (transfer.status < 200 || transfer.status >= 300) {
      return make_error(ErrorCode::FetchFailed, "upstream answered " + std::to_string(transfer.status), "url");
    }
    FetchResult result;
    result.status = transfer.status;
    result.body = std::move(transfer.body);
    char* content_type = nullptr;
    curl_easy_getinfo(curl.get(), CURLINFO_CONTENT_TYPE, &content_type);
    result.content_type = content_type != nullptr ? content_type : "";
    result.final_url = current.url;
    return result;
  }
}

}  // namespace pixmill::fetch
