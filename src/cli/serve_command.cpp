#include <iostream>

#include "cli/commands.h"

namespace pixmill::cli {

int serve_command(int, char**) {
  std::cerr << "pixmill serve: not built yet\n";
  return 1;
}

}  // namespace pixmill::cli
