#pragma once
// Routes are data: each dialect returns RouteSpecs written with designated initialisers
// (method, path, name, access class, handler, error shape, optional fetch stage), and
// app/routes.cpp joins the lists. Cheap handlers run on the I/O thread; image work runs
// on the worker pool under a deadline.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "http/message.h"
#include "core/deadline.h"

namespace pixmill::http {

// Who may call a route. Public routes (health, formats, presets, the web page) skip keys
// and limits; Cpu and Ai work need a key when KEYS_FILE is set and are metered in
// separate per-minute buckets.
enum class AccessClass { Public, Cpu, Ai };

using InlineHandler = std::function<Response(const Request&)>;
// The worker owns the request: a handler may move the body out.
using WorkHandler = std::function<Response(Request&, const core::Deadline&)>;
using ErrorRenderer = std::function<Response(const Error&)>;
// Network-bound preparation (fetching the image by URL) that runs on the fetch pool
// before the image work, so a slow upstream never holds an image worker.
using PrepareHandler = std::function<std::optional<Error>(Request&, const core::Deadline&)>;
using PrepareFilter = std::function<bool(const Request&)>;
// The class of one request of a Cpu route, from its parsed recipe: a flag that runs a
// model, in whatever spelling or place the dialect's parser accepts it, makes it Ai. It
// may parse the body into Request::parsed for the work stage (so it is parsed once).
using WorkClassifier = std::function<AccessClass(Request&)>;

// Every member has a default (`{}`): a spec names only what it sets, and GCC's
// -Wmissing-field-initializers stays quiet about the rest.
struct RouteSpec {
  std::string method{};   // "GET", "POST"
  std::string pattern{};  // exact path, or a prefix ending in '*' ("/api/v1/preset/*")
  std::string name{};     // for logs and metrics: "feather.compress"
  AccessClass access = AccessClass::Cpu;  // the safe default: keys and limits apply
  InlineHandler inline_handler{};  // exactly one of these two is set
  WorkHandler work_handler{};
  ErrorRenderer render_error{};    // the dialect's error shape
  PrepareHandler prepare{};        // optional, for requests that wants_prepare accepts (all when empty)
  PrepareFilter wants_prepare{};
  WorkClassifier classify{};       // optional, Cpu routes whose requests may ask for AI work
  std::string fetch_kind = "image";  // what prepare fetches, for the fetch metrics ("image", "model")
};

struct RouteMatch {
  const RouteSpec* route = nullptr;  // the route, when method and path match
  bool path_known = false;           // the path exists with another method (405)
  const ErrorRenderer* render_error = nullptr;  // the error shape for this path's prefix
};

// One dialect's routes, and the error shape of its path prefix (paths under it that match
// no route still answer in that shape; an empty prefix adds none).
struct RouteGroup {
  std::string error_prefix{};
  ErrorRenderer render_error{};
  std::vector<RouteSpec> routes{};
};

class Router {
 public:
  void add(RouteSpec route);
  void add(RouteGroup group);
  // Paths under `prefix` that match no route still answer errors in this shape.
  void add_error_shape(std::string prefix, ErrorRenderer render_error);
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<RouteSpec>& routes() const { return routes_; }

 private:
  std::vector<RouteSpec> routes_;
  std::vector<std::pair<std::string, ErrorRenderer>> shapes_;
};

}  // namespace pixmill::http
