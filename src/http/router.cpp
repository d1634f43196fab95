#include "http/router.h"

namespace pixmill::http {
namespace {

bool path_matches(const std::string& pattern, std::string_view path) {
  if (!pattern.empty() && pattern.back() == '*') {
    std::string_view prefix(pattern.data(), pattern.size() - 1);
    return path.size() > prefix.size() && path.substr(0, prefix.size()) == prefix;
  }
  return path == pattern;
}

}  // namespace

void Router::add(RouteSpec route) { routes_.push_back(std::move(route)); }

void Router::add(RouteGroup group) {
  if (!group.error_prefix.empty()) add_error_shape(std::move(group.error_prefix), std::move(group.render_error));
  for (auto& r : group.routes) routes_.push_back(std::move(r));
}

void Router::add_error_shape(std::string prefix, ErrorRenderer render_error) {
  shapes_.emplace_back(std::move(prefix), std::move(render_error));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  RouteMatch m;
  // A HEAD is answered like the GET it mirrors.
  std::string_view effective = method == "HEAD" ? std::string_view("GET") : method;
  for (const auto& route : routes_) {
    if (!path_matches(route.pattern, path)) continue;
    if (route.method == effective) {
      m.route = &route;
      m.render_error = &route.render_error;
      return m;
    }
    m.path_known = true;
    m.render_error = &route.render_error;
  }
  if (!m.render_error) {
    size_t longest = 0;
    for (const auto& [prefix, renderer] : shapes_) {
      if (path.substr(0, prefix.size()) == prefix && prefix.size() >= longest) {
        longest = prefix.size();
        m.render_error = &renderer;
      }
    }
  }
  return m;
}

}  // namespace pixmill::http
