#include "codecs/butteraugli_distance.h"

#include <jxl/butteraugli.h>

#include <memory>

namespace pixmill::codecs {
namespace {

struct ApiDeleter {
  void operator()(JxlButteraugliApi* api) const { JxlButteraugliApiDestroy(api); }
};
struct ResultDeleter {
  void operator()(JxlButteraugliResult* result) const { JxlButteraugliResultDestroy(result); }
};

}  // namespace

Result<double> butteraugli_distance(const uint8_t* reference, const uint8_t* candidate, int width, int height) {
  // butteraugli needs at least 8x8 (its smallest scale).
  if (width < 8 || height < 8) return make_error(ErrorCode::InvalidInput, "butteraugli needs at least 8x8 pixels");
  std::unique_ptr<JxlButteraugliApi, ApiDeleter> api(JxlButteraugliApiCreate(nullptr));
  if (!api) return make_error(ErrorCode::Internal, "out of memory");
  const JxlPixelFormat format{3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};
  const size_t size = static_cast<size_t>(width) * height * 3;
  std::unique_ptr<JxlButteraugliResult, ResultDeleter> result(JxlButteraugliCompute(
      api.get(), static_cast<uint32_t>(width), static_cast<uint32_t>(height), &format, reference, size, &format, candidate, size));
  if (!result) return make_error(ErrorCode::ProcessingFailed, "butteraugli failed");
  return static_cast<double>(JxlButteraugliResultGetDistance(result.get(), 3.0f));
}

}  // namespace pixmill::codecs
