#pragma once
// The access log as the chain's last step: one JSON line per answer at info level.

#include "http/policy.h"

namespace pixmill::http {

class AccessLog final : public Policy {
 public:
  std::string_view name() const override { return "access-log"; }
  void after(const Outcome& outcome, Response& response) override;
};

}  // namespace pixmill::http
