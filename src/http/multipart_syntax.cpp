#include "http/multipart_syntax.h"

#include "http/multipart.h"

#include <algorithm>

#include "core/text.h"

namespace pixmill::http {
namespace {

constexpr size_t kMaxBoundaryLength = 70;

// RFC 9110 tchar.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 2046 bchars.
bool is_boundary_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

}  // namespace

bool is_space_or_tab(char c) { return c == ' ' || c == '\t'; }

bool is_token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char); }

bool valid_boundary(std::string_view b) {
  if (b.empty() || b.size() > kMaxBoundaryLength || b.back() == ' ') {
    return false;
  }
  return std::all_of(b.begin(), b.end(), is_boundary_char);
}

std::optional<std::vector<HeaderParam>> parse_parameters(std::string_view s) {
  std::vector<HeaderParam> params;
  size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ';' || is_space_or_tab(s[i])) {
      ++i;
      continue;
    }
    const size_t name_begin = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') {
      ++i;
    }
    const std::string_view name = core::trim_blanks(s.substr(name_begin, i - name_begin));
    if (!is_token(name)) {
      return std::nullopt;
    }
    if (i >= s.size() || s[i] == ';') {
      continue;  // a valueless parameter carries nothing we use
    }
    ++i;  // '='
    while (i < s.size() && is_space_or_tab(s[i])) {
      ++i;
    }
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
          value += s[i + 1];
          i += 2;
          continue;
        }
        value += c;
        ++i;
      }
      if (!closed) {
        return std::nullopt;
      }
      while (i < s.size() && is_space_or_tab(s[i])) {
        ++i;
      }
      if (i < s.size() && s[i] != ';') {
        return std::nullopt;
      }
    } else {
      const size_t value_begin = i;
      while (i < s.size() && s[i] != ';') {
        ++i;
      }
      value = std::string(core::trim_blanks(s.substr(value_begin, i - value_begin)));
    }
    params.push_back(HeaderParam{core::ascii_lower(name), std::move(value)});
  }
  return params;
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const size_t semi = content_type.find(';');
  if (!core::iequals(core::trim_blanks(content_type.substr(0, semi)), "multipart/form-data") || semi == std::string_view::npos) {
    return std::nullopt;
  }
  auto params = parse_parameters(content_type.substr(semi + 1));
  if (!params) {
    return std::nullopt;
  }
  std::optional<std::string> boundary;
  for (HeaderParam& p : *params) {
    if (p.name != "boundary") {
      continue;
    }
    if (boundary) {
      return std::nullopt;  // two boundaries: intermediaries may disagree on which wins
    }
    boundary = std::move(p.value);
  }
  if (!boundary || !valid_boundary(*boundary)) {
    return std::nullopt;
  }
  return boundary;
}

}  // namespace pixmill::http
