#include "http/accept.h"

#include <charconv>

#include "core/text.h"

namespace pixmill::http {
namespace {

// The weight of one media range's parameters ("q=0.5; level=1"): 1 when not given; 0
// when malformed, so that a range we cannot read never counts as acceptance.
double weight(std::string_view parameters) {
  while (!parameters.empty()) {
    const size_t semicolon = parameters.find(';');
    std::string_view parameter = core::trim_blanks(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
    const size_t equals = parameter.find('=');
    if (equals == std::string_view::npos || !core::iequals(core::trim_blanks(parameter.substr(0, equals)), "q")) continue;
    const std::string_view value = core::trim_blanks(parameter.substr(equals + 1));
    double q = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), q);
    if (ec != std::errc() || end != value.data() + value.size() || q < 0 || q > 1) return 0;
    return q;
  }
  return 1;
}

}  // namespace

bool accepts_media_type(std::string_view accept, std::string_view media_type) {
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    const std::string_view range = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const size_t semicolon = range.find(';');
    const std::string_view type = core::trim_blanks(range.substr(0, semicolon));
    if (!core::iequals(type, media_type)) continue;
    return weight(semicolon == std::string_view::npos ? std::string_view() : range.substr(semicolon + 1)) > 0;
  }
  return false;
}

bool accepts_media_type(const Request& request, std::string_view media_type) {
  return accepts_media_type(request.header("accept"), media_type);
}

}  // namespace pixmill::http
