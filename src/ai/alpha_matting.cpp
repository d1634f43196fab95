#include "ai/alpha_matting.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>  // before alphamat.hpp, which uses core's macros without including it
#include <opencv2/alphamat.hpp>
#include <opencv2/imgproc.hpp>

namespace pixmill::ai {
namespace {

// Sure background 0, sure subject 255, unknown 128: the trimap infoFlow takes.
cv::Mat trimap_of(const cv::Mat& alpha, const MattingLimits& limits) {
  cv::Mat trimap(alpha.size(), CV_8UC1, cv::Scalar(128));
  trimap.setTo(0, alpha <= limits.low);
  trimap.setTo(255, alpha >= limits.high);
  return trimap;
}

}  // namespace

Result<std::vector<uint8_t>> refine_alpha(const RgbImage& image, std::vector<uint8_t> alpha, const MattingLimits& limits) {
  const size_t pixels = static_cast<size_t>(image.width) * static_cast<size_t>(image.height);
  if (image.width <= 0 || image.height <= 0 || image.pixels.size() != pixels * 3 || alpha.size() != pixels) {
    return make_error(ErrorCode::Internal, "edge refinement: image and alpha differ in size");
  }
  const cv::Mat colour(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  cv::Mat model(image.height, image.width, CV_8UC1, alpha.data());
  cv::Mat trimap = trimap_of(model, limits);
  const int unknown = cv::countNonZero(trimap == 128);
  // Nothing to solve, or no colours of one side to learn from (infoFlow needs both).
  if (unknown == 0 || cv::countNonZero(trimap == 255) == 0 || cv::countNonZero(trimap == 0) == 0) return alpha;

  const double scale = std::min(1.0, std::sqrt(static_cast<double>(limits.max_unknown) / unknown));
  try {
    cv::Mat solved;
    if (scale < 1.0) {
      const cv::Size small(std::max(1, static_cast<int>(std::lround(image.width * scale))),
                           std::max(1, static_cast<int>(std::lround(image.height * scale))));
      cv::Mat colour_small, model_small;
      cv::resize(colour, colour_small, small, 0, 0, cv::INTER_AREA);
      cv::resize(model, model_small, small, 0, 0, cv::INTER_AREA);
      cv::Mat trimap_small = trimap_of(model_small, limits);
      if (cv::countNonZero(trimap_small == 255) == 0 || cv::countNonZero(trimap_small == 0) == 0) return alpha;
      cv::Mat solved_small;
      cv::alphamat::infoFlow(colour_small, trimap_small, solved_small);
      cv::resize(solved_small, solved, colour.size(), 0, 0, cv::INTER_LINEAR);
    } else {
      cv::alphamat::infoFlow(colour, trimap, solved);
    }
    if (solved.type() != CV_8UC1) solved.convertTo(solved, CV_8UC1);
    // Only the unknown band changes: what the model was sure of stays exactly as it was.
    solved.copyTo(model, trimap == 128);
  } catch (const cv::Exception& e) {
    return make_error(ErrorCode::ProcessingFailed, std::string("edge refinement failed: ") + e.what());
  }
  return alpha;
}

}  // namespace pixmill::ai
