#pragma once
// What the router cannot know about each route: its summary, its tag and the shape of
// its request and answer. Keyed by route name; parameters come from the dialects' tables.

#include <string>
#include <string_view>

namespace pixmill::web {

enum class RouteKind {
  NativeImage,     // /api/v1/*: native parameters, image in, image out
  NativePreset,    // /api/v1/preset/{name}
  NativeInfo,      // /api/v1/info: image in (as NativeImage), JSON facts out
  PetiteProcess,   // /v1/process
  FeatherImage,    // /api/compress, /api/convert
  FeatherModel,    // /api/model
  UrlImage,        // a peer's URL grammar: the whole request is the path, the answer an image
  Json,            // a JSON document
  Text,            // text/plain (Prometheus)
  Html,            // a page
  Asset,           // a static file
};

struct RouteDoc {
  std::string_view tag;
  std::string_view summary;
  std::string_view description;
  RouteKind kind = RouteKind::Json;
  std::string_view wildcard = "";  // name of the path parameter a trailing '*' stands for
  std::string_view endpoint = "";  // native endpoint name ("process") for NativeImage
};

// nullptr when the route has no documentation.
const RouteDoc* find_route_doc(std::string_view route_name);

}  // namespace pixmill::web
