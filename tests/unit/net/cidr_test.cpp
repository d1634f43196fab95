#include <gtest/gtest.h>

#include "net/cidr.h"

namespace pixmill::net {
namespace {

TEST(Cidr, RangesHoldTheirAddresses) {
  auto range = parse_cidr("10.1.0.0/16");
  ASSERT_TRUE(range);
  EXPECT_TRUE(contains(*range, *parse_address("10.1.200.3")));
  EXPECT_FALSE(contains(*range, *parse_address("10.2.0.1")));
  auto v6 = parse_cidr("fc00::/7");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(contains(*v6, *parse_address("fd12::1")));
  EXPECT_FALSE(contains(*v6, *parse_address("10.1.0.1")));  // another family
  EXPECT_TRUE(contains(*parse_cidr("0.0.0.0/0"), *parse_address("203.0.113.9")));
}

TEST(Cidr, AddressesAsProxiesWriteThem) {
  EXPECT_EQ(address_text(*parse_address("203.0.113.9:5123")), "203.0.113.9");
  EXPECT_EQ(address_text(*parse_address("[2001:db8::1]:443")), "2001:db8::1");
  EXPECT_EQ(address_text(*parse_address(" 2001:db8::1 ")), "2001:db8::1");
  EXPECT_EQ(address_text(*parse_address("::ffff:192.0.2.1")), "192.0.2.1");  // mapped, folded to IPv4
  EXPECT_FALSE(parse_address("example.com"));
  EXPECT_FALSE(parse_address("[::1"));
}

TEST(Cidr, PrefixesAreStrict) {
  EXPECT_EQ(parse_cidr("::1")->prefix, 128);
  EXPECT_EQ(parse_cidr("[::1]/64")->prefix, 64);
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  EXPECT_FALSE(parse_cidr("0x7f.1/32"));  // legacy spellings are refused in settings
}

}  // namespace
}  // namespace pixmill::net
