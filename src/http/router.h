#pragma once
// Routes are data: each dialect returns RouteSpecs written with designated initialisers
// (method, path, name, access class, handler or stages, error shape), and app/routes.cpp
// joins the lists. Cheap handlers run on the I/O thread; image work runs on the worker
// pool under a deadline.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/result.h"
#include "http/message.h"
#include "core/deadline.h"

namespace pixmill::http {

// Who may call a route. Public routes (health, formats, presets, the web page) skip keys
// and limits; Cpu and Ai work need a key when KEYS_FILE is set and are metered in
// separate per-minute buckets.
enum class AccessClass { Public, Cpu, Ai };

using InlineHandler = std::function<Response(const Request&)>;
using ErrorRenderer = std::function<Response(const Error&)>;

// What a work route's stages hand each other (a parse, a fetched image), owned by the job
// between the pools. Type-erased only here and in http/stages.h, which builds WorkStages
// from typed functions: a route's own code never casts it.
using StageValue = std::shared_ptr<void>;

// A work route's stages, in the order the job runs them (build them with http::stages()).
struct WorkStages {
  // The class of one request of a Cpu route, from its parsed recipe: a flag that runs a
  // model, in whatever spelling or place the dialect's parser accepts it, makes it Ai.
  // Optional; runs on the admission pool, only when a policy needs the class.
  std::function<AccessClass(Request&, StageValue&)> classify{};
  // Network-bound preparation (fetching the image by URL, the model) on the fetch pool
  // before the image work, so a slow upstream never holds an image worker. Optional; for
  // the requests wants_fetch accepts (all when empty), decided on the I/O thread.
  std::function<bool(const Request&)> wants_fetch{};
  std::function<std::optional<Error>(Request&, StageValue&, const core::Deadline&)> fetch{};
  // The image work, on the worker pool; an error is rendered in the route's shape.
  std::function<Result<Response>(Request&, StageValue&, const core::Deadline&)> work{};
};

// Every member has a default (`{}`): a spec names only what it sets, and GCC's
// -Wmissing-field-initializers stays quiet about the rest.
struct RouteSpec {
  std::string method{};   // "GET", "POST"
  std::string pattern{};  // exact path, or a prefix ending in '*' ("/api/v1/preset/*")
  std::string name{};     // for logs and metrics: "feather.compress"
  AccessClass access = AccessClass::Cpu;  // the safe default: keys and limits apply
  InlineHandler inline_handler{};  // exactly one of these two is set
  WorkStages stages{};
  ErrorRenderer render_error{};    // the dialect's error shape
  std::string fetch_kind = "image";  // what the fetch stage fetches, for the fetch metrics ("image", "model")
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
