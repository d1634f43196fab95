#pragma once
// Our own request and response values: dialects read and build these, so they can be
// unit-tested without sockets and without Beast types.

#include <any>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pixmill::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;        // "GET", "POST", …
  std::string path;          // decoded path, no query
  std::string target;        // the request target as received (not decoded): URL signatures cover these bytes
  Fields query;              // decoded query parameters, in order
  Fields headers;            // names lower-cased
  std::string body;
  // The body's size as received: stays when a stage moves the body out (a classifier's
  // parse), so admission still checks a plan's upload limit against it.
  size_t received_bytes = 0;
  std::string client_ip;
  std::string request_id;
  // What a route's prepare stage hands to its work stage (a typed value the route owns);
  // destroyed with the request, whichever stage it ends in.
  std::shared_ptr<void> prepared;
  // A route classifier's parse of the body, handed to the work stage so the body is
  // parsed once (std::any: the handler takes it back by its type, or parses anew).
  std::any parsed;
  // Where the body came from when the URL-input stage fetched it (the final URL after
  // redirects); empty for uploads. Set only by that stage: no client header can fake it.
  std::string fetched_url;

  // First header value with this (lower-case) name, or empty.
  std::string_view header(std::string_view lower_name) const;
};

struct Response {
  int status = 200;
  Fields headers;
  std::string body;

  void set(std::string name, std::string value);
  std::string_view header(std::string_view name) const;  // case-insensitive
};

// Helpers for the common shapes.
Response json_response(int status, std::string body);

}  // namespace pixmill::http
