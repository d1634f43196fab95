#pragma once
// Small ASCII text helpers shared by the parsers (header names, enum values, names,
// settings). One of each: a parser that needs one of these uses this one.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pixmill::core {

std::string ascii_lower(std::string_view s);

// Equal ignoring ASCII case (header names, media types).
bool iequals(std::string_view a, std::string_view b);

// Without leading and trailing white space (isspace: also CR, LF, VT, FF).
std::string_view trim_spaces(std::string_view s);

// Without leading and trailing spaces and tabs only: HTTP's optional white space.
std::string_view trim_blanks(std::string_view s);

// "a, b,,c" -> {"a", "b", "c"}: comma-separated settings, blanks dropped.
std::vector<std::string> split_comma_list(std::string_view text);

// The boolean spellings every parser accepts, ignoring case and surrounding space:
// true/1/yes/on and false/0/no/off; the empty text is true (a bare `?flag` in a query).
std::optional<bool> parse_bool(std::string_view text);

// At most `max_bytes` bytes of `text`, cut before a UTF-8 continuation byte so a valid
// sequence is never split, with "..." appended when anything was cut (log fields).
std::string truncate_utf8(std::string_view text, size_t max_bytes);

}  // namespace pixmill::core
