#include "pipeline/steps/faces.h"

#include <algorithm>
#include <cmath>

#include "pipeline/steps/ai_input.h"

namespace pixmill::pipeline::steps {

using vips::VImage;

Result<std::vector<ai::FaceBox>> detect_faces(VImage frame, ai::Segmenter& segmenter, const Deadline& deadline) {
  // The search shrinks the image itself (FACE_MAX_SIDE); a frame larger than 4096 is
  // shrunk here first so the copy handed to the pool stays small.
  constexpr int kMaxCopySide = 4096;
  const int longest = std::max(frame.width(), frame.height());
  auto faces = segmenter.detect_faces(to_rgb(frame, kMaxCopySide), ai_deadline(deadline), deadline.cancel_flag());
  if (!faces) return faces.error();
  if (longest > kMaxCopySide) {
    const double up = double(longest) / kMaxCopySide;
    for (auto& f : *faces) {
      f.x *= up;
      f.y *= up;
      f.width *= up;
      f.height *= up;
    }
  }
  return faces;
}

ai::FaceBox redaction_box(const ai::FaceBox& face, int width, int height) {
  // BlazeFace boxes run from the brows to the mouth's bottom, ear to ear: grow them a
  // quarter each side, a third upwards (forehead, hair) and downwards (chin).
  const double x0 = face.x - 0.25 * face.width, x1 = face.x + 1.25 * face.width;
  const double y0 = face.y - 0.35 * face.height, y1 = face.y + 1.35 * face.height;
  ai::FaceBox box = face;
  box.x = std::clamp(std::floor(x0), 0.0, double(width));
  box.y = std::clamp(std::floor(y0), 0.0, double(height));
  box.width = std::clamp(std::ceil(x1), 0.0, double(width)) - box.x;
  box.height = std::clamp(std::ceil(y1), 0.0, double(height)) - box.y;
  return box;
}

VImage redact(VImage frame, const std::vector<ai::FaceBox>& faces, const FaceOptions& options) {
  if (options.redact == FaceRedaction::None) return frame;
  for (const ai::FaceBox& face : faces) {
    const ai::FaceBox box = redaction_box(face, frame.width(), frame.height());
    const int x = int(box.x), y = int(box.y), w = int(box.width), h = int(box.height);
    if (w < 1 || h < 1) continue;
    const double size = std::max(w, h);
    VImage patch = frame.extract_area(x, y, w, h);
    switch (options.redact) {
      case FaceRedaction::Blur: {
        // Strength 0 still hides a face: at least a sixteenth of its size.
        const double sigma = std::max(size / 16, options.strength * size / 4);
        // Blurred with the surroundings clamped in, so the edge does not fade to black.
        patch = patch.embed(int(sigma * 3), int(sigma * 3), w + int(sigma * 6), h + int(sigma * 6),
                            VImage::option()->set("extend", VIPS_EXTEND_COPY))
                    .gaussblur(sigma, VImage::option()->set("precision", VIPS_PRECISION_INTEGER))
                    .extract_area(int(sigma * 3), int(sigma * 3), w, h);
        break;
      }
      case FaceRedaction::Pixelate: {
        const int block = std::clamp(int(std::lround(std::max(size / 12, options.strength * size / 4))), 1, std::min(w, h));
        patch = patch.shrink(block, block).zoom(block, block).embed(0, 0, w, h, VImage::option()->set("extend", VIPS_EXTEND_COPY));
        break;
      }
      case FaceRedaction::Fill: {
        std::vector<double> ink = {double(options.fill.r), double(options.fill.g), double(options.fill.b)};
        if (frame.bands() < 3) ink = {double(options.fill.r)};
        if (frame.has_alpha()) ink.push_back(255);
        patch = VImage::black(w, h, VImage::option()->set("bands", frame.bands())).new_from_image(ink);
        break;
      }
      case FaceRedaction::None: break;
    }
    patch = patch.cast(frame.format());
    frame = frame.insert(patch, x, y);
  }
  return frame.copy(VImage::option()->set("interpretation", frame.interpretation()));
}

VImage cover_crop_faces(VImage frame, const GeometryPlan& plan, const std::vector<ai::FaceBox>& faces) {
  if (!plan.cover_crop || faces.empty()) return frame;
  const int w = std::min(plan.cover_crop->width, frame.width());
  const int h = std::min(plan.cover_crop->height, frame.height());
  if (w == frame.width() && h == frame.height()) return frame;
  double x0 = faces.front().x, y0 = faces.front().y, x1 = x0 + faces.front().width, y1 = y0 + faces.front().height;
  for (const auto& f : faces) {
    x0 = std::min(x0, f.x);
    y0 = std::min(y0, f.y);
    x1 = std::max(x1, f.x + f.width);
    y1 = std::max(y1, f.y + f.height);
  }
  // Centred a little below the faces' middle (bodies are under heads), kept inside the frame.
  const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2 + 0.1 * (y1 - y0);
  const int x = std::clamp(int(std::lround(cx - w / 2.0)), 0, frame.width() - w);
  const int y = std::clamp(int(std::lround(cy - h / 2.0)), 0, frame.height() - h);
  return frame.extract_area(x, y, w, h);
}

}  // namespace pixmill::pipeline::steps
