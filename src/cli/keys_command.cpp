// `pixmill keys new --plan pro [--name acme]`: a fresh API key, printed once, with the
// entry to add to KEYS_FILE (which stores only its SHA-256). `pixmill keys hash KEY`
// prints the entry for an existing key.

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "core/digest.h"
#include "policy/key_store.h"

namespace pixmill::cli {
namespace {

int usage() {
  std::cerr << "usage: pixmill keys new [--plan PLAN] [--name NAME]   print a fresh key and its KEYS_FILE entry\n"
               "       pixmill keys hash KEY [--plan PLAN] [--name NAME]\n";
  return 2;
}

void print_entry(const std::string& name, const std::string& plan, const std::string& key) {
  const std::string hash = core::sha256_hex(key);
  std::cout << "key (shown once, store it now): " << key << "\n\n"
            << "KEYS_FILE entry, JSON (in \"keys\": [...]):\n"
            << "  {\"name\": \"" << name << "\", \"plan\": \"" << plan << "\", \"sha256\": \"" << hash << "\"}\n\n"
            << "KEYS_FILE entry, TOML:\n"
            << "  [[keys]]\n  name = \"" << name << "\"\n  plan = \"" << plan << "\"\n  sha256 = \"" << hash << "\"\n";
}

}  // namespace

int keys_command(int argc, char** argv) {
  if (argc < 3) return usage();
  const std::string action = argv[2];
  std::string plan = "free";
  std::string name = "key-" + std::to_string(std::time(nullptr));
  std::string key;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--plan" || arg == "--name") && i + 1 < argc) {
      (arg == "--plan" ? plan : name) = argv[++i];
    } else if (action == "hash" && key.empty() && arg.rfind("--", 0) != 0) {
      key = arg;
    } else {
      return usage();
    }
  }
  // The plan must exist where the key will be used: the keys file's plans, or the built-in ones.
  policy::KeyStore store;
  if (const char* path = std::getenv("KEYS_FILE"); path && *path) {
    auto loaded = policy::KeyStore::load(path);
    if (!loaded) {
      std::cerr << "pixmill: " << loaded.error().message << "\n";
      return 1;
    }
    store = std::move(*loaded);
  }
  if (!store.plan(plan)) {
    std::cerr << "pixmill: unknown plan " << plan << " (known:";
    for (const auto& [known, _] : store.plans()) std::cerr << " " << known;
    std::cerr << ")\n";
    return 2;
  }
  if (action == "new") {
    key = policy::generate_api_key();
    if (key.empty()) {
      std::cerr << "pixmill: the random generator failed\n";
      return 1;
    }
  } else if (action != "hash" || key.empty()) {
    return usage();
  }
  print_entry(name, plan, key);
  return 0;
}

}  // namespace pixmill::cli
