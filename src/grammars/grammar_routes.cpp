#include "grammars/grammar_routes.h"

#include "http/stages.h"

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
        // Every grammar request resolves its source (and the result cache) on the fetch pool.
        .stages = http::stages<std::shared_ptr<GrammarService::Prepared>>({
            .parse = [service, grammar](http::Request& r) { return service->parse(grammar, r); },
            .classify = [service](const auto& p) { return service->runs_model(*p) ? http::AccessClass::Ai : http::AccessClass::Cpu; },
            .fetch = [service, grammar](auto& p, const http::Request&, const Deadline& d) { return service->prepare(grammar, *p, d); },
            .work = [service, grammar](auto& p, const http::Request& r, const Deadline& d) -> Result<http::Response> {
              return service->respond(grammar, *p, r, d);
            },
        }),
        .render_error = render,
    });
    groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace pixmill::grammars
