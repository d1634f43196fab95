#include "policy/plan.h"

namespace pixmill::policy {

std::map<std::string, Plan> builtin_plans() {
  return {
      {"free", Plan{"free", 60, 5, 500, 10}},
      {"pro", Plan{"pro", 600, 60, 12'500, 100}},
      {"unlimited", Plan{"unlimited", 0, 0, 0, 0}},
  };
}

}  // namespace pixmill::policy
