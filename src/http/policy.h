#pragma once
// The policy chain: the cross-cutting steps every request passes — the client's address,
// CORS, keys and limits, metrics, the access log — each a small object, run in the order
// of one list (app/policies.cpp builds it; that list is the order). For one request the
// server calls, in chain order:
//   on_head()    on the I/O thread as the head is read (fix the client's address);
//   preflight()  before routing: a policy may answer the request itself (CORS OPTIONS);
//   before()     before the route's handler: the first refusal ends the request, and
//                headers any step adds go on the answer either way (X-RateLimit-*);
//   fetched()    after a route's fetch stage (URL input, the model download);
//   after()      on every answer, just before it is written;
//   finished()   once it is written.
// before() of an inline route runs on the I/O thread and must not block. For work routes
// it runs on the fetch pool when any policy may_block() (a Redis round trip) or when the
// route classifies its requests from their parsed recipe; otherwise on the I/O thread.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace pixmill::http {

// A request as a policy's before() sees it.
class Exchange {
 public:
  // `stage_value`: where the route's classifier keeps its parse for the later stages;
  // null when the request is not to be classified (its class is the route's).
  Exchange(Request& request, const RouteSpec& route, Fields& headers, StageValue* stage_value)
      : request(request), route(route), headers(headers), stage_value_(stage_value) {}

  Request& request;        // the job's copy for work routes: a step may strip a signature's parameters
  const RouteSpec& route;
  Fields& headers;         // added to the answer, refused or not

  // The request's access class: the route's, or for a Cpu route with a classifier what the
  // classifier reads from the parsed recipe. Computed once, when first asked: a step asks
  // after it has made the request final (a verified signature's parameters stripped).
  AccessClass access() {
    if (!access_) {
      const bool classify = stage_value_ && route.stages.classify && route.access == AccessClass::Cpu;
      access_ = classify ? route.stages.classify(request, *stage_value_) : route.access;
    }
    return *access_;
  }

 private:
  StageValue* stage_value_;
  std::optional<AccessClass> access_;
};

struct Refusal {
  Error error;
  int status = 429;        // when the path has no dialect to map the error
};

// A finished answer, for the after() steps.
struct Outcome {
  const Request& request;
  std::string_view route;  // the route's name, "-" when none matched
  int status = 0;
  size_t bytes_in = 0;
  size_t bytes_out = 0;
  double seconds = 0;
};

class Policy {
 public:
  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  // before() may wait on the network: the server keeps it off the I/O threads.
  virtual bool may_block() const { return false; }
  // before() depends on the request's access class (so classifiers must run first).
  virtual bool needs_access_class() const { return false; }
  virtual void on_head(Request&) const {}
  virtual std::optional<Response> preflight(const Request&) const { return std::nullopt; }
  virtual std::optional<Refusal> before(Exchange&) { return std::nullopt; }
  virtual void fetched(const RouteSpec&, const std::optional<Error>&, double /*seconds*/) {}
  virtual void after(const Outcome&, Response&) {}
  // Once the answer is written (or the write failed): the access log's timing.
  virtual void finished(const Outcome&) {}
};

class PolicyChain {
 public:
  PolicyChain() = default;
  explicit PolicyChain(std::vector<std::shared_ptr<Policy>> policies);

  bool may_block() const { return may_block_; }
  bool needs_access_class() const { return needs_access_class_; }
  void on_head(Request& request) const;
  std::optional<Response> preflight(const Request& request) const;
  std::optional<Refusal> before(Exchange& exchange) const;
  void fetched(const RouteSpec& route, const std::optional<Error>& failed, double seconds) const;
  void after(const Outcome& outcome, Response& response) const;
  void finished(const Outcome& outcome) const;
  // The steps' names in order, for the start-up log.
  std::vector<std::string_view> names() const;

 private:
  std::vector<std::shared_ptr<Policy>> policies_;
  bool may_block_ = false;
  bool needs_access_class_ = false;
};

}  // namespace pixmill::http
