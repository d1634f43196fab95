#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "http/multipart.h"

namespace pixmill::http {
namespace {

// The boundary shape curl -F uses: 24 dashes and 16 hex digits.
const std::string kBoundary = "------------------------d74496d66958873e";

// Builds bodies byte for byte the way curl -F does.
class Form {
 public:
  explicit Form(std::string boundary = kBoundary) : boundary_(std::move(boundary)) {}

  Form& field(std::string_view name, std::string_view value) {
    body_ += "--" + boundary_ + "\r\n";
    body_ += "Content-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n";
    body_ += value;
    body_ += "\r\n";
    return *this;
  }

  Form& file(std::string_view name, std::string_view filename, std::string_view type, std::string_view data) {
    body_ += "--" + boundary_ + "\r\n";
    body_ += "Content-Disposition: form-data; name=\"" + std::string(name) + "\"; filename=\"" +
             std::string(filename) + "\"\r\n";
    body_ += "Content-Type: " + std::string(type) + "\r\n\r\n";
    body_ += data;
    body_ += "\r\n";
    return *this;
  }

  // A part with hand-written headers (no trailing blank line).
  Form& part(std::string_view headers, std::string_view data) {
    body_ += "--" + boundary_ + "\r\n";
    body_ += headers;
    body_ += "\r\n";
    body_ += data;
    body_ += "\r\n";
    return *this;
  }

  std::string open() const { return body_; }
  std::string close() const { return body_ + "--" + boundary_ + "--\r\n"; }

 private:
  std::string boundary_;
  std::string body_;
};

struct Outcome {
  bool ok = false;
  Error error;
  bool failed_in_feed = false;
  std::vector<MultipartPart> parts;
};

// chunk == 0 feeds the whole body at once.
Outcome parse(std::string_view body, size_t chunk = 0, MultipartLimits limits = {},
              const std::string& boundary = kBoundary) {
  MultipartParser parser(boundary, limits);
  Outcome out;
  const size_t step = chunk == 0 ? std::max<size_t>(body.size(), 1) : chunk;
  Status status = ok_status();
  for (size_t i = 0; i < body.size() && status.ok(); i += step) {
    status = parser.feed(body.substr(i, step));
  }
  out.failed_in_feed = !status.ok();
  if (status.ok()) {
    status = parser.finish();
  }
  out.ok = status.ok();
  if (!status.ok()) {
    out.error = status.error();
  }
  out.parts = parser.take_parts();
  for (const MultipartPart& part : out.parts) {
    EXPECT_EQ(body.substr(part.offset, part.size), part.data) << "the position names other bytes than the data";
  }
  return out;
}

auto as_tuple(const MultipartPart& p) { return std::tie(p.name, p.filename, p.content_type, p.data); }

std::string binary_png_like() {
  std::string data = "\x89PNG\r\n\x1a\n";
  data += std::string("\0\0\0\rIHDR", 8);
  data += "\r\n\r\n--\r\n-";
  data += "\r\n--" + kBoundary.substr(0, 20);  // a delimiter cut short
  data += "--" + kBoundary + "-x";             // no CRLF before it
  data += "\r\n--" + kBoundary + "x\r\n";     // longer than the boundary
  data += "\xff\xfe\r";
  return data;
}

TEST(Multipart, ParsesFieldsAndFilePart) {
  const std::string body =
      Form().field("width", "300").field("format", "webp").file("file", "cat.png", "image/png", "PNGDATA").close();
  Outcome r = parse(body);
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 3u);
  EXPECT_EQ(r.parts[0].name, "width");
  EXPECT_EQ(r.parts[0].data, "300");
  EXPECT_FALSE(r.parts[0].is_file());
  EXPECT_EQ(r.parts[1].name, "format");
  EXPECT_EQ(r.parts[1].data, "webp");
  EXPECT_EQ(r.parts[2].name, "file");
  EXPECT_EQ(r.parts[2].filename, "cat.png");
  EXPECT_EQ(r.parts[2].content_type, "image/png");
  EXPECT_EQ(r.parts[2].data, "PNGDATA");
  EXPECT_TRUE(r.parts[2].is_file());
}

TEST(Multipart, ChunkSizesGiveIdenticalResults) {
  const std::string body = "preamble\r\n" +
                           Form()
                               .field("quality", "80")
                               .file("file", "a.png", "image/png", binary_png_like())
                               .field("empty", "")
                               .file("second", "b.bin", "application/octet-stream", "\r\n\r")
                               .close() +
                           "epilogue";
  const Outcome whole = parse(body);
  ASSERT_TRUE(whole.ok) << whole.error.message;
  ASSERT_EQ(whole.parts.size(), 4u);
  EXPECT_EQ(whole.parts[1].data, binary_png_like());
  EXPECT_EQ(whole.parts[3].data, "\r\n\r");
  for (size_t chunk : {1, 2, 3, 7, 20, 41, 42, 43}) {
    const Outcome r = parse(body, chunk);
    ASSERT_TRUE(r.ok) << "chunk " << chunk << ": " << r.error.message;
    ASSERT_EQ(r.parts.size(), whole.parts.size()) << "chunk " << chunk;
    for (size_t i = 0; i < r.parts.size(); ++i) {
      EXPECT_EQ(as_tuple(r.parts[i]), as_tuple(whole.parts[i])) << "chunk " << chunk << " part " << i;
    }
  }
}

TEST(Multipart, QuotedAndUnquotedNames) {
  const std::string body = Form()
                               .part("Content-Disposition: form-data; name=plain\r\n", "1")
                               .part("Content-Disposition: form-data; name=\"quoted\"\r\n", "2")
                               .part("Content-Disposition: form-data; name=\"a \\\"b\\\" c\"\r\n", "3")
                               .part("Content-Disposition: form-data; name=\"semi;colon\"\r\n", "4")
                               .close();
  Outcome r = parse(body);
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 4u);
  EXPECT_EQ(r.parts[0].name, "plain");
  EXPECT_EQ(r.parts[1].name, "quoted");
  EXPECT_EQ(r.parts[2].name, "a \"b\" c");
  EXPECT_EQ(r.parts[3].name, "semi;colon");
}

