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

http::Request multipart_request(const std::string& body) {
  http::Request r;
  r.headers = {{"content-type", "multipart/form-data; boundary=XyZ"}};
  r.body = body;
  return r;
}

std::string form_part(const std::string& disposition, const std::string& data) {
  return "--XyZ\r\nContent-Disposition: form-data; " + disposition + "\r\n\r\n" + data + "\r\n";
}

TEST(ExtractUpload, MultipartImageTakesOverTheBodysBuffer) {
  const std::string image(300000, '\x42');
  http::Request r = multipart_request(form_part("name=\"width\"", "300") +
                                      form_part("name=\"file\"; filename=\"a.png\"", image) +
                                      form_part("name=\"format\"", "webp") + "--XyZ--\r\n");
  const char* const body_begin = r.body.data();
  const char* const body_end = body_begin + r.body.size();
  auto u = extract_upload(r, UploadOptions{});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->image, image);
  EXPECT_EQ(u->filename, "a.png");
  // No second copy of the upload: the image lives in the body's own allocation.
  EXPECT_GE(u->image.data(), body_begin);
  EXPECT_LT(u->image.data(), body_end);
  ASSERT_EQ(u->fields.size(), 2u);
  EXPECT_EQ(u->fields[0], (std::pair<std::string, std::string>{"width", "300"}));
  EXPECT_EQ(u->fields[1], (std::pair<std::string, std::string>{"format", "webp"}));
}

TEST(ExtractUpload, MultipartAttachmentsAndBackgroundAreSlicedFromTheBody) {
  UploadOptions options;
  options.attachment_fields = {"overlay"};
  http::Request r = multipart_request(form_part("name=\"overlay\"; filename=\"o.png\"", "OVERLAY") +
                                      form_part("name=\"image\"; filename=\"i.jpg\"", "IMAGE\r\n--XyZnot-a-delimiter") +
                                      form_part("name=\"bgImage\"; filename=\"b.jpg\"", "BACKGROUND") + "--XyZ--");
  auto u = extract_upload(r, options);
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->image, "IMAGE\r\n--XyZnot-a-delimiter");
  EXPECT_EQ(u->background_image, "BACKGROUND");
  ASSERT_EQ(u->attachments.size(), 1u);
  EXPECT_EQ(*u->attachments[0].bytes, "OVERLAY");
}

// A bgImage URL (form field or JSON string) stays a field for the dialect to fetch; only
// a file part or base64 becomes background_image.
TEST(ExtractUpload, BackgroundUrlIsAFieldNotBytes) {
  http::Request form = multipart_request(form_part("name=\"file\"; filename=\"a.png\"", "A") +
                                         form_part("name=\"bgImage\"", "https://example.com/bg.png") + "--XyZ--");
  auto u = extract_upload(form, UploadOptions{});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->background_image.empty());
  ASSERT_EQ(u->fields.size(), 1u);
  EXPECT_EQ(u->fields[0], (std::pair<std::string, std::string>{"bgImage", "https://example.com/bg.png"}));

  http::Request json;
  json.headers = {{"content-type", "application/json"}};
  json.body = R"({"image":"aGVsbG8=","bgImage":"http://example.com/bg.png"})";
  u = extract_upload(json, UploadOptions{});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_TRUE(u->background_image.empty());
  ASSERT_EQ(u->fields.size(), 1u);
  EXPECT_EQ(u->fields[0].second, "http://example.com/bg.png");

  json.body = R"({"image":"aGVsbG8=","bgImage":"aGk="})";
  u = extract_upload(json, UploadOptions{});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->background_image, "hi");
}

TEST(ExtractUpload, MultipartWithTwoImagesIsRefused) {
  http::Request r = multipart_request(form_part("name=\"file\"; filename=\"a.png\"", "A") +
                                      form_part("name=\"image\"; filename=\"b.png\"", "B") + "--XyZ--");
  auto u = extract_upload(r, UploadOptions{});
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, ErrorCode::InvalidInput);
}

TEST(ExtractUpload, MultipartBase64TextFieldIsDecoded) {
  http::Request r = multipart_request(form_part("name=\"image\"", "data:image/png;base64,aGVsbG8=") + "--XyZ--");
  auto u = extract_upload(r, UploadOptions{});
  ASSERT_TRUE(u.ok()) << u.error().message;
  EXPECT_EQ(u->image, "hello");
}

TEST(ExtractUpload, BaseNameIsSafeForHeaders) {
  EXPECT_EQ(base_name("photo.jpg"), "photo");
  EXPECT_EQ(base_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(base_name("a\"b\r\n.png"), "ab");
  EXPECT_EQ(base_name(""), "image");
}

}  // namespace
}  // namespace pixmill::dialects
