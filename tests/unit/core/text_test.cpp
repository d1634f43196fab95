#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/digest.h"
#include "core/hex.h"
#include "core/text.h"

namespace pixmill::core {
namespace {

TEST(ParseBool, EverySpellingTheParsersAccept) {
  for (const char* yes : {"true", "TRUE", " yes ", "1", "on", "On", ""}) EXPECT_EQ(parse_bool(yes), true) << yes;
  for (const char* no : {"false", "False", "0", "no", "OFF", " off\t"}) EXPECT_EQ(parse_bool(no), false) << no;
  for (const char* neither : {"2", "yess", "truthy", "-"}) EXPECT_FALSE(parse_bool(neither).has_value()) << neither;
}

TEST(Text, TrimAndCase) {
  EXPECT_EQ(trim_spaces(" \t\r\na b\n"), "a b");
  EXPECT_EQ(trim_blanks(" \ta b\r\n"), "a b\r\n");  // HTTP white space only
  EXPECT_EQ(ascii_lower("Multipart/Form-DATA"), "multipart/form-data");
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_FALSE(iequals("Content-Type", "content-typ"));
  EXPECT_EQ(split_comma_list(" a, b,,c ,"), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Hex, RoundTripsEitherCase) {
  const std::vector<uint8_t> bytes = {0x00, 0x7f, 0xab, 0xff};
  EXPECT_EQ(hex_encode(bytes), "007fabff");
  EXPECT_EQ(hex_encode(bytes, HexCase::Upper), "007FABFF");
  EXPECT_EQ(hex_decode("007FabfF"), bytes);
  EXPECT_FALSE(hex_decode("abc"));
  EXPECT_FALSE(hex_decode("zz"));
  EXPECT_EQ(hex_digit_value('f'), 15);
  EXPECT_EQ(hex_digit_value('g'), -1);
}

TEST(Digest, KnownVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // RFC 4231 test case 2.
  EXPECT_EQ(hex_encode(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Base64, DecodesPaddedStandardBase64Only) {
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(base64_decode("aGVsbA=="), "hell");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("/+8="), std::string("\xff\xef", 2));
  for (const char* bad : {"aGVsbG8", "a=b=", "aGV=sbG8", "aGVsbG8====", "aGVs!G8="}) EXPECT_FALSE(base64_decode(bad)) << bad;
}

TEST(Base64, EncodesBothAlphabets) {
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(base64url_encode(std::string("\xff\xef\xfe", 3)), "_-_-");
  EXPECT_EQ(base64url_encode("hell"), "aGVsbA");
  const std::string all = [] {
    std::string s;
    for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
    return s;
  }();
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

}  // namespace
}  // namespace pixmill::core