TEST(Multipart, FilenameWithSpaces) {
  Outcome r = parse(Form().file("file", "my holiday photo.jpg", "image/jpeg", "JPEG").close());
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_EQ(r.parts[0].filename, "my holiday photo.jpg");
}

TEST(Multipart, HeaderNamesAndParametersAreCaseInsensitive) {
  const std::string body =
      Form().part("content-disposition: Form-Data; NAME=\"x\"; FileName=\"y.gif\"\r\nCONTENT-TYPE: image/gif\r\n", "G")
          .close();
  Outcome r = parse(body);
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_EQ(r.parts[0].name, "x");
  EXPECT_EQ(r.parts[0].filename, "y.gif");
  EXPECT_EQ(r.parts[0].content_type, "image/gif");
}

TEST(Multipart, FilenameStarIsIgnored) {
  const std::string body =
      Form().part("Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''x.png; filename=\"x.png\"\r\n", "D")
          .close();
  Outcome r = parse(body);
  ASSERT_TRUE(r.ok) << r.error.message;
  EXPECT_EQ(r.parts[0].filename, "x.png");
}

TEST(Multipart, MissingClosingBoundaryFailsFinish) {
  Outcome r = parse(Form().field("a", "1").open());
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.failed_in_feed);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
  EXPECT_TRUE(r.parts.empty());  // the unfinished part is never reported
}

TEST(Multipart, TruncatedInsideClosingBoundaryFailsFinish) {
  std::string body = Form().field("a", "1").close();
  body.resize(body.size() - 4);  // "...--bound" without the final "--\r\n"
  Outcome r = parse(body);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
}

TEST(Multipart, TooManyPartsIsInvalidInput) {
  Form form;
  for (int i = 0; i < 5; ++i) {
    form.field("f" + std::to_string(i), "v");
  }
  MultipartLimits limits;
  limits.max_parts = 4;
  Outcome r = parse(form.close(), 0, limits);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(r.failed_in_feed);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
  EXPECT_NE(r.error.message.find("parts"), std::string::npos);

  Form exact;
  for (int i = 0; i < 4; ++i) {
    exact.field("f" + std::to_string(i), "v");
  }
  EXPECT_TRUE(parse(exact.close(), 0, limits).ok);
}

