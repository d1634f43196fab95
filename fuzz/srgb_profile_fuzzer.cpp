// libFuzzer target: the sRGB ICC-profile check reads offsets and counts from
// untrusted profile bytes embedded in uploaded images.
#include <cstddef>
#include <cstdint>

#include "pipeline/srgb_profile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)pixmill::pipeline::is_srgb_icc_profile({data, size});
  return 0;
}
