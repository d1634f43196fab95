#include <gtest/gtest.h>

#include "core/digest.h"
#include "policy/access_policy.h"
#include "policy/access_stats.h"
#include "policy/memory_counter_store.h"

namespace pixmill::policy {
namespace {

// A store that is down: every call fails, as a dead Redis does.
class DeadStore final : public CounterStore {
 public:
  Result<CounterOutcome> consume(const std::vector<CounterCheck>&) override { return make_error(ErrorCode::Overloaded, "down"); }
  Result<int64_t> peek(const std::string&) override { return make_error(ErrorCode::Overloaded, "down"); }
};

std::string header(const http::Fields& fields, const std::string& name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

struct Fixture {
  int64_t now = 1796083140;  // 2026-11-30T23:59:00Z: the last minute of a month
  std::shared_ptr<MemoryCounterStore> store = std::make_shared<MemoryCounterStore>([this] { return now; });

  AccessSettings keyed() {
    AccessSettings s;
    auto keys = KeyStore::parse(R"({"plans": {"tiny": {"cpu_per_minute": 3, "ai_per_minute": 1, "images_per_month": 4, "max_upload_mb": 1}},
      "keys": [{"name": "a", "plan": "tiny", "sha256": ")" + core::sha256_hex("key-a") + R"("},
               {"name": "b", "plan": "unlimited", "sha256": ")" + core::sha256_hex("key-b") + R"("}]})", false);
    EXPECT_TRUE(keys);
    s.keys = std::move(*keys);
    s.plans = s.keys->plans();
    return s;
  }
  AccessPolicy policy(AccessSettings s) { return AccessPolicy(std::move(s), store, [this] { return now; }); }
};

http::Request with_key(const std::string& key, std::string ip = "198.51.100.1") {
  http::Request r;
  r.method = "POST";
  r.path = "/api/v1/resize";
  r.client_ip = std::move(ip);
  if (!key.empty()) r.headers = {{"x-api-key", key}};
  return r;
}

TEST(AccessPolicy, KeysRequiredWhenAKeysFileIsSet) {
  Fixture f;
  auto p = f.policy(f.keyed());
  auto none = with_key("");
  auto d = p.admit(none, http::AccessClass::Cpu);
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, ErrorCode::Unauthorized);
  EXPECT_EQ(header(d.headers, "WWW-Authenticate"), "Bearer");
  auto wrong = with_key("key-c");
  EXPECT_EQ(p.admit(wrong, http::AccessClass::Cpu).refusal->code, ErrorCode::Unauthorized);
  auto good = with_key("key-a");
  EXPECT_FALSE(p.admit(good, http::AccessClass::Cpu).refusal);
  // Public routes need nothing, and inline routes get the same key check.
  EXPECT_FALSE(p.admit(none, http::AccessClass::Public).refusal);
  EXPECT_FALSE(p.authorize(none, http::AccessClass::Public));
  EXPECT_TRUE(p.authorize(none, http::AccessClass::Cpu));
  EXPECT_FALSE(p.authorize(good, http::AccessClass::Cpu));
}

TEST(AccessPolicy, PerMinuteLimitWithHeadersAndSeparateAiBucket) {
  Fixture f;
  f.now = 1796000000;  // mid-month, mid-minute (second 20)
  auto p = f.policy(f.keyed());
  for (int i = 0; i < 3; ++i) {
    auto r = with_key("key-a");
    auto d = p.admit(r, http::AccessClass::Cpu);
    ASSERT_FALSE(d.refusal) << i;
    EXPECT_EQ(header(d.headers, "X-RateLimit-Limit"), "3");
    EXPECT_EQ(header(d.headers, "X-RateLimit-Remaining"), std::to_string(2 - i));
    EXPECT_EQ(header(d.headers, "X-RateLimit-Reset"), "1796000040");
  }
  auto r = with_key("key-a");
  auto refused = p.admit(r, http::AccessClass::Cpu);
  ASSERT_TRUE(refused.refusal);
  EXPECT_EQ(refused.refusal->code, ErrorCode::RateLimited);
  EXPECT_EQ(header(refused.headers, "Retry-After"), "40");
  EXPECT_EQ(header(refused.headers, "X-Quota-Remaining"), "1");  // the refused request cost nothing
  // The AI bucket is separate: one removal a minute.
  auto ai = with_key("key-a");
  EXPECT_FALSE(p.admit(ai, http::AccessClass::Ai).refusal);
  auto ai2 = with_key("key-a");
  auto d2 = p.admit(ai2, http::AccessClass::Ai);
  ASSERT_TRUE(d2.refusal);
  EXPECT_EQ(d2.refusal->code, ErrorCode::QuotaExceeded);  // the 4th image of the month: quota first
  // The next minute opens the window again, but the quota stays spent.
  f.now += 40;
  auto later = with_key("key-a");
  EXPECT_EQ(p.admit(later, http::AccessClass::Cpu).refusal->code, ErrorCode::QuotaExceeded);
  // Another key has its own counters (and an unlimited plan sends no headers).
  auto other = with_key("key-b");
  auto d3 = p.admit(other, http::AccessClass::Cpu);
  EXPECT_FALSE(d3.refusal);
  EXPECT_EQ(header(d3.headers, "X-RateLimit-Limit"), "");
}

TEST(AccessPolicy, MonthlyQuotaRollsOverWithTheMonth) {
  Fixture f;  // 23:59:00 on the last day of November
  auto p = f.policy(f.keyed());
  for (int i = 0; i < 3; ++i) {
    auto r = with_key("key-a");
    ASSERT_FALSE(p.admit(r, http::AccessClass::Cpu).refusal);
  }
  f.now += 30;
  auto r = with_key("key-a");
  ASSERT_FALSE(p.admit(r, http::AccessClass::Ai).refusal);  // the 4th image
  auto spent = with_key("key-a");
  auto d = p.admit(spent, http::AccessClass::Ai);
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, ErrorCode::QuotaExceeded);
  EXPECT_EQ(d.refusal->message, "Monthly API limit exceeded. Upgrade your plan for more capacity.");
  EXPECT_EQ(header(d.headers, "Retry-After"), "30");  // until 00:00 UTC on the 1st
  f.now += 30;  // December
  auto fresh = with_key("key-a");
  auto d2 = p.admit(fresh, http::AccessClass::Cpu);
  EXPECT_FALSE(d2.refusal);
  EXPECT_EQ(header(d2.headers, "X-Quota-Remaining"), "3");
}

