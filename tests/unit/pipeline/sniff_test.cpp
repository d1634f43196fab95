#include <gtest/gtest.h>

#include <string>

#include "pipeline/sniff.h"
#include "test_images.h"

namespace pixmill::pipeline {
namespace {

InputFormat sniff(const std::string& s) { return sniff_format(testing::bytes_of(s)); }

TEST(Sniff, MagicNumbers) {
  EXPECT_EQ(sniff("\xFF\xD8\xFF\xE0rest"), InputFormat::Jpeg);
  EXPECT_EQ(sniff("\x89PNG\r\n\x1A\n...."), InputFormat::Png);
  EXPECT_EQ(sniff("GIF89a......"), InputFormat::Gif);
  EXPECT_EQ(sniff(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), InputFormat::Webp);
  EXPECT_EQ(sniff(std::string("II*\0\x08\0\0\0", 8)), InputFormat::Tiff);
  EXPECT_EQ(sniff(std::string("MM\0*\0\0\0\x08", 8)), InputFormat::Tiff);
}

TEST(Sniff, IsoBmffBrands) {
  // An ftyp box: size, "ftyp", major brand, minor version, compatible brands.
  auto ftyp = [](const std::string& brands) {
    std::string box = std::string("\0\0\0", 3) + static_cast<char>(8 + brands.size() + 4) + "ftyp";
    return box + brands.substr(0, 4) + std::string(4, '\0') + brands.substr(4);
  };
  EXPECT_EQ(sniff(ftyp("avifavifmif1")), InputFormat::Avif);
  EXPECT_EQ(sniff(ftyp("heicmif1")), InputFormat::Heif);
  EXPECT_EQ(sniff(ftyp("mif1heic")), InputFormat::Heif);
  EXPECT_EQ(sniff(ftyp("mif1avif")), InputFormat::Avif);
  EXPECT_EQ(sniff(ftyp("mp42isom")), InputFormat::Unknown);  // an MP4 video
}

TEST(Sniff, JpegXlCodestreamAndContainer) {
  EXPECT_EQ(sniff("\xFF\x0A\xFA\x7F"), InputFormat::Jxl);
  EXPECT_EQ(sniff(std::string("\0\0\0\x0CJXL \r\n\x87\n\0\0\0\x14" "ftypjxl ", 24)), InputFormat::Jxl);
  // JPEG 2000's signature box has the same shape with another name.
  EXPECT_EQ(sniff(std::string("\0\0\0\x0CjP  \r\n\x87\n", 12)), InputFormat::Unknown);
}

TEST(Sniff, SvgNeedsAnSvgElement) {
  EXPECT_EQ(sniff("<svg xmlns='http://www.w3.org/2000/svg'/>"), InputFormat::Svg);
  EXPECT_EQ(sniff("\xEF\xBB\xBF  <?xml version='1.0'?>\n<svg/>"), InputFormat::Svg);
  EXPECT_EQ(sniff("<?xml version='1.0'?><html/>"), InputFormat::Unknown);
  EXPECT_EQ(sniff("<html><svg/></html>"), InputFormat::Unknown);
}

TEST(Sniff, BmpNeedsAKnownHeaderSize) {
  std::string bmp(54, '\0');
  bmp[0] = 'B';
  bmp[1] = 'M';
  bmp[14] = 40;
  EXPECT_EQ(sniff(bmp), InputFormat::Bmp);
  EXPECT_EQ(sniff("BM this is a text file that starts with BM"), InputFormat::Unknown);
}

TEST(Sniff, RefusesOtherFormatsAndEmpty) {
  EXPECT_EQ(sniff(""), InputFormat::Unknown);
  EXPECT_EQ(sniff("%PDF-1.7"), InputFormat::Unknown);
  EXPECT_EQ(sniff("P6\n128 128\n255\n"), InputFormat::Unknown);
  EXPECT_EQ(sniff(std::string("\0\0\0\x0cjP  \r\n\x87\n", 12)), InputFormat::Unknown);  // JPEG 2000
  EXPECT_EQ(sniff("\xFF\xD8"), InputFormat::Unknown);                                     // too short
}

TEST(Sniff, CorpusFormatsMatchTheManifest) {
  for (const auto& row : testing::corpus_manifest()) {
    const std::string bytes = testing::read_file(testing::corpus_dir() + "/" + row.file);
    const InputFormat got = sniff(bytes);
    std::string expected = row.format;
    if (expected == "apng") expected = "png";
    if (expected == "heif" || expected == "jpeg" || expected == "png" || expected == "gif" || expected == "webp" ||
        expected == "avif" || expected == "tiff" || expected == "svg" || expected == "bmp" || expected == "jxl") {
      EXPECT_EQ(input_format_name(got), expected) << row.file;
    } else {
      EXPECT_EQ(got, InputFormat::Unknown) << row.file << " is " << row.format;
    }
  }
}

}  // namespace
}  // namespace pixmill::pipeline
