#include "grammars/response_headers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "api/error_map.h"

namespace pixmill::grammars {
namespace {

api::Dialect dialect_of(Grammar grammar, bool imagor) {
  switch (grammar) {
    case Grammar::Imgproxy: return api::Dialect::Imgproxy;
    case Grammar::Thumbor: return imagor ? api::Dialect::Imagor : api::Dialect::Thumbor;
    case Grammar::Cloudflare: return api::Dialect::Cloudflare;
  }
  return api::Dialect::Imgproxy;
}

// Does an If-None-Match list name this strong ETag (or "*")? Weak forms compare too (RFC 9110 13.1.2).
bool none_match(std::string_view header, std::string_view etag) {
  if (header.empty()) return false;
  size_t start = 0;
  while (start < header.size()) {
    size_t comma = header.find(',', start);
    std::string_view item = header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

std::string extension_of(std::string_view content_type) {
  if (content_type == "image/jpeg") return "jpg";
  if (content_type == "application/json") return "json";
  const auto slash = content_type.find('/');
  return slash == std::string_view::npos ? "bin" : std::string(content_type.substr(slash + 1));
}

}  // namespace

std::string http_date(int64_t epoch_s) {
  const std::time_t t = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<int64_t> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string s(text.substr(0, 64));
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

std::string source_base_name(std::string_view source) {
  source = source.substr(0, source.find_first_of("?#"));
  if (auto slash = source.find_last_of('/'); slash != std::string_view::npos) source.remove_prefix(slash + 1);
  if (auto dot = source.rfind('.'); dot != std::string_view::npos && dot > 0) source = source.substr(0, dot);
  std::string out;
  for (char c : source.substr(0, 100)) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') out.push_back(c);
  }
  return out.empty() ? "image" : out;
}

http::Response build_image_response(const cache::CachedResult& result, const ResponseFacts& facts, const http::Request& request, int64_t now_s) {
  http::Response response;
  int64_t ttl = facts.ttl_s;
  if (facts.expires_at) ttl = std::max<int64_t>(0, std::min<int64_t>(ttl, *facts.expires_at - now_s));
  const std::string cache_control = facts.grammar == Grammar::Imgproxy ? "max-age=" + std::to_string(ttl) + ", public"
                                    : facts.grammar == Grammar::Thumbor ? "max-age=" + std::to_string(ttl) + ",public"
                                                                        : "public, max-age=" + std::to_string(ttl);
  response.set("Cache-Control", cache_control);
  response.set("Expires", http_date(now_s + ttl));
  response.set("ETag", result.etag);
  response.set("Last-Modified", http_date(result.created_s > 0 ? result.created_s : now_s));
  std::string vary;
  if (facts.vary_accept) vary = "Accept";
  if (facts.client_hints) {
    vary += std::string(vary.empty() ? "" : ", ") + "Sec-CH-DPR, Sec-CH-Width";
    response.set("Accept-CH", "Sec-CH-DPR, Sec-CH-Width");
  }
  if (!vary.empty()) response.set("Vary", vary);

  const std::string_view if_none_match = request.header("if-none-match");
  bool not_modified = none_match(if_none_match, result.etag);
  if (if_none_match.empty() && result.created_s > 0) {
    if (auto since = parse_http_date(request.header("if-modified-since"))) not_modified = *since >= result.created_s;
  }
  if (not_modified) {
    response.status = 304;
    return response;
  }
  response.set("Content-Type", result.content_type);
  response.set("Content-Disposition", std::string(facts.attachment ? "attachment" : "inline") + "; filename=\"" + facts.filename + "." +
                                          extension_of(result.content_type) + "\"");
  for (const auto& [name, value] : result.headers) response.set(name, value);
  response.body = result.body;
  return response;
}

http::Response render_grammar_error(Grammar grammar, bool imagor, const Error& error) {
  const api::Dialect dialect = dialect_of(grammar, imagor);
  const api::HttpError mapped = api::map_error(error.code, dialect);
  http::Response response;
  response.status = mapped.status;
  response.set("Cache-Control", "no-cache");
  switch (dialect) {
    case api::Dialect::Imagor:
      response.set("Content-Type", "application/json");
      response.body = nlohmann::json{{"message", mapped.peer_message}, {"status", mapped.status}}.dump();
      break;
    case api::Dialect::Cloudflare:
      response.set("Content-Type", "text/plain; charset=utf-8");
      response.set("Cf-Resized", "err=" + std::string(mapped.peer_message));
      response.body = "ERROR " + std::string(mapped.peer_message) + ": " + error.message;
      break;
    case api::Dialect::Imgproxy:
      response.set("Content-Type", "text/plain");
      response.body = std::string(mapped.peer_message);
      break;
    default:  // thumbor writes no body; a short reason helps and changes no client's handling
      response.set("Content-Type", "text/plain; charset=utf-8");
      response.body = error.message;
      break;
  }
  return response;
}

}  // namespace pixmill::grammars
