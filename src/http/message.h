#pragma once
// Our own request and response values: dialects read and build these, so they can be
// unit-tested without sockets and without Beast types.

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
  // The body, until a route's parse stage moves it out (http/stages.h). The rest is the
  // head: stages hand their results on as typed values, not as edits to it (admission
  // only removes a verified URL signature's parameters, before any stage reads them).
  std::string body;
  // The body's size as received: stays when the parse moves the body out, so admission
  // still checks a plan's upload limit against it.
  size_t received_bytes = 0;
  std::string client_ip;
  std::string request_id;

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
