#pragma once
// Reading and writing whole files, with "-" for stdin/stdout.

#include <optional>
#include <string>

namespace pixmill::cli {

std::optional<std::string> read_all(const std::string& path);
bool write_all(const std::string& path, const std::string& bytes);

}  // namespace pixmill::cli
