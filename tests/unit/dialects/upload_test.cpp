#include <gtest/gtest.h>

#include "dialects/upload.h"

namespace pixmill::dialects {
namespace {

TEST(DecodeBase64, PaddedUnpaddedAndUrlSafe) {
  EXPECT_EQ(*decode_base64_image("aGVsbG8="), "hello");
  EXPECT_EQ(*decode_base64_image("aGVsbG8"), "hello");
  EXPECT_EQ(*decode_base64_image("aGk="), "hi");
  EXPECT_EQ(*decode_base64_image("aGVsbG8hIQ=="), "hello!!");
  EXPECT_EQ(*decode_base64_image("aGVs\nbG8h IQ=="), "hello!!");
  EXPECT_EQ(*decode_base64_image("data:image/png;base64,aGVsbG8="), "hello");
  EXPECT_EQ(*decode_base64_image("_-8="), std::string("\xff\xef", 2));
}

TEST(DecodeBase64, RejectsGarbage) {
  for (const char* bad : {"a=b=", "aGVsbG8===", "!!!!", "data:image/png,notbase64", "aGV=sbG8"}) {
    EXPECT_FALSE(decode_base64_image(bad).ok()) << bad;
  }
}

TEST(ExtractUpload, RawBodyIsTheImage) {
  http::Request r;
  r.headers = {{"content-type", "image/jpeg"}};
  r.body = "\xFF\xD8\xFF rest";
  auto u = extract_upload(r, UploadOptions{});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->image, "\xFF\xD8\xFF rest");
}

TEST(ExtractUpload, JsonCarriesBase64AndParams) {
  http::Request r;
  r.headers = {{"content-type", "application/json"}};
  r.body = R"({"image":"aGVsbG8=","width":300,"grayscale":true,"format":"webp"})";
  auto u = extract_upload(r, UploadOptions{});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->image, "hello");
  ASSERT_EQ(u->fields.size(), 3u);
  auto field = [&](const std::string& name) {
    for (const auto& [n, v] : u->fields) {
      if (n == name) return v;
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(field("width"), "300");
  EXPECT_EQ(field("grayscale"), "true");
  EXPECT_EQ(field("format"), "webp");
}

TEST(ExtractUpload, BaseNameIsSafeForHeaders) {
  EXPECT_EQ(base_name("photo.jpg"), "photo");
  EXPECT_EQ(base_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(base_name("a\"b\r\n.png"), "ab");
  EXPECT_EQ(base_name(""), "image");
}

}  // namespace
}  // namespace pixmill::dialects
