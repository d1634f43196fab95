#include <gtest/gtest.h>

#include "recipe/colour.h"

namespace pixmill::recipe {
namespace {

TEST(ParseColour, HexForms) {
  EXPECT_EQ(parse_colour("#fff"), (Colour{255, 255, 255, 255}));
  EXPECT_EQ(parse_colour("ff0000"), (Colour{255, 0, 0, 255}));
  EXPECT_EQ(parse_colour("#00ff0080"), (Colour{0, 255, 0, 128}));
  EXPECT_EQ(parse_colour("#0008"), (Colour{0, 0, 0, 136}));
}

TEST(ParseColour, NamesAndComponents) {
  EXPECT_EQ(parse_colour("transparent"), Colour::transparent());
  EXPECT_EQ(parse_colour("Black"), Colour::black());
  EXPECT_EQ(parse_colour("10, 20, 30"), (Colour{10, 20, 30, 255}));
  EXPECT_EQ(parse_colour("10,20,30,40"), (Colour{10, 20, 30, 40}));
}

TEST(ParseColour, RejectsGarbage) {
  for (const char* bad : {"", "#", "#ff", "#gggggg", "red-ish", "1,2", "1,2,3,4,5", "256,0,0", "-1,0,0", "#fffffffff"}) {
    EXPECT_FALSE(parse_colour(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace pixmill::recipe
