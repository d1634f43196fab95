#include "ai/face_detector.h"
#include "ai/tensor_io.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace pixmill::ai {
namespace {

struct Tile {
  int x = 0, y = 0, side = 0;  // in pixels of the shrunk image; may reach past its edges (padded)
};

// Square tiles of one side, overlapping by a quarter, spread evenly over the image.
void add_level(std::vector<Tile>& tiles, int width, int height, int side) {
  auto starts = [side](int extent) {
    std::vector<int> out;
    if (extent <= side) {
      out.push_back((extent - side) / 2);  // one tile, centred, padded on both sides
      return out;
    }
    const double stride = side * 0.75;
    const int count = static_cast<int>(std::ceil((extent - side) / stride)) + 1;
    for (int i = 0; i < count; ++i) out.push_back(static_cast<int>(std::lround(double(i) * (extent - side) / (count - 1))));
    return out;
  };
  for (int y : starts(height)) {
    for (int x : starts(width)) tiles.push_back(Tile{x, y, side});
  }
}

double area(const FaceBox& b) { return std::max(0.0, b.width) * std::max(0.0, b.height); }

double intersection(const FaceBox& a, const FaceBox& b) {
  const double w = std::min(a.x + a.width, b.x + b.width) - std::max(a.x, b.x);
  const double h = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0.0;
}

// Greedy suppression, best score first: a box goes when it overlaps a kept one by more
// than `iou`, or lies mostly inside it (a face cut by a tile edge found again whole).
std::vector<FaceBox> suppress(std::vector<FaceBox> boxes, double iou) {
  std::sort(boxes.begin(), boxes.end(), [](const FaceBox& a, const FaceBox& b) { return a.score > b.score; });
  std::vector<FaceBox> kept;
  for (const FaceBox& box : boxes) {
    bool duplicate = false;
    for (const FaceBox& k : kept) {
      const double inter = intersection(box, k);
      if (box_iou(box, k) > iou || inter > 0.6 * std::min(area(box), area(k))) {
        duplicate = true;
        break;
      }
    }
    if (!duplicate) kept.push_back(box);
  }
  return kept;
}

}  // namespace

Result<std::vector<FaceBox>> FaceDetectionBackend::find(const RgbImage& image, const FaceSearchLimits& limits) {
  return find_faces(*this, image, limits);
}

double box_iou(const FaceBox& a, const FaceBox& b) {
  const double inter = intersection(a, b);
  const double either = area(a) + area(b) - inter;
  return either > 0 ? inter / either : 0.0;
}

Result<std::vector<FaceBox>> find_faces(FaceDetectionBackend& backend, const RgbImage& image, const FaceSearchLimits& limits) {
  if (!well_formed(image)) return make_error(ErrorCode::Internal, "face detection input is malformed");
  const int input = backend.input_size();
  const cv::Mat original(image.height, image.width, CV_8UC3, const_cast<uint8_t*>(image.pixels.data()));
  const double shrink = std::min(1.0, double(limits.max_side) / std::max(image.width, image.height));
  cv::Mat shrunk = original;
  if (shrink < 1.0) cv::resize(original, shrunk, cv::Size(), shrink, shrink, cv::INTER_AREA);
  const int width = shrunk.cols, height = shrunk.rows;

  // The whole image first, then halving tiles down to min_tile, while the budget lasts.
  std::vector<Tile> tiles;
  for (int side = std::max(width, height); side >= std::min(limits.min_tile, std::max(width, height)); side /= 2) {
    std::vector<Tile> level;
    add_level(level, width, height, side);
    if (!tiles.empty() && tiles.size() + level.size() > size_t(limits.max_tiles)) break;
    tiles.insert(tiles.end(), level.begin(), level.end());
    if (side / 2 < limits.min_tile) break;
  }

  std::vector<FaceBox> found;
  cv::Mat square(input, input, CV_8UC3);
  for (const Tile& tile : tiles) {
    // The tile's part of the image on a mid-grey square (padding where it reaches past the edges).
    cv::Mat canvas(tile.side, tile.side, CV_8UC3, cv::Scalar(128, 128, 128));
    const cv::Rect inside = cv::Rect(tile.x, tile.y, tile.side, tile.side) & cv::Rect(0, 0, width, height);
    shrunk(inside).copyTo(canvas(cv::Rect(inside.x - tile.x, inside.y - tile.y, inside.width, inside.height)));
    cv::resize(canvas, square, square.size(), 0, 0, tile.side > input ? cv::INTER_AREA : cv::INTER_LINEAR);
    RgbImage rgb;
    rgb.width = rgb.height = input;
    rgb.pixels.assign(square.data, square.data + size_t(input) * input * 3);
    auto faces = backend.detect_tile(rgb);
    if (!faces) return faces.error();
    const double to_image = double(tile.side) / input;
    for (FaceBox face : *faces) {
      face.x = face.x * to_image + tile.x;
      face.y = face.y * to_image + tile.y;
      face.width *= to_image;
      face.height *= to_image;
      // A face cut by an inner tile edge is found whole by a neighbour or a coarser level.
      const double margin = 0.01 * tile.side;
      const bool cut = (face.x < tile.x + margin && tile.x > 0) || (face.y < tile.y + margin && tile.y > 0) ||
                       (face.x + face.width > tile.x + tile.side - margin && tile.x + tile.side < width) ||
                       (face.y + face.height > tile.y + tile.side - margin && tile.y + tile.side < height);
      if (cut) continue;
      face.x /= shrink;
      face.y /= shrink;
      face.width /= shrink;
      face.height /= shrink;
      found.push_back(face);
    }
  }
  std::vector<FaceBox> faces = suppress(std::move(found), limits.nms_iou);
  for (FaceBox& f : faces) {  // clipped to the image
    const double x1 = std::min<double>(image.width, f.x + f.width), y1 = std::min<double>(image.height, f.y + f.height);
    f.x = std::max(0.0, f.x);
    f.y = std::max(0.0, f.y);
    f.width = std::max(0.0, x1 - f.x);
    f.height = std::max(0.0, y1 - f.y);
  }
  faces.erase(std::remove_if(faces.begin(), faces.end(), [](const FaceBox& f) { return f.width < 1 || f.height < 1; }), faces.end());
  return faces;
}

}  // namespace pixmill::ai
