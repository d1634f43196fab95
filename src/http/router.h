#pragma once
// The route table: method, path, the dialect's error shape, and the handler. Cheap
// handlers run on the I/O thread; image work runs on the worker pool under a deadline.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "core/deadline.h"

namespace pixmill::http {

using InlineHandler = std::function<Response(const Request&)>;
// The worker owns the request: a handler may move the body out.
using WorkHandler = std::function<Response(Request&, const core::Deadline&)>;
using ErrorRenderer = std::function<Response(const Error&)>;
// Network-bound preparation (fetching the image by URL) that runs on the fetch pool
// before the image work, so a slow upstream never holds an image worker.
using PrepareHandler = std::function<std::optional<Error>(Request&, const core::Deadline&)>;
using PrepareFilter = std::function<bool(const Request&)>;

// Who may call a route. Public routes (health, formats, presets, the web page) skip keys
// and limits; Cpu and Ai work need a key when KEYS_FILE is set and are metered in
// separate per-minute buckets. app/access_classes.cpp assigns them by route name.
enum class AccessClass { Public, Cpu, Ai };

struct Route {
  Route(std::string method_, std::string pattern_, std::string name_, InlineHandler inline_, WorkHandler work_,
        ErrorRenderer render_error_, PrepareHandler prepare_ = {}, PrepareFilter wants_prepare_ = {})
      : method(std::move(method_)), pattern(std::move(pattern_)), name(std::move(name_)), inline_handler(std::move(inline_)),
        work_handler(std::move(work_)), render_error(std::move(render_error_)), prepare(std::move(prepare_)),
        wants_prepare(std::move(wants_prepare_)) {}

  std::string method;   // "GET", "POST"
  std::string pattern;  // exact path, or a prefix ending in '*' ("/api/v1/preset/*")
  std::string name;     // for logs and metrics: "feather.compress"
  InlineHandler inline_handler;  // exactly one of these two is set
  WorkHandler work_handler;
  ErrorRenderer render_error;    // the dialect's error shape
  PrepareHandler prepare;        // optional, for requests that wants_prepare accepts
  PrepareFilter wants_prepare;
  AccessClass access = AccessClass::Cpu;  // the safe default: keys and limits apply
};

struct RouteMatch {
  const Route* route = nullptr;  // the route, when method and path match
  bool path_known = false;       // the path exists with another method (405)
  const ErrorRenderer* render_error = nullptr;  // the error shape for this path's prefix
};

class Router {
 public:
  void add(Route route);
  // Paths under `prefix` that match no route still answer errors in this shape.
  void add_error_shape(std::string prefix, ErrorRenderer render_error);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }
  // Sets every route's access class (before the server starts).
  template <typename Rule>
  void classify(Rule rule) {
    for (Route& r : routes_) r.access = rule(static_cast<const Route&>(r));
  }

 private:
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, ErrorRenderer>> shapes_;
};

}  // namespace pixmill::http