TEST(AccessPolicy, PlanUploadLimit) {
  Fixture f;
  auto p = f.policy(f.keyed());
  auto big = with_key("key-a");
  big.body.assign((1u << 20) + 1, 'x');
  auto d = p.admit(big, http::AccessClass::Cpu);
  ASSERT_TRUE(d.refusal);
  EXPECT_EQ(d.refusal->code, ErrorCode::FileTooLarge);
  auto unlimited = with_key("key-b");
  unlimited.body = big.body;
  EXPECT_FALSE(p.admit(unlimited, http::AccessClass::Cpu).refusal);
}

TEST(AccessPolicy, OpenModeLimitsPerClientAddress) {
  Fixture f;
  AccessSettings s;
  s.anonymous = Plan{"anonymous", 2, 0, 0, 0};
  auto p = f.policy(std::move(s));
  auto a1 = with_key("", "203.0.113.1"), a2 = a1, a3 = a1, b = with_key("", "203.0.113.2");
  EXPECT_FALSE(p.admit(a1, http::AccessClass::Cpu).refusal);
  EXPECT_FALSE(p.admit(a2, http::AccessClass::Cpu).refusal);
  EXPECT_EQ(p.admit(a3, http::AccessClass::Cpu).refusal->code, ErrorCode::RateLimited);
  EXPECT_FALSE(p.admit(b, http::AccessClass::Cpu).refusal);
  auto ai = with_key("", "203.0.113.1");
  EXPECT_FALSE(p.admit(ai, http::AccessClass::Ai).refusal);  // AI limit 0: no limit
}

