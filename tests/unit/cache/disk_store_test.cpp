// The disk tier: entries survive a restart, torn or altered files are never served,
// and a folder that cannot be written turns the tier off instead of failing.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cache/disk_store.h"
#include "core/digest.h"

namespace pixmill::cache {
namespace {

namespace fs = std::filesystem;

CachedResult sample(std::string body = "image bytes", int64_t expires_s = 1000) {
  CachedResult e;
  e.body = std::move(body);
  e.content_type = "image/webp";
  e.etag = "\"abc\"";
  e.headers = {{"X-Output-Width", "300"}};
  e.created_s = 10;
  e.expires_s = expires_s;
  return e;
}

class DiskStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("pixmill-disk-cache-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  std::string file_of(const std::string& key) const {
    const std::string name = core::sha256_hex(key);
    return (dir_ / name.substr(0, 2) / name).string();
  }
  fs::path dir_;
};

TEST_F(DiskStoreTest, RoundTripsAndSurvivesARestart) {
  {
    DiskStore store(dir_.string(), 1 << 20);
    store.put("k", sample());
    auto hit = store.get("k", 0);
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->body, "image bytes");
  }
  DiskStore reopened(dir_.string(), 1 << 20);
  EXPECT_EQ(reopened.entries(), 1u);
  auto hit = reopened.get("k", 0);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->content_type, "image/webp");
  EXPECT_EQ(hit->etag, "\"abc\"");
  ASSERT_EQ(hit->headers.size(), 1u);
  EXPECT_EQ(hit->headers[0].second, "300");
}

TEST_F(DiskStoreTest, EveryTornPrefixIsRefused) {
  const std::string full = DiskStore::encode("k", sample());
  ASSERT_TRUE(DiskStore::decode(full, "k"));
  for (size_t cut = 0; cut < full.size(); cut += 7) {
    EXPECT_FALSE(DiskStore::decode(std::string_view(full).substr(0, cut), "k")) << "prefix of " << cut << " bytes";
  }
  EXPECT_FALSE(DiskStore::decode(full, "another key"));
}

TEST_F(DiskStoreTest, AFlippedBitIsNeverServedAndTheFileIsDeleted) {
  DiskStore store(dir_.string(), 1 << 20);
  store.put("k", sample(std::string(4096, 'p')));
  std::string bytes;
  {
    std::ifstream in(file_of("k"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes[bytes.size() / 2] ^= 0x10;
  std::ofstream(file_of("k"), std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_FALSE(store.get("k", 0));
  EXPECT_EQ(store.corrupt_entries(), 1u);
  EXPECT_FALSE(fs::exists(file_of("k")));
}

TEST_F(DiskStoreTest, ATruncatedFileFromACrashIsNeverServed) {
  DiskStore store(dir_.string(), 1 << 20);
  store.put("k", sample(std::string(4096, 'p')));
  fs::resize_file(file_of("k"), 1000);
  EXPECT_FALSE(store.get("k", 0));
}

TEST_F(DiskStoreTest, LeftoverTemporariesAreRemovedAtStart) {
  fs::create_directories(dir_ / "tmp");
  std::ofstream(dir_ / "tmp" / "half-written") << "partial";
  DiskStore store(dir_.string(), 1 << 20);
  EXPECT_TRUE(fs::is_empty(dir_ / "tmp"));
}

TEST_F(DiskStoreTest, EvictsTheLeastRecentlyUsedByBytes) {
  const uint64_t one = DiskStore::encode("k1", sample(std::string(1000, 'a'))).size();
  DiskStore store(dir_.string(), one * 2 + 10);
  store.put("k1", sample(std::string(1000, 'a')));
  store.put("k2", sample(std::string(1000, 'a')));
  ASSERT_TRUE(store.get("k1", 0));
  EXPECT_EQ(store.put("k3", sample(std::string(1000, 'a'))), 1u);
  EXPECT_FALSE(store.get("k2", 0));
  EXPECT_TRUE(store.get("k1", 0));
  EXPECT_LE(store.bytes(), one * 2 + 10);
}

TEST_F(DiskStoreTest, ExpiredEntriesAreMisses) {
  DiskStore store(dir_.string(), 1 << 20);
  store.put("k", sample("x", 50));
  EXPECT_TRUE(store.get("k", 49));
  EXPECT_FALSE(store.get("k", 50));
}

TEST_F(DiskStoreTest, AReadOnlyFolderTurnsTheTierOffWithoutFailing) {
  if (::geteuid() == 0) {
    // root writes through permissions: use a path that cannot be a folder instead.
    fs::create_directories(dir_);
    std::ofstream(dir_ / "file") << "x";
    DiskStore store((dir_ / "file" / "cache").string(), 1 << 20);
    EXPECT_FALSE(store.enabled());
    EXPECT_EQ(store.put("k", sample()), 0u);
    EXPECT_FALSE(store.get("k", 0));
    return;
  }
  fs::create_directories(dir_ / "tmp");
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  fs::permissions(dir_ / "tmp", fs::perms::owner_read | fs::perms::owner_exec);
  DiskStore store(dir_.string(), 1 << 20);
  store.put("k", sample());
  EXPECT_FALSE(store.enabled());
  EXPECT_EQ(store.write_failures(), 1u);
  EXPECT_FALSE(store.get("k", 0));
}

TEST_F(DiskStoreTest, AWriteThatFailsLaterTurnsTheTierOff) {
  DiskStore store(dir_.string(), 1 << 20);
  store.put("a", sample());
  fs::remove_all(dir_);  // the folder disappears under a running server
  std::ofstream(dir_) << "now a file";
  store.put("b", sample());
  EXPECT_FALSE(store.enabled());
  EXPECT_GE(store.write_failures(), 1u);
  fs::remove(dir_);
}

}  // namespace
}  // namespace pixmill::cache
