#include "http/stages.h"

#include <gtest/gtest.h>

#include <string>

namespace pixmill::http {
namespace {

// A route's typed value: what the parse read and what the fetch added.
struct Parsed {
  std::string body;
  std::string fetched;
};

struct Calls {
  int parse = 0;
  int fetch = 0;
  int work = 0;
};

WorkStages counted(Calls& calls) {
  return stages<Parsed>({
      .parse = [&calls](Request& r) -> Result<Parsed> {
        ++calls.parse;
        if (r.body == "bad") return make_error(ErrorCode::InvalidInput, "bad body", "file");
        return Parsed{std::move(r.body), {}};
      },
      .classify = [](const Parsed& p) { return p.body == "ai" ? AccessClass::Ai : AccessClass::Cpu; },
      .fetch = [&calls](Parsed& p, const Request& head, const core::Deadline&) -> std::optional<Error> {
        ++calls.fetch;
        p.fetched = "from " + head.path;
        return std::nullopt;
      },
      .work = [&calls](Parsed& p, const Request&, const core::Deadline&) -> Result<Response> {
        ++calls.work;
        return json_response(200, p.body + "|" + p.fetched);
      },
  });
}

Request request_with(std::string body) {
  Request r;
  r.method = "POST";
  r.path = "/work";
  r.body = std::move(body);
  return r;
}

TEST(Stages, TheParseRunsOnceAndItsValueReachesEveryLaterStage) {
  Calls calls;
  WorkStages s = counted(calls);
  Request request = request_with("ai");
  StageValue value;
  const core::Deadline deadline = core::Deadline::after(std::chrono::seconds(5));
  EXPECT_EQ(s.classify(request, value), AccessClass::Ai);
  EXPECT_TRUE(request.body.empty());  // moved into the value; the head stays
  EXPECT_EQ(request.path, "/work");
  EXPECT_FALSE(s.fetch(request, value, deadline).has_value());
  auto answer = s.work(request, value, deadline);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "ai|from /work");
  EXPECT_EQ(calls.parse, 1);
  EXPECT_EQ(calls.fetch, 1);
  EXPECT_EQ(calls.work, 1);
}

TEST(Stages, WithoutAClassifierTheWorkStageParses) {
  Calls calls;
  WorkStages s = counted(calls);
  Request request = request_with("cpu");
  StageValue value;
  auto answer = s.work(request, value, core::Deadline::after(std::chrono::seconds(5)));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "cpu|");
  EXPECT_EQ(calls.parse, 1);
  EXPECT_EQ(calls.fetch, 0);
}

TEST(Stages, AFailedParseIsCpuAndEachLaterStageAnswersItsError) {
  Calls calls;
  WorkStages s = counted(calls);
  Request request = request_with("bad");
  StageValue value;
  const core::Deadline deadline = core::Deadline::after(std::chrono::seconds(5));
  EXPECT_EQ(s.classify(request, value), AccessClass::Cpu);
  auto fetched = s.fetch(request, value, deadline);
  ASSERT_TRUE(fetched.has_value());  // without fetching
  EXPECT_EQ(fetched->code, ErrorCode::InvalidInput);
  auto answer = s.work(request, value, deadline);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code, ErrorCode::InvalidInput);
  EXPECT_EQ(answer.error().field, "file");
  EXPECT_EQ(calls.parse, 1);
  EXPECT_EQ(calls.fetch, 0);
  EXPECT_EQ(calls.work, 0);
}

TEST(Stages, OptionalStagesStayEmpty) {
  WorkStages s = stages<int>({
      .parse = [](Request&) -> Result<int> { return 1; },
      .work = [](int& n, const Request&, const core::Deadline&) -> Result<Response> { return json_response(200, std::to_string(n)); },
  });
  EXPECT_FALSE(s.classify);
  EXPECT_FALSE(s.fetch);
  EXPECT_FALSE(s.wants_fetch);
  EXPECT_TRUE(s.work);
}

}  // namespace
}  // namespace pixmill::http
