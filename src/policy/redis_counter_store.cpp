#include "policy/redis_counter_store.h"

#include <hiredis/hiredis.h>

#include <memory>
#include <string>

namespace pixmill::policy {
namespace {

// KEYS: the counters. ARGV: amount, limit, ttl for each key in turn.
// Returns {1, v1, v2, ...} (all bumped) or {0, i, v1, v2, ...} (none bumped; i is the
// 1-based index of the first counter that would overflow).
constexpr const char* kConsumeScript = R"lua(
local values = {}
local refused = 0
for i = 1, #KEYS do
  local v = tonumber(redis.call('GET', KEYS[i]) or '0')
  values[i] = v
  if refused == 0 and v + tonumber(ARGV[3*i-2]) > tonumber(ARGV[3*i-1]) then refused = i end
end
if refused > 0 then
  local out = {0, refused}
  for i = 1, #KEYS do out[#out+1] = values[i] end
  return out
end
local out = {1}
for i = 1, #KEYS do
  local v = redis.call('INCRBY', KEYS[i], ARGV[3*i-2])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[3*i]) end
  out[#out+1] = v
end
return out
)lua";

// How long a failed Redis is left alone before the next connection attempt.
constexpr std::chrono::milliseconds kBackoff{1000};

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

Reply command(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return Reply(static_cast<redisReply*>(redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
}

Error unavailable(const std::string& why) { return make_error(ErrorCode::Overloaded, "rate-limit store unavailable: " + why); }

}  // namespace

RedisCounterStore::RedisCounterStore(RedisEndpoint endpoint, std::chrono::milliseconds timeout, std::string key_prefix)
    : endpoint_(std::move(endpoint)), timeout_(timeout), prefix_(std::move(key_prefix)) {}

RedisCounterStore::~RedisCounterStore() {
  for (redisContext* c : idle_) redisFree(c);
}

redisContext* RedisCounterStore::connect(std::string& why) {
  redisContext* c = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port, to_timeval(timeout_));
  if (c == nullptr || c->err) {
    why = c ? c->errstr : "cannot allocate a connection";
    if (c) redisFree(c);
    return nullptr;
  }
  redisSetTimeout(c, to_timeval(timeout_));
  auto setup_failed = [&](Reply r) {
    if (r && r->type != REDIS_REPLY_ERROR) return false;
    why = r ? std::string(r->str, r->len) : std::string(c->errstr);
    redisFree(c);
    return true;
  };
  if (!endpoint_.password.empty() && setup_failed(command(c, {"AUTH", endpoint_.password}))) return nullptr;
  if (endpoint_.db != 0 && setup_failed(command(c, {"SELECT", std::to_string(endpoint_.db)}))) return nullptr;
  return c;
}

redisContext* RedisCounterStore::acquire(std::string& why) {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      redisContext* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    if (SteadyClock::now() < down_until_) {
      why = "backing off after a failure";
      return nullptr;
    }
  }
  redisContext* c = connect(why);
  if (c == nullptr) {
    std::lock_guard lock(mutex_);
    down_until_ = SteadyClock::now() + kBackoff;
  }
  return c;
}

void RedisCounterStore::release(redisContext* c, bool healthy) {
  if (!healthy) {
    redisFree(c);
    std::lock_guard lock(mutex_);
    // One broken connection means the others are likely broken too (Redis restarted).
    // No back-off here: a slow reply is not a dead server, and the next request's
    // reconnect is refused at once if Redis is really gone (then acquire() backs off).
    for (redisContext* other : idle_) redisFree(other);
    idle_.clear();
    return;
  }
  std::lock_guard lock(mutex_);
  idle_.push_back(c);
}

Result<CounterOutcome> RedisCounterStore::consume(const std::vector<CounterCheck>& checks) {
  CounterOutcome out;
  if (checks.empty()) {
    out.allowed = true;
    return out;
  }
  std::string why;
  redisContext* c = acquire(why);
  if (c == nullptr) return unavailable(why);
  std::vector<std::string> args = {"EVAL", kConsumeScript, std::to_string(checks.size())};
  for (const auto& check : checks) args.push_back(prefix_ + check.key);
  for (const auto& check : checks) {
    args.push_back(std::to_string(check.amount));
    args.push_back(std::to_string(check.limit));
    args.push_back(std::to_string(check.ttl_s < 1 ? 1 : check.ttl_s));
  }
  Reply r = command(c, args);
  if (!r) {
    why = c->errstr;
    release(c, false);
    return unavailable(why);
  }
  const bool well_formed = r->type == REDIS_REPLY_ARRAY && r->elements >= 1 && r->element[0]->type == REDIS_REPLY_INTEGER &&
                          r->elements == checks.size() + (r->element[0]->integer == 1 ? 1 : 2);
  if (!well_formed) {
    why = r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : "unexpected reply";
    release(c, true);
    return unavailable(why);
  }
  release(c, true);
  out.allowed = r->element[0]->integer == 1;
  size_t first = 1;
  if (!out.allowed) {
    out.refused = static_cast<int>(r->element[1]->integer) - 1;
    first = 2;
  }
  for (size_t i = first; i < r->elements; ++i) out.values.push_back(r->element[i]->integer);
  return out;
}

Result<int64_t> RedisCounterStore::peek(const std::string& key) {
  std::string why;
  redisContext* c = acquire(why);
  if (c == nullptr) return unavailable(why);
  Reply r = command(c, {"GET", prefix_ + key});
  if (!r) {
    why = c->errstr;
    release(c, false);
    return unavailable(why);
  }
  release(c, true);
  if (r->type == REDIS_REPLY_NIL) return int64_t{0};
  if (r->type != REDIS_REPLY_STRING) return unavailable("unexpected reply");
  return static_cast<int64_t>(std::stoll(std::string(r->str, r->len)));
}

}  // namespace pixmill::policy
