#include "ai/alpha_matting.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

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

bool has_both_sides(const cv::Mat& trimap) {
  return cv::countNonZero(trimap == 255) > 0 && cv::countNonZero(trimap == 0) > 0;
}

// The matting's alpha for `colour` (8-bit, 3 bands) given the model's `alpha`, solved on a
// copy shrunk by `scale` when that is under 1. Empty when a side has no sure pixels left.
cv::Mat solve(const cv::Mat& colour, const cv::Mat& alpha, double scale, const MattingLimits& limits) {
  if (scale >= 1.0) {
    cv::Mat solved;
    cv::alphamat::infoFlow(colour, trimap_of(alpha, limits), solved);
    return solved;
  }
  const cv::Size small(std::max(1, static_cast<int>(std::lround(colour.cols * scale))),
                       std::max(1, static_cast<int>(std::lround(colour.rows * scale))));
  cv::Mat colour_small, alpha_small, solved_small, solved;
  cv::resize(colour, colour_small, small, 0, 0, cv::INTER_AREA);
  cv::resize(alpha, alpha_small, small, 0, 0, cv::INTER_AREA);
  const cv::Mat trimap_small = trimap_of(alpha_small, limits);
  if (!has_both_sides(trimap_small)) return {};
  cv::alphamat::infoFlow(colour_small, trimap_small, solved_small);
  cv::resize(solved_small, solved, colour.size(), 0, 0, cv::INTER_LINEAR);
  return solved;
}

}  // namespace

Result<std::vector<uint8_t>> refine_alpha(const RgbImage& image, std::vector<uint8_t> alpha, const MattingLimits& limits) {
  const size_t pixels = static_cast<size_t>(image.width) * static_cast<size_t>(image.height);
  if (image.width <= 0 || image.height <= 0 || image.pixels.size() != pixels * 3 || alpha.size() != pixels) {
    return make_error(ErrorCode::Internal, "edge refinement: image and alpha differ in size");
  }
  try {
    const cv::Mat colour(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
    cv::Mat model(image.height, image.width, CV_8UC1, alpha.data());
    const cv::Mat trimap = trimap_of(model, limits);
    const cv::Mat band = trimap == 128;
    const int unknown = cv::countNonZero(band);
    // Nothing to solve, or no colours of one side to learn from (infoFlow needs both).
    if (unknown == 0 || !has_both_sides(trimap)) return alpha;

    // infoFlow builds its graph over every pixel it is given, so it gets only the band's
    // box and a margin of sure pixels around it (the colours the band is mixed from).
    const int margin = std::max(limits.margin, 1);
    const cv::Rect box = (cv::boundingRect(band) + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) &
                         cv::Rect(0, 0, image.width, image.height);
    const cv::Mat box_trimap = trimap(box);
    if (!has_both_sides(box_trimap)) return alpha;
    const double area = static_cast<double>(box.area());
    const double scale = std::min({1.0, std::sqrt(static_cast<double>(limits.max_unknown) / unknown),
                                   std::sqrt(static_cast<double>(limits.max_pixels) / area)});
    cv::Mat solved = solve(colour(box), model(box), scale, limits);
    if (solved.empty()) return alpha;
    if (solved.type() != CV_8UC1) solved.convertTo(solved, CV_8UC1);
    // Only the unknown band changes: what the model was sure of stays exactly as it was.
    cv::Mat target = model(box);
    solved.copyTo(target, band(box));
  } catch (const std::exception& e) {  // cv::Exception, and std::bad_alloc from a large graph
    return make_error(ErrorCode::ProcessingFailed, std::string("edge refinement failed: ") + e.what());
  }
  return alpha;
}

}  // namespace pixmill::ai
