#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>
#include <vector>

#include "fetch/address_policy.h"

namespace pixmill::fetch {

using net::parse_cidr;
namespace {

struct Case {
  const char* ip;
  bool allowed;
};

// The default policy: public unicast only.
const std::vector<Case> kDefaultCases = {
    // Public IPv4.
    {"8.8.8.8", true},
    {"1.1.1.1", true},
    {"93.184.216.34", true},
    {"11.0.0.1", true},
    {"172.15.255.255", true},
    {"172.32.0.1", true},
    {"100.63.255.255", true},
    {"100.128.0.1", true},
    {"192.167.255.255", true},
    {"198.17.255.255", true},
    {"198.20.0.1", true},
    {"223.255.255.255", true},
    // Public IPv6, and forms embedding a public IPv4.
    {"2606:4700::1111", true},
    {"2001:4860:4860::8888", true},
    {"2a00:1450:4001:80b::200e", true},
    {"[2606:4700::1111]", true},
    {"::ffff:8.8.8.8", true},
    {"64:ff9b::808:808", true},
    {"2002:808:808::1", true},
    // Legacy spellings of a public address are judged as that address.
    {"0x08080808", true},
    {"134744072", true},
    // Denied IPv4 ranges.
    {"127.0.0.1", false},
    {"127.255.255.254", false},
    {"10.0.0.1", false},
    {"10.255.255.255", false},
    {"172.16.0.1", false},
    {"172.31.255.255", false},
    {"192.168.1.1", false},
    {"169.254.169.254", false},
    {"169.254.0.1", false},
    {"100.64.0.1", false},
    {"100.127.255.255", false},
    {"0.0.0.0", false},
    {"0.1.2.3", false},
    {"224.0.0.1", false},
    {"239.255.255.250", false},
    {"240.0.0.1", false},
    {"255.255.255.255", false},
    {"198.18.0.1", false},
    {"198.19.255.255", false},
    {"192.0.0.8", false},
    {"192.0.2.1", false},
    {"198.51.100.7", false},
    {"203.0.113.9", false},
    {"192.88.99.1", false},
    // Odd spellings of loopback and private addresses.
    {"0x7f.1", false},
    {"017700000001", false},
    {"2130706433", false},
    {"0177.0.0.1", false},
    {"127.1", false},
    {"0x7f000001", false},
    {"0X7F.0.0.1", false},
    {"10.1", false},
    {"0", false},
    {"0xa9fea9fe", false},
    // Denied IPv6.
    {"::", false},
    {"::1", false},
    {"[::1]", false},
    {"0:0:0:0:0:0:0:1", false},
    {"::ffff:127.0.0.1", false},
    {"::ffff:7f00:1", false},
    {"::ffff:169.254.169.254", false},
    {"::ffff:10.0.0.1", false},
    {"::127.0.0.1", false},
    {"::a00:1", false},
    {"::ffff:0:7f00:1", false},
    {"fc00::1", false},
    {"fd00::1", false},
    {"fe80::1", false},
    {"febf::1", false},
    {"fec0::1", false},
    {"ff02::1", false},
    {"ff05::2", false},
    {"64:ff9b::a00:1", false},
    {"64:ff9b::7f00:1", false},
    {"64:ff9b::a9fe:a9fe", false},
    {"64:ff9b:1::1", false},
    {"2002:c0a8:0101::", false},
    {"2002:7f00:1::1", false},
    {"2002:a9fe:a9fe::", false},
    {"2001::1", false},
    {"2001:0:4136:e378:8000:63bf:3fff:fdd2", false},
    {"2001:db8::1", false},
    {"3fff::1", false},
    {"100::1", false},
    // Not addresses at all: refused rather than guessed at.
    {"", false},
    {"not-an-ip", false},
    {"example.com", false},
    {"1.2.3.4 ", false},
    {"127.0.0.1 8.8.8.8", false},
    {"fe80::1%eth0", false},
    {"[::1", false},
    {"1.2.3.256", false},
};

TEST(AddressPolicy, DefaultPolicyTable) {
  ASSERT_GE(kDefaultCases.size(), 40u);
  AddressPolicy policy;
  for (const Case& c : kDefaultCases) {
    EXPECT_EQ(ip_text_allowed(c.ip, policy), c.allowed) << "address: \"" << c.ip << '"';
  }
}

TEST(AddressPolicy, AllowPrivateOpensInternalNetworksOnly) {
  AddressPolicy policy;
  policy.allow_private = true;
  const std::vector<Case> cases = {
      {"10.0.0.1", true},          {"127.0.0.1", true},       {"172.20.1.1", true},   {"192.168.0.10", true},
      {"100.64.0.1", true},        {"::1", true},             {"fd12::1", true},      {"::ffff:10.0.0.1", true},
      {"169.254.169.254", false},  {"fe80::1", false},        {"224.0.0.1", false},   {"0.0.0.0", false},
      {"::", false},               {"192.0.2.1", false},      {"ff02::1", false},     {"8.8.8.8", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ip_text_allowed(c.ip, policy), c.allowed) << "address: " << c.ip;
  }
}

TEST(AddressPolicy, AllowCidrsOverrideTheRules) {
  AddressPolicy policy;
  policy.allow_cidrs = {*parse_cidr("127.0.0.1/32"), *parse_cidr("fd00:1::/32")};
  EXPECT_TRUE(ip_text_allowed("127.0.0.1", policy));
  EXPECT_TRUE(ip_text_allowed("::ffff:127.0.0.1", policy));
  EXPECT_TRUE(ip_text_allowed("fd00:1::5", policy));
  EXPECT_FALSE(ip_text_allowed("127.0.0.2", policy));
  EXPECT_FALSE(ip_text_allowed("::1", policy));
  EXPECT_FALSE(ip_text_allowed("fd00:2::5", policy));
  EXPECT_FALSE(ip_text_allowed("10.0.0.1", policy));
}

TEST(AddressPolicy, ParseCidr) {
  auto v4 = parse_cidr("10.1.0.0/16");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, AF_INET);
  EXPECT_EQ(v4->prefix, 16);
  auto host = parse_cidr("::1");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->family, AF_INET6);
  EXPECT_EQ(host->prefix, 128);
  EXPECT_TRUE(parse_cidr("0.0.0.0/0"));
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  EXPECT_FALSE(parse_cidr("::/129"));
  EXPECT_FALSE(parse_cidr("10.0.0.0/"));
  EXPECT_FALSE(parse_cidr("10.0.0.0/8x"));
  EXPECT_FALSE(parse_cidr("0x7f.1/32"));
  EXPECT_FALSE(parse_cidr("example.com/24"));

