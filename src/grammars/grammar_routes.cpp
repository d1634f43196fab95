#include "grammars/grammar_routes.h"

namespace pixmill::grammars {

std::vector<http::RouteGroup> grammar_routes(const std::shared_ptr<GrammarService>& service, bool root_only) {
  const GrammarSettings& s = service->settings();
  const std::pair<Grammar, std::string> mounts[] = {
      {Grammar::Imgproxy, s.imgproxy_prefix}, {Grammar::Thumbor, s.thumbor_prefix}, {Grammar::Cloudflare, s.cloudflare_prefix}};
  std::vector<http::RouteGroup> groups;
  for (const auto& mount : mounts) {
    // Named copies, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const Grammar grammar = mount.first;
    const std::string& prefix = mount.second;
    if (prefix == "off" || (prefix == "/") != root_only) continue;
    auto render = [service, grammar](const Error& e) { return service->render_error(grammar, e); };
    http::RouteGroup group{.error_prefix = prefix == "/" ? "" : prefix + "/", .render_error = render};
    group.routes.push_back({
        .method = "GET",
        .pattern = prefix == "/" ? "/*" : prefix + "/*",
        .name = std::string(grammar_name(grammar)) + ".image",
        .work_handler = [service, grammar](http::Request& r, const Deadline& d) { return service->respond(grammar, r, d); },
        .render_error = render,
        // Every grammar request resolves its source (and the result cache) on the fetch pool.
        .prepare = [service, grammar](http::Request& r, const Deadline& d) { return service->prepare(grammar, r, d); },
        .classify = [service, grammar](http::Request& r) {
          return service->runs_model(grammar, r) ? http::AccessClass::Ai : http::AccessClass::Cpu;
        },
    });
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace pixmill::grammars
