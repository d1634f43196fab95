#pragma once
// One request's way through the pools, once the connection has read it: admission that
// may block or must classify the request (admission pool), the route's fetch stage (fetch
// pool), the image work (image pool), then the answer published back on the connection's
// strand — or the timeout's 504, whichever comes first.

#include <boost/asio.hpp>

#include <memory>

#include "http/server_state.h"

namespace pixmill::http {

// The connection a job answers on. Both calls run on the connection's strand.
class Answerer {
 public:
  virtual ~Answerer() = default;
  virtual boost::asio::any_io_executor executor() = 0;
  virtual void answer(Response response) = 0;
};

// Starts the job for `request` (the job's own copy: the connection keeps its head).
// Answers 503 at once, through `connection`, when the pool's queue is full.
void start_job(Server::Impl& server, std::shared_ptr<Answerer> connection, const RouteSpec& route, std::shared_ptr<Request> request);

// A Cpu route whose requests may ask for AI work, when a policy needs the class: it comes
// from the parsed recipe, so admission runs where the body may be parsed (off the I/O thread).
inline bool classifies(const Server::Impl& server, const RouteSpec& route) {
  return route.stages.classify && route.access == AccessClass::Cpu && server.options.policies.needs_access_class();
}

// Whether the chain's before() for a work route runs on the admission pool (it may block
// on Redis, or the request must be classified first) rather than on the I/O thread.
inline bool admits_off_io_thread(const Server::Impl& server, const RouteSpec& route) {
  return server.options.policies.may_block() || classifies(server, route);
}

}  // namespace pixmill::http