TEST(AccessPolicy, ProxyHeadersPickTheClientOnlyWhenTrusted) {
  Fixture f;
  AccessSettings s;
  s.anonymous = Plan{"anonymous", 1, 0, 0, 0};
  s.client_ip = *ClientIpResolver::parse("127.0.0.1/32");
  auto p = f.policy(std::move(s));
  ASSERT_TRUE(p.resolves_client_ip());
  // The server resolves the address once, when the head is read, then admits.
  auto resolved = [&p](http::Request r) {
    r.client_ip = p.client_ip(r);
    return r;
  };
  auto first = with_key("", "127.0.0.1");
  first.headers = {{"x-forwarded-for", "203.0.113.1"}};
  first = resolved(first);
  EXPECT_EQ(first.client_ip, "203.0.113.1");
  EXPECT_FALSE(p.admit(first, http::AccessClass::Cpu).refusal);
  auto second = with_key("", "127.0.0.1");
  second.headers = {{"x-forwarded-for", "203.0.113.2"}};
  second = resolved(second);
  EXPECT_FALSE(p.admit(second, http::AccessClass::Cpu).refusal);  // another client behind the same proxy
  auto spoof = with_key("", "198.51.100.9");  // not a proxy: its header is ignored
  spoof.headers = {{"x-forwarded-for", "203.0.113.3"}};
  spoof = resolved(spoof);
  EXPECT_FALSE(p.admit(spoof, http::AccessClass::Cpu).refusal);
  EXPECT_EQ(spoof.client_ip, "198.51.100.9");
}

TEST(AccessPolicy, SignedRequestsCountAgainstTheSigningKeysPlan) {
  Fixture f;
  auto s = f.keyed();
  s.signing_keys = {{"cdn", "cdn-secret-0123456789", "tiny"}};
  auto p = f.policy(std::move(s));
  auto url = sign_url("/api/v1/process?width=10", {"cdn", "cdn-secret-0123456789", "tiny"}, f.now + 60);
  ASSERT_TRUE(url);
  auto make = [&] {
    http::Request r;
    r.method = "GET";
    r.path = "/api/v1/process";
    r.client_ip = "203.0.113.1";
    std::string q = url->substr(url->find('?') + 1);
    for (size_t start = 0; start < q.size();) {
      size_t amp = q.find('&', start);
      if (amp == std::string::npos) amp = q.size();
      std::string kv = q.substr(start, amp - start);
      r.query.emplace_back(kv.substr(0, kv.find('=')), kv.substr(kv.find('=') + 1));
      start = amp + 1;
    }
    return r;
  };
  auto r = make();
  auto d = p.admit(r, http::AccessClass::Cpu);  // no API key needed
  ASSERT_FALSE(d.refusal) << d.refusal->message;
  EXPECT_EQ(header(d.headers, "X-RateLimit-Limit"), "3");
  EXPECT_EQ(r.query, (http::Fields{{"width", "10"}}));
  auto tampered = make();
  tampered.query[0].second = "11";
  EXPECT_EQ(p.admit(tampered, http::AccessClass::Cpu).refusal->code, ErrorCode::Unauthorized);
  f.now += 61;
  auto expired = make();
  auto d2 = p.admit(expired, http::AccessClass::Cpu);
  ASSERT_TRUE(d2.refusal);
  EXPECT_NE(d2.refusal->message.find("expired"), std::string::npos);
}

TEST(AccessPolicy, StoreDownFailOpenOrClosed) {
  AccessSettings open;
  open.anonymous = Plan{"anonymous", 5, 0, 0, 0};
  AccessSettings closed = open;
  closed.fail_open = false;
  AccessPolicy p_open(std::move(open), std::make_shared<DeadStore>());
  AccessPolicy p_closed(std::move(closed), std::make_shared<DeadStore>());
  const auto before = access_stats();
  auto r1 = with_key("");
  auto d1 = p_open.admit(r1, http::AccessClass::Cpu);
  EXPECT_FALSE(d1.refusal);
  auto r2 = with_key("");
  auto d2 = p_closed.admit(r2, http::AccessClass::Cpu);
  ASSERT_TRUE(d2.refusal);
  EXPECT_EQ(d2.refusal->code, ErrorCode::Overloaded);
  EXPECT_EQ(header(d2.headers, "Retry-After"), "1");
  const auto after = access_stats();
  EXPECT_EQ(after.store_errors - before.store_errors, 2u);
  EXPECT_EQ(after.failed_open - before.failed_open, 1u);
  EXPECT_EQ(after.failed_closed - before.failed_closed, 1u);
}

}  // namespace
}  // namespace pixmill::policy
