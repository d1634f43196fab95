#pragma once
// A work route's stages written as typed functions over one value, State, that each
// stage returns and the next receives:
//   parse    reads the request once (the body is moved out); what is left is the head;
//   classify the access class of a parsed request (optional);
//   fetch    completes the value over the network (optional: the image by URL);
//   work     the image work, and the answer.
// No stage writes into the request for a later one to find. The job keeps the value
// between the pools (router.h's StageValue); this file is the one place that erases its
// type, so a route's code never casts.
//
// parse runs once, in whichever stage needs the value first: admission when a policy
// needs the request's class, else the fetch stage, else the work. A failed parse
// classifies as Cpu, and the next stage answers its error in the route's error shape
// (the fetch stage returns it without fetching).

#include <functional>
#include <memory>
#include <optional>

#include "http/router.h"

namespace pixmill::http {

template <class State>
struct Stages {
  std::function<Result<State>(Request&)> parse{};
  std::function<AccessClass(const State&)> classify{};
  std::function<bool(const Request&)> wants_fetch{};
  std::function<std::optional<Error>(State&, const Request&, const core::Deadline&)> fetch{};
  std::function<Result<Response>(State&, const Request&, const core::Deadline&)> work{};
};

template <class State>
WorkStages stages(Stages<State> typed) {
  using Parsed = Result<State>;
  auto s = std::make_shared<const Stages<State>>(std::move(typed));
  // The parse, made by the first stage that asks and kept in the job's value.
  auto parsed = [s](Request& request, StageValue& value) -> Parsed& {
    if (!value) value = std::make_shared<Parsed>(s->parse(request));
    return *std::static_pointer_cast<Parsed>(value);
  };
  WorkStages erased;
  if (s->classify) {
    erased.classify = [s, parsed](Request& request, StageValue& value) {
      Parsed& p = parsed(request, value);
      return p ? s->classify(*p) : AccessClass::Cpu;
    };
  }
  erased.wants_fetch = s->wants_fetch;
  if (s->fetch) {
    erased.fetch = [s, parsed](Request& request, StageValue& value, const core::Deadline& deadline) -> std::optional<Error> {
      Parsed& p = parsed(request, value);
      if (!p) return p.error();
      return s->fetch(*p, request, deadline);
    };
  }
  erased.work = [s, parsed](Request& request, StageValue& value, const core::Deadline& deadline) -> Result<Response> {
    Parsed& p = parsed(request, value);
    if (!p) return p.error();
    return s->work(*p, request, deadline);
  };
  return erased;
}

}  // namespace pixmill::http
