#pragma once
// The access log as the chain's last step: one JSON line per answer at info level, once
// the answer is written (its time includes sending it).

#include "http/policy.h"

namespace pixmill::http {

class AccessLog final : public Policy {
 public:
  std::string_view name() const override { return "access-log"; }
  void finished(const Outcome& outcome) override;
};

}  // namespace pixmill::http
