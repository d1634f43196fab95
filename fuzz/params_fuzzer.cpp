// libFuzzer target for the native (/api/v1) and Feather (/api/*) parameter parsers.
//
// The input is a query string ("width=10&fit=fill&…"), decoded as the server decodes
// request targets and url-encoded form bodies. The same fields go through the native
// table (strict: unknown names refused) and Feather's (unknown names ignored).
// Invariants: every refusal is a typed INVALID_INPUT with a message, and a recipe a
// parser accepts either passes validate() or is refused by it the same typed way,
// naming a field (the pipeline validates before any work, so NaN, 1e308 or huge
// integers can only ever become a 400).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dialects/feather_params.h"
#include "dialects/native_params.h"
#include "fuzz_check.h"
#include "http/url.h"

using namespace pixmill;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto fields = http::parse_query(text);
  if (!fields) return 0;

  recipe::Recipe native;
  if (auto s = dialects::apply_params(dialects::native_params(), *fields, native, true); s) {
    fuzz::check_validated(native);
  } else {
    fuzz::check_rejection(s.error());
  }

  for (bool convert : {false, true}) {
    auto feather = dialects::parse_feather_fields(*fields, convert);
    if (feather) {
      fuzz::check_validated(*feather);
    } else {
      fuzz::check_rejection(feather.error());
    }
  }

  // Each value alone through each native field: bounds are checked per field.
  for (const auto& [name, value] : *fields) {
    if (const auto* spec = dialects::find_param(dialects::native_params(), name)) {
      auto parsed = dialects::parse_param_value(*spec, value);
      if (!parsed) fuzz::check_rejection(parsed.error());
    }
  }
  return 0;
}
