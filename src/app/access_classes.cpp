#include "app/access_classes.h"

#include <array>
#include <string_view>

namespace pixmill::app {

http::AccessClass access_class_for(const http::Route& route) {
  const std::string_view name = route.name;
  if (name.find("remove-bg") != std::string_view::npos) return http::AccessClass::Ai;
  static constexpr std::array<std::string_view, 6> kPublicNames = {"healthz", "feather.model", "service.metrics", "openapi", "docs", "web"};
  for (std::string_view p : kPublicNames) {
    if (name == p) return http::AccessClass::Public;
  }
  // Families: each dialect's health/formats/presets, and the web playground's assets ("web.*").
  static constexpr std::array<std::string_view, 3> kPublicSuffixes = {".health", ".formats", ".presets"};
  for (std::string_view suffix : kPublicSuffixes) {
    if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) return http::AccessClass::Public;
  }
  if (name.substr(0, 4) == "web.") return http::AccessClass::Public;
  return http::AccessClass::Cpu;
}

}  // namespace pixmill::app
