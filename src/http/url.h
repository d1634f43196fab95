#pragma once
// Splitting a request target into a path and decoded query parameters.

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace pixmill::http {

// Percent-decodes (and, for query strings, turns '+' into a space). nullopt on a
// malformed escape or an embedded NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Parses "a=1&b=two" (also used for application/x-www-form-urlencoded bodies).
std::optional<Fields> parse_query(std::string_view query);

struct Target {
  std::string path;
  Fields query;
};
std::optional<Target> parse_target(std::string_view target);

}  // namespace pixmill::http