TEST(Multipart, OversizedFieldIsInvalidInput) {
  MultipartLimits limits;
  limits.max_field_bytes = 10;
  EXPECT_TRUE(parse(Form().field("text", std::string(10, 'a')).close(), 0, limits).ok);
  Outcome r = parse(Form().field("text", std::string(11, 'a')).close(), 0, limits);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
  EXPECT_EQ(r.error.field, "text");
}

TEST(Multipart, OversizedFileIsFileTooLargeWhileStreaming) {
  MultipartLimits limits;
  limits.max_file_bytes = 1000;
  const std::string body = Form().file("file", "big.bin", "application/octet-stream", std::string(100000, 'x')).close();
  MultipartParser parser(kBoundary, limits);
  size_t fed = 0;
  Status status = ok_status();
  while (fed < body.size() && status.ok()) {
    status = parser.feed(std::string_view(body).substr(fed, 1));
    ++fed;
  }
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::FileTooLarge);
  EXPECT_EQ(status.error().field, "file");
  EXPECT_LT(fed, 1500u);  // caught as the limit is crossed, not at the end
}

TEST(Multipart, HeaderBlockTooLargeIsInvalidInput) {
  MultipartLimits limits;
  limits.max_header_bytes = 256;
  const std::string long_header = "X-Padding: " + std::string(300, 'p') + "\r\n";
  Outcome r = parse(Form().part("Content-Disposition: form-data; name=\"a\"\r\n" + long_header, "1").close(), 0, limits);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
  EXPECT_NE(r.error.message.find("headers"), std::string::npos);
}

TEST(Multipart, EndlessHeaderLineFailsBeforeItIsBuffered) {
  MultipartLimits limits;
  limits.max_header_bytes = 256;
  const std::string body = "--" + kBoundary + "\r\nContent-Disposition: " + std::string(100000, 'a');
  MultipartParser parser(kBoundary, limits);
  size_t fed = 0;
  Status status = ok_status();
  while (fed < body.size() && status.ok()) {
    status = parser.feed(std::string_view(body).substr(fed, 1));
    ++fed;
  }
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::InvalidInput);
  EXPECT_LT(fed, 400u);
}

TEST(Multipart, ManyHeaderLinesCountTowardsTheLimit) {
  MultipartLimits limits;
  limits.max_header_bytes = 256;
  std::string headers = "Content-Disposition: form-data; name=\"a\"\r\n";
  for (int i = 0; i < 40; ++i) {
    headers += "X-A: b\r\n";
  }
  Outcome r = parse(Form().part(headers, "1").close(), 3, limits);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
}

TEST(Multipart, GarbageWithoutBoundaryFailsFinish) {
  Outcome r = parse("this is not multipart at all\r\n--other-boundary\r\n\r\nhello\r\n--other-boundary--\r\n");
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.failed_in_feed);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
  EXPECT_TRUE(r.parts.empty());
}

TEST(Multipart, EmptyBodyFailsFinish) {
  Outcome r = parse("");
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error.code, ErrorCode::InvalidInput);
}

TEST(Multipart, PreambleAndEpilogueAreIgnored) {
  const std::string body = "This is the preamble.\r\n--" + kBoundary + "x is not a delimiter\r\n" +
                           Form().field("a", "1").close() + "This is the epilogue.\r\n--" + kBoundary +
                           "\r\nContent-Disposition: form-data; name=\"ignored\"\r\n\r\nno\r\n";
  for (size_t chunk : {0, 1, 5}) {
    Outcome r = parse(body, chunk);
    ASSERT_TRUE(r.ok) << r.error.message;
    ASSERT_EQ(r.parts.size(), 1u);
    EXPECT_EQ(r.parts[0].name, "a");
    EXPECT_EQ(r.parts[0].data, "1");
  }
}

