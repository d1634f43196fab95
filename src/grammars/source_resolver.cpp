#include "grammars/source_resolver.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "core/text.h"

namespace pixmill::grammars {
namespace {

namespace fs = std::filesystem;

bool has_scheme(std::string_view s, std::string_view scheme) {
  return s.size() > scheme.size() && core::ascii_lower(s.substr(0, scheme.size())) == scheme;
}

std::vector<std::string_view> split_all_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

Error outside() { return make_error(ErrorCode::UrlNotAllowed, "the source path leaves SOURCE_DIR", "source"); }

Result<ResolvedSource> resolve_local(std::string_view relative, const std::string& dir) {
  if (dir.empty()) return make_error(ErrorCode::UrlNotAllowed, "local sources need SOURCE_DIR", "source");
  while (relative.starts_with('/')) relative.remove_prefix(1);
  if (relative.empty() || relative.find('\0') != std::string_view::npos) return make_error(ErrorCode::InvalidInput, "Image URL is empty", "source");
  for (const auto& segment : split_all_segments(relative)) {
    if (segment == "..") return outside();
  }
  std::error_code ec;
  const fs::path root = fs::canonical(dir, ec);
  if (ec) return make_error(ErrorCode::NotFound, "SOURCE_DIR is not readable", "source");
  const fs::path candidate = root / fs::path(std::string(relative));
  // canonical() follows every symbolic link: what it names must still be inside the root.
  const fs::path real = fs::canonical(candidate, ec);
  if (ec) return make_error(ErrorCode::NotFound, "the source file does not exist", "source");
  const std::string root_text = root.string() + "/";
  if (real.string().rfind(root_text, 0) != 0) return outside();
  return ResolvedSource{true, real.string()};
}

}  // namespace

Result<ResolvedSource> resolve_source(std::string_view source, const SourceSettings& settings) {
  if (source.empty()) return make_error(ErrorCode::InvalidInput, "Image URL is empty", "source");
  if (has_scheme(source, "http://") || has_scheme(source, "https://")) return ResolvedSource{false, std::string(source)};
  if (has_scheme(source, "local://")) return resolve_local(source.substr(8), settings.dir);
  if (source.find("://") != std::string_view::npos) {
    return make_error(ErrorCode::UrlNotAllowed, "only http and https sources can be fetched", "source");
  }
  if (!settings.base_url.empty()) {
    std::string url = settings.base_url;
    std::string_view rest = source;
    if (url.back() == '/' && rest.starts_with('/')) rest.remove_prefix(1);
    if (url.back() != '/' && !rest.starts_with('/')) url += '/';
    return ResolvedSource{false, url + std::string(rest)};
  }
  if (!settings.dir.empty()) return resolve_local(source, settings.dir);
  return make_error(ErrorCode::InvalidInput, "a relative source needs SOURCE_BASE_URL or SOURCE_DIR on the server", "source");
}

Result<std::string> local_source_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return make_error(ErrorCode::NotFound, "the source file does not exist", "source");
  return "file:" + path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

Result<std::string> read_local_source(const std::string& path, uint64_t max_bytes, std::string* identity) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::NotFound, "the source file does not exist", "source");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::NotFound, "the source file does not exist", "source");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return make_error(ErrorCode::FileTooLarge, "the source file is larger than the size limit", "source");
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  data.resize(done);
  if (identity) {
    *identity = "file:" + path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }
  return data;
}

}  // namespace pixmill::grammars
