#include "ai/blazeface.h"

#include <algorithm>
#include <cmath>

namespace pixmill::ai::blazeface {

Result<std::vector<FaceBox>> decode(const std::vector<Layer>& layers, int input_size, double min_score) {
  std::vector<FaceBox> faces;
  // A logit below this cannot reach min_score: skip the exp for most anchors.
  const double clipped = std::clamp(min_score, 1e-6, 1.0 - 1e-6);
  const double min_logit = std::log(clipped / (1.0 - clipped));
  for (const Layer& layer : layers) {
    const size_t cells = size_t(layer.grid) * layer.grid;
    if (layer.grid <= 0 || layer.scores.empty() || layer.scores.size() % cells != 0 ||
        layer.boxes.size() != layer.scores.size() * 16) {
      return make_error(ErrorCode::ProcessingFailed, "the face detector gave outputs of an unexpected shape");
    }
    const size_t per_cell = layer.scores.size() / cells;
    for (size_t i = 0; i < layer.scores.size(); ++i) {
      const float logit = layer.scores[i];
      if (!(logit >= min_logit)) continue;  // NaN too
      const size_t cell = i / per_cell;
      const double anchor_x = (double(cell % layer.grid) + 0.5) / layer.grid;
      const double anchor_y = (double(cell / layer.grid) + 0.5) / layer.grid;
      const float* r = layer.boxes.data() + i * 16;
      const double cx = r[0] / double(input_size) + anchor_x;
      const double cy = r[1] / double(input_size) + anchor_y;
      const double w = r[2] / double(input_size);
      const double h = r[3] / double(input_size);
      if (!std::isfinite(cx) || !std::isfinite(cy) || !(w > 0) || !(h > 0) || !std::isfinite(w) || !std::isfinite(h)) continue;
      FaceBox face;
      face.x = (cx - w / 2) * input_size;
      face.y = (cy - h / 2) * input_size;
      face.width = w * input_size;
      face.height = h * input_size;
      face.score = 1.0 / (1.0 + std::exp(-std::clamp(double(logit), -100.0, 100.0)));
      faces.push_back(face);
    }
  }
  return faces;
}

}  // namespace pixmill::ai::blazeface