TEST(Multipart, BoundaryLikeTextInsideFileDataIsData) {
  const std::string data = "abc--" + kBoundary + "\r\n--" + kBoundary + "-\r\n--" + kBoundary.substr(0, 30) +
                           "\n--" + kBoundary + "X--" + kBoundary + "--";
  // The last bytes are "--<boundary>--" with no line break before them, so still data.
  for (size_t chunk : {0, 1, 7}) {
    Outcome r = parse(Form().file("file", "f.bin", "application/octet-stream", data).close(), chunk);
    ASSERT_TRUE(r.ok) << r.error.message;
    ASSERT_EQ(r.parts.size(), 1u);
    EXPECT_EQ(r.parts[0].data, data);
  }
}

TEST(Multipart, EmptyFilePart) {
  Outcome r = parse(Form().file("file", "empty.png", "image/png", "").field("after", "x").close());
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_TRUE(r.parts[0].is_file());
  EXPECT_EQ(r.parts[0].data, "");
  EXPECT_EQ(r.parts[1].data, "x");
}

TEST(Multipart, PartWithoutBodyLineBreak) {
  // RFC 2046 lets the CRLF after the headers double as the delimiter's own CRLF.
  const std::string body = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--" + kBoundary +
                           "--\r\n";
  Outcome r = parse(body);
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_EQ(r.parts[0].data, "");
}

TEST(Multipart, BareLfLineEndings) {
  const std::string body = "--" + kBoundary + "\nContent-Disposition: form-data; name=\"a\"\n\nline1\nline2\n--" +
                           kBoundary + "\nContent-Disposition: form-data; name=\"b\"\n\n2\n--" + kBoundary + "--\n";
  for (size_t chunk : {0, 1}) {
    Outcome r = parse(body, chunk);
    ASSERT_TRUE(r.ok) << r.error.message;
    ASSERT_EQ(r.parts.size(), 2u);
    EXPECT_EQ(r.parts[0].data, "line1\nline2");
    EXPECT_EQ(r.parts[1].data, "2");
  }
}

TEST(Multipart, TransportPaddingAfterDelimiter) {
  const std::string body = "--" + kBoundary + " \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" +
                           kBoundary + "--\r\n";
  Outcome r = parse(body, 1);
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.parts.size(), 1u);
  EXPECT_EQ(r.parts[0].data, "1");
}

TEST(Multipart, MissingNameIsInvalidInput) {
  for (std::string headers : {"Content-Disposition: form-data; filename=\"a.png\"\r\n",
                              "Content-Disposition: form-data; name=\"\"\r\n", "Content-Type: text/plain\r\n"}) {
    Outcome r = parse(Form().part(headers, "x").close());
    EXPECT_FALSE(r.ok) << headers;
    EXPECT_TRUE(r.failed_in_feed) << headers;
    EXPECT_EQ(r.error.code, ErrorCode::InvalidInput) << headers;
  }
}

TEST(Multipart, MalformedPartHeadersAreInvalidInput) {
  using namespace std::string_literals;
  const std::vector<std::string> cases = {
      "Content-Disposition: attachment; name=\"a\"\r\n",
      "Content-Disposition: form-data; name=\"unterminated\r\n",
      "no colon here\r\n",
      "Content-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n",
      "Content-Disposition: form-data; name=\"a\0b\"\r\n"s,  // control character
  };
  for (const std::string& headers : cases) {
    Outcome r = parse(Form().part(headers, "x").close());
    EXPECT_FALSE(r.ok) << headers;
    EXPECT_TRUE(r.failed_in_feed) << headers;
    EXPECT_EQ(r.error.code, ErrorCode::InvalidInput) << headers;
  }
}

TEST(Multipart, ErrorIsSticky) {
  MultipartParser parser(kBoundary);
  Status first = parser.feed("--" + kBoundary + "\r\nbroken header\r\n\r\n");
  ASSERT_FALSE(first.ok());
  Status again = parser.feed(Form().field("a", "1").close());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, first.error().message);
  Status fin = parser.finish();
  ASSERT_FALSE(fin.ok());
  EXPECT_EQ(fin.error().message, first.error().message);
}

