// `pixmill sign URL [--expires SECONDS] [--kid ID]`: the URL with kid, exp and sig added,
// signed with a key from SIGNING_KEYS (the first unless --kid names another).

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "policy/signed_url.h"

namespace pixmill::cli {

int sign_command(int argc, char** argv) {
  std::string url, kid;
  long long expires_in = 3600;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--expires" && i + 1 < argc) {
      char* end = nullptr;
      expires_in = std::strtoll(argv[++i], &end, 10);
      if (*end != '\0' || expires_in < 0) {
        std::cerr << "pixmill: --expires takes seconds (0: never)\n";
        return 2;
      }
    } else if (arg == "--kid" && i + 1 < argc) {
      kid = argv[++i];
    } else if (url.empty() && arg.rfind("--", 0) != 0) {
      url = arg;
    } else {
      url.clear();
      break;
    }
  }
  if (url.empty()) {
    std::cerr << "usage: pixmill sign URL [--expires SECONDS (default 3600, 0: never)] [--kid ID]   (keys from SIGNING_KEYS)\n";
    return 2;
  }
  const char* setting = std::getenv("SIGNING_KEYS");
  auto keys = policy::parse_signing_keys(setting ? setting : "");
  if (!keys) {
    std::cerr << "pixmill: " << keys.error().message << "\n";
    return 2;
  }
  if (keys->empty()) {
    std::cerr << "pixmill: SIGNING_KEYS is not set (kid:secret[:plan],…)\n";
    return 2;
  }
  const policy::SigningKey* key = &keys->front();
  if (!kid.empty()) {
    key = nullptr;
    for (const auto& k : *keys) {
      if (k.id == kid) key = &k;
    }
    if (!key) {
      std::cerr << "pixmill: no key " << kid << " in SIGNING_KEYS\n";
      return 2;
    }
  }
  auto signed_url = policy::sign_url(url, *key, expires_in > 0 ? static_cast<int64_t>(std::time(nullptr)) + expires_in : 0);
  if (!signed_url) {
    std::cerr << "pixmill: " << signed_url.error().message << "\n";
    return 2;
  }
  std::cout << *signed_url << "\n";
  return 0;
}

}  // namespace pixmill::cli