  AddressPolicy policy;
  policy.allow_cidrs = {*parse_cidr("10.1.0.0/16")};
  EXPECT_TRUE(ip_text_allowed("10.1.255.1", policy));
  EXPECT_FALSE(ip_text_allowed("10.2.0.1", policy));
}

TEST(AddressPolicy, SocketAddresses) {
  AddressPolicy policy;
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  inet_pton(AF_INET, "169.254.169.254", &v4.sin_addr);
  EXPECT_FALSE(address_allowed(reinterpret_cast<sockaddr*>(&v4), policy));
  inet_pton(AF_INET, "8.8.4.4", &v4.sin_addr);
  EXPECT_TRUE(address_allowed(reinterpret_cast<sockaddr*>(&v4), policy));

  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  inet_pton(AF_INET6, "::ffff:192.168.0.1", &v6.sin6_addr);
  EXPECT_FALSE(address_allowed(reinterpret_cast<sockaddr*>(&v6), policy));
  inet_pton(AF_INET6, "2606:4700::1111", &v6.sin6_addr);
  EXPECT_TRUE(address_allowed(reinterpret_cast<sockaddr*>(&v6), policy));

  sockaddr other{};
  other.sa_family = AF_UNIX;
  EXPECT_FALSE(address_allowed(&other, policy));
  EXPECT_FALSE(address_allowed(nullptr, policy));
}

TEST(AddressPolicy, CanonicalIpText) {
  EXPECT_EQ(canonical_ip_text("2130706433"), "127.0.0.1");
  EXPECT_EQ(canonical_ip_text("0x7f.1"), "127.0.0.1");
  EXPECT_EQ(canonical_ip_text("[0:0:0:0:0:ffff:7f00:1]"), "::ffff:127.0.0.1");
  EXPECT_EQ(canonical_ip_text("8.8.8.8"), "8.8.8.8");
  EXPECT_FALSE(canonical_ip_text("example.com"));
  EXPECT_FALSE(canonical_ip_text("deadbeef"));
  EXPECT_FALSE(canonical_ip_text("1.2.3.4.5"));
}

TEST(AddressPolicy, HostLists) {
  AddressPolicy policy;
  EXPECT_TRUE(host_allowed("anything.example", policy).ok());

  policy.deny_hosts = {".internal.example", "bad.example.com"};
  EXPECT_FALSE(host_allowed("internal.example", policy).ok());
  EXPECT_FALSE(host_allowed("db.Internal.Example.", policy).ok());
  EXPECT_FALSE(host_allowed("BAD.example.com", policy).ok());
  EXPECT_TRUE(host_allowed("notinternal.example", policy).ok());
  EXPECT_TRUE(host_allowed("good.example.com", policy).ok());
  EXPECT_EQ(host_allowed("bad.example.com", policy).error().code, ErrorCode::UrlNotAllowed);

  policy.allow_hosts = {".example.com", "cdn.example.net"};
  EXPECT_TRUE(host_allowed("img.example.com", policy).ok());
  EXPECT_TRUE(host_allowed("example.com", policy).ok());
  EXPECT_TRUE(host_allowed("cdn.example.net", policy).ok());
  EXPECT_FALSE(host_allowed("img.cdn.example.net", policy).ok());
  EXPECT_FALSE(host_allowed("evilexample.com", policy).ok());
  EXPECT_FALSE(host_allowed("bad.example.com", policy).ok());  // deny wins
  EXPECT_FALSE(host_allowed("", policy).ok());
}

}  // namespace
}  // namespace pixmill::fetch