TEST(Multipart, InvalidBoundaryFailsEveryCall) {
  MultipartParser parser(std::string(71, 'a'));
  EXPECT_FALSE(parser.feed("--").ok());
  EXPECT_FALSE(parser.finish().ok());
  MultipartParser empty("");
  EXPECT_FALSE(empty.finish().ok());
}

TEST(Multipart, PartialBoundariesStayLinearAndAreData) {
  // Every line break starts something that looks like a delimiter until its last byte.
  std::string data;
  while (data.size() < 300000) {
    data += "\r\n--" + kBoundary.substr(0, kBoundary.size() - 1);
  }
  const std::string body = Form().file("file", "x.bin", "application/octet-stream", data).close();
  for (size_t chunk : {0, 1, 4096}) {
    Outcome r = parse(body, chunk);
    ASSERT_TRUE(r.ok) << r.error.message;
    ASSERT_EQ(r.parts.size(), 1u);
    EXPECT_EQ(r.parts[0].data, data);
  }
}

TEST(Multipart, TakePartsMovesThemOut) {
  MultipartParser parser(kBoundary);
  ASSERT_TRUE(parser.feed(Form().field("a", "1").close()).ok());
  ASSERT_TRUE(parser.finish().ok());
  EXPECT_EQ(parser.parts().size(), 1u);
  std::vector<MultipartPart> parts = parser.take_parts();
  EXPECT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parser.parts().empty());
}

TEST(SplitMultipart, KeepsPositionsOnlyAndAgreesWithTheCopyingParser) {
  const std::string body = Form()
                               .field("w", "300")
                               .file("file", "a.bin", "application/octet-stream", binary_png_like())
                               .field("empty", "")
                               .close();
  auto split = split_multipart(body, kBoundary);
  ASSERT_TRUE(split.ok()) << split.error().message;
  const Outcome copied = parse(body, 7);
  ASSERT_TRUE(copied.ok);
  ASSERT_EQ(split->size(), copied.parts.size());
  for (size_t i = 0; i < split->size(); ++i) {
    const MultipartPart& p = (*split)[i];
    EXPECT_TRUE(p.data.empty()) << "a position-only part holds a copy";
    EXPECT_EQ(p.name, copied.parts[i].name);
    EXPECT_EQ(std::string_view(body).substr(p.offset, p.size), copied.parts[i].data);
  }
}

TEST(SplitMultipart, EnforcesTheSameLimits) {
  MultipartLimits limits;
  limits.max_file_bytes = 10;
  auto split = split_multipart(Form().file("file", "a", "image/png", std::string(11, 'x')).close(), kBoundary, limits);
  ASSERT_FALSE(split.ok());
  EXPECT_EQ(split.error().code, ErrorCode::FileTooLarge);
  EXPECT_FALSE(split_multipart(Form().field("a", "1").open(), kBoundary).ok()) << "no closing boundary";
}

TEST(MultipartBoundary, AcceptsCurlStyleBoundary) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + kBoundary), kBoundary);
}

TEST(MultipartBoundary, AcceptsQuotedBoundary) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=\"a b:c=d?\""), "a b:c=d?");
}

TEST(MultipartBoundary, IsCaseInsensitiveAndSkipsOtherParameters) {
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data ; charset=utf-8;BOUNDARY=xyz"), "xyz");
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=" + std::string(70, 'b')), std::string(70, 'b'));
}

TEST(MultipartBoundary, RejectsInvalidContentTypes) {
  for (std::string ct : {"", "application/json", "multipart/form-data", "multipart/form-data;",
                         "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
                         "multipart/mixed; boundary=abc", "multipart/form-data; boundary=\"abc",
                         "multipart/form-data; boundary=abc<def", "multipart/form-data; boundary=\"abc \"",
                         "multipart/form-data; boundary=a; boundary=b", "multipart/form-data-x; boundary=abc"}) {
    EXPECT_FALSE(multipart_boundary(ct).has_value()) << ct;
  }
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'b')).has_value());
}

}  // namespace
}  // namespace pixmill::http
