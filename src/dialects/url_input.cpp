#include "dialects/url_input.h"

#include <algorithm>

namespace pixmill::dialects {
namespace {

// A URL field can only be in a small body: anything larger carries the image itself.
constexpr size_t kMaxBodyWithUrl = 64 * 1024;

bool is_url(const std::pair<std::string, std::string>& field) { return field.first == "url"; }

// The last `url` in a field list, or empty.
std::string last_url(const Params& fields) {
  std::string url;
  for (const auto& f : fields) {
    if (is_url(f)) url = f.second;
  }
  return url;
}

}  // namespace

bool wants_url_input(const http::Request& request) {
  if (std::any_of(request.query.begin(), request.query.end(), is_url)) return true;
  return request.body.size() <= kMaxBodyWithUrl && request.body.find("url") != std::string::npos;
}

Result<std::string> fetch_url_input(const http::Fields& query, Upload& upload, const UrlInput& input, const core::Deadline& deadline) {
  std::string url = last_url(query);
  // A body that carried the image after all keeps it.
  if (url.empty() && !upload.has_image()) url = last_url(upload.fields);
  if (url.empty()) return std::string();
  if (!input.enabled) return make_error(ErrorCode::UrlNotAllowed, "image URLs are disabled on this server", "url");

  fetch::FetchOptions options = input.fetch;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.remaining());
  options.timeout_ms = static_cast<int>(std::min<long long>(options.timeout_ms, std::max<long long>(left.count(), 1)));
  auto fetched = fetch::fetch_url(url, options, deadline.cancel_flag());
  if (!fetched) {
    Error e = fetched.error();
    e.field = "url";
    return e;
  }
  upload.image = std::move(fetched->body);
  upload.filename.clear();  // named by the URL, not by the client: answers call it "image"
  return std::move(fetched->final_url);
}

void drop_url_fields(Params& params) { std::erase_if(params, is_url); }

}  // namespace pixmill::dialects
