#include "cache/disk_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "core/digest.h"
#include "log/log.h"

namespace pixmill::cache {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic = "PXMC1\n";
constexpr size_t kChecksumBytes = 64;  // hex SHA-256 at the end of the file

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}
void put_text(std::string& out, std::string_view text) {
  put_u64(out, text.size());
  out.append(text);
}

struct Reader {
  std::string_view in;
  bool ok = true;
  uint64_t u64() {
    if (in.size() < 8) return ok = false, 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[static_cast<size_t>(i)])) << (8 * i);
    in.remove_prefix(8);
    return v;
  }
  std::string text() {
    const uint64_t n = u64();
    if (!ok || n > in.size()) return ok = false, std::string();
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
};

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::optional<std::string> read_file(const std::string& path, uint64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(std::max<std::streamoff>(0, in.tellg()));
  if (size > limit) return std::nullopt;
  in.seekg(0);
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (!in) return std::nullopt;
  return data;
}

}  // namespace

std::string DiskStore::encode(const std::string& key, const CachedResult& entry) {
  std::string out(kMagic);
  put_text(out, key);
  put_u64(out, static_cast<uint64_t>(entry.created_s));
  put_u64(out, static_cast<uint64_t>(entry.expires_s));
  put_text(out, entry.content_type);
  put_text(out, entry.etag);
  put_u64(out, entry.headers.size());
  for (const auto& [name, value] : entry.headers) {
    put_text(out, name);
    put_text(out, value);
  }
  put_text(out, entry.body);
  out += core::sha256_hex(out);
  return out;
}

std::optional<CachedResult> DiskStore::decode(std::string_view bytes, const std::string& key) {
  if (bytes.size() < kMagic.size() + kChecksumBytes || !bytes.starts_with(kMagic)) return std::nullopt;
  const std::string_view content = bytes.substr(0, bytes.size() - kChecksumBytes);
  if (core::sha256_hex(content) != bytes.substr(bytes.size() - kChecksumBytes)) return std::nullopt;
  Reader r{content.substr(kMagic.size())};
  CachedResult entry;
  const std::string stored_key = r.text();
  entry.created_s = static_cast<int64_t>(r.u64());
  entry.expires_s = static_cast<int64_t>(r.u64());
  entry.content_type = r.text();
  entry.etag = r.text();
  const uint64_t count = r.u64();
  for (uint64_t i = 0; r.ok && i < count && i < 1024; ++i) {
    std::string name = r.text();
    std::string value = r.text();
    entry.headers.emplace_back(std::move(name), std::move(value));
  }
  entry.body = r.text();
  // A different key under the same hash would be a SHA-256 collision; refuse it anyway.
  if (!r.ok || !r.in.empty() || stored_key != key) return std::nullopt;
  return entry;
}

DiskStore::DiskStore(std::string dir, uint64_t capacity_bytes) : dir_(std::move(dir)), capacity_(capacity_bytes) {
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / "tmp", ec);
  if (ec) {
    disable("cannot create " + dir_ + ": " + ec.message());
    return;
  }
  index_existing();
}

std::string DiskStore::path_of(const std::string& name) const { return dir_ + "/" + name.substr(0, 2) + "/" + name; }

void DiskStore::index_existing() {
  struct Found {
    std::string name;
    uint64_t size;
    fs::file_time_type mtime;
  };
  std::vector<Found> found;
  std::error_code ec;
  // Temporaries are writes a crash interrupted: never complete, always removable.
  for (const auto& e : fs::directory_iterator(fs::path(dir_) / "tmp", ec)) fs::remove(e.path(), ec);
  for (const auto& sub : fs::directory_iterator(dir_, ec)) {
    if (!sub.is_directory() || sub.path().filename() == "tmp") continue;
    std::error_code inner;
    for (const auto& file : fs::directory_iterator(sub.path(), inner)) {
      if (!file.is_regular_file(inner)) continue;
      found.push_back({file.path().filename().string(), file.file_size(inner), file.last_write_time(inner)});
    }
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.mtime > b.mtime; });
  std::lock_guard lock(mutex_);
  for (const auto& f : found) {
    order_.push_back(Slot{f.name, f.size});
    index_[f.name] = std::prev(order_.end());
    bytes_ += f.size;
  }
}

void DiskStore::disable(const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    if (!enabled_) return;
    enabled_ = false;
  }
  log::write(log::Level::Warn, "result_cache.disk_disabled", {{"dir", dir_}, {"reason", why}});
}

void DiskStore::forget_locked(const std::string& name) {
  auto it = index_.find(name);
  if (it == index_.end()) return;
  bytes_ -= it->second->size;
  order_.erase(it->second);
  index_.erase(it);
}

void DiskStore::touch_locked(const std::string& name) {
  auto it = index_.find(name);
  if (it != index_.end()) order_.splice(order_.begin(), order_, it->second);
}

std::shared_ptr<const CachedResult> DiskStore::get(const std::string& key, int64_t now_s) {
  const std::string name = core::sha256_hex(key);
  {
    std::lock_guard lock(mutex_);
    if (!enabled_ || !index_.count(name)) return nullptr;
  }
  const std::string path = path_of(name);
  auto bytes = read_file(path, capacity_);
  std::optional<CachedResult> entry = bytes ? decode(*bytes, key) : std::nullopt;
  std::lock_guard lock(mutex_);
  if (!entry || entry->expires_s <= now_s) {
    if (bytes && !entry) ++corrupt_;
    forget_locked(name);
    ::unlink(path.c_str());
    return nullptr;
  }
  touch_locked(name);
  return std::make_shared<const CachedResult>(std::move(*entry));
}

uint64_t DiskStore::put(const std::string& key, const CachedResult& entry) {
  const std::string name = core::sha256_hex(key);
  const std::string data = encode(key, entry);
  std::string temp;
  {
    std::lock_guard lock(mutex_);
    if (!enabled_ || data.size() > capacity_) return 0;
    temp = dir_ + "/tmp/" + name + "." + std::to_string(::getpid()) + "." + std::to_string(++sequence_);
  }
  std::error_code ec;
  fs::create_directories(fs::path(dir_) / name.substr(0, 2), ec);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  bool written = fd >= 0 && write_all(fd, data) && ::fsync(fd) == 0;
  if (fd >= 0) written = ::close(fd) == 0 && written;
  const std::string path = path_of(name);
  if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp.c_str());
    {
      std::lock_guard lock(mutex_);
      ++write_failures_;
    }
    disable("writing an entry failed: " + why);
    return 0;
  }
  std::lock_guard lock(mutex_);
  forget_locked(name);
  order_.push_front(Slot{name, data.size()});
  index_[name] = order_.begin();
  bytes_ += data.size();
  uint64_t evicted = 0;
  while (bytes_ > capacity_ && order_.size() > 1) {
    const std::string victim = order_.back().name;
    forget_locked(victim);
    ::unlink(path_of(victim).c_str());
    ++evicted;
  }
  return evicted;
}

bool DiskStore::enabled() const {
  std::lock_guard lock(mutex_);
  return enabled_;
}
uint64_t DiskStore::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}
uint64_t DiskStore::entries() const {
  std::lock_guard lock(mutex_);
  return index_.size();
}
uint64_t DiskStore::write_failures() const {
  std::lock_guard lock(mutex_);
  return write_failures_;
}
uint64_t DiskStore::corrupt_entries() const {
  std::lock_guard lock(mutex_);
  return corrupt_;
}

}  // namespace pixmill::cache
