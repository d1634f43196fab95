#pragma once
// The header syntax of multipart bodies (RFC 2046 boundaries, RFC 7578 parameters):
// small pure functions, apart from the parser's state machine (multipart.cpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pixmill::http {

struct HeaderParam {
  std::string name;  // lower-cased
  std::string value;
};

bool is_space_or_tab(char c);
// An RFC 9110 token (header names, parameter names).
bool is_token(std::string_view s);

// RFC 2046: 1..70 characters from its bchars set, not ending in a space.
bool valid_boundary(std::string_view boundary);

// Parses `; a=b; c="d \" e"` parameter lists; nullopt when malformed. Backslash only
// escapes '"' and '\': old browsers send Windows paths unescaped as filenames, and
// dropping their backslashes would mangle them.
std::optional<std::vector<HeaderParam>> parse_parameters(std::string_view s);

}  // namespace pixmill::http
