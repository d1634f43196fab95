#include <gtest/gtest.h>

#include "policy/client_ip.h"

namespace pixmill::policy {
namespace {

TEST(ClientIp, OffByDefaultTheHeaderIsIgnored) {
  auto r = ClientIpResolver::parse("");
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->enabled());
  EXPECT_EQ(r->resolve("127.0.0.1", {"203.0.113.9"}), "127.0.0.1");
  EXPECT_EQ(ClientIpResolver::parse("false")->resolve("127.0.0.1", {"203.0.113.9"}), "127.0.0.1");
}

TEST(ClientIp, RightMostUntrustedHop) {
  auto r = ClientIpResolver::parse("true");
  ASSERT_TRUE(r);
  // The client wrote the left-most entry itself; the proxies appended the rest.
  EXPECT_EQ(r->resolve("127.0.0.1", {"1.1.1.1, 198.51.100.7, 10.0.0.2"}), "198.51.100.7");
  // Several headers read as one list, in order.
  EXPECT_EQ(r->resolve("10.0.0.3", {"1.1.1.1", "198.51.100.7, 192.168.1.1"}), "198.51.100.7");
  // A peer that is not a proxy is the client, whatever it claims.
  EXPECT_EQ(r->resolve("203.0.113.50", {"1.2.3.4"}), "203.0.113.50");
  // Only trusted hops: the left-most one.
  EXPECT_EQ(r->resolve("127.0.0.1", {"10.1.1.1, 10.2.2.2"}), "10.1.1.1");
  // No header: the peer.
  EXPECT_EQ(r->resolve("127.0.0.1", {}), "127.0.0.1");
  // Garbage stops the walk at the last good hop.
  EXPECT_EQ(r->resolve("127.0.0.1", {"198.51.100.7, not-an-ip, 10.0.0.2"}), "10.0.0.2");
  // IPv4-mapped peers (a dual-stack listener) and bracketed / ported forms.
  EXPECT_EQ(r->resolve("::ffff:127.0.0.1", {"198.51.100.7:4711"}), "198.51.100.7");
  EXPECT_EQ(r->resolve("::1", {"[2001:db8::5]:443"}), "2001:db8::5");
}

TEST(ClientIp, ExplicitRanges) {
  auto r = ClientIpResolver::parse("192.0.2.0/24, 2001:db8::/32");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->trusted("192.0.2.77"));
  EXPECT_FALSE(r->trusted("192.0.3.1"));
  EXPECT_TRUE(r->trusted("2001:db8:1::1"));
  EXPECT_FALSE(r->trusted("127.0.0.1"));
  EXPECT_EQ(r->resolve("192.0.2.1", {"10.0.0.1"}), "10.0.0.1");  // 10/8 is not trusted here
  EXPECT_FALSE(ClientIpResolver::parse("10.0.0.0/99"));
  EXPECT_FALSE(ClientIpResolver::parse("proxy.example"));
}

}  // namespace
}  // namespace pixmill::policy
