#pragma once
// Image input by URL, for every dialect: `url=` in the query string, or a `url` field
// in a small form or JSON body. Runs as the route's prepare stage on the fetch pool:
// the fetched bytes become the request's raw body and the body's other fields move
// to the query, so the dialect's handler sees an ordinary raw-body request.

#include <string>

#include "fetch/fetcher.h"
#include "http/router.h"

namespace pixmill::dialects {

struct UrlInput {
  bool enabled = true;
  fetch::FetchOptions fetch;
  int cache_max_age_s = 86400;  // Cache-Control for answers made from a URL
};

// Does this request name an image URL (so the fetch stage must run)?
bool wants_url_input(const http::Request& request);

// The prepare stage: fetches the URL into the request body and names it in
// Request::fetched_url.
http::PrepareHandler url_input_stage(UrlInput input);

}  // namespace pixmill::dialects
