#include "grammars/grammar_routes.h"

namespace pixmill::grammars {

void register_grammar_routes(http::Router& router, const std::shared_ptr<GrammarService>& service, bool root_only) {
  const GrammarSettings& s = service->settings();
  const std::pair<Grammar, std::string> mounts[] = {
      {Grammar::Imgproxy, s.imgproxy_prefix}, {Grammar::Thumbor, s.thumbor_prefix}, {Grammar::Cloudflare, s.cloudflare_prefix}};
  for (const auto& mount : mounts) {
    // Named copies, not a structured binding: clang 14 (the fuzz build) cannot capture one.
    const Grammar grammar = mount.first;
    const std::string& prefix = mount.second;
    if (prefix == "off" || (prefix == "/") != root_only) continue;
    const std::string pattern = prefix == "/" ? "/*" : prefix + "/*";
    auto render = [service, grammar](const Error& e) { return service->render_error(grammar, e); };
    if (prefix != "/") router.add_error_shape(prefix + "/", render);
    router.add(http::Route{"GET", pattern, std::string(grammar_name(grammar)) + ".image", nullptr,
                           [service, grammar](http::Request& r, const Deadline& d) { return service->respond(grammar, r, d); }, render,
                           [service, grammar](http::Request& r, const Deadline& d) { return service->prepare(grammar, r, d); },
                           [](const http::Request&) { return true; }});
  }
}

}  // namespace pixmill::grammars
