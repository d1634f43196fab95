#pragma once
// Image input by URL, for every dialect: `url=` in the query string, or a `url` field
// in a small form or JSON body. A dialect's fetch stage (on the fetch pool, after its
// parse) calls fetch_url_input(): the fetched bytes become the upload's image, and the
// final URL is returned for the dialect to keep in its parsed value.

#include <optional>
#include <string>

#include "core/deadline.h"
#include "core/result.h"
#include "dialects/upload.h"
#include "fetch/fetcher.h"
#include "http/message.h"

namespace pixmill::dialects {

struct UrlInput {
  bool enabled = true;
  fetch::FetchOptions fetch;
  int cache_max_age_s = 86400;  // Cache-Control for answers made from a URL
};

// Does this request name an image URL (so the fetch stage must run)? Cheap: decided on
// the I/O thread from the query and a small body's bytes.
bool wants_url_input(const http::Request& request);

// Fetches the image a request names into `upload.image`: the query's `url` (it wins over
// an image in the body), else a `url` field of a body that carried no image. Returns the
// final URL after redirects, or an empty string when the request names no URL.
Result<std::string> fetch_url_input(const http::Fields& query, Upload& upload, const UrlInput& input, const core::Deadline& deadline);

// A dialect's fetch stage, for a parsed value that keeps `Upload upload` and
// `std::string fetched_url`.
template <class Parsed>
auto url_fetch_stage(UrlInput input) {
  return [input = std::move(input)](Parsed& parsed, const http::Request& request, const core::Deadline& deadline) -> std::optional<Error> {
    auto fetched = fetch_url_input(request.query, parsed.upload, input, deadline);
    if (!fetched) return fetched.error();
    parsed.fetched_url = std::move(*fetched);
    return std::nullopt;
  };
}

// Drops the `url` fields (the image they named is fetched by then).
void drop_url_fields(Params& params);

}  // namespace pixmill::dialects
